package dev.convolve.backend.fast;

/**
 * The inner loops of the channel-blocked depthwise engine ({@link DepthwiseBlocked}): buffers hold {@code [row][col][lanes]}
 * blocks, one vector per position with {@link #lanes()} channels in its lanes, so every tap of every position is one
 * vector multiply-add with that tap's per-channel weights, and the kernel gradient needs no sum across lanes. Two
 * implementations: {@link DepthwiseBlockedVector} (the Vector API) and {@link DepthwiseBlockedScalar}.
 */
interface DepthwiseBlockedKernels {
    /** Channels per position (floats per vector). */
    int lanes();

    /**
     * Weighted tap sums over a grid of positions: for {@code r < rows}, {@code j < count}, {@code l < lanes()},
     * {@code dst[d + r*dRow + j*dStep + l] = sum_{t < nt} w[wOff + tw[t]*lanes() + l] * src[s + r*sRow + j*sStep + off[t] + l]}
     * (zero when {@code nt = 0}). Reads and writes nothing else.
     */
    void taps(float[] src, int s, int sRow, int sStep, int[] off, int[] tw, int nt, float[] w, int wOff,
              float[] dst, int d, int dRow, int dStep, int rows, int count);

    /**
     * Per-channel correlations: for {@code t < nt}, {@code l < lanes()},
     * {@code acc[t*lanes() + l] += sum_{r < rows, j < count} g[r*count*lanes() + j*lanes() + l] * src[s + r*sRow + j*sStep + off[t] + l]},
     * positions summed in a fixed order (the same for every call with the same sizes).
     */
    void dots(float[] g, float[] src, int s, int sRow, int sStep, int[] off, int nt, int rows, int count, float[] acc);

    /** The kernels that go with {@code k}: vectors unless {@code k} is the scalar fallback, with {@code k}'s lane count. */
    static DepthwiseBlockedKernels of(Kernels k) {
        if (!(k instanceof ScalarKernels) && DepthwiseBlockedVector.INSTANCE.lanes() == k.lanes()) return DepthwiseBlockedVector.INSTANCE;
        return new DepthwiseBlockedScalar(k.lanes());
    }
}
