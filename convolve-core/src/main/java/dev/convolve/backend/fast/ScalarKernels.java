package dev.convolve.backend.fast;

/**
 * The micro-kernels in plain Java, with the same contracts and tile shapes as {@link VectorKernels}; the
 * inner loops run over a tile row so C2 may still use SIMD where it can. Used when the Vector API is not
 * available, and by the tests to check the tile bookkeeping independently of the vector code.
 */
final class ScalarKernels implements Kernels {
    static final int L = 8;
    private static final int[] GEMM_NV = {0, 8, 8, 8, 6, 4, 4, 3, 3};
    private static final int[] BCAST_MR = {0, 24, 12, 8, 6};

    @Override
    public int lanes() { return L; }

    @Override
    public String describe() { return "scalar Java (no Vector API)"; }

    @Override
    public int gemmVectors(int mr) { return GEMM_NV[mr]; }

    @Override
    public boolean hasGemm(int mr, int nv) { return mr >= 1 && mr <= 8 && (nv == 1 || nv == 2 || nv == 3 || nv == 4 || nv == 6 || nv == 8) && mr * nv <= 24; }

    @Override
    public void gemm(int mr, int nv, float[] a, int aOff, int lda, int kc, float[] b, int bOff, int[] off, int o0, float[] c, int cOff, int ldc) {
        gemmGuarded(mr, nv * L, a, aOff, lda, kc, b, bOff, off, o0, c, cOff, ldc);
    }

    /** {@link #gemm} for any tile width, reading {@code b} as zero outside its bounds (tail tiles read past the input). */
    static void gemmGuarded(int mr, int nr, float[] a, int aOff, int lda, int kc, float[] b, int bOff, int[] off, int o0, float[] c, int cOff, int ldc) {
        for (int m = 0; m < mr; m++) java.util.Arrays.fill(c, cOff + m * ldc, cOff + m * ldc + nr, 0f);
        for (int k = 0, ak = aOff; k < kc; k++, ak += lda) {
            int bi = bOff + off[o0 + k];
            int jEnd = Math.min(nr, b.length - bi);
            for (int m = 0; m < mr; m++) {
                float av = a[ak + m];
                int ci = cOff + m * ldc;
                for (int j = 0; j < jEnd; j++) c[ci + j] = Math.fma(av, b[bi + j], c[ci + j]);
            }
        }
    }

    @Override
    public int bcastRows(int nv) { return BCAST_MR[nv]; }

    @Override
    public void bcast(int nv, float[] x, int[] rowOff, int ro, int xBase, int steps, float[] g, int gOff, int ldg, float[] c, int cOff, int ldc) {
        int mr = BCAST_MR[nv], nr = nv * L;
        for (int m = 0; m < mr; m++) {
            int xm = xBase + rowOff[ro + m], ci = cOff + m * ldc;
            for (int p = 0, gi = gOff; p < steps; p++, gi += ldg) {
                float av = x[xm + p];
                for (int j = 0; j < nr; j++) c[ci + j] = Math.fma(av, g[gi + j], c[ci + j]);
            }
        }
    }

    @Override
    public int[] dotTiles() { return new int[] {4, 6, 2, 8, 1, 9, 1, 4}; }

    @Override
    public void dot(int mr, int nr, float[] g, int[] gRow, int gro, int gBase, float[] x, int[] xCol, int xco, int xBase, int len,
                    float[] out, int outOff, int ldo) {
        for (int m = 0; m < mr; m++) {
            int gm = gBase + gRow[gro + m];
            for (int j = 0; j < nr; j++) {
                int xj = xBase + xCol[xco + j];
                float s = 0;
                for (int p = 0; p < len; p++) s = Math.fma(g[gm + p], x[xj + p], s);
                out[outOff + m * ldo + j] = s;
            }
        }
    }

    @Override
    public void windowMax(float[] src, int bOff, int[] off, int taps, float[] dst, int dOff, int n, float identity) {
        int end = roundUp(n);
        java.util.Arrays.fill(dst, dOff, dOff + end, identity);
        for (int k = 0; k < taps; k++) {
            int bi = bOff + off[k];
            for (int i = 0; i < end; i++) {
                float v = src[bi + i], r = dst[dOff + i];
                dst[dOff + i] = (v > r || v != v) ? v : r;
            }
        }
    }

    @Override
    public void windowMin(float[] src, int bOff, int[] off, int taps, float[] dst, int dOff, int n, float identity) {
        int end = roundUp(n);
        java.util.Arrays.fill(dst, dOff, dOff + end, identity);
        for (int k = 0; k < taps; k++) {
            int bi = bOff + off[k];
            for (int i = 0; i < end; i++) {
                float v = src[bi + i], r = dst[dOff + i];
                dst[dOff + i] = (v < r || v != v) ? v : r;
            }
        }
    }

