package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseKernels} with the Vector API: output (or gradient) columns in the lanes, the tail of a row under a mask.
 * Nine taps (3x3, the usual depthwise kernel) have their own loops with the weights and partial sums held in registers.
 */
final class DepthwiseVector implements DepthwiseKernels {
    static final DepthwiseVector INSTANCE = new DepthwiseVector();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseVector() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void taps(float[] src, int sOff, int sPitch, int[] off, float[] w, int wOff, int taps, float[] dst, int dOff, int dPitch, int rows, int n, boolean add) {
        int full = n & -L;
        if (full > 0 && taps >= 9) {
            // whole vectors: nine taps at a time with weights in registers, then the other taps; row tails below (small
            // methods: a large one was refused by C1 and ran without intrinsics)
            int t0 = 0;
            boolean acc = add;
            for (; t0 + 9 <= taps; t0 += 9, acc = true) taps9(src, sOff, sPitch, off, t0, w, wOff + t0, dst, dOff, dPitch, rows, full, acc);
            if (t0 < taps) tapRange(src, sOff, sPitch, off, t0, taps, w, wOff, dst, dOff, dPitch, rows, full, true);
            if (full < n) tail(src, sOff + full, sPitch, off, w, wOff, taps, dst, dOff + full, dPitch, rows, n - full, add);
            return;
        }
        tail(src, sOff, sPitch, off, w, wOff, taps, dst, dOff, dPitch, rows, n, add);
    }

    /** Rows of fewer than L columns (whole rows or row tails): nine taps under one mask per row, else tap by tap. */
    private static void tail(float[] src, int sOff, int sPitch, int[] off, float[] w, int wOff, int taps, float[] dst, int dOff, int dPitch, int rows, int n, boolean add) {
        if (taps == 9 && n < L) taps9Masked(src, sOff, sPitch, off, w, wOff, dst, dOff, dPitch, rows, n, add);
        else tapRange(src, sOff, sPitch, off, 0, taps, w, wOff, dst, dOff, dPitch, rows, n, add);
    }

