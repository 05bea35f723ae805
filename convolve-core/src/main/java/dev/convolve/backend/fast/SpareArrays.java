package dev.convolve.backend.fast;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fresh output arrays of the sizes a program keeps asking for, each allocated one call ahead by a background thread.
 *
 * <p>Used for conv results ({@link FullWrite#freshOutput}), pooling results ({@link FreshArrays#forFullWrite}), the
 * depthwise engines' input gradients, max pooling's gradient and the fast backend's kernel gradients ({@link #zeroed}).
 *
 * <p>Why: the JVM zeroes every array over 1 MB on the thread that allocates it, even through
 * {@code allocateUninitializedArray} ({@link FreshArrays}), and on a 2-core Xeon (2026-11-26) that {@code memset} of memory
 * that no cache held ran at about 10 GB/s, on the calling thread alone while the pool's worker waited: a grouped 8x128x56x56
 * forward took 3.6 ms with its fresh 12.8 MB output against 1.9 into a kept one. A spare made while the caller does
 * something else takes that zeroing off the call's path; made while the next call computes, it shares the cores with it.
 * Measured on two threads (one JVM, both orders, spares on against off): 64x3x32x32 -> 16 3x3 forward 0.81x the time,
 * depthwise 8x128x56x56 0.84-0.87x, grouped 8x128x56x56 -> 128 (4 channels a group) 0.85-0.88x, 8x256x28x28 -> 256 1x1
 * 0.96-0.97x, 64x32x28x28 -> 32 3x3 0.98-1.00x.
 *
 * <p>Safety: a spare is an ordinary {@code new float[n]} (zeroed by the JVM), referenced only from its slot until
 * {@link #take} hands it out, once ({@code getAndSet(null)}): no one else ever sees it, so it is a fresh array in every
 * sense a caller can tell. A spare is made only for a size asked for again while it still has one of the {@link #SLOTS}
 * slots (a program cycling through more sizes than that gets no spares, and no wasted ones), and never beyond
 * {@link #maxFloats} floats over all spares: then {@link #take} returns null and the caller allocates as before.
 */
final class SpareArrays {
    private SpareArrays() {}

    /**
     * No spares below this many floats (1 MB). Up to 512 KB C2 allocates inline and {@link FreshArrays} skips the zeroing;
     * between 512 KB and 1 MB the JVM zeroes anyway, but spares there measured level (see {@link FreshArrays}).
     */
    static final int MIN_FLOATS = 256 * 1024;

    /** Sizes with a slot at a time (one spare each at most). */
    static final int SLOTS = 8;

    /** Floats in spares at most, over every slot: 64 MB by default ({@code -Dconvolve.spareMB=N}; 0 turns spares off). */
    static volatile long maxFloats = Long.getLong("convolve.spareMB", 64L) * 256 * 1024;

    /** Tests and probes turn spares off with this. */
    static volatile boolean on = true;

    /** One size: its spare (null when none is ready) and whether a request for one is queued. */
    private record Slot(int size, AtomicReference<float[]> spare, AtomicBoolean requested) {}

    private static final Slot[] SLOT = new Slot[SLOTS];
    private static int next;
    private static Thread maker;
    private static final LinkedBlockingQueue<Slot> REQUESTS = new LinkedBlockingQueue<>();

    /**
     * A zeroed array of {@code n} floats that nothing else references, made ahead of time; or null: none ready, a size seen
     * for the first time (it gets a slot), or {@code n} below {@link #MIN_FLOATS} or above {@link #maxFloats}. When the
     * size has a slot, the next spare of this size is asked for.
     */
    static float[] take(int n) {
        if (!on || n < MIN_FLOATS || n > maxFloats) return null;
        Slot s = slot(n);
        if (s == null) return null;
        float[] a = s.spare().getAndSet(null);
        if (s.requested().compareAndSet(false, true)) REQUESTS.offer(s);
        return a;
    }

    /** {@link #take}, else a new array: a zeroed array of {@code n} floats that nothing else references, in any case. */
    static float[] zeroed(int n) {
        float[] a = take(n);
        return a != null ? a : new float[n];
    }

    /** The slot of size {@code n}, or null after giving it one (taking over the oldest slot when all are in use). */
    private static synchronized Slot slot(int n) {
        for (Slot s : SLOT) if (s != null && s.size() == n) return s;
        SLOT[next] = new Slot(n, new AtomicReference<>(), new AtomicBoolean());
        next = (next + 1) % SLOTS;
        if (maker == null) {
            maker = new Thread(SpareArrays::make, "convolve-spare-arrays");
            maker.setDaemon(true);
            maker.start();
        }
        return null;
    }

    /** The background thread: a spare per request, while its slot is still in use and empty, within {@link #maxFloats}. */
    private static void make() {
        while (true) {
            Slot s;
            try {
                s = REQUESTS.take();
            } catch (InterruptedException e) {
                return;
            }
            s.requested().set(false);
            if (s.spare().get() != null || !inUse(s) || held() + s.size() > maxFloats) continue;
            try {
                s.spare().compareAndSet(null, new float[s.size()]);
            } catch (OutOfMemoryError e) {
                // no spare: the caller allocates (and meets the shortage itself)
            }
        }
    }

    private static synchronized boolean inUse(Slot s) {
        for (Slot t : SLOT) if (t == s) return true;
        return false;
    }

    /** Floats held in spares now. */
    private static synchronized long held() {
        long h = 0;
        for (Slot s : SLOT) {
            float[] a = s == null ? null : s.spare().get();
            if (a != null) h += a.length;
        }
        return h;
    }
}