    @Override
    public void windowSum(float[] src, int bOff, int[] off, int taps, float[] dst, int dOff, int n, float identity) {
        int end = roundUp(n);
        java.util.Arrays.fill(dst, dOff, dOff + end, identity);
        for (int k = 0; k < taps; k++) {
            int bi = bOff + off[k];
            for (int i = 0; i < end; i++) dst[dOff + i] += src[bi + i];
        }
    }

    @Override
    public void copy(float[] src, int sOff, float[] dst, int dOff, int len) {
        for (int i = 0; i < len; i++) dst[dOff + i] = src[sOff + i];
    }

    @Override
    public void copyRows(float[] src, int sOff, int sStep, float[] dst, int dOff, int dStep, int rows, int len) {
        for (int r = 0; r < rows; r++) copy(src, sOff + r * sStep, dst, dOff + r * dStep, len);
    }

    @Override
    public void deinterleaveRows(float[] x, int xi, int xStep, int rows, int count, float[] dst, int dEven, int dOdd, int dStep) {
        for (int r = 0; r < rows; r++) deinterleave(x, xi + r * xStep, count, dst, dEven + r * dStep, dOdd + r * dStep);
    }

    @Override
    public void deinterleave(float[] x, int xi, int count, float[] dst, int dEven, int dOdd) {
        for (int k = 0; k < count; k++) {
            dst[dEven + k] = x[xi + 2 * k];
            dst[dOdd + k] = x[xi + 2 * k + 1];
        }
    }

