package dev.convolve.backend.fast;

/** {@link DepthwiseBlockedKernels} in plain Java, for any lane count. */
final class DepthwiseBlockedScalar implements DepthwiseBlockedKernels {
    private final int lanes;

    DepthwiseBlockedScalar(int lanes) { this.lanes = lanes; }

    @Override
    public int lanes() { return lanes; }

    @Override
    public void taps(float[] src, int s, int sRow, int sStep, int[] off, int[] tw, int nt, float[] w, int wOff,
                     float[] dst, int d, int dRow, int dStep, int rows, int count) {
        int L = lanes;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < count; j++) {
                int b = s + r * sRow + j * sStep, o = d + r * dRow + j * dStep;
                for (int l = 0; l < L; l++) {
                    float a = 0f;
                    for (int t = 0; t < nt; t++) a = Math.fma(w[wOff + tw[t] * L + l], src[b + off[t] + l], a);
                    dst[o + l] = a;
                }
            }
        }
    }

    @Override
    public void dots(float[] g, float[] src, int s, int sRow, int sStep, int[] off, int nt, int rows, int count, float[] acc) {
        int L = lanes;
        for (int t = 0; t < nt; t++) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < count; j++) {
                    int gb = (r * count + j) * L, b = s + r * sRow + j * sStep + off[t];
                    for (int l = 0; l < L; l++) acc[t * L + l] = Math.fma(g[gb + l], src[b + l], acc[t * L + l]);
                }
            }
        }
    }
}
