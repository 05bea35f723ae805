package dev.convolve.ops;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * Max and average pooling in PyTorch's terms ({@code F.max_pool1d/2d/3d}, {@code F.avg_pool1d/2d/3d}) and global
 * pooling, built on the window reductions of {@link Window} (SPEC.md section 4).
 *
 * <p>Input {@code [N, C, S1..Sn]} (or unbatched {@code [C, S1..Sn]}) with n = 1, 2 or 3 given by the kernel's length;
 * output {@code [N, C, Q1..Qn]} where, per axis with {@code DK = dilation * (kernel - 1) + 1}:
 * <ul>
 *   <li>floor mode: {@code Q = (S + 2p - DK) / s + 1};</li>
 *   <li>{@code ceilMode}: {@code Q = ceil((S + 2p - DK) / s) + 1}, minus one when the last window would start at or
 *       beyond {@code S + p} (it must start inside the input or the left padding). The overflow past the right
 *       padding is emulated with extra high padding {@code e = max(0, (Q - 1) s + DK - S - 2p)}.</li>
 * </ul>
 * The stride defaults to the kernel (PyTorch; Nx's window ops default to 1). Padding must be at most half the kernel
 * (PyTorch's rule {@code p <= k / 2}). Max pooling pads with the type's lowest value (-Inf for floats), so padding
 * never wins; average pooling's divisor is, as in PyTorch: {@code divisorOverride} when given; else with
 * {@code countIncludePad} the window clipped to the declared padded extent {@code [-p, S + p)} (so ceil-mode
 * overflow is not counted, a case neither mean of Nx expresses); else the number of real input elements.
 *
 * {@snippet :
 * // probml: 3x3 max pooling with stride 1 over arange(16) as 4x4
 * Tensor x = Tensor.iota(DType.F32, 1, 1, 4, 4);
 * Pool.maxPool(x, Pool.Options.kernel(3, 3).withStride(1));   // [[10, 11], [14, 15]]
 * }
 */
public final class Pool {
    private Pool() {}

    /**
     * PyTorch's pooling arguments. A single value for stride, padding or dilation applies to every spatial axis.
     *
     * @param kernel          window size per spatial axis (its length is the spatial rank, 1 to 3)
     * @param stride          step per axis; null means the kernel size (PyTorch's {@code stride=None})
     * @param padding         implicit padding on both sides of each axis, at most half the kernel
     * @param dilation        spacing of window taps (max pooling only)
     * @param ceilMode        round the output size up (see the class comment)
     * @param countIncludePad average pooling counts padding in the divisor
     * @param divisorOverride if not null, average pooling divides every window sum by this
     */
    public record Options(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean countIncludePad,
                          Integer divisorOverride) {
        public Options {
            if (kernel == null) throw new IllegalArgumentException("pool: a kernel size is required");
            kernel = kernel.clone();
            stride = stride == null ? null : stride.clone();
            padding = padding == null ? new int[] {0} : padding.clone();
            dilation = dilation == null ? new int[] {1} : dilation.clone();
        }

        /** PyTorch's defaults for a kernel: stride = kernel, padding 0, dilation 1, floor mode, countIncludePad. */
        public static Options kernel(int... kernel) { return new Options(kernel, null, null, null, false, true, null); }

        @Override public int[] kernel() { return kernel.clone(); }

        @Override public int[] stride() { return stride == null ? null : stride.clone(); }

        @Override public int[] padding() { return padding.clone(); }

        @Override public int[] dilation() { return dilation.clone(); }

        public Options withStride(int... s) { return new Options(kernel, s, padding, dilation, ceilMode, countIncludePad, divisorOverride); }

        public Options withPadding(int... p) { return new Options(kernel, stride, p, dilation, ceilMode, countIncludePad, divisorOverride); }

        public Options withDilation(int... d) { return new Options(kernel, stride, padding, d, ceilMode, countIncludePad, divisorOverride); }

        public Options withCeilMode(boolean c) { return new Options(kernel, stride, padding, dilation, c, countIncludePad, divisorOverride); }

        public Options withCountIncludePad(boolean c) { return new Options(kernel, stride, padding, dilation, ceilMode, c, divisorOverride); }

        /** Divide every window sum by {@code d} (non-zero) instead of a count. */
        public Options withDivisorOverride(int d) { return new Options(kernel, stride, padding, dilation, ceilMode, countIncludePad, d); }

        @Override
        public String toString() {
            return "kernel=" + Arrays.toString(kernel) + ", stride=" + (stride == null ? "kernel" : Arrays.toString(stride)) + ", padding="
                    + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", ceilMode=" + ceilMode + ", countIncludePad="
                    + countIncludePad + (divisorOverride == null ? "" : ", divisorOverride=" + divisorOverride);
        }
    }

    /**
     * Max pooling: the largest element of every (dilated) window; the type is kept.
     *
     * @throws IllegalArgumentException for a kernel of length other than 1 to 3, an input of the wrong rank, a
     *         non-positive kernel, stride or dilation, negative padding or padding above half the kernel, or an empty
     *         output; the message names the operation, the rule, the input shape and the options
     */
    public static Tensor maxPool(Tensor x, Options o) {
        Geometry g = Geometry.of("max_pool", x, o, true);
        Tensor in = g.unbatched ? x.newAxis(0) : x;
        Tensor y = Window.max(in, g.windowOptions());
        return g.unbatched ? y.squeeze(0) : y;
    }

    /**
     * Average pooling: window sums divided as the class comment says; the result is floating (integers give f32).
     * Dilation is not an option of PyTorch's average pooling and must be 1.
     *
     * @throws IllegalArgumentException as {@link #maxPool}, and for a dilation other than 1 or a zero divisor override
     */
    public static Tensor avgPool(Tensor x, Options o) {
        Geometry g = Geometry.of("avg_pool", x, o, false);
        if (o.divisorOverride() != null && o.divisorOverride() == 0) {
            throw new IllegalArgumentException(g.op + ": divisor override must not be zero, for input " + x.describe() + " and " + o);
        }
        DType ft = x.dtype().toFloating();
        Tensor in = (g.unbatched ? x.newAxis(0) : x).asType(ft);
        Tensor sums = Window.sum(in, g.windowOptions());
        Tensor y;
        if (o.divisorOverride() != null) {
            y = sums.divide((double) o.divisorOverride());
        } else {
            Tensor divisor = Tensor.ones(ft, ones(g.n + 2));
            for (int i = 0; i < g.n; i++) {
                double[] c = new double[g.q[i]];
                for (int q = 0; q < g.q[i]; q++) {
                    int start = q * g.s[i] - g.p[i];
                    int end = Math.min(start + g.k[i], g.size[i] + g.p[i]);
                    c[q] = o.countIncludePad() ? end - start : Math.min(end, g.size[i]) - Math.max(start, 0);
                }
                int[] shape = ones(g.n + 2);
                shape[i + 2] = g.q[i];
                divisor = divisor.multiply(Tensor.fromValues(ft, c, shape));
            }
            y = sums.divide(divisor);
        }
        return g.unbatched ? y.squeeze(0) : y;
    }

    /**
     * Global average pooling (ONNX {@code GlobalAveragePool}, PyTorch {@code adaptive_avg_pool(x, 1)}): the mean over
     * all spatial axes of {@code [N, C, S1..Sn]}, shaped {@code [N, C, 1..1]}; floating.
     *
     * @throws IllegalArgumentException when the input has rank below 3
     */
    public static Tensor globalAvgPool(Tensor x) { return Window.mean(x, globalWindow("global_avg_pool", x)); }

    /**
     * Global max pooling (ONNX {@code GlobalMaxPool}): the maximum over all spatial axes, shaped {@code [N, C, 1..1]};
     * the type is kept.
     *
     * @throws IllegalArgumentException when the input has rank below 3
     */
    public static Tensor globalMaxPool(Tensor x) { return Window.max(x, globalWindow("global_max_pool", x)); }

    private static WindowOptions globalWindow(String op, Tensor x) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException(op + ": expected an input [N, C, S1..Sn] of rank at least 3, got " + x.describe());
        }
        int[] w = x.dims();
        w[0] = 1;
        w[1] = 1;
        return WindowOptions.of(w);
    }

    private static int[] ones(int r) {
        int[] a = new int[r];
        Arrays.fill(a, 1);
        return a;
    }

    /** The resolved per-axis numbers of one pooling call. */
    private record Geometry(String op, int n, boolean unbatched, int[] size, int[] k, int[] s, int[] p, int[] d, int[] extra, int[] q) {

        static Geometry of(String base, Tensor x, Options o, boolean isMax) {
            int n = o.kernel().length;
            String op = base + (n >= 1 && n <= 3 ? n + "d" : "");
            String ctx = "for input " + x.describe() + " and " + o;
            if (n < 1 || n > 3) throw new IllegalArgumentException(op + ": the kernel must have 1, 2 or 3 entries (one per spatial axis), " + ctx);
            if (x.rank() != n + 1 && x.rank() != n + 2) {
                throw new IllegalArgumentException(op + ": expected an input of rank " + (n + 1) + " (unbatched [C, S1..S" + n + "]) or " + (n + 2)
                        + " ([N, C, S1..S" + n + "]), got rank " + x.rank() + ", " + ctx);
            }
            boolean unbatched = x.rank() == n + 1;
            int[] k = o.kernel();
            int[] s = o.stride() == null ? k.clone() : expand(op, "stride", o.stride(), n, ctx);
            int[] p = expand(op, "padding", o.padding(), n, ctx);
            int[] d = expand(op, "dilation", o.dilation(), n, ctx);
            int[] size = Arrays.copyOfRange(x.dims(), x.rank() - n, x.rank());
            for (int i = 0; i < n; i++) {
                if (k[i] < 1) throw new IllegalArgumentException(op + ": kernel size must be positive, got " + Arrays.toString(k) + ", " + ctx);
                if (s[i] < 1) throw new IllegalArgumentException(op + ": stride must be positive, got " + Arrays.toString(s) + ", " + ctx);
                if (d[i] < 1) throw new IllegalArgumentException(op + ": dilation must be positive, got " + Arrays.toString(d) + ", " + ctx);
                if (!isMax && d[i] != 1) throw new IllegalArgumentException(op + ": average pooling has no dilation (PyTorch's avg_pool), got " + Arrays.toString(d) + ", " + ctx);
                if (p[i] < 0 || p[i] > k[i] / 2) {
                    throw new IllegalArgumentException(op + ": padding must be non-negative and at most half the kernel size, but got padding "
                            + p[i] + " for kernel size " + k[i] + " on spatial axis " + i + ", " + ctx);
                }
            }
            int[] q = new int[n], e = new int[n];
            for (int i = 0; i < n; i++) {
                int dk = d[i] * (k[i] - 1) + 1;
                int span = size[i] + 2 * p[i] - dk;
                if (span < 0) {
                    throw new IllegalArgumentException(op + ": the dilated kernel (" + dk + ") is larger than the padded input (" + (size[i] + 2 * p[i])
                            + ") on spatial axis " + i + ", so the output would be empty, " + ctx);
                }
                if (o.ceilMode()) {
                    q[i] = -Math.floorDiv(-span, s[i]) + 1;
                    if ((long) (q[i] - 1) * s[i] >= size[i] + p[i]) q[i]--;
                } else {
                    q[i] = span / s[i] + 1;
                }
                e[i] = Math.max(0, (q[i] - 1) * s[i] + dk - size[i] - 2 * p[i]);
            }
            return new Geometry(op, n, unbatched, size, k, s, p, d, e, q);
        }

        WindowOptions windowOptions() {
            int r = n + 2;
            int[] w = ones(r), st = ones(r), dl = ones(r), lo = new int[r], hi = new int[r];
            for (int i = 0; i < n; i++) {
                w[i + 2] = k[i];
                st[i + 2] = s[i];
                dl[i + 2] = d[i];
                lo[i + 2] = p[i];
                hi[i + 2] = p[i] + extra[i];
            }
            return WindowOptions.of(w).withStrides(AxisValues.of(st)).withWindowDilations(AxisValues.of(dl)).withPadding(Padding.explicit(lo, hi));
        }

        private static int[] expand(String op, String what, int[] v, int n, String ctx) {
            if (v.length == 1) {
                int[] r = new int[n];
                Arrays.fill(r, v[0]);
                return r;
            }
            if (v.length != n) {
                throw new IllegalArgumentException(op + ": " + what + " must have one entry per spatial axis (" + n + ") or be a single number, got "
                        + Arrays.toString(v) + ", " + ctx);
            }
            return v.clone();
        }
    }
}
