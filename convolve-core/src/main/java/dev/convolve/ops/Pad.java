package dev.convolve.ops;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * Nx's {@code pad} (low, high and interior padding per axis with a constant; negative low/high crop) and
 * {@code pad_outer} with the modes reflect, mirror, replicate and cyclic.
 *
 * {@snippet :
 * Pad.pad(Tensor.of(new int[] {1, 2, 3}), 0L, PadConfig.triples(1, 0, 0));   // s32[4] [0, 1, 2, 3]
 * Pad.pad(Tensor.of(new int[] {1, 2, 3}), 5L, PadConfig.triples(0, 2, 0));   // s32[5] [1, 2, 3, 5, 5]
 * }
 */
public final class Pad {
    private Pad() {}

    /**
     * Pads with an integer constant. The result type follows Nx: an integer tensor keeps its type, widened only if
     * the value does not fit; float tensors keep theirs.
     *
     * @throws IllegalArgumentException when the configuration's rank differs from the tensor's, interior padding is
     *         negative, or an axis would get a negative size
     */
    public static Tensor pad(Tensor t, long value, PadConfig config) {
        DType type = DType.mergeNumber(t.dtype(), value);
        return padConstant(t.asType(type), Tensor.full(value, type), config);
    }

    /** Pads with a float constant: integer tensors become f32 (Nx's rule), float tensors keep their type. */
    public static Tensor pad(Tensor t, double value, PadConfig config) {
        DType type = DType.mergeNumber(t.dtype(), value);
        return padConstant(t.asType(type), Tensor.full(value, type), config);
    }

    /** Pads with the value of a scalar tensor; the result type is the merge of both types. */
    public static Tensor pad(Tensor t, Tensor value, PadConfig config) {
        if (value.rank() != 0) {
            throw new IllegalArgumentException("pad: padding value must be a scalar and non-vectorized, got " + value.describe());
        }
        DType type = DType.merge(t.dtype(), value.dtype());
        return padConstant(t.asType(type), value.asType(type), config);
    }

    private static Tensor padConstant(Tensor t, Tensor value, PadConfig c) {
        Shape out = c.outputShape(t.shape());
        DType type = t.dtype();
        int r = t.rank();
        if (r == 0) return t; // SPEC 1: the empty configuration of a scalar leaves it as it is
        Object dst = Buffers.allocate(type, out.size());
        Object one = value.data();
        if (!isZero(value)) fill(dst, one);
        if (out.size() == 0 || t.size() == 0) return Tensor.wrap(type, out, dst);
        int[] lo = c.low(), in = c.interior();
        int[] len = t.dims(), os = out.strides(), is = t.shape().strides();
        // Per axis: input elements k in [k0, k1) land at j = lo + k * (interior + 1), inside [0, out).
        int[] k0 = new int[r], cnt = new int[r];
        int srcBase = 0, dstBase = 0;
        int[] dstStep = new int[r];
        for (int i = 0; i < r; i++) {
            int step = in[i] + 1;
            int first = lo[i] >= 0 ? 0 : ceilDiv(-lo[i], step);
            int lastExclusive = len[i];
            // largest k with lo + k*step <= out-1
            int maxK = Math.floorDiv(out.dim(i) - 1 - lo[i], step);
            lastExclusive = Math.min(lastExclusive, maxK + 1);
            k0[i] = first;
            cnt[i] = Math.max(0, lastExclusive - first);
            if (cnt[i] == 0) return Tensor.wrap(type, out, dst);
            srcBase += first * is[i];
            dstBase += (lo[i] + first * step) * os[i];
            dstStep[i] = step * os[i];
        }
        scatter(t.data(), srcBase, is, dst, dstBase, dstStep, cnt);
        return Tensor.wrap(type, out, dst);
    }

    private static boolean isZero(Tensor scalar) {
        double v = scalar.getFlat(0);
        return v == 0 && !(1 / v < 0);
    }

    private static void fill(Object dst, Object one) {
        switch (dst) {
            case float[] a -> java.util.Arrays.fill(a, ((float[]) one)[0]);
            case double[] a -> java.util.Arrays.fill(a, ((double[]) one)[0]);
            case int[] a -> java.util.Arrays.fill(a, ((int[]) one)[0]);
            case long[] a -> java.util.Arrays.fill(a, ((long[]) one)[0]);
            case short[] a -> java.util.Arrays.fill(a, ((short[]) one)[0]);
            case byte[] a -> java.util.Arrays.fill(a, ((byte[]) one)[0]);
            default -> throw new IllegalStateException();
        }
    }

