package dev.convolve.backend.fast;

/**
 * The row loops of the per-plane engines ({@link Depthwise}): a weighted sum of a few shifted rows (one output row of a
 * depthwise conv or of its input gradient) and the dot products of a gradient plane with shifted views of an input plane
 * (the kernel gradient). Two implementations: {@link DepthwiseVector} (the Vector API) and {@link DepthwiseScalar}.
 */
interface DepthwiseKernels {
    /** Floats per vector; {@link #dots} keeps this many partial sums per tap. */
    int lanes();

    /**
     * For {@code r < rows}, {@code i < n}: {@code dst[dOff + r*dPitch + i] (= or +=) sum_{t < taps} w[wOff + t] * src[sOff + r*sPitch + off[t] + i]}.
     * {@code src} is read up to {@link #lanes()} floats past the last used element (callers keep that slack); {@code dst} is written
     * exactly.
     */
    void taps(float[] src, int sOff, int sPitch, int[] off, float[] w, int wOff, int taps, float[] dst, int dOff, int dPitch, int rows, int n, boolean add);

    /**
     * For every tap {@code t < taps} the lane-wise partial sums of {@code sum_{r, i} g[gOff + r*gPitch + i] * src[sOff + r*sPitch + off[t] + i]}
     * ({@code r < rows}, {@code i < n}) are added to {@code acc[aOff + t*lanes() ..]}; nothing is read past the used elements.
     */
    void dots(float[] g, int gOff, int gPitch, float[] src, int sOff, int sPitch, int[] off, int taps, int rows, int n, float[] acc, int aOff);

    /**
     * Input rows split into their column phases: for {@code r < rows}, {@code px < s}, {@code i < pitch},
     * {@code dst[d + r*dStep + px*phaseStride + i] = x[xr + r*xStep + ix]} with {@code ix = i*s + px - lo} when {@code 0 <= ix < w},
     * else {@code pad}. May write up to {@link #lanes()} - 1 floats past each phase row's {@code pitch} (callers leave room and
     * fill rows in order). {@code cols[2*px], cols[2*px+1]} is the range of {@code i} with {@code ix} inside the row
     * ({@link PlaneSplit#cols}).
     */
    void splitRows(float[] x, int xr, int xStep, int rows, int w, int s, int lo, float[] dst, int d, int dStep, int phaseStride, int pitch, float pad, int[] cols);

    /**
     * The inverse for two column phases: for {@code ix} in {@code [max(0, -lo), min(w, 2*pitch - lo))}, {@code u = ix + lo},
     * {@code dst[rowOff + ix] = (u even ? src[d0 + u/2] : src[d1 + u/2])}. Reads up to {@link #lanes()} floats past those
     * used; writes nothing else.
     */
    void mergeRow2(float[] src, int d0, int d1, float[] dst, int rowOff, int w, int lo, int pitch);

    /** The sum of {@code acc[aOff .. aOff + lanes())} in a fixed order (the same for every call). */
    float laneSum(float[] acc, int aOff);

    /** The kernels that go with {@code k}: vectors unless {@code k} is the scalar fallback. */
    static DepthwiseKernels of(Kernels k) {
        return k instanceof ScalarKernels ? DepthwiseScalar.INSTANCE : DepthwiseVector.INSTANCE;
    }
}