    /** {@link #taps} with nine taps on {@code n < L} columns: loads without masks (callers keep slack), one masked store per row. */
    private static void taps9Masked(float[] src, int sOff, int sPitch, int[] off, float[] w, int wOff, float[] dst, int dOff, int dPitch, int rows, int n, boolean add) {
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]), w1 = FloatVector.broadcast(S, w[wOff + 1]), w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]), w4 = FloatVector.broadcast(S, w[wOff + 4]), w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]), w7 = FloatVector.broadcast(S, w[wOff + 7]), w8 = FloatVector.broadcast(S, w[wOff + 8]);
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7], o8 = off[8];
        VectorMask<Float> m = S.indexInRange(0, n);
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int b = sOff + r * sPitch, d = dOff + r * dPitch;
            FloatVector a = add ? FloatVector.fromArray(S, dst, d, m) : zero;
            a = FloatVector.fromArray(S, src, b + o0).fma(w0, a);
            a = FloatVector.fromArray(S, src, b + o1).fma(w1, a);
            a = FloatVector.fromArray(S, src, b + o2).fma(w2, a);
            a = FloatVector.fromArray(S, src, b + o3).fma(w3, a);
            a = FloatVector.fromArray(S, src, b + o4).fma(w4, a);
            a = FloatVector.fromArray(S, src, b + o5).fma(w5, a);
            a = FloatVector.fromArray(S, src, b + o6).fma(w6, a);
            a = FloatVector.fromArray(S, src, b + o7).fma(w7, a);
            a = FloatVector.fromArray(S, src, b + o8).fma(w8, a);
            a.intoArray(dst, d, m);
        }
    }

    /** {@link #taps} over taps {@code [t0, t1)}, weight broadcast per tap. */
    private static void tapRange(float[] src, int sOff, int sPitch, int[] off, int t0, int t1, float[] w, int wOff, float[] dst, int dOff, int dPitch, int rows, int n, boolean add) {
        int full = n & -L;
        VectorMask<Float> m = S.indexInRange(full, n);
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int s = sOff + r * sPitch, d = dOff + r * dPitch;
            for (int i = 0; i < full; i += L) {
                FloatVector a = add ? FloatVector.fromArray(S, dst, d + i) : zero;
                for (int t = t0; t < t1; t++) a = FloatVector.fromArray(S, src, s + off[t] + i).fma(FloatVector.broadcast(S, w[wOff + t]), a);
                a.intoArray(dst, d + i);
            }
            if (full < n) {
                FloatVector a = add ? FloatVector.fromArray(S, dst, d + full, m) : zero;
                for (int t = t0; t < t1; t++) a = FloatVector.fromArray(S, src, s + off[t] + full).fma(FloatVector.broadcast(S, w[wOff + t]), a);
                a.intoArray(dst, d + full, m);
            }
        }
    }

    /** {@link #taps} with nine taps on {@code n} columns, a multiple of L. */
    private static void taps9(float[] src, int sOff, int sPitch, int[] off, int oi, float[] w, int wOff, float[] dst, int dOff, int dPitch, int rows, int n, boolean add) {
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]), w1 = FloatVector.broadcast(S, w[wOff + 1]), w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]), w4 = FloatVector.broadcast(S, w[wOff + 4]), w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]), w7 = FloatVector.broadcast(S, w[wOff + 7]), w8 = FloatVector.broadcast(S, w[wOff + 8]);
        int o0 = off[oi], o1 = off[oi + 1], o2 = off[oi + 2], o3 = off[oi + 3], o4 = off[oi + 4], o5 = off[oi + 5], o6 = off[oi + 6], o7 = off[oi + 7], o8 = off[oi + 8];
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int s = sOff + r * sPitch, d = dOff + r * dPitch;
            for (int i = 0; i < n; i += L) {
                FloatVector a = add ? FloatVector.fromArray(S, dst, d + i) : zero;
                int b = s + i;
                a = FloatVector.fromArray(S, src, b + o0).fma(w0, a);
                a = FloatVector.fromArray(S, src, b + o1).fma(w1, a);
                a = FloatVector.fromArray(S, src, b + o2).fma(w2, a);
                a = FloatVector.fromArray(S, src, b + o3).fma(w3, a);
                a = FloatVector.fromArray(S, src, b + o4).fma(w4, a);
                a = FloatVector.fromArray(S, src, b + o5).fma(w5, a);
                a = FloatVector.fromArray(S, src, b + o6).fma(w6, a);
                a = FloatVector.fromArray(S, src, b + o7).fma(w7, a);
                a = FloatVector.fromArray(S, src, b + o8).fma(w8, a);
                a.intoArray(dst, d + i);
            }
        }
    }

    @Override
    public void dots(float[] g, int gOff, int gPitch, float[] src, int sOff, int sPitch, int[] off, int taps, int rows, int n, float[] acc, int aOff) {
        int full = n & -L, t0 = 0;
        if (full > 0) {
            // whole vectors: nine taps at a time (one read of g for nine partial sums), then the other taps; row tails below
            for (; t0 + 9 <= taps; t0 += 9) dots9(g, gOff, gPitch, src, sOff, sPitch, off, t0, rows, full, acc, aOff + t0 * L);
            if (t0 < taps) dotRange(g, gOff, gPitch, src, sOff, sPitch, off, t0, taps, rows, full, acc, aOff);
            if (full < n) dotRange(g, gOff + full, gPitch, src, sOff + full, sPitch, off, 0, taps, rows, n - full, acc, aOff);
            return;
        }
        dotRange(g, gOff, gPitch, src, sOff, sPitch, off, 0, taps, rows, n, acc, aOff);
    }

    /** {@link #dots} over taps {@code [t0, t1)}, one tap at a time. */
    private static void dotRange(float[] g, int gOff, int gPitch, float[] src, int sOff, int sPitch, int[] off, int t0, int t1, int rows, int n, float[] acc, int aOff) {
        int full = n & -L;
        VectorMask<Float> m = S.indexInRange(full, n);
        for (int t = t0; t < t1; t++) {
            FloatVector a = FloatVector.fromArray(S, acc, aOff + t * L);
            for (int r = 0; r < rows; r++) {
                int gr = gOff + r * gPitch, s = sOff + r * sPitch + off[t];
                for (int i = 0; i < full; i += L) a = FloatVector.fromArray(S, g, gr + i).fma(FloatVector.fromArray(S, src, s + i), a);
                if (full < n) a = FloatVector.fromArray(S, g, gr + full, m).fma(FloatVector.fromArray(S, src, s + full, m), a);
            }
            a.intoArray(acc, aOff + t * L);
        }
    }

    /** {@link #dots} with nine taps on {@code n} columns, a multiple of L. */
    private static void dots9(float[] g, int gOff, int gPitch, float[] src, int sOff, int sPitch, int[] off, int oi, int rows, int n, float[] acc, int aOff) {
        int o0 = off[oi], o1 = off[oi + 1], o2 = off[oi + 2], o3 = off[oi + 3], o4 = off[oi + 4], o5 = off[oi + 5], o6 = off[oi + 6], o7 = off[oi + 7], o8 = off[oi + 8];
        FloatVector a0 = FloatVector.fromArray(S, acc, aOff), a1 = FloatVector.fromArray(S, acc, aOff + L), a2 = FloatVector.fromArray(S, acc, aOff + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, acc, aOff + 3 * L), a4 = FloatVector.fromArray(S, acc, aOff + 4 * L), a5 = FloatVector.fromArray(S, acc, aOff + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, acc, aOff + 6 * L), a7 = FloatVector.fromArray(S, acc, aOff + 7 * L), a8 = FloatVector.fromArray(S, acc, aOff + 8 * L);
        int full = n;
        for (int r = 0; r < rows; r++) {
            int gr = gOff + r * gPitch, s = sOff + r * sPitch;
            for (int i = 0; i < full; i += L) {
                FloatVector gv = FloatVector.fromArray(S, g, gr + i);
                int b = s + i;
                a0 = gv.fma(FloatVector.fromArray(S, src, b + o0), a0);
                a1 = gv.fma(FloatVector.fromArray(S, src, b + o1), a1);
                a2 = gv.fma(FloatVector.fromArray(S, src, b + o2), a2);
                a3 = gv.fma(FloatVector.fromArray(S, src, b + o3), a3);
                a4 = gv.fma(FloatVector.fromArray(S, src, b + o4), a4);
                a5 = gv.fma(FloatVector.fromArray(S, src, b + o5), a5);
                a6 = gv.fma(FloatVector.fromArray(S, src, b + o6), a6);
                a7 = gv.fma(FloatVector.fromArray(S, src, b + o7), a7);
                a8 = gv.fma(FloatVector.fromArray(S, src, b + o8), a8);
            }
        }
        a0.intoArray(acc, aOff); a1.intoArray(acc, aOff + L); a2.intoArray(acc, aOff + 2 * L);
        a3.intoArray(acc, aOff + 3 * L); a4.intoArray(acc, aOff + 4 * L); a5.intoArray(acc, aOff + 5 * L);
        a6.intoArray(acc, aOff + 6 * L); a7.intoArray(acc, aOff + 7 * L); a8.intoArray(acc, aOff + 8 * L);
    }

    private static final FloatVector EVEN = indices(l -> 2 * l), ODD = indices(l -> 2 * l + 1);
    /** Lane {@code l} of a merged row starting at an even (odd) {@code u}: phase {@code (p + l) & 1}, element {@code (p + l) >> 1}. */
    private static final FloatVector MERGE_EVEN = indices(l -> (l & 1) * L + (l >> 1)), MERGE_ODD = indices(l -> ((l + 1) & 1) * L + ((l + 1) >> 1));

    private static FloatVector indices(java.util.function.IntUnaryOperator f) {
        float[] a = new float[L];
        for (int l = 0; l < L; l++) a[l] = f.applyAsInt(l);
        return FloatVector.fromArray(S, a, 0);
    }

    @Override
    public void splitRows(float[] x, int xr, int xStep, int rows, int w, int s, int lo, float[] dst, int d, int dStep, int phaseStride, int pitch, float pad, int[] cols) {
        if (s > 2) {
            DepthwiseScalar.INSTANCE.splitRows(x, xr, xStep, rows, w, s, lo, dst, d, dStep, phaseStride, pitch, pad, cols);
            return;
        }
        int reach = s * ((pitch + L - 1) / L) * L;
        int a0 = cols[0], b0 = cols[1], a1 = s == 2 ? cols[2] : 0, b1 = s == 2 ? cols[3] : 0;
        for (int r = 0; r < rows; r++) {
            int first = xr + r * xStep - lo, dr = d + r * dStep;
            if (first < 0 || first + reach > x.length) {
                DepthwiseScalar.INSTANCE.splitRow(x, xr + r * xStep, w, s, lo, dst, dr, phaseStride, pitch, pad);
                continue;
            }
            // whole vectors, without masks: they read past the row's ends and write up to L-1 floats past the pitch (the
            // caller's next row or gap); then the columns outside the row are set to the pad value
            if (s == 1) {
                for (int i0 = 0; i0 < pitch; i0 += L) FloatVector.fromArray(S, x, first + i0).intoArray(dst, dr + i0);
            } else {
                for (int i0 = 0; i0 < pitch; i0 += L) {
                    FloatVector a = FloatVector.fromArray(S, x, first + 2 * i0), c = FloatVector.fromArray(S, x, first + 2 * i0 + L);
                    EVEN.selectFrom(a, c).intoArray(dst, dr + i0);
                    ODD.selectFrom(a, c).intoArray(dst, dr + phaseStride + i0);
                }
                for (int i = 0; i < a1; i++) dst[dr + phaseStride + i] = pad;
                for (int i = b1; i < pitch; i++) dst[dr + phaseStride + i] = pad;
            }
            for (int i = 0; i < a0; i++) dst[dr + i] = pad;
            for (int i = b0; i < pitch; i++) dst[dr + i] = pad;
        }
    }

    @Override
    public void mergeRow2(float[] src, int d0, int d1, float[] dst, int rowOff, int w, int lo, int pitch) {
        int start = Math.max(0, -lo), end = Math.min(w, 2 * pitch - lo), len = end - start;
        if (len <= 0) return;
        // L outputs per step from L/2 + 1 floats of each phase; the permutation depends only on the parity of the first u
        int u = start + lo;
        FloatVector idx = (u & 1) == 0 ? MERGE_EVEN : MERGE_ODD;
        int ix = start;
        for (; ix + L <= end; ix += L, u += L) {
            int h = u >> 1;
            idx.selectFrom(FloatVector.fromArray(S, src, d0 + h), FloatVector.fromArray(S, src, d1 + h)).intoArray(dst, rowOff + ix);
        }
        if (ix < end) {
            int h = u >> 1;
            idx.selectFrom(FloatVector.fromArray(S, src, d0 + h), FloatVector.fromArray(S, src, d1 + h)).intoArray(dst, rowOff + ix, S.indexInRange(ix - start, len));
        }
    }

    @Override
    public float laneSum(float[] acc, int aOff) { return Lanes.sum(FloatVector.fromArray(S, acc, aOff)); }
}
