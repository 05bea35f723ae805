package dev.convolve.autograd.kernels;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Training convolutions in the batch-last layout ({@link BatchLastGeometry}): forward (with an optional fused
 * bias and ReLU), input gradient and kernel gradient. The batch is split into one contiguous range per thread (a
 * multiple of the vector length), so results do not depend on scheduling; the kernel gradient adds the
 * per-thread partial sums in thread order. The arithmetic is in {@link BatchLastSimd} (Vector API) or
 * {@link BatchLastScalar} (plain loops, when SIMD is unavailable).
 */
public final class BatchLastConv {
    private BatchLastConv() {}

    /** True when these kernels handle {@code plan}. */
    public static boolean supports(ConvPlan plan, DType input, DType kernel) { return BatchLastGeometry.supports(plan, input, kernel); }

    interface Impl {
        /** y[o][oy][ox][n] for n in [n0, n1); w packed by {@link #packForward}; bias may be null. */
        void forward(BatchLastGeometry g, float[] x, float[] wp, float[] bias, boolean relu, float[] y, int n0, int n1);

        /** dx[c][iy][ix][n] for n in [n0, n1); w packed by {@link #packInput}. */
        void gradInput(BatchLastGeometry g, float[] wp, float[] gy, float[] dx, int n0, int n1);

        /** dw[o][c][i][j] += over n in [n0, n1). */
        void gradKernel(BatchLastGeometry g, float[] x, float[] gy, float[] dw, int n0, int n1);

        /** For rows r in [r0, r1) of length len: gp = relu ? g * (y > 0) : unused, db[r] = sum of (relu ? gp : g). */
        void reluBiasGrad(float[] y, float[] g, float[] gp, float[] db, int r0, int r1, int len, boolean relu);
    }

    static final Impl IMPL = choose();

    private static Impl choose() {
        if (Gemm.get() != Gemm.scalar()) {
            try {
                return (Impl) Class.forName("dev.convolve.autograd.kernels.BatchLastSimd").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through
            }
        }
        return new BatchLastScalar();
    }

    /** Weights as {@code [O/4 blocks][C][KH*KW][4]} (the last, partial block padded with zeros). */
    static float[] packForward(BatchLastGeometry g, float[] w) {
        int blocks = (g.o() + 3) / 4, kk = g.taps();
        float[] p = new float[blocks * g.c() * kk * 4];
        for (int o = 0; o < g.o(); o++) {
            int b = o / 4, r = o % 4;
            for (int c = 0; c < g.c(); c++) {
                for (int t = 0; t < kk; t++) p[((b * g.c() + c) * kk + t) * 4 + r] = w[(o * g.c() + c) * kk + t];
            }
        }
        return p;
    }

    /** Weights as {@code [C/4 blocks][KH*KW][O][4]} (zero padded). */
    static float[] packInput(BatchLastGeometry g, float[] w) {
        int blocks = (g.c() + 3) / 4, kk = g.taps();
        float[] p = new float[blocks * kk * g.o() * 4];
        for (int o = 0; o < g.o(); o++) {
            for (int c = 0; c < g.c(); c++) {
                int b = c / 4, r = c % 4;
                for (int t = 0; t < kk; t++) p[((b * kk + t) * g.o() + o) * 4 + r] = w[(o * g.c() + c) * kk + t];
            }
        }
        return p;
    }

    /** Below this many multiply-adds a conv runs on one thread (a parallel section costs a few microseconds). */
    static final long PARALLEL_MACS = 1_000_000;

    /** Splits [0, n) into per-thread ranges whose boundaries are multiples of 16. */
    private static void perThread(int n, long macs, RangeBody body) {
        int t = threadsFor(n, macs);
        int units = (n + 15) / 16;
        Workers.run(t, ti -> {
            int a = (int) ((long) units * ti / t) * 16, b = Math.min(n, (int) ((long) units * (ti + 1) / t) * 16);
            if (a < b) body.run(ti, a, b);
        });
    }

    private static int threadsFor(int n, long macs) {
        return macs < PARALLEL_MACS && !warming ? 1 : Math.max(1, Math.min(Threads.threads(), (n + 15) / 16));
    }

    private static volatile boolean warming;

    @FunctionalInterface
    private interface RangeBody {
        void run(int thread, int from, int to);
    }

    /** The conv of {@code plan}, plus {@code bias} per output channel (or null) and a ReLU when asked. */
    public static Tensor forward(ConvPlan plan, Tensor input, Tensor kernel, Tensor bias, boolean relu) {
        BatchLastGeometry g = BatchLastGeometry.of(plan);
        float[] x = input.floatData(), wp = packForward(g, kernel.floatData());
        float[] b = bias == null ? null : bias.floatData();
        float[] y = StepBuffers.floats(g.o() * g.oh() * g.ow() * g.n()); // every element is written
        perThread(g.n(), plan.macs(), (ti, from, to) -> IMPL.forward(g, x, wp, b, relu, y, from, to));
        return Tensor.wrap(DType.F32, plan.outputShape(), y);
    }

    /** The input gradient, shaped like the input. */
    public static Tensor gradInput(ConvPlan plan, Tensor kernel, Tensor gradOut) {
        BatchLastGeometry g = BatchLastGeometry.of(plan);
        float[] wp = packInput(g, kernel.floatData()), gy = gradOut.floatData();
        float[] dx = StepBuffers.floats(g.c() * g.h() * g.w() * g.n()); // every element is written
        perThread(g.n(), plan.macs(), (ti, from, to) -> IMPL.gradInput(g, wp, gy, dx, from, to));
        return Tensor.wrap(DType.F32, plan.inputShape(), dx);
    }

