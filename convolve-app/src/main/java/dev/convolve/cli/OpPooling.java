package dev.convolve.cli;

import dev.convolve.ops.Window;
import dev.convolve.plan.AxisValues;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * PyTorch / ONNX pooling ({@code max_poolNd}, {@code avg_poolNd}, {@code MaxPool}, {@code AveragePool},
 * {@code LpPool}) expressed through Nx's window ops, as SPEC.md section 4 describes: the window is
 * {@code [1, 1, K...]}, the pads become explicit low/high padding, and {@code ceil_mode} becomes extra padding at
 * the end of each axis. Input {@code [N, C, S1..Sn]}, output {@code [N, C, Q1..Qn]}.
 */
final class OpPooling {
    private OpPooling() {}

    /**
     * One pooling call, per spatial axis: kernel size, stride, begin and end padding (non-negative), dilation.
     * {@code countIncludePad} and {@code divisor} (0 for none) only matter for the average.
     */
    record Spec(int[] kernel, int[] strides, int[] padBegin, int[] padEnd, int[] dilations, boolean ceilMode,
                boolean countIncludePad, int divisor) {}

    /** The output size and the extra end padding that emulates ceil mode, per spatial axis. */
    record Geometry(int[] out, int[] extraEnd) {}

    /**
     * Validates {@code s} against an input of shape {@code dims} and computes the output size: floor mode
     * {@code Q = (S + b + e - DK) // s + 1}; ceil mode rounds up but drops a last window that would start in the end
     * padding (PyTorch's and ONNX's rule).
     *
     * @throws IllegalArgumentException naming the rule, the input shape and the options
     */
    static Geometry geometry(String op, int[] dims, DType type, Spec s) {
        String ctx = "for input " + type + Arrays.toString(dims).replace(", ", "][") + " and kernel " + Arrays.toString(s.kernel());
        if (dims.length < 3) {
            throw new IllegalArgumentException(op + ": the input must have rank at least 3, [N, C, S1..Sn], but has rank " + dims.length + ", " + ctx);
        }
        int n = dims.length - 2;
        check(op, "kernel", s.kernel(), n, 1, ctx);
        check(op, "strides", s.strides(), n, 1, ctx);
        check(op, "dilations", s.dilations(), n, 1, ctx);
        check(op, "pads (begin)", s.padBegin(), n, 0, ctx);
        check(op, "pads (end)", s.padEnd(), n, 0, ctx);
        int[] out = new int[n], extra = new int[n];
        for (int i = 0; i < n; i++) {
            int size = dims[i + 2], b = s.padBegin()[i], e = s.padEnd()[i], st = s.strides()[i];
            int dk = (s.kernel()[i] - 1) * s.dilations()[i] + 1;
            int span = size + b + e - dk;
            if (span < 0) {
                throw new IllegalArgumentException(op + ": the kernel must fit in the padded input, but on spatial axis " + i + " the dilated kernel has size "
                        + dk + " and the padded input " + (size + b + e) + " (size " + size + ", pads " + b + ":" + e + "), " + ctx);
            }
            int q = s.ceilMode() ? -Math.floorDiv(-span, st) + 1 : span / st + 1;
            if (s.ceilMode() && (q - 1) * st >= size + b) q--;
            out[i] = q;
            extra[i] = Math.max(0, (q - 1) * st + dk - (size + b + e));
        }
        return new Geometry(out, extra);
    }

    private static void check(String op, String what, int[] v, int n, int min, String ctx) {
        if (v.length != n) {
            throw new IllegalArgumentException(op + ": " + what + " must have one entry per spatial axis (" + n + "), got " + Arrays.toString(v) + ", " + ctx);
        }
        for (int x : v) {
            if (x < min) {
                throw new IllegalArgumentException(op + ": " + what + " must be " + (min == 1 ? "positive" : "non-negative") + ", got " + Arrays.toString(v) + ", " + ctx);
            }
        }
    }

    /** The window options over all axes: window {@code [1, 1, K...]}, padding {@code [b, e + extra]} on spatial axes. */
    static WindowOptions window(Spec s, Geometry g) {
        int n = s.kernel().length;
        int[] w = new int[n + 2], st = new int[n + 2], d = new int[n + 2], lo = new int[n + 2], hi = new int[n + 2];
        w[0] = w[1] = st[0] = st[1] = d[0] = d[1] = 1;
        for (int i = 0; i < n; i++) {
            w[i + 2] = s.kernel()[i];
            st[i + 2] = s.strides()[i];
            d[i + 2] = s.dilations()[i];
            lo[i + 2] = s.padBegin()[i];
            hi[i + 2] = s.padEnd()[i] + g.extraEnd()[i];
        }
        return new WindowOptions(w, AxisValues.of(st), Padding.explicit(lo, hi), AxisValues.of(d), s.countIncludePad());
    }

    /** Max pooling; padding never wins (it is the type's lowest value). The type is kept. */
    static Tensor max(String op, Tensor x, Spec s) {
        Geometry g = geometry(op, x.dims(), x.dtype(), s);
        return Window.max(x, window(s, g));
    }

    /**
     * Average pooling, floating (integers give f32). The divisor is {@code divisor} if set; else, with
     * {@code countIncludePad}, the window positions inside the declared padded extent {@code [-b, S + e)} (PyTorch:
     * a ceil-mode overflow is not counted); else the input elements in the window.
     */
    static Tensor avg(String op, Tensor x, Spec s) {
        Geometry g = geometry(op, x.dims(), x.dtype(), s);
        DType ft = x.dtype().toFloating();
        Tensor xf = x.asType(ft);
        WindowOptions w = window(s, g);
        if (s.divisor() > 0) return Window.sum(xf, w).divide((double) s.divisor()).asType(ft);
        if (!s.countIncludePad()) return Window.mean(xf, w.withCountIncludePad(false));
        return Window.sum(xf, w).divide(declaredCounts(x.dims(), s, g).asType(ft));
    }

