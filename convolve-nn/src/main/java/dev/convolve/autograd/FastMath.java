package dev.convolve.autograd;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * Tight loops for the reductions back-propagation does all the time (sums over broadcast axes, bias gradients).
 * f32 and f64 are summed in double precision, one accumulator per output element; other types go to {@link Tensor}.
 */
public final class FastMath {
    private FastMath() {}

    /** {@code x.sum(axes, keep)}, fast for f32 and f64. */
    public static Tensor sum(Tensor x, int[] axes, boolean keep) {
        DType t = x.dtype();
        if ((t != DType.F32 && t != DType.F64) || x.rank() == 0) return x.sum(axes, keep);
        Shape s = x.shape();
        int r = s.rank();
        boolean[] red = new boolean[r];
        if (axes.length == 0) java.util.Arrays.fill(red, true);
        for (int a : axes) {
            int na = s.normalizeAxis(a);
            if (red[na] && axes.length > 0) return x.sum(axes, keep); // let Tensor report the repeated axis
            red[na] = true;
        }
        // Collapse runs of adjacent axes that are all reduced or all kept.
        int[] bs = new int[r];
        boolean[] br = new boolean[r];
        int nb = 0;
        for (int i = 0; i < r; i++) {
            if (s.dim(i) == 1) continue;
            if (nb > 0 && br[nb - 1] == red[i]) bs[nb - 1] *= s.dim(i);
            else { bs[nb] = s.dim(i); br[nb] = red[i]; nb++; }
        }
        int[] outDims = new int[r];
        int outSize = 1;
        for (int i = 0; i < r; i++) {
            outDims[i] = red[i] ? 1 : s.dim(i);
            outSize *= outDims[i];
        }
        double[] acc = new double[outSize];
        if (x.size() > 0) {
            if (nb == 0) {
                acc[0] = x.getFlat(0);
            } else {
                accumulate(x.data(), bs, br, nb, acc);
            }
        }
        Object out;
        if (t == DType.F32) {
            float[] o = new float[outSize];
            for (int i = 0; i < outSize; i++) o[i] = (float) acc[i];
            out = o;
        } else {
            out = acc;
        }
        Tensor kept = Tensor.wrap(t, Shape.of(outDims), out);
        if (keep) return kept;
        int c = 0;
        for (boolean b : red) if (!b) c++;
        int[] fin = new int[c];
        for (int i = 0, j = 0; i < r; i++) if (!red[i]) fin[j++] = s.dim(i);
        return kept.reshape(fin);
    }

    private static void accumulate(Object data, int[] bs, boolean[] br, int nb, double[] acc) {
        // Output strides per block (kept blocks only), row-major over kept blocks.
        int[] ostride = new int[nb];
        int st = 1;
        for (int b = nb - 1; b >= 0; b--) {
            if (!br[b]) { ostride[b] = st; st *= bs[b]; }
        }
        int inner = bs[nb - 1];
        boolean innerReduced = br[nb - 1];
        int outer = 1;
        for (int b = 0; b < nb - 1; b++) outer *= bs[b];
        int[] idx = new int[Math.max(nb - 1, 0)];
        int o = 0, in = 0;
        float[] f = data instanceof float[] a ? a : null;
        double[] d = data instanceof double[] a ? a : null;
        for (int k = 0; k < outer; k++) {
            if (innerReduced) {
                double s = 0;
                if (f != null) for (int j = 0; j < inner; j++) s += f[in + j];
                else for (int j = 0; j < inner; j++) s += d[in + j];
                acc[o] += s;
            } else {
                if (f != null) for (int j = 0; j < inner; j++) acc[o + j] += f[in + j];
                else for (int j = 0; j < inner; j++) acc[o + j] += d[in + j];
            }
            in += inner;
            for (int b = nb - 2; b >= 0; b--) {
                idx[b]++;
                o += ostride[b];
                if (idx[b] < bs[b]) break;
                o -= ostride[b] * bs[b];
                idx[b] = 0;
            }
        }
    }

    /** {@code t} broadcast to {@code full} (a copy; {@code t} itself when the shapes agree). */
    public static Tensor broadcast(Tensor t, int[] full) {
        return t.broadcastTo(full);
    }
}
