package dev.convolve.backend.fast;

/**
 * The row loops of the max/min pooling gradient ({@link WindowGrad}): which tap each window selects, and the gradient each
 * input position receives from the windows that selected it. Two implementations: {@link WindowGradVector} (the Vector API)
 * and {@link WindowGradScalar}.
 */
interface WindowGradKernels {
    /** Floats per vector. */
    int lanes();

    /**
     * For {@code r < rows}, {@code i < n}: {@code codes[cOff + r*cPitch + i] = t}, the first tap {@code t < taps} whose value
     * {@code src[sOff + r*sPitch + off[t] + i]} is the window's maximum ({@code max}) or minimum, a NaN winning over numbers.
     * Reads up to {@link #lanes()} floats past the used ones and may write up to {@code lanes() - 1} past each row's {@code n}.
     */
    void select(float[] src, int sOff, int sPitch, int[] off, int taps, boolean max, float[] codes, int cOff, int cPitch, int rows, int n);

    /**
     * For {@code r < rows}, {@code i < n}: {@code dst[dOff + r*dPitch + i] = 0 + c_0 + c_1 + ...} (in that order) over {@code k < nt},
     * where {@code c_k = g[e]} if {@code codes[e] == code[k]} else 0, at {@code e = sOff + r*sPitch + off[k] + i}. Writes exactly.
     */
    void route(float[] codes, float[] g, int sOff, int sPitch, int[] off, float[] code, int nt, float[] dst, int dOff, int dPitch, int rows, int n);

    /** The kernels that go with {@code k}: vectors unless {@code k} is the scalar fallback. */
    static WindowGradKernels of(Kernels k) {
        return k instanceof ScalarKernels ? WindowGradScalar.INSTANCE : WindowGradVector.INSTANCE;
    }
}
