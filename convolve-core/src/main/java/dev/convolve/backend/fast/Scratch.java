package dev.convolve.backend.fast;

/**
 * Per-thread working buffers that grow and are reused, so steady-state calls allocate nothing but their result.
 * Each slot is owned by one step of a kernel; a buffer's contents are undefined on return (never zeroed).
 */
final class Scratch {
    private Scratch() {}

    static final int SRC = 0, TILE = 1, PACK = 2, AUX = 3, GRAD = 4, PART = 5, OUT = 6;
    static final int SLOTS = 7;

    /** Buffers above this many elements are not kept between calls (they would pin memory). */
    private static final int KEEP_LIMIT = 64 << 20;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][]);
    private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[SLOTS][]);

    /** A float buffer of at least {@code size} elements for {@code slot} on this thread. */
    static float[] floats(int slot, int size) {
        float[][] f = FLOATS.get();
        float[] b = f[slot];
        if (b == null || b.length < size) {
            b = new float[grow(size)];
            if (size <= KEEP_LIMIT) f[slot] = b;
        }
        return b;
    }

    /** An int buffer of at least {@code size} elements for {@code slot} on this thread. */
    static int[] ints(int slot, int size) {
        int[][] f = INTS.get();
        int[] b = f[slot];
        if (b == null || b.length < size) {
            b = new int[grow(size)];
            if (size <= KEEP_LIMIT) f[slot] = b;
        }
        return b;
    }

    private static int grow(int size) {
        long g = (long) size + (size >> 3) + 64;
        return (int) Math.min(g, Integer.MAX_VALUE - 16);
    }
}
