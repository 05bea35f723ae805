package dev.convolve.testing;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * Max and average pooling written the way PyTorch's CPU kernels are ({@code pooling_output_shape} with the
 * {@code + (stride - 1)} ceil trick, then a loop over each window with {@code hstart/hend} clipping), in double
 * precision, for inputs {@code [N, C, S1..Sn]}. An oracle for {@code ops.Pool} that shares nothing with its
 * translation to window reductions.
 */
public final class TorchPoolOracle {
    private TorchPoolOracle() {}

    /** PyTorch's {@code pooling_output_shape}. */
    public static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
        int num = in + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        int out = Math.floorDiv(num, stride) + 1;
        if (ceil && (long) (out - 1) * stride >= in + pad) out--;
        return out;
    }

    /** {@code F.max_pool{n}d}; result in the input's type. */
    public static Tensor maxPool(Tensor x, int[] k, int[] s, int[] p, int[] d, boolean ceil) {
        return pool(x, k, s, p, d, ceil, true, true, null);
    }

    /** {@code F.avg_pool{n}d}; result floating. */
    public static Tensor avgPool(Tensor x, int[] k, int[] s, int[] p, boolean ceil, boolean countIncludePad, Integer divisorOverride) {
        int[] d = new int[k.length];
        java.util.Arrays.fill(d, 1);
        return pool(x, k, s, p, d, ceil, false, countIncludePad, divisorOverride);
    }

    private static Tensor pool(Tensor x, int[] k, int[] s, int[] p, int[] d, boolean ceil, boolean max, boolean cip, Integer div) {
        int n = k.length;
        int[] dims = x.dims();
        int[] out = dims.clone();
        for (int i = 0; i < n; i++) out[i + 2] = outputSize(dims[i + 2], k[i], p[i], s[i], d[i], ceil);
        int total = Index.size(out);
        double[] v = new double[total];
        int[] xs = x.shape().strides();
        int[] idx = new int[out.length];
        for (int f = 0; f < total; f++) {
            int[] start = new int[n], end = new int[n];
            long poolSize = 1, realSize = 1;
            for (int i = 0; i < n; i++) {
                start[i] = idx[i + 2] * s[i] - p[i];
                int hend = Math.min(start[i] + (k[i] - 1) * d[i] + 1, dims[i + 2] + p[i]);
                poolSize *= hend - start[i];
                end[i] = Math.min(hend, dims[i + 2]);
            }
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int[] t = new int[n];
            do {
                int off = idx[0] * xs[0] + idx[1] * xs[1];
                boolean inside = true;
                for (int i = 0; i < n; i++) {
                    int pos = start[i] + t[i] * d[i];
                    if (pos < 0 || pos >= dims[i + 2]) inside = false;
                    else off += pos * xs[i + 2];
                }
                if (!inside) continue;
                double e = x.getFlat(off);
                acc = max ? (Double.isNaN(e) || e > acc ? e : acc) : acc + e;
            } while (Index.next(t, k));
            if (!max) {
                for (int i = 0; i < n; i++) realSize *= end[i] - Math.max(start[i], 0);
                acc /= div != null ? div : cip ? poolSize : realSize;
            }
            v[f] = acc;
            Index.next(idx, out);
        }
        DType t = max ? x.dtype() : x.dtype().toFloating();
        if (t.isInteger()) {
            long[] l = new long[total];
            for (int i = 0; i < total; i++) l[i] = (long) v[i];
            return Values.integers(t, Shape.of(out), l);
        }
        return Values.floats(t, Shape.of(out), v);
    }
}
