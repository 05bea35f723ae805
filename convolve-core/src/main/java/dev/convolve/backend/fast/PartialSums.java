package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;

/**
 * Partial results of a reduction split over threads or chunks, added up in a fixed order (so a result never depends on
 * scheduling), over all threads when there are many: on the calling thread alone this was 14% of 8x128x28x28 -> 256 3x3 s2's
 * kernel gradient on two threads ({@link GradKernelWide}, 2026-11-26).
 */
final class PartialSums {
    private PartialSums() {}

    /** Floats of partial sums from which they are added up on every thread. */
    static final int PARALLEL = 1 << 14;

    /**
     * {@code dst[i] += src[srcOff + c*stride + i]} for {@code c = 0, 1, ..., copies - 1} in that order and {@code i < size}, by
     * ranges of {@code i} over the threads when {@code size >= PARALLEL}.
     */
    static void addInOrder(float[] dst, float[] src, int srcOff, int stride, int copies, int size) {
        if (copies <= 0) return;
        int pieces = size >= PARALLEL ? Threads.threads() : 1;
        Threads.parallelFor(pieces, pieces, pc -> {
            int a = (int) ((long) size * pc / pieces), e = (int) ((long) size * (pc + 1) / pieces);
            for (int c = 0; c < copies; c++) {
                int from = srcOff + c * stride;
                for (int i = a; i < e; i++) dst[i] += src[from + i];
            }
        });
    }
}
