package dev.convolve.backend.fast;

/**
 * The gather of the plane-lanes engine ({@link PlaneLanes}): the rows of one input plane, each read as (at most) two vectors
 * (zero past {@code srcW < 2*lanes()} columns), and for each kernel column {@code s < cols} one fixed index vector
 * ({@code idx[s*lanes() ..]}, values in {@code [0, 2*lanes())}) picks the source column every output column reads through that
 * kernel column (the zero lane {@code 2*lanes() - 1} where it reads padding, and in every lane from {@code dstW} on).
 * {@code S(row, i)} below is {@code row[i]} for {@code i < srcW}, else 0. Two implementations: {@link PlaneLanesVector} and
 * {@link PlaneLanesScalar}.
 */
interface PlaneLanesKernels {
    /** Floats per vector. */
    int lanes();

    /**
     * For every source row {@code y < rows} with {@code rowDst[y] >= 0}, {@code s < cols} and {@code t < dstW}
     * ({@code dstW <= lanes()}): {@code dst[dOff + rowDst[y] + s*sStride + t] = S(src[sOff + y*srcW ..], idx[s*lanes() + t])}.
     * Whole vectors are stored: the {@code lanes() - dstW} floats after each destination row may be overwritten with zeros
     * (callers write rows in ascending order and leave a vector of room after each array).
     */
    void gather(float[] idx, int cols, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff, int dstW);

    /**
     * The gather two destination rows at a time, for rows of at most half a vector read from source rows shorter than a
     * vector: for each pair {@code i < nPairs} ({@code pairs[3i..3i+2] = y0, y1, d}, a source row {@code -1} reading as zeros),
     * {@code s < cols} and {@code t < lanes()}: {@code dst[dOff + d + s*sStride + t] = T(idx[s*lanes() + t])}, where index
     * {@code u < lanes()} is {@code S(src[sOff + y0*srcW ..], u)}, index {@code lanes() + u} is {@code S(src[sOff + y1*srcW ..], u)},
     * and {@code srcW < lanes()} (so lane {@code lanes() - 1} of either row is zero). One permutation and one store per two
     * rows and kernel column, against one each per row.
     */
    void gatherPairs(float[] idx, int cols, float[] src, int sOff, int srcW, int[] pairs, int nPairs, int sStride, float[] dst, int dOff);

    /**
     * Two output phases of column step 2 into whole rows: for {@code r < rows} and {@code x < len} ({@code len <= 2*lanes()}),
     * {@code dst[dOff + r*dStep + x] = x even ? a[aOff + r*aStep + x/2] : b[bOff + r*bStep + x/2]}. May read up to
     * {@code lanes()} floats from each source row's start; stores only those {@code len} floats.
     */
    void interleave(float[] a, int aOff, int aStep, float[] b, int bOff, int bStep, int rows, float[] dst, int dOff, int dStep, int len);

    /** The kernels that go with {@code k}: vectors unless {@code k} is the scalar fallback, with {@code k}'s lane count. */
    static PlaneLanesKernels of(Kernels k) {
        if (!(k instanceof ScalarKernels) && PlaneLanesVector.INSTANCE.lanes() == k.lanes()) return PlaneLanesVector.INSTANCE;
        return new PlaneLanesScalar(k.lanes());
    }
}
