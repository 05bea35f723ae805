package dev.convolve.vision.fast;

/**
 * Row buffers that a thread reuses from one filter call to the next (the studio and the benchmarks filter frame after
 * frame; fresh buffers would be allocated and zeroed each time). Contents are not cleared between uses: callers write
 * every element they read, except {@link #zeros}, which nobody writes. Buffers larger than {@link #RETAIN_FLOATS} in
 * all are handed out fresh and not kept.
 */
final class Scratch {
    /** What a thread keeps at most, in floats per kind of buffer (4 MB). */
    static final int RETAIN_FLOATS = 1 << 20;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /** Kinds of row sets, one buffer each: they are used at the same time. */
    static final int OUTPUT_ROWS = 0, SOURCE_ROWS = 1, SPARE_ROWS = 2;

    private final float[][][] rows = new float[3][][];
    private float[] zeros = new float[0];
    private byte[] zeroBytes = new byte[0];

    private Scratch() {}

    /** The calling thread's buffers. */
    static Scratch get() { return LOCAL.get(); }

    /** {@code count} rows of at least {@code len} floats each (contents undefined). */
    float[][] rows(int kind, int count, int len) {
        float[][] r = rows[kind];
        if (r != null && r.length >= count && r[0].length >= len) return r;
        float[][] fresh = new float[count][len];
        if ((long) count * len <= RETAIN_FLOATS) rows[kind] = fresh;
        return fresh;
    }

    /** At least {@code len} zero floats (never written by anyone). */
    float[] zeros(int len) {
        if (zeros.length >= len) return zeros;
        float[] z = new float[len];
        if (len <= RETAIN_FLOATS) zeros = z;
        return z;
    }

    /** At least {@code len} zero bytes (never written by anyone). */
    byte[] zeroBytes(int len) {
        if (zeroBytes.length >= len) return zeroBytes;
        byte[] z = new byte[len];
        if (len <= 4 * RETAIN_FLOATS) zeroBytes = z;
        return z;
    }
}
