package dev.convolve.backend.fast;

/** {@link DepthwiseKernels} in plain Java (8 partial sums per tap, like a vector of 8 lanes). */
final class DepthwiseScalar implements DepthwiseKernels {
    static final DepthwiseScalar INSTANCE = new DepthwiseScalar();
    private static final int L = 8;

    private DepthwiseScalar() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void taps(float[] src, int sOff, int sPitch, int[] off, float[] w, int wOff, int taps, float[] dst, int dOff, int dPitch, int rows, int n, boolean add) {
        for (int r = 0; r < rows; r++) {
            int s = sOff + r * sPitch, d = dOff + r * dPitch;
            for (int i = 0; i < n; i++) {
                float a = add ? dst[d + i] : 0f;
                for (int t = 0; t < taps; t++) a = Math.fma(w[wOff + t], src[s + off[t] + i], a);
                dst[d + i] = a;
            }
        }
    }

    @Override
    public void dots(float[] g, int gOff, int gPitch, float[] src, int sOff, int sPitch, int[] off, int taps, int rows, int n, float[] acc, int aOff) {
        for (int t = 0; t < taps; t++) {
            int a = aOff + t * L;
            for (int r = 0; r < rows; r++) {
                int gr = gOff + r * gPitch, s = sOff + r * sPitch + off[t];
                for (int i = 0; i < n; i++) acc[a + (i & (L - 1))] = Math.fma(g[gr + i], src[s + i], acc[a + (i & (L - 1))]);
            }
        }
    }

    @Override
    public void splitRows(float[] x, int xr, int xStep, int rows, int w, int s, int lo, float[] dst, int d, int dStep, int phaseStride, int pitch, float pad, int[] cols) {
        for (int r = 0; r < rows; r++) splitRow(x, xr + r * xStep, w, s, lo, dst, d + r * dStep, phaseStride, pitch, pad);
    }

    /** One row of {@link #splitRows}. */
    void splitRow(float[] x, int xr, int w, int s, int lo, float[] dst, int d, int phaseStride, int pitch, float pad) {
        for (int px = 0; px < s; px++) {
            int dp = d + px * phaseStride;
            for (int i = 0; i < pitch; i++) {
                int ix = i * s + px - lo;
                dst[dp + i] = ix >= 0 && ix < w ? x[xr + ix] : pad;
            }
        }
    }

    @Override
    public void mergeRow2(float[] src, int d0, int d1, float[] dst, int rowOff, int w, int lo, int pitch) {
        int end = Math.min(w, 2 * pitch - lo);
        for (int ix = Math.max(0, -lo); ix < end; ix++) {
            int u = ix + lo;
            dst[rowOff + ix] = (u & 1) == 0 ? src[d0 + (u >> 1)] : src[d1 + (u >> 1)];
        }
    }

    @Override
    public float laneSum(float[] acc, int aOff) {
        float s = 0;
        for (int l = 0; l < L; l++) s += acc[aOff + l];
        return s;
    }
}