    private static final float[][] BT = {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
    private static final float[][] AT = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
    private static final float[][] G = {{0.25f, 0, 0}, {-1f / 6, -1f / 6, -1f / 6}, {-1f / 6, 1f / 6, -1f / 6}, {1f / 24, 1f / 12, 1f / 6}, {1f / 24, -1f / 12, 1f / 6}, {0, 0, 1}};

    private static final float[][] G4 = {{0.25f, 0, 0, 0}, {-1f / 6, -1f / 6, -1f / 6, -1f / 6}, {-1f / 6, 1f / 6, -1f / 6, 1f / 6},
            {1f / 24, 1f / 12, 1f / 6, 1f / 3}, {1f / 24, -1f / 12, 1f / 6, -1f / 3}, {0, 0, 0, 1}};
    private static final float[][] AT3 = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 1}};
    private static final float[][] G5 = {{0.25f, 0, 0, 0, 0}, {-1f / 6, -1f / 6, -1f / 6, -1f / 6, -1f / 6}, {-1f / 6, 1f / 6, -1f / 6, 1f / 6, -1f / 6},
            {1f / 24, 1f / 12, 1f / 6, 1f / 3, 2f / 3}, {1f / 24, -1f / 12, 1f / 6, -1f / 3, 2f / 3}, {0, 0, 0, 0, 1}};
    private static final float[][] AT2 = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 1}};
    private static final float[][] G2 = {{0.25f, 0}, {-1f / 6, -1f / 6}, {-1f / 6, 1f / 6}, {1f / 24, 1f / 12}, {1f / 24, -1f / 12}, {0, 1}};
    private static final float[][] AT5 = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 0}, {0, 1, 1, 16, 16, 1}};
    private static final float[][] BT8 = {{1, 0, -21f / 4, 0, 21f / 4, 0, -1, 0}, {0, 1, 1, -17f / 4, -17f / 4, 1, 1, 0}, {0, -1, 1, 17f / 4, -17f / 4, -1, 1, 0},
            {0, 0.5f, 0.25f, -2.5f, -1.25f, 2, 1, 0}, {0, -0.5f, 0.25f, 2.5f, -1.25f, -2, 1, 0}, {0, 2, 4, -2.5f, -5, 0.5f, 1, 0},
            {0, -2, 4, 2.5f, -5, -0.5f, 1, 0}, {0, -1, 0, 21f / 4, 0, -21f / 4, 0, 1}};
    private static final float[][] G7 = {{1, 0, 0, 0, 0, 0, 0}, {-2f / 9, -2f / 9, -2f / 9, -2f / 9, -2f / 9, -2f / 9, -2f / 9},
            {-2f / 9, 2f / 9, -2f / 9, 2f / 9, -2f / 9, 2f / 9, -2f / 9}, {1f / 90, 1f / 45, 2f / 45, 4f / 45, 8f / 45, 16f / 45, 32f / 45},
            {1f / 90, -1f / 45, 2f / 45, -4f / 45, 8f / 45, -16f / 45, 32f / 45}, {32f / 45, 16f / 45, 8f / 45, 4f / 45, 2f / 45, 1f / 45, 1f / 90},
            {32f / 45, -16f / 45, 8f / 45, -4f / 45, 2f / 45, -1f / 45, 1f / 90}, {0, 0, 0, 0, 0, 0, 1}};
    private static final float[][] AT27 = {{1, 1, 1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0.5f, -0.5f, 1}};
    private static final float[][] G2_8 = {{1, 0}, {-2f / 9, -2f / 9}, {-2f / 9, 2f / 9}, {1f / 90, 1f / 45}, {1f / 90, -1f / 45}, {32f / 45, 16f / 45},
            {32f / 45, -16f / 45}, {0, 1}};
    private static final float[][] AT7 = {{1, 1, 1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0.5f, -0.5f, 0}, {0, 1, 1, 4, 4, 0.25f, 0.25f, 0},
            {0, 1, -1, 8, -8, 0.125f, -0.125f, 0}, {0, 1, 1, 16, 16, 0.0625f, 0.0625f, 0}, {0, 1, -1, 32, -32, 0.03125f, -0.03125f, 0},
            {0, 1, 1, 64, 64, 0.015625f, 0.015625f, 1}};

    /**
     * Every Winograd transform in scalar form: for each lane {@code l}, {@code out(i, j) = sum_(a, b) m[i][a] in(a, b) m[j][b]}
     * with {@code in(a, b) = src[sOff + a*sRow + b*sCol + l]} and {@code out(i, j) = dst[dOff + i*dRow + j*dCol + l]}.
     */
    private static void sandwich(float[][] m, float[] src, int sOff, int sRow, int sCol, float[] dst, int dOff, int dRow, int dCol) {
        int p = m.length, q = m[0].length;
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    float s = 0;
                    for (int a = 0; a < q; a++) {
                        for (int b = 0; b < q; b++) s += m[i][a] * src[sOff + a * sRow + b * sCol + l] * m[j][b];
                    }
                    dst[dOff + i * dRow + j * dCol + l] = s;
                }
            }
        }
    }

    @Override
    public void wino4Input(float[] src, int base, int[] idx, int idxOff, int[] offRS, float[] tmp, float[] v, int vOff, int vStride) {
        for (int rs = 0; rs < 36; rs++) {
            for (int l = 0; l < L; l++) tmp[rs * L + l] = src[base + offRS[rs] + idx[idxOff + l]];
        }
        sandwich(BT, tmp, 0, 6 * L, L, v, vOff, 6 * vStride, vStride);
    }

    @Override
    public void wino4InputBlocked(float[] src, int base, int rowStride, float[] tmp, float[] v, int vOff, int vStride) {
        sandwich(BT, src, base, rowStride, L, v, vOff, 6 * vStride, vStride);
    }

    @Override
    public void wino34Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride) {
        sandwich(G4, g, base, rowStride, L, out, oOff, 6 * oStride, oStride);
    }

    @Override
    public void wino34Out(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        sandwich(AT3, m, mOff, 6 * mStride, mStride, y, 0, 3 * L, L);
    }

    @Override
    public void wino4Output(float[] m, int mOff, int mStride, float[] tmp, float[] y, int yOff, int rowStride) {
        sandwich(AT, m, mOff, 6 * mStride, mStride, y, yOff, rowStride, L);
    }

    @Override
    public void wino4Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride) {
        sandwich(G, g, gOff, 3 * tStride, tStride, u, uOff, 6 * uStride, uStride);
    }

    @Override
    public void wino25Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride) {
        sandwich(G5, g, gOff, 5 * tStride, tStride, u, uOff, 6 * uStride, uStride);
    }

    @Override
    public void wino25Output(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        sandwich(AT2, m, mOff, 6 * mStride, mStride, y, 0, 2 * L, L);
    }

    @Override
    public void wino52Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride) {
        sandwich(G2, g, base, rowStride, L, out, oOff, 6 * oStride, oStride);
    }

    @Override
    public void wino52Out(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        sandwich(AT5, m, mOff, 6 * mStride, mStride, y, 0, 5 * L, L);
    }

    @Override
    public void wino8InputBlocked(float[] src, int base, int rowStride, float[] tmp, float[] v, int vOff, int vStride) {
        sandwich(BT8, src, base, rowStride, L, v, vOff, 8 * vStride, vStride);
    }

    @Override
    public void wino27Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride) {
        sandwich(G7, g, gOff, 7 * tStride, tStride, u, uOff, 8 * uStride, uStride);
    }

    @Override
    public void wino27Output(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        sandwich(AT27, m, mOff, 8 * mStride, mStride, y, 0, 2 * L, L);
    }

    @Override
    public void wino72Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride) {
        sandwich(G2_8, g, base, rowStride, L, out, oOff, 8 * oStride, oStride);
    }

    @Override
    public void wino72Out(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        sandwich(AT7, m, mOff, 8 * mStride, mStride, y, 0, 7 * L, L);
    }

    private static int roundUp(int n) { return (n + L - 1) / L * L; }
}