    /** Copies a box of {@code cnt} elements from {@code src} (strides {@code ss}) to {@code dst} (strides {@code ds}). */
    private static void scatter(Object src, int sb, int[] ss, Object dst, int db, int[] ds, int[] cnt) {
        int r = cnt.length;
        int[] idx = new int[r];
        int s = sb, d = db;
        int inner = cnt[r - 1], sIn = ss[r - 1], dIn = ds[r - 1];
        while (true) {
            if (sIn == 1 && dIn == 1) {
                System.arraycopy(src, s, dst, d, inner);
            } else {
                for (int j = 0, ps = s, pd = d; j < inner; j++, ps += sIn, pd += dIn) System.arraycopy(src, ps, dst, pd, 1);
            }
            int k = r - 2;
            while (k >= 0) {
                idx[k]++;
                s += ss[k];
                d += ds[k];
                if (idx[k] < cnt[k]) break;
                s -= ss[k] * cnt[k];
                d -= ds[k] * cnt[k];
                idx[k] = 0;
                k--;
            }
            if (k < 0) return;
        }
    }

    private static int ceilDiv(int a, int b) { return -Math.floorDiv(-a, b); }

    /**
     * Nx's {@code pad_outer} with a mode: {@code low[i]} and {@code high[i]} elements added before and after axis
     * {@code i}, taken from the tensor as {@code mode} says. Widths must be non-negative; {@link PadMode#REFLECT}
     * needs an axis of at least 2 elements when it pads it, and every mode needs a non-empty axis.
     */
    public static Tensor padOuter(Tensor t, PadMode mode, int[] low, int[] high) {
        if (mode == PadMode.CONSTANT) {
            int[] in = new int[low.length];
            return pad(t, 0L, new PadConfig(low, high, in));
        }
        int r = t.rank();
        String ctx = "for shape " + t.shape().toTuple() + ", low " + java.util.Arrays.toString(low) + " and high " + java.util.Arrays.toString(high);
        if (low.length != r || high.length != r) {
            throw new IllegalArgumentException("pad: invalid padding configuration, rank of padding configuration and shape must match, " + ctx);
        }
        int[] od = new int[r];
        int[][] src = new int[r][];
        int[] st = t.shape().strides();
        for (int i = 0; i < r; i++) {
            if (low[i] < 0 || high[i] < 0) {
                throw new IllegalArgumentException("pad: " + mode.name().toLowerCase() + " padding needs non-negative widths, " + ctx);
            }
            int n = t.dim(i);
            if ((low[i] > 0 || high[i] > 0) && n == 0) {
                throw new IllegalArgumentException("pad: cannot " + mode.name().toLowerCase() + "-pad axis " + i + " of size 0, " + ctx);
            }
            od[i] = n + low[i] + high[i];
            src[i] = new int[od[i]];
            for (int j = 0; j < od[i]; j++) src[i][j] = mode.source(j - low[i], n) * st[i];
        }
        Shape out = Shape.of(od);
        Object dst = Buffers.allocate(t.dtype(), out.size());
        Object data = t.data();
        int[] idx = new int[r];
        for (int o = 0; o < out.size(); o++) {
            int off = 0;
            for (int i = 0; i < r; i++) off += src[i][idx[i]];
            System.arraycopy(data, off, dst, o, 1);
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < od[i]) break;
                idx[i] = 0;
            }
        }
        return Tensor.wrap(t.dtype(), out, dst);
    }

    /** {@link #padOuter(Tensor, PadMode, int[], int[])} with low/high pairs from a configuration whose interior is 0. */
    public static Tensor padOuter(Tensor t, PadMode mode, PadConfig config) {
        for (int v : config.interior()) {
            if (v != 0) throw new IllegalArgumentException("pad: interior padding is only defined for a constant, got configuration " + config + " with mode " + mode.name().toLowerCase());
        }
        return padOuter(t, mode, config.low(), config.high());
    }
}
