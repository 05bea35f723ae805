package dev.convolve.testing;

import dev.convolve.ops.PadMode;
import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Independent oracles for {@code pad} and {@code pad_outer}. {@link #pad} follows SPEC.md section 1 by its index
 * mapping: output position {@code j} holds input element {@code k} iff {@code j = lo + k * (interior + 1)}, every
 * other position holds the value. {@link #padOuter} builds each padded axis the way {@code numpy.pad} does, by
 * growing the row one reflected / repeated / wrapped chunk at a time, not by a closed formula.
 */
public final class PadOracle {
    private PadOracle() {}

    /** {@code pad} of a tensor already converted to the result type with a value of that type (as a raw one-element storage array). */
    public static Tensor pad(Tensor t, Object valueStorage, PadConfig c) {
        int r = t.rank();
        int[] lo = c.low(), hi = c.high(), in = c.interior();
        int[] dims = t.dims(), out = new int[r];
        for (int i = 0; i < r; i++) out[i] = lo[i] + hi[i] + dims[i] + Math.max(dims[i] - 1, 0) * in[i];
        DType type = t.dtype();
        Object dst = Buffers.allocate(type, Index.size(out));
        int[] st = t.shape().strides();
        int total = Index.size(out);
        int[] idx = new int[r];
        for (int f = 0; f < total; f++) {
            int src = 0;
            for (int i = 0; i < r && src >= 0; i++) {
                int rel = idx[i] - lo[i];
                int step = in[i] + 1;
                if (rel < 0 || rel % step != 0 || rel / step >= dims[i]) src = -1;
                else src += rel / step * st[i];
            }
            if (src >= 0) System.arraycopy(t.data(), src, dst, f, 1);
            else System.arraycopy(valueStorage, 0, dst, f, 1);
            if (r > 0) Index.next(idx, out);
        }
        return Tensor.wrap(type, Shape.of(out), dst);
    }

    /**
     * For one axis of length {@code n}, the source index of every position of the padded axis, built as numpy.pad
     * builds it: repeatedly extend the current row on the left and on the right by (at most) one period of the mode.
     */
    public static int[] sourceIndices(PadMode mode, int n, int before, int after) {
        List<Integer> row = new ArrayList<>();
        for (int i = 0; i < n; i++) row.add(i);
        int left = before, right = after;
        while (left > 0 || right > 0) {
            List<Integer> cur = new ArrayList<>(row);
            int len = cur.size();
            if (left > 0) {
                List<Integer> chunk = new ArrayList<>();
                switch (mode) {
                    case REPLICATE -> { for (int i = 0; i < left; i++) chunk.add(cur.get(0)); }
                    case CYCLIC -> {
                        // The row is periodic: what precedes it is the end of its first period.
                        int take = Math.min(left, n);
                        for (int i = n - take; i < n; i++) chunk.add(cur.get(i));
                    }
                    case REFLECT -> {
                        int take = Math.min(left, Math.max(n - 1, 0));
                        if (n == 1) take = left;
                        for (int i = take; i >= 1; i--) chunk.add(n == 1 ? cur.get(0) : cur.get(i));
                    }
                    case MIRROR -> {
                        int take = Math.min(left, n);
                        for (int i = take - 1; i >= 0; i--) chunk.add(cur.get(i));
                    }
                    default -> throw new IllegalArgumentException(mode.toString());
                }
                row.addAll(0, chunk);
                left -= chunk.size();
            }
            cur = new ArrayList<>(row);
            len = cur.size();
            if (right > 0) {
                List<Integer> chunk = new ArrayList<>();
                switch (mode) {
                    case REPLICATE -> { for (int i = 0; i < right; i++) chunk.add(cur.get(len - 1)); }
                    case CYCLIC -> {
                        // What follows the row is the start of its last period.
                        int take = Math.min(right, n);
                        for (int i = 0; i < take; i++) chunk.add(cur.get(len - n + i));
                    }
                    case REFLECT -> {
                        int take = n == 1 ? right : Math.min(right, n - 1);
                        for (int i = 1; i <= take; i++) chunk.add(n == 1 ? cur.get(len - 1) : cur.get(len - 1 - i));
                    }
                    case MIRROR -> {
                        int take = Math.min(right, n);
                        for (int i = 0; i < take; i++) chunk.add(cur.get(len - 1 - i));
                    }
                    default -> throw new IllegalArgumentException(mode.toString());
                }
                row.addAll(chunk);
                right -= chunk.size();
            }
        }
        return row.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code pad_outer} with a mode (non-negative widths), by {@link #sourceIndices} per axis. */
    public static Tensor padOuter(Tensor t, PadMode mode, int[] before, int[] after) {
        int r = t.rank();
        int[][] src = new int[r][];
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            src[i] = sourceIndices(mode, t.dim(i), before[i], after[i]);
            out[i] = src[i].length;
        }
        int[] st = t.shape().strides();
        Object dst = Buffers.allocate(t.dtype(), Index.size(out));
        int[] idx = new int[r];
        int total = Index.size(out);
        for (int f = 0; f < total; f++) {
            int off = 0;
            for (int i = 0; i < r; i++) off += src[i][idx[i]] * st[i];
            System.arraycopy(t.data(), off, dst, f, 1);
            if (r > 0) Index.next(idx, out);
        }
        return Tensor.wrap(t.dtype(), Shape.of(out), dst);
    }
}
