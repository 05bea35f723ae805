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
    public void gemm(int mr, float[] a, int aOff, int kc, float[] b, int bOff, int[] off, float[] c, int cOff, int ldc) {
        int nr = GEMM_NV[mr] * L;
        for (int m = 0; m < mr; m++) java.util.Arrays.fill(c, cOff + m * ldc, cOff + m * ldc + nr, 0f);
        for (int k = 0, ak = aOff; k < kc; k++, ak += mr) {
            int bi = bOff + off[k];
            for (int m = 0; m < mr; m++) {
                float av = a[ak + m];
                int ci = cOff + m * ldc;
                for (int j = 0; j < nr; j++) c[ci + j] = Math.fma(av, b[bi + j], c[ci + j]);
            }
        }
    }

    /** {@link #gemm} for any tile width, reading {@code b} as zero outside its bounds (tail tiles read past the input). */
    static void gemmGuarded(int mr, int nr, float[] a, int aOff, int kc, float[] b, int bOff, int[] off, float[] c, int cOff, int ldc) {
        for (int m = 0; m < mr; m++) java.util.Arrays.fill(c, cOff + m * ldc, cOff + m * ldc + nr, 0f);
        for (int k = 0, ak = aOff; k < kc; k++, ak += mr) {
            int bi = bOff + off[k];
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
    public void deinterleave(float[] x, int xi, int count, float[] dst, int dEven, int dOdd) {
        for (int k = 0; k < count; k++) {
            dst[dEven + k] = x[xi + 2 * k];
            dst[dOdd + k] = x[xi + 2 * k + 1];
        }
    }

    private static int roundUp(int n) { return (n + L - 1) / L * L; }
}
