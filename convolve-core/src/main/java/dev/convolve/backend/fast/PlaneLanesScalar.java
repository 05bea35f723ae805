package dev.convolve.backend.fast;

/** {@link PlaneLanesKernels} in plain Java (no Vector API): the same gather, lane by lane. */
final class PlaneLanesScalar implements PlaneLanesKernels {
    private final int lanes;

    PlaneLanesScalar(int lanes) { this.lanes = lanes; }

    @Override
    public int lanes() { return lanes; }

    @Override
    public void gather(float[] idx, int cols, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff, int dstW) {
        for (int y = 0; y < rows; y++) {
            int d = rowDst[y];
            if (d < 0) continue;
            int row = sOff + y * srcW;
            for (int s = 0; s < cols; s++) {
                int ib = s * lanes, db = dOff + d + s * sStride;
                for (int t = 0; t < dstW; t++) {
                    int i = (int) idx[ib + t];
                    dst[db + t] = i < srcW ? src[row + i] : 0f;
                }
            }
        }
    }

    @Override
    public void gatherPairs(float[] idx, int cols, float[] src, int sOff, int srcW, int[] pairs, int nPairs, int sStride, float[] dst, int dOff) {
        for (int pi = 0; pi < nPairs; pi++) {
            int y0 = pairs[3 * pi], y1 = pairs[3 * pi + 1], d = dOff + pairs[3 * pi + 2];
            for (int s = 0; s < cols; s++) {
                for (int t = 0; t < lanes; t++) {
                    int i = (int) idx[s * lanes + t], y = i < lanes ? y0 : y1, u = i < lanes ? i : i - lanes;
                    dst[d + s * sStride + t] = y >= 0 && u < srcW ? src[sOff + y * srcW + u] : 0f;
                }
            }
        }
    }

    @Override
    public void interleave(float[] a, int aOff, int aStep, float[] b, int bOff, int bStep, int rows, float[] dst, int dOff, int dStep, int len) {
        for (int r = 0; r < rows; r++) {
            int sa = aOff + r * aStep, sb = bOff + r * bStep, d = dOff + r * dStep;
            for (int x = 0; x < len; x++) dst[d + x] = (x & 1) == 0 ? a[sa + (x >> 1)] : b[sb + (x >> 1)];
        }
    }
}
