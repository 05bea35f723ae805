package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseRowsKernels} with the Vector API: a source row as two masked loads, each tap's gather one two-table
 * permutation ({@code selectFrom}). Kernels three columns wide have their own loops with the index vectors in registers; 3x3
 * kernels with affine row lists ({@link Rows#affine()}) compute their source rows: the forward pass and input gradient with the
 * nine weights in registers (one-vector rows), the kernel gradient one pass per kernel row with its three sums in registers (a
 * method holding all nine sums was given up by C1 and ran without intrinsics). On consecutive source rows the forward pass and
 * input gradient gather each source row once for the three destination rows it reaches ({@link #rows3x3Roll},
 * {@link #rows3x2Roll}).
 */
final class DepthwiseRowsVector implements DepthwiseRowsKernels {
    static final DepthwiseRowsVector INSTANCE = new DepthwiseRowsVector();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseRowsVector() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void rows(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        // (two destination vectors per row, one pass per vector, measured no faster than rows3x2, which reads each source row once)
        if (rl.k1() == 3 && rl.nv() == 1 && consecutive(rl)) rows3x3Roll(rl, src, sOff, srcW, w, wOff, dst, d, dstW, dstH);
        else if (rl.k1() == 3 && rl.affine() != null && rl.nv() == 1) rows3x3(rl, src, sOff, srcW, w, wOff, dst, d, dstW, dstH);
        else if (rl.k1() == 3 && rl.nv() == 1) rows3(rl, src, sOff, srcW, w, wOff, dst, d, dstW, dstH);
        else if (rl.k1() == 3 && consecutive(rl)) rows3x2Roll(rl, src, sOff, srcW, w, wOff, dst, d, dstW, dstH);
        else if (rl.k1() == 3) rows3x2(rl, src, sOff, srcW, w, wOff, dst, d, dstW, dstH);
        else rowsAny(rl, src, sOff, srcW, w, wOff, dst, d, dstW, 0, dstH);
    }

    /** True when a 3-tall kernel's row lists are affine with row step 1 and no dilation: destination row {@code r} reads source rows {@code first + r + j}. */
    private static boolean consecutive(Rows rl) {
        int[] af = rl.affine();
        return af != null && af[0] == 1 && af[2] == 1;
    }

    /** Three kernel columns, one destination vector per row. */
    private static void rows3(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        int[] start = rl.start(), ky = rl.ky(), srcRow = rl.srcRow();
        float[] idx = rl.idx();
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

    /**
     * A 3x3 kernel with affine row lists ({@link Rows#affine()}) and one destination vector per row: the nine weights in registers,
     * source rows computed (a missing one read as zeros), three independent sums per row, no loop over the entries (kept small:
     * C1 gave up on larger methods like it and ran them without intrinsics).
     */
    private static void rows3x3(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        int[] af = rl.affine();
        float[] idx = rl.idx();
        int ra = af[0] * srcW, rc = af[2] * srcW, srcH = af[3];
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW), md = S.indexInRange(0, dstW);
        boolean two = srcW > L;
        FloatVector z = FloatVector.zero(S);
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), i1 = FloatVector.fromArray(S, idx, L), i2 = FloatVector.fromArray(S, idx, 2 * L);
        int b0 = wOff + af[4] * 3, b1 = wOff + af[5] * 3, b2 = wOff + af[6] * 3;
        FloatVector w00 = FloatVector.broadcast(S, w[b0]), w01 = FloatVector.broadcast(S, w[b0 + 1]), w02 = FloatVector.broadcast(S, w[b0 + 2]);
        FloatVector w10 = FloatVector.broadcast(S, w[b1]), w11 = FloatVector.broadcast(S, w[b1 + 1]), w12 = FloatVector.broadcast(S, w[b1 + 2]);
        FloatVector w20 = FloatVector.broadcast(S, w[b2]), w21 = FloatVector.broadcast(S, w[b2 + 1]), w22 = FloatVector.broadcast(S, w[b2 + 2]);
        for (int r = 0, y = af[1], row = sOff + af[1] * srcW; r < dstH; r++, y += af[0], row += ra) {
            boolean in = y >= 0 && y < srcH;
            FloatVector x = in ? FloatVector.fromArray(S, src, row, ma) : z, u = in && two ? FloatVector.fromArray(S, src, row + L, mb) : z;
            FloatVector a = i0.selectFrom(x, u).mul(w00), b = i1.selectFrom(x, u).mul(w01), c = i2.selectFrom(x, u).mul(w02);
            int y1 = y + af[2], row1 = row + rc;
            in = y1 >= 0 && y1 < srcH;
            x = in ? FloatVector.fromArray(S, src, row1, ma) : z;
            u = in && two ? FloatVector.fromArray(S, src, row1 + L, mb) : z;
            a = i0.selectFrom(x, u).fma(w10, a);
            b = i1.selectFrom(x, u).fma(w11, b);
            c = i2.selectFrom(x, u).fma(w12, c);
            int y2 = y1 + af[2], row2 = row1 + rc;
            in = y2 >= 0 && y2 < srcH;
            x = in ? FloatVector.fromArray(S, src, row2, ma) : z;
            u = in && two ? FloatVector.fromArray(S, src, row2 + L, mb) : z;
            a = i0.selectFrom(x, u).fma(w20, a);
            b = i1.selectFrom(x, u).fma(w21, b);
            c = i2.selectFrom(x, u).fma(w22, c);
            a.add(b).add(c).intoArray(dst, d + r * dstW, md);
        }
    }

    /**
     * {@link #rows3x3} for consecutive source rows (row step 1, no dilation): each source row is gathered once (three
     * permutations, not nine per destination row) and added to the three destination rows it reaches, whose sums roll
     * through three registers; a destination row is stored when its last source row is in, as a whole vector where that
     * stays inside the plane (the lanes past the row fall on the next rows, which are written after), else under a mask.
     * Sums per destination row in the order of the kernel rows.
     */
    private static void rows3x3Roll(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        int[] af = rl.affine();
        float[] idx = rl.idx();
        int first = af[1], srcH = af[3];
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW), md = S.indexInRange(0, dstW);
        boolean two = srcW > L;
        FloatVector z = FloatVector.zero(S);
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), i1 = FloatVector.fromArray(S, idx, L), i2 = FloatVector.fromArray(S, idx, 2 * L);
        int b0 = wOff + af[4] * 3, b1 = wOff + af[5] * 3, b2 = wOff + af[6] * 3;
        FloatVector w00 = FloatVector.broadcast(S, w[b0]), w01 = FloatVector.broadcast(S, w[b0 + 1]), w02 = FloatVector.broadcast(S, w[b0 + 2]);
        FloatVector w10 = FloatVector.broadcast(S, w[b1]), w11 = FloatVector.broadcast(S, w[b1 + 1]), w12 = FloatVector.broadcast(S, w[b1 + 2]);
        FloatVector w20 = FloatVector.broadcast(S, w[b2]), w21 = FloatVector.broadcast(S, w[b2 + 1]), w22 = FloatVector.broadcast(S, w[b2 + 2]);
        // at source row t (y = first + t): old = destination row t - 2 (kernel row 2), mid = t - 1 (kernel row 1), new = t (kernel row 0)
        FloatVector old = z, mid = z;
        for (int t = 0, y = first; t < dstH + 2; t++, y++) {
            FloatVector fresh = z;
            if (y >= 0 && y < srcH) {
                int row = sOff + y * srcW;
                FloatVector x = FloatVector.fromArray(S, src, row, ma), u = two ? FloatVector.fromArray(S, src, row + L, mb) : z;
                FloatVector g0 = i0.selectFrom(x, u), g1 = i1.selectFrom(x, u), g2 = i2.selectFrom(x, u);
                old = g2.fma(w22, g1.fma(w21, g0.fma(w20, old)));
                mid = g2.fma(w12, g1.fma(w11, g0.fma(w10, mid)));
                fresh = g2.fma(w02, g1.fma(w01, g0.mul(w00)));
            }
            int r = t - 2;
            if (r >= 0) {
                if (r * dstW + L <= dstH * dstW) old.intoArray(dst, d + r * dstW);
                else old.intoArray(dst, d + r * dstW, md);
            }
            old = mid;
            mid = fresh;
        }
    }

    @Override
    public void rowsOuts(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, int taps, int outs, float[] dst, int d, int dstPlane, int dstW, int dstH) {
        if (rl.k1() == 3 && rl.affine() != null && rl.nv() == 1) rowsOuts3x3(rl, src, sOff, srcW, w, wOff, taps, outs, dst, d, dstPlane, dstW, dstH);
        else DepthwiseRowsKernels.super.rowsOuts(rl, src, sOff, srcW, w, wOff, taps, outs, dst, d, dstPlane, dstW, dstH);
    }

    /**
     * {@link #rows3x3} for {@code outs} destination planes: each destination row's nine gathered source vectors stay in
     * registers while every plane's weights (broadcast from memory) multiply them, summed in the order of {@link #rows3x3}.
     */
    private static void rowsOuts3x3(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, int taps, int outs, float[] dst, int d, int dstPlane, int dstW, int dstH) {
        int[] af = rl.affine();
        float[] idx = rl.idx();
        int ra = af[0] * srcW, rc = af[2] * srcW, srcH = af[3];
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW), md = S.indexInRange(0, dstW);
        boolean two = srcW > L;
        FloatVector z = FloatVector.zero(S);
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), i1 = FloatVector.fromArray(S, idx, L), i2 = FloatVector.fromArray(S, idx, 2 * L);
        int k0 = af[4] * 3, k1 = af[5] * 3, k2 = af[6] * 3;
        for (int r = 0, y = af[1], row = sOff + af[1] * srcW; r < dstH; r++, y += af[0], row += ra) {
            boolean in = y >= 0 && y < srcH;
            FloatVector x = in ? FloatVector.fromArray(S, src, row, ma) : z, u = in && two ? FloatVector.fromArray(S, src, row + L, mb) : z;
            FloatVector g00 = i0.selectFrom(x, u), g01 = i1.selectFrom(x, u), g02 = i2.selectFrom(x, u);
            int y1 = y + af[2], row1 = row + rc;
            in = y1 >= 0 && y1 < srcH;
            x = in ? FloatVector.fromArray(S, src, row1, ma) : z;
            u = in && two ? FloatVector.fromArray(S, src, row1 + L, mb) : z;
            FloatVector g10 = i0.selectFrom(x, u), g11 = i1.selectFrom(x, u), g12 = i2.selectFrom(x, u);
            int y2 = y1 + af[2], row2 = row1 + rc;
            in = y2 >= 0 && y2 < srcH;
            x = in ? FloatVector.fromArray(S, src, row2, ma) : z;
            u = in && two ? FloatVector.fromArray(S, src, row2 + L, mb) : z;
            FloatVector g20 = i0.selectFrom(x, u), g21 = i1.selectFrom(x, u), g22 = i2.selectFrom(x, u);
            for (int o = 0, wb = wOff, dr = d + r * dstW; o < outs; o++, wb += taps, dr += dstPlane) {
                FloatVector a = g00.mul(w[wb + k0]), b = g01.mul(w[wb + k0 + 1]), c = g02.mul(w[wb + k0 + 2]);
                a = g10.fma(FloatVector.broadcast(S, w[wb + k1]), a);
                b = g11.fma(FloatVector.broadcast(S, w[wb + k1 + 1]), b);
                c = g12.fma(FloatVector.broadcast(S, w[wb + k1 + 2]), c);
                a = g20.fma(FloatVector.broadcast(S, w[wb + k2]), a);
                b = g21.fma(FloatVector.broadcast(S, w[wb + k2 + 1]), b);
                c = g22.fma(FloatVector.broadcast(S, w[wb + k2 + 2]), c);
                a.add(b).add(c).intoArray(dst, dr, md);
            }
        }
    }

    /** {@link #rows3x3Roll} with two destination vectors per row (rows of {@code L+1} to {@code 2L-1} columns). */
    private static void rows3x2Roll(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        int[] af = rl.affine();
        float[] idx = rl.idx();
        int first = af[1], srcH = af[3];
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW), md = S.indexInRange(L, dstW);
        FloatVector z = FloatVector.zero(S);
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), j0 = FloatVector.fromArray(S, idx, L);
        FloatVector i1 = FloatVector.fromArray(S, idx, 2 * L), j1 = FloatVector.fromArray(S, idx, 3 * L);
        FloatVector i2 = FloatVector.fromArray(S, idx, 4 * L), j2 = FloatVector.fromArray(S, idx, 5 * L);
        int b0 = wOff + af[4] * 3, b1 = wOff + af[5] * 3, b2 = wOff + af[6] * 3;
        FloatVector w00 = FloatVector.broadcast(S, w[b0]), w01 = FloatVector.broadcast(S, w[b0 + 1]), w02 = FloatVector.broadcast(S, w[b0 + 2]);
        FloatVector w10 = FloatVector.broadcast(S, w[b1]), w11 = FloatVector.broadcast(S, w[b1 + 1]), w12 = FloatVector.broadcast(S, w[b1 + 2]);
        FloatVector w20 = FloatVector.broadcast(S, w[b2]), w21 = FloatVector.broadcast(S, w[b2 + 1]), w22 = FloatVector.broadcast(S, w[b2 + 2]);
        FloatVector oldA = z, oldB = z, midA = z, midB = z;
        for (int t = 0, y = first; t < dstH + 2; t++, y++) {
            FloatVector freshA = z, freshB = z;
            if (y >= 0 && y < srcH) {
                int row = sOff + y * srcW;
                FloatVector x = FloatVector.fromArray(S, src, row, ma), u = FloatVector.fromArray(S, src, row + L, mb);
                FloatVector g0 = i0.selectFrom(x, u), g1 = i1.selectFrom(x, u), g2 = i2.selectFrom(x, u);
                FloatVector h0 = j0.selectFrom(x, u), h1 = j1.selectFrom(x, u), h2 = j2.selectFrom(x, u);
                oldA = g2.fma(w22, g1.fma(w21, g0.fma(w20, oldA)));
                oldB = h2.fma(w22, h1.fma(w21, h0.fma(w20, oldB)));
                midA = g2.fma(w12, g1.fma(w11, g0.fma(w10, midA)));
                midB = h2.fma(w12, h1.fma(w11, h0.fma(w10, midB)));
                freshA = g2.fma(w02, g1.fma(w01, g0.mul(w00)));
                freshB = h2.fma(w02, h1.fma(w01, h0.mul(w00)));
            }
            int r = t - 2;
            if (r >= 0) {
                int o = d + r * dstW;
                oldA.intoArray(dst, o);
                if (r * dstW + 2 * L <= dstH * dstW) oldB.intoArray(dst, o + L);
                else oldB.intoArray(dst, o + L, md);
            }
            oldA = midA;
            oldB = midB;
            midA = freshA;
            midB = freshB;
        }
    }

    /** Three kernel columns, two destination vectors per row. */
    private static void rows3x2(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        int[] start = rl.start(), ky = rl.ky(), srcRow = rl.srcRow();
        float[] idx = rl.idx();
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

    /** Rows {@code [r0, r1)} with any number of kernel columns, index vectors loaded per tap. */
    private static void rowsAny(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int r0, int r1) {
        if (r0 >= r1) return;
        int nv = rl.nv(), k1 = rl.k1();
        int[] start = rl.start(), ky = rl.ky(), srcRow = rl.srcRow();
        float[] idx = rl.idx();
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW);
        VectorMask<Float> md = S.indexInRange(0, dstW), me = S.indexInRange(L, dstW);
        boolean two = srcW > L;
        FloatVector zero = FloatVector.zero(S);
        for (int r = r0; r < r1; r++) {
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
    public void dots(Rows rl, float[] g, int gOff, int gW, int gH, float[] x, int xOff, int xW, float[] acc) {
        if (rl.k1() != 3 || rl.affine() == null) {
            dotsAny(rl, g, gOff, gW, x, xOff, xW, acc, 0, gH);
            return;
        }
        for (int v = 0; v < rl.nv(); v++) {
            for (int j = 0; j < 3; j++) dots3Affine(rl, v, j, g, gOff, gW, gH, x, xOff, xW, acc);
        }
    }

    /**
     * Affine row lists ({@link Rows#affine()}), gradient vector {@code v}, kernel row entry {@code j}: over all gradient rows whose
     * source row lies inside, the three sums of that kernel row in registers.
     */
    private static void dots3Affine(Rows rl, int v, int j, float[] g, int gOff, int gW, int gH, float[] x, int xOff, int xW, float[] acc) {
        int nv = rl.nv(), width = nv * L;
        int[] af = rl.affine();
        float[] idx = rl.idx();
        VectorMask<Float> ma = S.indexInRange(0, xW), mb = S.indexInRange(L, xW), mg = S.indexInRange(v * L, gW);
        boolean two = xW > L;
        FloatVector zero = FloatVector.zero(S);
        FloatVector i0 = FloatVector.fromArray(S, idx, v * L), i1 = FloatVector.fromArray(S, idx, (nv + v) * L), i2 = FloatVector.fromArray(S, idx, (2 * nv + v) * L);
        int a = af[4 + j] * 3 * width + v * L, srcH = af[3];
        FloatVector c0 = FloatVector.fromArray(S, acc, a), c1 = FloatVector.fromArray(S, acc, a + width), c2 = FloatVector.fromArray(S, acc, a + 2 * width);
        for (int r = 0, y = af[1] + j * af[2]; r < gH; r++, y += af[0]) {
            if (y < 0 || y >= srcH) continue;
            int row = xOff + y * xW;
            FloatVector gv = FloatVector.fromArray(S, g, gOff + r * gW + v * L, mg);
            FloatVector x0 = FloatVector.fromArray(S, x, row, ma), x1 = two ? FloatVector.fromArray(S, x, row + L, mb) : zero;
            c0 = i0.selectFrom(x0, x1).fma(gv, c0);
            c1 = i1.selectFrom(x0, x1).fma(gv, c1);
            c2 = i2.selectFrom(x0, x1).fma(gv, c2);
        }
        c0.intoArray(acc, a);
        c1.intoArray(acc, a + width);
        c2.intoArray(acc, a + 2 * width);
    }

    /** Rows {@code [r0, r1)} of {@link #dots} with any number of kernel columns, sums loaded and stored per tap. */
    private static void dotsAny(Rows rl, float[] g, int gOff, int gW, float[] x, int xOff, int xW, float[] acc, int r0, int r1) {
        if (r0 >= r1) return;
        int nv = rl.nv(), k1 = rl.k1(), width = nv * L;
        int[] start = rl.start(), ky = rl.ky(), srcRow = rl.srcRow();
        float[] idx = rl.idx();
        VectorMask<Float> ma = S.indexInRange(0, xW), mb = S.indexInRange(L, xW);
        VectorMask<Float> mg = S.indexInRange(0, gW), mh = S.indexInRange(L, gW);
        boolean two = xW > L;
        FloatVector zero = FloatVector.zero(S);
        for (int r = r0; r < r1; r++) {
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
