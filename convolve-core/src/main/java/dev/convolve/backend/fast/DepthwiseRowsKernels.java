package dev.convolve.backend.fast;

/**
 * The row loops of the row-gather depthwise engine ({@link DepthwiseRows}). A source row of {@code srcW < 2*lanes()} floats is
 * read as (at most) two vectors, zero past {@code srcW}; {@code S(row, i)} below is {@code row[i]} for {@code i < srcW}, else 0.
 * For each kernel column {@code kx} a fixed index vector ({@code idx[kx*nv*lanes() ..]}, {@code nv} = 1 or 2 vectors, values
 * in {@code [0, 2*lanes())}) gathers from it the source column that every destination column reads for that tap (the zero
 * lane where it reads padding, or a column of the wrong stride class), so a whole destination row (up to {@code nv} vectors) is
 * a sum of {@code taps} gathered vectors times broadcast weights: no padded copy, and no row shorter than a vector.
 * Row lists: destination row {@code r} sums over {@code e} in {@code [start[r], start[r+1])} the source row {@code srcRow[e]}
 * with kernel row {@code ky[e]}. Two implementations: {@link DepthwiseRowsVector} and {@link DepthwiseRowsScalar}.
 */
interface DepthwiseRowsKernels {
    /** Floats per vector. */
    int lanes();

    /**
     * The row lists and index vectors of one call: destination row {@code r} sums over {@code e} in {@code [start[r], start[r+1])};
     * {@code idx} holds {@code k1} index vectors of {@code nv} vectors each. {@code affine}, when not null, {@code {a, b, c, srcH, ky0, ky1, ky2}}, says that the lists of a kernel three rows tall are
     * exactly: for row {@code r} and {@code j < 3}, source row {@code a*r + b + c*j} with kernel row {@code ky_j}, listed when
     * it lies in {@code [0, srcH)} (kernels may compute the rows instead of reading the lists).
     */
    record Rows(int[] start, int[] ky, int[] srcRow, float[] idx, int nv, int k1, int[] affine) {}

    /**
     * For {@code r < dstH}, {@code j < dstW} ({@code dstW <= nv*lanes()}):
     * {@code dst[d + r*dstW + j] = sum_e sum_{kx < k1} w[wOff + ky[e]*k1 + kx] * S(src[sOff + srcRow[e]*srcW ..], idx[kx*nv*lanes() + j])}
     * (in any order of the terms, the same for every call with the same row lists).
     */
    void rows(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH);

    /**
     * {@code outs} destination planes from one source plane (a conv with one input channel per group and {@code outs} outputs
     * per group): plane {@code o} at {@code dst[d + o*dstPlane ..]} is {@link #rows} with the weights at {@code wOff + o*taps}.
     * Implementations may gather each source row once for all the planes.
     */
    default void rowsOuts(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, int taps, int outs, float[] dst, int d, int dstPlane, int dstW, int dstH) {
        for (int o = 0; o < outs; o++) rows(rl, src, sOff, srcW, w, wOff + o * taps, dst, d + o * dstPlane, dstW, dstH);
    }

    /**
     * For {@code r < gH}, each {@code e} of row {@code r}, {@code kx < k1}, {@code j < nv*lanes()}:
     * {@code acc[(ky[e]*k1 + kx)*nv*lanes() + j] += G(r, j) * S(x[xOff + srcRow[e]*xW ..], idx[kx*nv*lanes() + j])} with
     * {@code G(r, j) = g[gOff + r*gW + j]} for {@code j < gW}, else 0; rows in ascending order (a fixed order of additions).
     */
    void dots(Rows rl, float[] g, int gOff, int gW, int gH, float[] x, int xOff, int xW, float[] acc);

    /** The kernels that go with {@code k}: vectors unless {@code k} is the scalar fallback, with {@code k}'s lane count. */
    static DepthwiseRowsKernels of(Kernels k) {
        if (!(k instanceof ScalarKernels) && DepthwiseRowsVector.INSTANCE.lanes() == k.lanes()) return DepthwiseRowsVector.INSTANCE;
        return new DepthwiseRowsScalar(k.lanes());
    }
}