    /** Lp pooling (ONNX LpPool): {@code (sum |x|^p)^(1/p)} over each window, zero padding; floating. */
    static Tensor lp(String op, Tensor x, Spec s, double p) {
        if (!(p > 0) || Double.isInfinite(p)) throw new IllegalArgumentException(op + ": p must be a positive number, got " + p);
        Geometry g = geometry(op, x.dims(), x.dtype(), s);
        DType ft = x.dtype().toFloating();
        Tensor xf = x.asType(ft).abs();
        Tensor powered = p == 1 ? xf : p == 2 ? xf.multiply(xf) : xf.pow(p);
        Tensor sums = Window.sum(powered, window(s, g));
        return (p == 1 ? sums : p == 2 ? sums.sqrt() : sums.pow(1.0 / p)).asType(ft);
    }

    /** Per output position, the taps inside {@code [-b, S + e)}; per-axis counts multiply. f64, broadcastable. */
    static Tensor declaredCounts(int[] dims, Spec s, Geometry g) {
        int n = dims.length - 2;
        int[] ones = new int[n + 2];
        Arrays.fill(ones, 1);
        Tensor counts = Tensor.ones(DType.F64, ones);
        for (int i = 0; i < n; i++) {
            int size = dims[i + 2], b = s.padBegin()[i], e = s.padEnd()[i];
            double[] c = new double[g.out()[i]];
            for (int q = 0; q < c.length; q++) {
                for (int t = 0; t < s.kernel()[i]; t++) {
                    int pos = q * s.strides()[i] + t * s.dilations()[i] - b;
                    if (pos >= -b && pos < size + e) c[q]++;
                }
            }
            int[] shape = new int[n + 2];
            Arrays.fill(shape, 1);
            shape[i + 2] = c.length;
            counts = counts.multiply(Tensor.wrap(c, shape));
        }
        return counts;
    }

    /**
     * ONNX MaxPool's {@code Indices}: for each output, the flat index into the whole input of the first largest
     * element of its window (padding excluded), s64. {@code columnMajor} ({@code storage_order = 1}) numbers the
     * spatial positions column-major within each [N, C] plane. An all-padding window gets -1.
     */
    static Tensor maxIndices(String op, Tensor x, Spec s, boolean columnMajor) {
        Geometry g = geometry(op, x.dims(), x.dtype(), s);
        int[] dims = x.dims();
        int n = dims.length - 2;
        int planes = dims[0] * dims[1];
        int plane = 1;
        for (int i = 0; i < n; i++) plane *= dims[i + 2];
        int[] spatialStride = new int[n];
        for (int i = 0, acc = 1; i < n; i++) {
            int axis = columnMajor ? i : n - 1 - i;
            spatialStride[axis] = acc;
            acc *= dims[axis + 2];
        }
        int[] rowStride = new int[n];
        for (int i = n - 1, acc = 1; i >= 0; i--) {
            rowStride[i] = acc;
            acc *= dims[i + 2];
        }
        // taps[i][q] = in-range input positions of output q on axis i, in tap order
        int[][][] taps = new int[n][][];
        for (int i = 0; i < n; i++) {
            taps[i] = new int[g.out()[i]][];
            for (int q = 0; q < g.out()[i]; q++) {
                int[] buf = new int[s.kernel()[i]];
                int m = 0;
                for (int t = 0; t < s.kernel()[i]; t++) {
                    int pos = q * s.strides()[i] + t * s.dilations()[i] - s.padBegin()[i];
                    if (pos >= 0 && pos < dims[i + 2]) buf[m++] = pos;
                }
                taps[i][q] = Arrays.copyOf(buf, m);
            }
        }
        int outPlane = 1;
        for (int v : g.out()) outPlane *= v;
        long[] result = new long[planes * outPlane];
        int[] q = new int[n], t = new int[n];
        for (int p = 0; p < planes; p++) {
            Arrays.fill(q, 0);
            for (int o = 0; o < outPlane; o++) {
                long best = -1;
                double bestValue = 0;
                boolean empty = false;
                for (int i = 0; i < n; i++) if (taps[i][q[i]].length == 0) empty = true;
                if (!empty) {
                    Arrays.fill(t, 0);
                    while (true) {
                        int flat = 0, idx = 0;
                        for (int i = 0; i < n; i++) {
                            int pos = taps[i][q[i]][t[i]];
                            flat += pos * rowStride[i];
                            idx += pos * spatialStride[i];
                        }
                        double v = x.getFlat(p * plane + flat);
                        if (best < 0 || v > bestValue) {
                            best = (long) p * plane + idx;
                            bestValue = v;
                        }
                        int k = n - 1;
                        while (k >= 0 && ++t[k] == taps[k][q[k]].length) t[k--] = 0;
                        if (k < 0) break;
                    }
                }
                result[p * outPlane + o] = best;
                for (int k = n - 1; k >= 0 && ++q[k] == g.out()[k]; k--) q[k] = 0;
            }
        }
        int[] shape = new int[n + 2];
        shape[0] = dims[0];
        shape[1] = dims[1];
        System.arraycopy(g.out(), 0, shape, 2, n);
        return Tensor.fromLongs(result, shape);
    }
}
