package dev.convolve.backend.fast;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/** A random conv call: awkward sizes, every option, random layouts and types. Reproducible from its seed. */
record RandomConvCase(long seed, Tensor input, Tensor kernel, ConvOptions options, ConvPlan plan) {

    private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 17, 19, 23, 29, 31, 37};

    /** Options of every kind; {@code types} picks element types other than f32 too. */
    static RandomConvCase of(long seed, boolean types) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int attempt = 0; ; attempt++) {
            RandomConvCase c = attempt(seed, r, types, false);
            if (c != null) return c;
        }
    }

    /** Batches of 32 to 70 on small planes: the shapes the batch-in-lanes engine takes. */
    static RandomConvCase bigBatch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int attempt = 0; ; attempt++) {
            RandomConvCase c = attempt(seed, r, false, true);
            if (c != null) return c;
        }
    }

    private static RandomConvCase attempt(long seed, SplittableRandom r, boolean types, boolean big) {
        int n = pick(r, 1, 2, 2, 2, 2, 3);
        int gf = 1, gb = 1;
        int mode = r.nextInt(10);
        if (mode < 2) gf = pick(r, 2, 3, 4, 5);
        else if (mode < 3) gb = pick(r, 2, 3);
        int ic = pick(r, 1, 1, 2, 3, 4, 5, 8, 9);
        int perGroupOut = pick(r, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17);
        int c = ic * gf;
        int o = perGroupOut * Math.max(gf, gb);
        if (big) gb = 1;
        int batch = big ? pick(r, 32, 33, 47, 64, 70) : pick(r, 1, 1, 2, 3, 5) * gb;
        if (big) o = perGroupOut * gf;
        int maxSide = big ? (n == 1 ? 40 : n == 2 ? 9 : 4) : n == 1 ? 64 : n == 2 ? 23 : 8;
        int[] in = new int[n], k = new int[n], s = new int[n], kd = new int[n], ld = new int[n], lo = new int[n], hi = new int[n];
        for (int i = 0; i < n; i++) {
            in[i] = Math.min(maxSide, SIZES[r.nextInt(SIZES.length)]);
            k[i] = pick(r, 1, 1, 2, 3, 3, 3, 4, 5);
            s[i] = pick(r, 1, 1, 1, 2, 2, 3);
            kd[i] = pick(r, 1, 1, 1, 1, 2, 3);
            ld[i] = pick(r, 1, 1, 1, 1, 2, 3);
            lo[i] = r.nextInt(-2, 4);
            hi[i] = r.nextInt(-2, 4);
        }
        ConvOptions opt = ConvOptions.defaults().withStrides(s).withKernelDilation(kd).withInputDilation(ld)
                .withFeatureGroupSize(gf).withBatchGroupSize(gb);
        int padKind = r.nextInt(10);
        if (padKind < 6) opt = opt.withPadding(Padding.explicit(lo, hi));
        else if (padKind < 8) opt = opt.withPadding(Padding.same());
        else if (padKind < 9) opt = opt.withPadding(Padding.valid());
        else if (!anyNot1(ld)) opt = opt.withPadding(Padding.sameUpper());

        int r2 = n + 2;
        int[] xCanon = concat(batch, c, in), kCanon = concat(o, ic, k);
        int[] ip = null, kp = null, op = null;
        if (r.nextInt(5) == 0) ip = shuffle(r, r2);
        if (r.nextInt(5) == 0) kp = shuffle(r, r2);
        if (r.nextInt(5) == 0) op = shuffle(r, r2);
        if (ip != null) opt = opt.withInputPermutation(ip);
        if (kp != null) opt = opt.withKernelPermutation(kp);
        if (op != null) opt = opt.withOutputPermutation(op);

        DType xt = DType.F32, kt = DType.F32;
        if (types) {
            int tk = r.nextInt(10);
            if (tk == 0) { xt = DType.F16; kt = DType.F16; }
            else if (tk == 1) { xt = DType.BF16; kt = DType.F32; }
            else if (tk == 2) { xt = DType.S32; kt = DType.S32; }
            else if (tk == 3) { xt = DType.U8; kt = DType.S8; }
            else if (tk == 4) { xt = DType.S32; kt = DType.F32; }
            else if (tk == 5) { xt = DType.F64; kt = DType.F32; }
        }
        Tensor xc = values(r.nextLong(), xt, xCanon), kc = values(r.nextLong(), kt, kCanon);
        // Physical tensors: canonical = transpose(physical, perm), so physical = transpose(canonical, argsort(perm)).
        Tensor x = ip == null ? xc : xc.transpose(Canonical.inverse(ip));
        Tensor w = kp == null ? kc : kc.transpose(Canonical.inverse(kp));
        try {
            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), opt);
            if (p.outputShape().size() > (big ? 200_000 : 60_000) || p.macs() > (big ? 6_000_000 : 3_000_000)) return null;
            return new RandomConvCase(seed, x, w, opt, p);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The call of canonical tensors ({@code xc} as NCHW..., {@code kc} as OIHW...) under {@code opt}: both transposed into
     * {@code opt}'s layout when it has one, then planned; null when the plan is refused (an empty output), so that
     * a generator draws again.
     */
    static RandomConvCase inLayout(long seed, Tensor xc, Tensor kc, ConvOptions opt) {
        Tensor x = xc, k = kc;
        if (opt.inputPermutation() != null) {
            x = xc.transpose(Canonical.inverse(opt.inputPermutation()));
            k = kc.transpose(Canonical.inverse(opt.kernelPermutation()));
        }
        try {
            return new RandomConvCase(seed, x, k, opt, ConvPlan.of(x.shape(), x.dtype(), k.shape(), k.dtype(), opt));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A random f32 conv of rank 1 to 3 drawn until {@code accept} takes its plan: up to {@code maxBatch} images and 6 input
     * channels, output channels up to 9 or (half the time) up to {@code maxOut}, sides up to {@code sides[rank - 1]}, kernels up
     * to {@code maxTaps} per axis, strides up to {@code maxStride}, kernel and input dilation 2 a fifth of the time, padding
     * below {@code maxPad} on either side and now and then a crop of one.
     */
    static RandomConvCase geometric(long seed, int maxBatch, int maxOut, int[] sides, int maxTaps, int maxStride, int maxPad,
                                    java.util.function.Predicate<ConvPlan> accept) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int n = 1 + r.nextInt(3);
            int batch = 1 + r.nextInt(maxBatch), c = 1 + r.nextInt(6), o = 1 + r.nextInt(r.nextBoolean() ? 9 : maxOut);
            int[] in = new int[n], k = new int[n], s = new int[n], kd = new int[n], ld = new int[n], lo = new int[n], hi = new int[n];
            for (int i = 0; i < n; i++) {
                in[i] = 1 + r.nextInt(sides[n - 1]);
                k[i] = 1 + r.nextInt(maxTaps);
                s[i] = 1 + r.nextInt(maxStride);
                kd[i] = r.nextInt(5) == 0 ? 2 : 1;
                ld[i] = r.nextInt(5) == 0 ? 2 : 1;
                lo[i] = r.nextInt(maxPad) - (r.nextInt(6) == 0 ? 1 : 0);
                hi[i] = r.nextInt(maxPad) - (r.nextInt(4) == 0 ? 1 : 0);
            }
            ConvOptions opt = ConvOptions.defaults().withStrides(s).withKernelDilation(kd).withInputDilation(ld).withPadding(Padding.explicit(lo, hi));
            Tensor x = values(r.nextLong(), DType.F32, concat(batch, c, in));
            Tensor w = values(r.nextLong(), DType.F32, concat(o, c, k));
            RandomConvCase rc;
            try {
                rc = inLayout(seed, x, w, opt);
            } catch (IllegalArgumentException empty) {
                continue;
            }
            if (rc != null && accept.test(rc.plan())) return rc;
        }
    }

    static Tensor values(long seed, DType t, int[] shape) {
        if (t.isInteger()) {
            double lo = t.isUnsigned() ? 0 : -9, hi = 10;
            return Tensor.randomUniform(seed, t, lo, hi, shape);
        }
        return Tensor.randomNormal(seed, DType.F64, 0, 1, shape).asType(t);
    }

    private static boolean anyNot1(int[] a) {
        for (int v : a) if (v != 1) return true;
        return false;
    }

    private static int pick(SplittableRandom r, int... values) { return values[r.nextInt(values.length)]; }

    private static int[] shuffle(SplittableRandom r, int len) {
        int[] p = new int[len];
        for (int i = 0; i < len; i++) p[i] = i;
        for (int i = len - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    static int[] concat(int a, int b, int[] rest) {
        int[] out = new int[rest.length + 2];
        out[0] = a; out[1] = b;
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + plan + " perms " + Arrays.toString(plan.inputPermutation()) + Arrays.toString(plan.kernelPermutation())
                + Arrays.toString(plan.outputPermutation());
    }
}