    /** The kernel gradient, shaped like the kernel. */
    public static Tensor gradKernel(ConvPlan plan, Tensor input, Tensor gradOut) {
        BatchLastGeometry g = BatchLastGeometry.of(plan);
        float[] x = input.floatData(), gy = gradOut.floatData();
        int size = g.o() * g.c() * g.taps();
        float[][] partial = new float[threadsFor(g.n(), plan.macs())][];
        perThread(g.n(), plan.macs(), (ti, from, to) -> {
            float[] dw = new float[size];
            IMPL.gradKernel(g, x, gy, dw, from, to);
            partial[ti] = dw;
        });
        float[] dw = partial[0] == null ? new float[size] : partial[0];
        for (int t = 1; t < partial.length; t++) {
            if (partial[t] == null) continue;
            for (int i = 0; i < size; i++) dw[i] += partial[t][i];
        }
        return Tensor.wrap(DType.F32, plan.kernelShape(), dw);
    }

    /**
     * The backward of a fused ReLU and bias on a batch-last output {@code out} ({@code [O, ...]}): returns
     * {@code g' = g * (out > 0)} (or {@code g} itself when {@code relu} is false) and the bias gradient, the sum of
     * {@code g'} over each channel's row, in one parallel pass.
     */
    public static Tensor[] reluBiasGrad(Tensor out, Tensor g, boolean relu) {
        int rows = out.dim(0), len = out.size() / rows;
        float[] y = out.floatData(), gv = g.floatData();
        float[] gp = relu ? StepBuffers.floats(gv.length) : gv; // every element is written
        float[] db = new float[rows];
        int t = out.size() < 65536 ? 1 : Math.max(1, Math.min(Threads.threads(), rows));
        Workers.run(t, ti -> IMPL.reluBiasGrad(y, gv, gp, db, rows * ti / t, rows * (ti + 1) / t, len, relu));
        return new Tensor[] {relu ? Tensor.wrap(DType.F32, out.shape(), gp) : g, Tensor.wrap(DType.F32, dev.convolve.tensor.Shape.of(rows), db)};
    }

    /**
     * Runs every code path of the kernels on tiny problems until the JIT has compiled them, or for at most
     * {@code maxMillis}; returns the seconds spent. Vector API code is very slow until the JIT compiles its caller,
     * which happens after some hundreds of calls; tiny problems make those calls cheap. Shapes cover full and
     * partial channel blocks, 1 and 4 vector batch blocks and scalar tails on two threads, strides 1 and 2, with and
     * without ReLU.
     */
    public static synchronized double warmUp(long maxMillis) {
        if (warmedUp) return 0;
        warmedUp = true;
        warming = true;
        try {
            return warmUpLoop(maxMillis);
        } finally {
            warming = false;
        }
    }

    private static double warmUpLoop(long maxMillis) {
        long t0 = System.nanoTime(), end = t0 + maxMillis * 1_000_000L;
        // {channels, size, batch, outputs, stride, padding}
        int[][] shapes = {{2, 4, 147, 8, 1, 1}, {1, 4, 147, 5, 2, 1}, {5, 3, 147, 4, 1, 1}, {6, 3, 16, 6, 1, 0}};
        ConvPlanCache[] plans = new ConvPlanCache[shapes.length];
        for (int i = 0; i < shapes.length; i++) plans[i] = new ConvPlanCache(shapes[i]);
        boolean debug = Boolean.getBoolean("convolve.debugWarmup");
        for (int it = 0; it < WARMUP_ITERATIONS && System.nanoTime() < end; it++) {
            long s0 = System.nanoTime();
            for (ConvPlanCache p : plans) {
                boolean relu = (it & 1) == 0;
                Tensor y = forward(p.plan, p.x, p.w, relu ? p.b : null, relu);
                gradInput(p.plan, p.w, y);
                gradKernel(p.plan, p.x, y);
                reluBiasGrad(y, y, relu);
            }
            if (debug && it % 20 == 0) System.err.printf("kernel warm-up %d: %.2f ms%n", it, (System.nanoTime() - s0) / 1e6);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static boolean warmedUp;
    static final int WARMUP_ITERATIONS = Integer.getInteger("convolve.warmupIterations", 700);

    private static final class ConvPlanCache {
        final ConvPlan plan;
        final Tensor x, w, b;

        ConvPlanCache(int[] s) {
            int c = s[0], h = s[1], n = s[2], o = s[3], stride = s[4], pad = s[5];
            dev.convolve.plan.ConvOptions opt = dev.convolve.plan.ConvOptions.defaults().withStrides(stride).withPadding(pad, pad, pad, pad)
                    .withLayout("CHWN", "OIHW", "CHWN");
            x = Tensor.randomUniform(1, DType.F32, -1, 1, c, h, h, n);
            w = Tensor.randomUniform(2, DType.F32, -1, 1, o, c, 3, 3);
            b = Tensor.randomUniform(3, DType.F32, -1, 1, o);
            plan = ConvPlan.of(x.shape(), DType.F32, w.shape(), DType.F32, opt);
        }
    }
}
