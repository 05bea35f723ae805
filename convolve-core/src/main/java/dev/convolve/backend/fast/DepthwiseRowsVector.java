package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseRowsKernels} with the Vector API: a source row as two masked loads, each tap's gather one two-table
 * permutation ({@code selectFrom}), rows of three kernel columns with their index vectors held in registers.
 */
final class DepthwiseRowsVector implements DepthwiseRowsKernels {
    static final DepthwiseRowsVector INSTANCE = new DepthwiseRowsVector();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseRowsVector() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void rows(float[] src, int sOff, int srcW, float[] idx, int nv, int k1, int[] start, int[] ky, int[] srcRow,
                     float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        if (k1 == 3 && nv == 1) rows3(src, sOff, srcW, idx, start, ky, srcRow, w, wOff, dst, d, dstW, dstH);
        else if (k1 == 3) rows3x2(src, sOff, srcW, idx, start, ky, srcRow, w, wOff, dst, d, dstW, dstH);
        else rowsAny(src, sOff, srcW, idx, nv, k1, start, ky, srcRow, w, wOff, dst, d, dstW, dstH);
    }

    /** Three kernel columns, one destination vector per row. */
    private static void rows3(float[] src, int sOff, int srcW, float[] idx, int[] start, int[] ky, int[] srcRow,
                              float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW), md = S.indexInRange(0, dstW);
        boolean two = srcW > L;
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), i1 = FloatVector.fromArray(S, idx, L), i2 = FloatVector.fromArray(S, idx, 2 * L);
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < dstH; r++) {
            FloatVector a = zero;
            for (int e = start[r], end = start[r + 1]; e < end; e++) {
                int row = sOff + srcRow[e] * srcW, wb = wOff + ky[e] * 3;
                FloatVector x0 = FloatVector.fromArray(S, src, row, ma), x1 = two ? FloatVector.fromArray(S, src, row + L, mb) : zero;
                a = i0.selectFrom(x0, x1).fma(FloatVector.broadcast(S, w[wb]), a);
                a = i1.selectFrom(x0, x1).fma(FloatVector.broadcast(S, w[wb + 1]), a);
                a = i2.selectFrom(x0, x1).fma(FloatVector.broadcast(S, w[wb + 2]), a);
            }
            a.intoArray(dst, d + r * dstW, md);
        }
    }

    /** Three kernel columns, two destination vectors per row. */
    private static void rows3x2(float[] src, int sOff, int srcW, float[] idx, int[] start, int[] ky, int[] srcRow,
                                float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW), md = S.indexInRange(L, dstW);
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), j0 = FloatVector.fromArray(S, idx, L);
        FloatVector i1 = FloatVector.fromArray(S, idx, 2 * L), j1 = FloatVector.fromArray(S, idx, 3 * L);
        FloatVector i2 = FloatVector.fromArray(S, idx, 4 * L), j2 = FloatVector.fromArray(S, idx, 5 * L);
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < dstH; r++) {
            FloatVector a = zero, b = zero;
            for (int e = start[r], end = start[r + 1]; e < end; e++) {
                int row = sOff + srcRow[e] * srcW, wb = wOff + ky[e] * 3;
                FloatVector x0 = FloatVector.fromArray(S, src, row, ma), x1 = FloatVector.fromArray(S, src, row + L, mb);
                FloatVector v0 = FloatVector.broadcast(S, w[wb]), v1 = FloatVector.broadcast(S, w[wb + 1]), v2 = FloatVector.broadcast(S, w[wb + 2]);
                a = i0.selectFrom(x0, x1).fma(v0, a);
                b = j0.selectFrom(x0, x1).fma(v0, b);
                a = i1.selectFrom(x0, x1).fma(v1, a);
                b = j1.selectFrom(x0, x1).fma(v1, b);
                a = i2.selectFrom(x0, x1).fma(v2, a);
                b = j2.selectFrom(x0, x1).fma(v2, b);
            }
            int o = d + r * dstW;
            a.intoArray(dst, o);
            b.intoArray(dst, o + L, md);
        }
    }

    /** Any number of kernel columns, one or two destination vectors per row, index vectors loaded per tap. */
    private static void rowsAny(float[] src, int sOff, int srcW, float[] idx, int nv, int k1, int[] start, int[] ky, int[] srcRow,
                                float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW);
        VectorMask<Float> md = S.indexInRange(0, dstW), me = S.indexInRange(L, dstW);
        boolean two = srcW > L;
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < dstH; r++) {
            FloatVector a = zero, b = zero;
            for (int e = start[r], end = start[r + 1]; e < end; e++) {
                int row = sOff + srcRow[e] * srcW, wb = wOff + ky[e] * k1;
                FloatVector x0 = FloatVector.fromArray(S, src, row, ma), x1 = two ? FloatVector.fromArray(S, src, row + L, mb) : zero;
                for (int kx = 0; kx < k1; kx++) {
                    FloatVector v = FloatVector.broadcast(S, w[wb + kx]);
                    a = FloatVector.fromArray(S, idx, kx * nv * L).selectFrom(x0, x1).fma(v, a);
                    if (nv == 2) b = FloatVector.fromArray(S, idx, (kx * 2 + 1) * L).selectFrom(x0, x1).fma(v, b);
                }
            }
            int o = d + r * dstW;
            if (nv == 1) {
                a.intoArray(dst, o, md);
            } else {
                a.intoArray(dst, o);
                b.intoArray(dst, o + L, me);
            }
        }
    }

    @Override
    public void dots(float[] g, int gOff, int gW, int gH, float[] x, int xOff, int xW, float[] idx, int nv, int k1, int[] start, int[] ky,
                     int[] srcRow, float[] acc) {
        VectorMask<Float> ma = S.indexInRange(0, xW), mb = S.indexInRange(L, xW);
        VectorMask<Float> mg = S.indexInRange(0, gW), mh = S.indexInRange(L, gW);
        boolean two = xW > L;
        FloatVector zero = FloatVector.zero(S);
        int width = nv * L;
        for (int r = 0; r < gH; r++) {
            int gr = gOff + r * gW;
            FloatVector g0 = FloatVector.fromArray(S, g, gr, mg), g1 = nv == 2 ? FloatVector.fromArray(S, g, gr + L, mh) : zero;
            for (int e = start[r], end = start[r + 1]; e < end; e++) {
                int row = xOff + srcRow[e] * xW, t0 = ky[e] * k1;
                FloatVector x0 = FloatVector.fromArray(S, x, row, ma), x1 = two ? FloatVector.fromArray(S, x, row + L, mb) : zero;
                for (int kx = 0; kx < k1; kx++) {
                    int a = (t0 + kx) * width;
                    FloatVector.fromArray(S, idx, kx * width).selectFrom(x0, x1).fma(g0, FloatVector.fromArray(S, acc, a)).intoArray(acc, a);
                    if (nv == 2) {
                        FloatVector.fromArray(S, idx, kx * width + L).selectFrom(x0, x1).fma(g1, FloatVector.fromArray(S, acc, a + L)).intoArray(acc, a + L);
                    }
                }
            }
        }
    }
}
