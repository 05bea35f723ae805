package dev.convolve.backend.fast;

/** {@link DepthwiseRowsKernels} in plain Java, for any lane count. */
final class DepthwiseRowsScalar implements DepthwiseRowsKernels {
    private final int lanes;

    DepthwiseRowsScalar(int lanes) { this.lanes = lanes; }

    @Override
    public int lanes() { return lanes; }

    private static float at(float[] src, int row, int srcW, float i) {
        int c = (int) i;
        return c < srcW ? src[row + c] : 0f;
    }

    @Override
    public void rows(Rows rl, float[] src, int sOff, int srcW, float[] w, int wOff, float[] dst, int d, int dstW, int dstH) {
        int nv = rl.nv(), k1 = rl.k1();
        int[] start = rl.start(), ky = rl.ky(), srcRow = rl.srcRow();
        float[] idx = rl.idx();
        int width = nv * lanes;
        for (int r = 0; r < dstH; r++) {
            for (int j = 0; j < dstW; j++) {
                float a = 0f;
                for (int e = start[r]; e < start[r + 1]; e++) {
                    int row = sOff + srcRow[e] * srcW;
                    for (int kx = 0; kx < k1; kx++) a = Math.fma(w[wOff + ky[e] * k1 + kx], at(src, row, srcW, idx[kx * width + j]), a);
                }
                dst[d + r * dstW + j] = a;
            }
        }
    }

    @Override
    public void dots(Rows rl, float[] g, int gOff, int gW, int gH, float[] x, int xOff, int xW, float[] acc) {
        int nv = rl.nv(), k1 = rl.k1();
        int[] start = rl.start(), ky = rl.ky(), srcRow = rl.srcRow();
        float[] idx = rl.idx();
        int width = nv * lanes;
        for (int r = 0; r < gH; r++) {
            for (int e = start[r]; e < start[r + 1]; e++) {
                int row = xOff + srcRow[e] * xW;
                for (int kx = 0; kx < k1; kx++) {
                    int a = (ky[e] * k1 + kx) * width;
                    for (int j = 0; j < width; j++) {
                        float gv = j < gW ? g[gOff + r * gW + j] : 0f;
                        acc[a + j] = Math.fma(gv, at(x, row, xW, idx[kx * width + j]), acc[a + j]);
                    }
                }
            }
        }
    }
}
