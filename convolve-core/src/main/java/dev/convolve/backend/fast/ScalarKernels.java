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

    @Override
    public void wino4Input(float[] src, int base, int[] idx, int idxOff, int[] offRS, float[] tmp, float[] v, int vOff, int vStride) {
        for (int rs = 0; rs < 36; rs++) {
            for (int l = 0; l < L; l++) tmp[rs * L + l] = src[base + offRS[rs] + idx[idxOff + l]];
        }
        for (int l = 0; l < L; l++) {
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 6; c++) {
                    float s = 0;
                    for (int i = 0; i < 6; i++) {
                        for (int j = 0; j < 6; j++) s += BT[r][i] * tmp[(i * 6 + j) * L + l] * BT[c][j];
                    }
                    v[vOff + (r * 6 + c) * vStride + l] = s;
                }
            }
        }
    }

    @Override
    public void wino4InputBlocked(float[] src, int base, int rowStride, float[] tmp, float[] v, int vOff, int vStride) {
        float[] d = new float[36 * L];
        for (int r = 0; r < 6; r++) {
            for (int s = 0; s < 6; s++) System.arraycopy(src, base + r * rowStride + s * L, d, (r * 6 + s) * L, L);
        }
        int[] offRS = new int[36];
        int[] idx = new int[L];
        for (int rs = 0; rs < 36; rs++) offRS[rs] = rs * L;
        for (int l = 0; l < L; l++) idx[l] = l;
        wino4Input(d, 0, idx, 0, offRS, tmp, v, vOff, vStride);
    }

    private static final float[][] G4 = {{0.25f, 0, 0, 0}, {-1f / 6, -1f / 6, -1f / 6, -1f / 6}, {-1f / 6, 1f / 6, -1f / 6, 1f / 6},
            {1f / 24, 1f / 12, 1f / 6, 1f / 3}, {1f / 24, -1f / 12, 1f / 6, -1f / 3}, {0, 0, 0, 1}};
    private static final float[][] AT3 = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 1}};

    @Override
    public void wino34Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride) {
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    float s = 0;
                    for (int a = 0; a < 4; a++) {
                        for (int b = 0; b < 4; b++) s += G4[i][a] * g[base + a * rowStride + b * L + l] * G4[j][b];
                    }
                    out[oOff + (i * 6 + j) * oStride + l] = s;
                }
            }
        }
    }

    @Override
    public void wino34Out(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        for (int l = 0; l < L; l++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    float s = 0;
                    for (int i = 0; i < 6; i++) {
                        for (int j = 0; j < 6; j++) s += AT3[a][i] * m[mOff + (i * 6 + j) * mStride + l] * AT3[b][j];
                    }
                    y[(a * 3 + b) * L + l] = s;
                }
            }
        }
    }

    @Override
    public void wino4Output(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        for (int l = 0; l < L; l++) {
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                    float s = 0;
                    for (int i = 0; i < 6; i++) {
                        for (int j = 0; j < 6; j++) s += AT[a][i] * m[mOff + (i * 6 + j) * mStride + l] * AT[b][j];
                    }
                    y[(a * 4 + b) * L + l] = s;
                }
            }
        }
    }

    @Override
    public void wino4Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride, int halfStride) {
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    float s = 0;
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) s += G[i][a] * g[gOff + (a * 3 + b) * tStride + l] * G[j][b];
                    }
                    u[uOff + (i * 6 + j) * uStride + (l / 8) * halfStride + l % 8] = s;
                }
            }
        }
    }

    private static final float[][] G5 = {{0.25f, 0, 0, 0, 0}, {-1f / 6, -1f / 6, -1f / 6, -1f / 6, -1f / 6}, {-1f / 6, 1f / 6, -1f / 6, 1f / 6, -1f / 6},
            {1f / 24, 1f / 12, 1f / 6, 1f / 3, 2f / 3}, {1f / 24, -1f / 12, 1f / 6, -1f / 3, 2f / 3}, {0, 0, 0, 0, 1}};
    private static final float[][] AT2 = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 1}};

    @Override
    public void wino25Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride, int halfStride) {
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    float s = 0;
                    for (int a = 0; a < 5; a++) {
                        for (int b = 0; b < 5; b++) s += G5[i][a] * g[gOff + (a * 5 + b) * tStride + l] * G5[j][b];
                    }
                    u[uOff + (i * 6 + j) * uStride + (l / 8) * halfStride + l % 8] = s;
                }
            }
        }
    }

    @Override
    public void wino25Output(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        for (int l = 0; l < L; l++) {
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    float s = 0;
                    for (int i = 0; i < 6; i++) {
                        for (int j = 0; j < 6; j++) s += AT2[a][i] * m[mOff + (i * 6 + j) * mStride + l] * AT2[b][j];
                    }
                    y[(a * 2 + b) * L + l] = s;
                }
            }
        }
    }

    private static final float[][] G2 = {{0.25f, 0}, {-1f / 6, -1f / 6}, {-1f / 6, 1f / 6}, {1f / 24, 1f / 12}, {1f / 24, -1f / 12}, {0, 1}};
    private static final float[][] AT5 = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 0}, {0, 1, 1, 16, 16, 1}};

    @Override
    public void wino52Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride) {
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    float s = 0;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) s += G2[i][a] * g[base + a * rowStride + b * L + l] * G2[j][b];
                    }
                    out[oOff + (i * 6 + j) * oStride + l] = s;
                }
            }
        }
    }

    @Override
    public void wino52Out(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        for (int l = 0; l < L; l++) {
            for (int a = 0; a < 5; a++) {
                for (int b = 0; b < 5; b++) {
                    float s = 0;
                    for (int i = 0; i < 6; i++) {
                        for (int j = 0; j < 6; j++) s += AT5[a][i] * m[mOff + (i * 6 + j) * mStride + l] * AT5[b][j];
                    }
                    y[(a * 5 + b) * L + l] = s;
                }
            }
        }
    }

    private static final float[][] BT8 = {{1, 0, -21f / 4, 0, 21f / 4, 0, -1, 0}, {0, 1, 1, -17f / 4, -17f / 4, 1, 1, 0}, {0, -1, 1, 17f / 4, -17f / 4, -1, 1, 0},
            {0, 0.5f, 0.25f, -2.5f, -1.25f, 2, 1, 0}, {0, -0.5f, 0.25f, 2.5f, -1.25f, -2, 1, 0}, {0, 2, 4, -2.5f, -5, 0.5f, 1, 0},
            {0, -2, 4, 2.5f, -5, -0.5f, 1, 0}, {0, -1, 0, 21f / 4, 0, -21f / 4, 0, 1}};
    private static final float[][] G7 = {{1, 0, 0, 0, 0, 0, 0}, {-2f / 9, -2f / 9, -2f / 9, -2f / 9, -2f / 9, -2f / 9, -2f / 9},
            {-2f / 9, 2f / 9, -2f / 9, 2f / 9, -2f / 9, 2f / 9, -2f / 9}, {1f / 90, 1f / 45, 2f / 45, 4f / 45, 8f / 45, 16f / 45, 32f / 45},
            {1f / 90, -1f / 45, 2f / 45, -4f / 45, 8f / 45, -16f / 45, 32f / 45}, {32f / 45, 16f / 45, 8f / 45, 4f / 45, 2f / 45, 1f / 45, 1f / 90},
            {32f / 45, -16f / 45, 8f / 45, -4f / 45, 2f / 45, -1f / 45, 1f / 90}, {0, 0, 0, 0, 0, 0, 1}};
    private static final float[][] AT27 = {{1, 1, 1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0.5f, -0.5f, 1}};

    @Override
    public void wino8InputBlocked(float[] src, int base, int rowStride, float[] tmp, float[] v, int vOff, int vStride) {
        for (int l = 0; l < L; l++) {
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    float s = 0;
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 8; j++) s += BT8[r][i] * src[base + i * rowStride + j * L + l] * BT8[c][j];
                    }
                    v[vOff + (r * 8 + c) * vStride + l] = s;
                }
            }
        }
    }

    @Override
    public void wino27Kernel(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride, int halfStride) {
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    float s = 0;
                    for (int a = 0; a < 7; a++) {
                        for (int b = 0; b < 7; b++) s += G7[i][a] * g[gOff + (a * 7 + b) * tStride + l] * G7[j][b];
                    }
                    u[uOff + (i * 8 + j) * uStride + (l / 8) * halfStride + l % 8] = s;
                }
            }
        }
    }

    @Override
    public void wino27Output(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        for (int l = 0; l < L; l++) {
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    float s = 0;
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 8; j++) s += AT27[a][i] * m[mOff + (i * 8 + j) * mStride + l] * AT27[b][j];
                    }
                    y[(a * 2 + b) * L + l] = s;
                }
            }
        }
    }

    private static final float[][] G2_8 = {{1, 0}, {-2f / 9, -2f / 9}, {-2f / 9, 2f / 9}, {1f / 90, 1f / 45}, {1f / 90, -1f / 45}, {32f / 45, 16f / 45},
            {32f / 45, -16f / 45}, {0, 1}};
    private static final float[][] AT7 = {{1, 1, 1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0.5f, -0.5f, 0}, {0, 1, 1, 4, 4, 0.25f, 0.25f, 0},
            {0, 1, -1, 8, -8, 0.125f, -0.125f, 0}, {0, 1, 1, 16, 16, 0.0625f, 0.0625f, 0}, {0, 1, -1, 32, -32, 0.03125f, -0.03125f, 0},
            {0, 1, 1, 64, 64, 0.015625f, 0.015625f, 1}};

    @Override
    public void wino72Grad(float[] g, int base, int rowStride, float[] tmp, float[] out, int oOff, int oStride) {
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    float s = 0;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) s += G2_8[i][a] * g[base + a * rowStride + b * L + l] * G2_8[j][b];
                    }
                    out[oOff + (i * 8 + j) * oStride + l] = s;
                }
            }
        }
    }

    @Override
    public void wino72Out(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
        for (int l = 0; l < L; l++) {
            for (int a = 0; a < 7; a++) {
                for (int b = 0; b < 7; b++) {
                    float s = 0;
                    for (int i = 0; i < 8; i++) {
                        for (int j = 0; j < 8; j++) s += AT7[a][i] * m[mOff + (i * 8 + j) * mStride + l] * AT7[b][j];
                    }
                    y[(a * 7 + b) * L + l] = s;
                }
            }
        }
    }

    private static int roundUp(int n) { return (n + L - 1) / L * L; }
}
