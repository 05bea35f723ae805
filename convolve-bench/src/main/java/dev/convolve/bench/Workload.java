package dev.convolve.bench;

import dev.convolve.backend.Backend;
import dev.convolve.backend.WindowReduction;
import dev.convolve.ops.Window;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * The operation a case times on our side, with its tensors made once: forward is the conv (or pooling) a user
 * calls; forward+backward adds the two gradients autograd asks the backend for ({@code convGradInput} and
 * {@code convGradKernel}, the max-pooling gradient routing, or the average-pooling gradient), with an output gradient of ones as
 * {@code y.sum().backward()} gives PyTorch.
 */
final class Workload implements Runnable {
    private final Runnable body;
    private final String algorithm;
    static volatile long sink;

    private Workload(Runnable body, String algorithm) {
        this.body = body;
        this.algorithm = algorithm;
    }

    /** The algorithm the backend says it uses (from the planner when it can explain itself). */
    String algorithm() { return algorithm; }

    @Override
    public void run() { body.run(); }

    /** True when the case has a forward+backward measurement on our side. */
    static boolean hasBackward(BenchCase c) { return true; }

    /** {@code reuseOutput}: a forward conv writes into one output made here ({@link Backend#convInto}). */
    static Workload of(BenchCase c, boolean backward, Backend backend, boolean reuseOutput) {
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, c.input());
        switch (c.kind()) {
            case CONV -> {
                Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.1, c.kernel());
                ConvPlan plan = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), c.convOptions());
                String alg = Explain.conv(backend, plan);
                if (!backward && reuseOutput) {
                    Tensor out = Tensor.zeros(plan.outputType(), plan.outputShape().dims());
                    return new Workload(() -> sink += backend.convInto(plan, x, w, out).size(), alg);
                }
                if (!backward) return new Workload(() -> sink += backend.conv(plan, x, w).size(), alg);
                Tensor ones = Tensor.ones(DType.F32, plan.outputShape().dims());
                String algB = alg + " | dx: " + Explain.gradInput(backend, plan) + " | dw: " + Explain.gradKernel(backend, plan);
                return new Workload(() -> {
                    Tensor y = backend.conv(plan, x, w);
                    Tensor gx = backend.convGradInput(plan, w, ones);
                    Tensor gw = backend.convGradKernel(plan, x, ones);
                    sink += y.size() + gx.size() + gw.size();
                }, algB);
            }
            case MAX_POOL -> {
                WindowPlan plan = WindowPlan.of("window_max", x.shape(), x.dtype(), c.windowOptions());
                String alg = Explain.window(backend, plan);
                if (!backward) return new Workload(() -> sink += backend.window(plan, WindowReduction.MAX, x).size(), alg);
                Tensor ones = Tensor.ones(DType.F32, plan.outputShape().dims());
                return new Workload(() -> {
                    Tensor y = backend.window(plan, WindowReduction.MAX, x);
                    Tensor gx = backend.windowSelectScatter(plan, true, x, ones);
                    sink += y.size() + gx.size();
                }, alg + " | dx: " + Explain.windowGradient(backend, plan));
            }
            case AVG_POOL -> {
                WindowPlan plan = WindowPlan.of("window_mean", x.shape(), x.dtype(), c.windowOptions());
                String alg = Explain.window(backend, plan);
                if (!backward) return new Workload(() -> sink += Window.mean(x, c.windowOptions()).size(), alg);
                // what autograd's window mean does: the forward mean, then the gradient of ones spread back with weights 1/window
                Tensor ones = Tensor.ones(DType.F32, plan.outputShape().dims());
                return new Workload(() -> {
                    Tensor y = Window.mean(x, c.windowOptions());
                    Tensor gx = backend.windowSumTransposeScaled(plan, ones, 1.0 / plan.windowSize());
                    sink += y.size() + gx.size();
                }, alg + " | dx: " + Explain.windowSumGradient(backend, plan));
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Runs {@code op} until the JIT has settled: the Vector API runs 10-100x slower before C2 has compiled a kernel, so at
     * least {@code least} seconds, then until two consecutive samples agree within 10% and the JIT's compiler threads
     * used at most 20 ms during the last one ({@link dev.convolve.backend.JitActivity}; at most {@code least + 20} s).
     */
    static void warmUp(Runnable op, double least) {
        long t0 = System.nanoTime();
        double prev = Double.NaN;
        double sample = Math.min(0.25, Math.max(0.005, least / 4));
        long jitBefore = JIT.millis();
        while (true) {
            double t = secondsPerCall(op, sample);
            long jitAfter = JIT.millis();
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            // steady means: two samples agree AND the JIT compiled nothing during the last one (a kernel not yet
            // compiled by C2 can run 10x slower, and steadily so, for seconds)
            boolean jitQuiet = !JIT.available() || jitAfter - jitBefore <= 20;
            if (elapsed > least + 20 || (elapsed >= least && jitQuiet && Math.abs(t - prev) <= 0.1 * prev)) return;
            prev = t;
            jitBefore = jitAfter;
        }
    }

    /**
     * Development aid: with {@code -Dconvolve.bench.cputime=true} single-threaded runs are timed by the calling thread's CPU
     * time, which a busy shared machine disturbs much less than wall time. Never used for published figures.
     */
    private static final boolean CPU_TIME = Boolean.getBoolean("convolve.bench.cputime");
    private static final dev.convolve.backend.JitActivity JIT = new dev.convolve.backend.JitActivity();
    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Seconds per call: runs {@code op} until at least {@code seconds} have passed (at least once). */
    static double secondsPerCall(Runnable op, double seconds) {
        long t0 = System.nanoTime(), c0 = CPU_TIME ? MX.getCurrentThreadCpuTime() : 0;
        long budget = (long) (seconds * 1e9);
        int n = 0;
        long t;
        do {
            op.run();
            n++;
            t = System.nanoTime() - t0;
        } while (t < budget);
        if (CPU_TIME) return (MX.getCurrentThreadCpuTime() - c0) * 1e-9 / n;
        return t * 1e-9 / n;
    }
}
