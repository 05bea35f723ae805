package dev.convolve.backend.fast;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Fresh output arrays for engines that store every element ({@link FullWrite}), allocated without zeroing when the JVM
 * allows it: {@code jdk.internal.misc.Unsafe.allocateUninitializedArray}, which needs
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (the {@code Add-Exports} entry of {@code convolve-all.jar}'s
 * manifest grants it to {@code java -jar}, and so to {@code ./convolve}). Without the export, plain {@code new float[n]}.
 *
 * <p>Why: on a 2-core Xeon (2026-11-25) a fresh 800 KB output cost about 80 µs to zero on the calling thread, against
 * 40 µs for the whole of {@code mnist-l1}'s forward into a kept output; without the zeroing its fresh forward took 0.68x the
 * time, {@code mnist-l2}'s 0.72x and {@code mnist-l3}'s 0.79x (both builds in one JVM, two threads). Outputs of many
 * megabytes gained nothing there: writing them is bound by memory either way.
 *
 * <p>Only an allocation that C2 makes inline skips the zeroing. An array that does not fit what is left of the thread's
 * allocation buffer, and any array over 1 MB (C2 allocates larger ones through the runtime), goes through the JVM's runtime
 * allocation, which zeroes it anyway: profiles of 800 KB and 3.2 MB outputs (2026-11-25) show that {@code memset} under
 * this call. Bigger allocation buffers ({@code -XX:TLABSize}) removed it for the 800 KB outputs without a measurable gain.
 * Measured again 2026-11-26 (JDK 25.0.3, ParallelGC, {@code -Xms2g} as {@code ./convolve} runs, one thread allocating in a
 * loop): 131072 floats (512 KB) took 0.4 µs without zeroing against 54 µs zeroed, but 140000 floats and more took as long
 * as {@code new float[n]} (54-78 µs up to 800 KB, 102 µs at 1 MB, 1.64 ms at 16 MB), also with 8 and 128 MB allocation
 * buffers: on this JVM the inline allocation ends at 512 KB, not 1 MB. Outputs between 512 KB and 1 MB are therefore
 * zeroed and get no spare ({@link SpareArrays#MIN_FLOATS}); spares from 512 KB left {@code mnist-l1}'s 800 KB forward
 * level within the noise (0.96-0.98x in one JVM), so the bound stayed.
 */
final class FreshArrays {
    private FreshArrays() {}

    /** Below this many floats a zeroed array costs next to nothing, and the full-write test is not worth its time. */
    static final int MIN_FLOATS = 4096;

    /** {@code (Class, int) -> Object}: the JDK's allocation without zeroing, bound to its {@code Unsafe}; null when not exported to us. */
    private static final MethodHandle UNINITIALIZED = find();

    /** True when fresh outputs skip the zeroing (the JVM exports {@code jdk.internal.misc} to this code). */
    static boolean uninitialized() { return UNINITIALIZED != null; }

    /**
     * An array of {@code n} floats whose contents are unspecified when {@link #uninitialized()} and {@code n >= MIN_FLOATS}:
     * only for a caller that stores every element before anything reads it. Over 1 MB, a spare made ahead of time when one
     * is ready ({@link SpareArrays}).
     */
    static float[] forFullWrite(int n) {
        float[] spare = SpareArrays.take(n);
        if (spare != null) return spare;
        if (UNINITIALIZED == null || n < MIN_FLOATS) return new float[n];
        try {
            return (float[]) (Object) UNINITIALIZED.invokeExact((Class<?>) float.class, n);
        } catch (Throwable e) {
            throw new IllegalStateException("fresh output of " + n + " floats: " + e, e);
        }
    }

    private static MethodHandle find() {
        try {
            Class<?> u = Class.forName("jdk.internal.misc.Unsafe");
            if (!u.getModule().isExported(u.getPackageName(), FreshArrays.class.getModule())) return null;
            Object unsafe = u.getMethod("getUnsafe").invoke(null);
            MethodHandle h = MethodHandles.lookup().findVirtual(u, "allocateUninitializedArray",
                    MethodType.methodType(Object.class, Class.class, int.class));
            return h.bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
