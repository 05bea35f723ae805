package dev.convolve.backend.fast;

/**
 * The register-tiled inner loops every fast path is built from. Two implementations: {@link VectorKernels}
 * (the Vector API, generated) and {@link ScalarKernels} (plain Java, used when the Vector API is missing or
 * switched off). All arrays must be long enough for whole tiles: callers keep slack after their buffers.
 */
interface Kernels {
    /** Floats per vector ({@code L}); tiles are multiples of it. */
    int lanes();

    /** A one-line description for the planner's explanations, e.g. {@code Vector API, 512-bit (16 floats)}. */
    String describe();

    /** Number of vectors per tile row of {@link #gemm} with {@code mr} rows (1 to 8). */
    int gemmVectors(int mr);

    /**
     * The shifted GEMM tile: for {@code m < mr} and {@code j < gemmVectors(mr) * lanes()},
     * {@code c[cOff + m*ldc + j] = sum_{k < kc} a[aOff + k*mr + m] * b[bOff + off[k] + j]}.
     */
    void gemm(int mr, float[] a, int aOff, int kc, float[] b, int bOff, int[] off, float[] c, int cOff, int ldc);

    /** Rows of the {@link #bcast} tile with {@code nv} vectors (1 to 4). */
    int bcastRows(int nv);

    /**
     * The broadcast GEMM tile of kernel gradients (lanes along output channels): for {@code m < bcastRows(nv)} and
     * {@code j < nv * lanes()}, {@code c[cOff + m*ldc + j] += sum_{p < steps} x[xBase + rowOff[ro+m] + p] * g[gOff + p*ldg + j]}.
     */
    void bcast(int nv, float[] x, int[] rowOff, int ro, int xBase, int steps, float[] g, int gOff, int ldg, float[] c, int cOff, int ldc);

    /** The dot tiles available, as pairs {@code mr, nr}. */
    int[] dotTiles();

    /**
     * The dot-product tile (lanes along the reduction): for {@code m < mr}, {@code j < nr},
     * {@code out[outOff + m*ldo + j] = sum_{p < len} g[gBase + gRow[gro+m] + p] * x[xBase + xCol[xco+j] + p]}; {@code len} is a
     * multiple of {@link #lanes()}.
     */
    void dot(int mr, int nr, float[] g, int[] gRow, int gro, int gBase, float[] x, int[] xCol, int xco, int xBase, int len, float[] out, int outOff, int ldo);

    /** {@code dst[dOff + i] = max(identity, max_k src[bOff + off[k] + i])} for {@code i < n} rounded up to whole vectors; NaN wins. */
    void windowMax(float[] src, int bOff, int[] off, int taps, float[] dst, int dOff, int n, float identity);

    /** As {@link #windowMax} with the minimum. */
    void windowMin(float[] src, int bOff, int[] off, int taps, float[] dst, int dOff, int n, float identity);

    /** Splits {@code 2*count} floats into even and odd elements: {@code dst[dEven+k] = x[xi+2k]}, {@code dst[dOdd+k] = x[xi+2k+1]}. */
    void deinterleave(float[] x, int xi, int count, float[] dst, int dEven, int dOdd);

    /** As {@link #windowMax} with the sum (identity is added once). */
    void windowSum(float[] src, int bOff, int[] off, int taps, float[] dst, int dOff, int n, float identity);
}
