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

    /** True when {@link #gemm} has a tile of {@code mr} rows and {@code nv} vectors. */
    boolean hasGemm(int mr, int nv);

    /**
     * The shifted GEMM tile: for {@code m < mr} and {@code j < nv * lanes()},
     * {@code c[cOff + m*ldc + j] = sum_{k < kc} a[aOff + k*lda + m] * b[bOff + off[o0 + k] + j]}.
     */
    void gemm(int mr, int nv, float[] a, int aOff, int lda, int kc, float[] b, int bOff, int[] off, int o0, float[] c, int cOff, int ldc);

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

    /** {@code dst[dOff + i] = src[sOff + i]} for {@code i < len}: a short copy without a call to {@code System.arraycopy}. */
    void copy(float[] src, int sOff, float[] dst, int dOff, int len);

    /** {@link #copy} of {@code rows} rows of {@code len} floats, rows {@code sStep} and {@code dStep} apart. */
    void copyRows(float[] src, int sOff, int sStep, float[] dst, int dOff, int dStep, int rows, int len);

    /** Splits {@code 2*count} floats into even and odd elements: {@code dst[dEven+k] = x[xi+2k]}, {@code dst[dOdd+k] = x[xi+2k+1]}. */
    void deinterleave(float[] x, int xi, int count, float[] dst, int dEven, int dOdd);

    /**
     * Winograd F(4x4, 3x3) input transform of {@link #lanes()} tiles: element {@code rs = r*6+s} of the 6x6 patch of the tile in
     * lane {@code l} is {@code src[base + offRS[rs] + idx[idxOff + l]]} (a gather); writes {@code V = B^T d B} as 36 vectors at
     * {@code v[vOff + xi*vStride]}. {@code tmp} holds at least 72 vectors.
     */
    void wino4Input(float[] src, int base, int[] idx, int idxOff, int[] offRS, float[] tmp, float[] v, int vOff, int vStride);

    /**
     * The input transform of one tile for {@link #lanes()} channels from a channel-blocked input: element {@code (r, s)} of the
     * patch is the vector {@code src[base + r*rowStride + s*L ..]}; {@code V} as in {@link #wino4Input}.
     */
    void wino4InputBlocked(float[] src, int base, int rowStride, float[] tmp, float[] v, int vOff, int vStride);

    /**
     * Winograd F(3x3, 4x4) (kernel gradient) transform of a 4x4 tile of the output gradient for {@link #lanes()} channels: element
     * {@code (y, x)} is the vector {@code g[base + y*rowStride + x*L ..]}; writes {@code G g G^T} (6x6, G 6x4) as 36 vectors at
     * {@code out[oOff + xi*oStride]}.
     */
    void wino34Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride);

    /** Winograd F(3x3, 4x4) output transform {@code A^T M A} (A^T 3x6) of 36 vectors {@code m[mOff + xi*mStride]} into 9 vectors {@code y[(a*3+b)*L]}. */
    void wino34Out(float[] m, int mOff, int mStride, float[] tmp, float[] y);

    /**
     * Winograd F(4x4, 3x3) output transform: {@code Y = A^T M A} of the 36 vectors at {@code m[mOff + xi*mStride]} into 16
     * vectors {@code y[yOff + a*rowStride + b*L]} (row {@code a}, column {@code b} of the tile; {@code rowStride = 4*L} packs
     * them).
     */
    void wino4Output(float[] m, int mOff, int mStride, float[] tmp, float[] y, int yOff, int rowStride);

    /**
     * Winograd F(4x4, 3x3) kernel transform {@code U = G g G^T} for {@link #lanes()} filters: tap t at {@code g[gOff + t*tStride]};
     * element {@code xi} (a vector of the filters) goes to {@code u[uOff + xi*uStride]}.
     */
    void wino4Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride);

    /**
     * Winograd F(2x2, 5x5) kernel transform {@code U = G g G^T} (G 6x5, the same six points as F(4x4, 3x3)) for
     * {@link #lanes()} filters: tap t ({@code 0..24}) at {@code g[gOff + t*tStride]}; {@code U} stored as by {@link #wino4Kernel}.
     * {@code tmp} holds at least 30 vectors.
     */
    void wino25Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride);

    /** Winograd F(2x2, 5x5) output transform {@code Y = A^T M A} (A^T 2x6) of 36 vectors {@code m[mOff + xi*mStride]} into 4 vectors {@code y[(a*2+b)*L]}. */
    void wino25Output(float[] m, int mOff, int mStride, float[] tmp, float[] y);

    /**
     * Winograd F(5x5, 2x2) (kernel gradient of 5x5 convs) transform of a 2x2 tile of the output gradient for {@link #lanes()}
     * channels: element {@code (y, x)} is the vector {@code g[base + y*rowStride + x*L ..]}; writes {@code G g G^T} (6x6, G 6x2)
     * as 36 vectors at {@code out[oOff + xi*oStride]}. {@code tmp} holds at least 12 vectors.
     */
    void wino52Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride);

    /** Winograd F(5x5, 2x2) output transform {@code A^T M A} (A^T 5x6) of 36 vectors {@code m[mOff + xi*mStride]} into 25 vectors {@code y[(a*5+b)*L]}; {@code tmp} holds 30 vectors. */
    void wino52Out(float[] m, int mOff, int mStride, float[] tmp, float[] y);

    /**
     * Winograd input transform with eight points (0, 1, -1, 2, -2, 1/2, -1/2, infinity), for F(2x2, 7x7): element {@code (r, s)}
     * of the 8x8 patch is the vector {@code src[base + r*rowStride + s*L ..]}; writes {@code V = B^T d B} as 64 vectors at
     * {@code v[vOff + xi*vStride]}. {@code tmp} holds at least 128 vectors.
     */
    void wino8InputBlocked(float[] src, int base, int rowStride, float[] tmp, float[] v, int vOff, int vStride);

    /** Winograd F(2x2, 7x7) kernel transform (G 8x7) for {@link #lanes()} filters, as {@link #wino4Kernel} with 49 taps and 64 elements; {@code tmp} holds 56 vectors. */
    void wino27Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride);

    /** Winograd F(2x2, 7x7) output transform (A^T 2x8) of 64 vectors {@code m[mOff + xi*mStride]} into 4 vectors {@code y[(a*2+b)*L]}. */
    void wino27Output(float[] m, int mOff, int mStride, float[] tmp, float[] y);

    /** Winograd F(7x7, 2x2) (kernel gradient of 7x7 convs) transform (G 8x2) of a 2x2 gradient tile, as {@link #wino52Grad} with 64 elements; {@code tmp} holds 16 vectors. */
    void wino72Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride);

    /** Winograd F(7x7, 2x2) output transform (A^T 7x8) of 64 vectors {@code m[mOff + xi*mStride]} into 49 vectors {@code y[(a*7+b)*L]}; {@code tmp} holds 56 vectors. */
    void wino72Out(float[] m, int mOff, int mStride, float[] tmp, float[] y);

    /** {@link #deinterleave} of {@code rows} rows: row {@code r} reads from {@code xi + r*xStep} and writes at {@code dEven/dOdd + r*dStep}. */
    void deinterleaveRows(float[] x, int xi, int xStep, int rows, int count, float[] dst, int dEven, int dOdd, int dStep);

    /** As {@link #windowMax} with the sum (identity is added once). */
    void windowSum(float[] src, int bOff, int[] off, int taps, float[] dst, int dOff, int n, float identity);
}
