package dev.convolve.backend.fast;

/** {@link WindowGradKernels} in plain Java. */
final class WindowGradScalar implements WindowGradKernels {
    static final WindowGradScalar INSTANCE = new WindowGradScalar();

    private WindowGradScalar() {}

    @Override
    public int lanes() { return 8; }

    @Override
    public void select(float[] src, int sOff, int sPitch, int[] off, int taps, boolean max, float[] codes, int cOff, int cPitch, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int s = sOff + r * sPitch, c = cOff + r * cPitch;
            for (int i = 0; i < n; i++) {
                float bv = src[s + off[0] + i];
                int bt = 0;
                for (int t = 1; t < taps; t++) {
                    float v = src[s + off[t] + i];
                    if ((max ? v > bv : v < bv) || (v != v && bv == bv)) {
                        bv = v;
                        bt = t;
                    }
                }
                codes[c + i] = bt;
            }
        }
    }

    @Override
    public void route(float[] codes, float[] g, int sOff, int sPitch, int[] off, float[] code, int nt, float[] dst, int dOff, int dPitch, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int s = sOff + r * sPitch, d = dOff + r * dPitch;
            for (int i = 0; i < n; i++) {
                float a = 0f;
                for (int k = 0; k < nt; k++) {
                    int e = s + off[k] + i;
                    a += codes[e] == code[k] ? g[e] : 0f;
                }
                dst[d + i] = a;
            }
        }
    }
}
