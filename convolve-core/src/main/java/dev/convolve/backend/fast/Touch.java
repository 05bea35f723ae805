package dev.convolve.backend.fast;

/**
 * Brings a range of an array into the cache before a copy reads it: one plain load per cache line, all independent, so
 * the core has many lines in flight at once. Java has no prefetch instruction; a copy of short rows that meets each missing
 * line in turn waits for them one after another.
 *
 * <p>Measured single-threaded (CPU time, 2026-11-24, same JVM, interleaved): ChannelLanesConv's zero-padded copy of one
 * 32x28x28 image took 17-25 µs straight from memory and 7.2 µs after these loads; the whole 3x3 stride-2 conv 64x32x28x28
 * -> 64 went from 6.25 to 5.48 ms. Not every copy gains, so it is used only there and for the output rows a Winograd block
 * or a plane-lanes block will store ({@code Winograd.Job#touchOutput}, {@link PlaneLanes#TOUCH_MIN_FLOATS}; rows or planes
 * of 128+ floats per channel): the batch-lanes input transposes, the GEMM's B packing and shifted-gemm's phase planes were
 * no faster with it (within 2%), and depthwise-blocked's channel blocks slower (8x128x56x56 3x3 forward 3.8 against 4.2
 * ms). On the output side (2026-11-26, one JVM, two threads, both orders) the GEMM's output blocks before their products
 * took 1.08x the time (`pointwise-28x28`, 8x64x56x56 -> 256), channel-lanes' and tap-list's output blocks were level.
 */
final class Touch {
    private Touch() {}

    /** Floats per cache line (64 bytes). */
    static final int LINE = 16;

    /** Keeps the loads alive: a load whose value is never used may be removed by the compiler. */
    @SuppressWarnings("unused")
    private static volatile float sink;

    /** Loads one float per cache line of {@code a[from, to)} (and its last float). */
    static void lines(float[] a, int from, int to) {
        if (to <= from) return;
        float s = 0f;
        for (int i = from; i < to; i += LINE) s += a[i];
        sink = s + a[to - 1];
    }
}
