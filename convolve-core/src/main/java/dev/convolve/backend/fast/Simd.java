package dev.convolve.backend.fast;

import java.util.Locale;

/**
 * Chooses the micro-kernels at start-up: the Vector API when the module {@code jdk.incubator.vector} is present
 * and the hardware has vectors of at least 256 bits, otherwise the scalar kernels with a one-line notice saying
 * why (without hardware support the Vector API is many times slower than scalar code). The system property
 * {@code convolve.simd=false} (or {@code CONVOLVE_SIMD=false}) forces the scalar kernels.
 */
final class Simd {
    private Simd() {}

    /** The kernels chosen and, when they are the scalar ones, why (null otherwise). */
    record Choice(Kernels kernels, String whyScalar) {}

    /**
     * The Vector API class {@code className} implementing {@code type} (register tiles of one engine, generated), made with its
     * no-argument constructor, or null when it cannot be loaded (no Vector API module): the engine then uses its scalar tiles.
     */
    static <T> T loadVector(String className, Class<T> type) {
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    static Choice choose() {
        String want = System.getProperty("convolve.simd", System.getenv().getOrDefault("CONVOLVE_SIMD", "auto")).trim().toLowerCase(Locale.ROOT);
        if (want.equals("false") || want.equals("off") || want.equals("scalar")) {
            return new Choice(new ScalarKernels(), "SIMD switched off by convolve.simd=" + want);
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new Choice(new ScalarKernels(), "the Vector API module is not enabled; run java with --add-modules jdk.incubator.vector for SIMD");
        }
        try {
            Class<?> probe = Class.forName("dev.convolve.backend.fast.VectorProbe");
            String why = (String) probe.getMethod("unusableReason").invoke(null);
            if (why != null) return new Choice(new ScalarKernels(), why);
            Kernels k = (Kernels) Class.forName("dev.convolve.backend.fast.VectorKernels").getDeclaredConstructor().newInstance();
            return new Choice(k, null);
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new Choice(new ScalarKernels(), "the Vector API could not be loaded (" + c + ")");
        }
    }
}
