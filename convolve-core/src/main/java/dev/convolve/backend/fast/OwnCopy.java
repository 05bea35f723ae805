package dev.convolve.backend.fast;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies that each thread of a parallel loop makes for itself, in its own {@link Scratch} buffer at its first item, instead of
 * all threads reading one copy that the calling thread made before the loop. On the 2-core Xeon, floats written by one core and
 * then read by the other cost more than making them again: a kernel gradient whose items read a gradient copied by the caller
 * ran its items about twice as slow on two threads as on one (see {@link TapListGradKernel#ownGradientFloats}).
 *
 * <p>A call takes a number ({@link #call}); a thread's first item asks {@link #first} whether its buffer of that slot already
 * holds this call's copy. Numbers are never reused, so a buffer that another kernel wrote since is never taken for a copy.
 */
final class OwnCopy {
    private OwnCopy() {}

    private static final AtomicLong CALLS = new AtomicLong();

    /** Per thread and {@link Scratch} slot, the call whose copy the slot's buffer holds. */
    private static final ThreadLocal<long[]> HOLDS = ThreadLocal.withInitial(() -> new long[Scratch.SLOTS]);

    /** A number for one call's copies. */
    static long call() {
        return CALLS.incrementAndGet();
    }

    /**
     * True when this thread's buffer of {@code slot} does not yet hold call {@code call}'s copy (the caller then makes it
     * there); from then on false for that call on this thread.
     */
    static boolean first(int slot, long call) {
        long[] h = HOLDS.get();
        if (h[slot] == call) return false;
        h[slot] = call;
        return true;
    }
}
