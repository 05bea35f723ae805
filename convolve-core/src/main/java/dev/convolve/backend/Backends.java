package dev.convolve.backend;

import dev.convolve.backend.reference.ReferenceBackend;

/**
 * Chooses the backend at start-up. The system property {@code convolve.backend} (or the environment variable
 * {@code CONVOLVE_BACKEND}) may be {@code reference}, {@code fast} or {@code auto} (default): auto takes the
 * fast backend when it can run here, and says once on stderr why it fell back when it cannot.
 */
public final class Backends {
    private Backends() {}

    private static final Backend REFERENCE = new ReferenceBackend();
    private static volatile Backend current;
    private static volatile String fallbackReason;

    /** The plain-loop oracle. */
    public static Backend reference() { return REFERENCE; }

    /** The backend operations use. */
    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                if (current == null) current = choose();
                b = current;
            }
        }
        return b;
    }

    /** Replaces the backend used by every operation (for tests and benchmarks). */
    public static void use(Backend backend) { current = backend; }

    /** The fast backend, or null with {@link #fallbackReason()} set when it cannot run here. */
    public static Backend fast() {
        try {
            Class<?> c = Class.forName("dev.convolve.backend.fast.FastBackend");
            return (Backend) c.getMethod("create").invoke(null);
        } catch (ClassNotFoundException e) {
            fallbackReason = "the fast backend is not part of this build";
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            fallbackReason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        }
        return null;
    }

    /** Why {@link #fast()} returned null, if it did. */
    public static String fallbackReason() { return fallbackReason; }

    private static Backend choose() {
        String want = System.getProperty("convolve.backend", System.getenv().getOrDefault("CONVOLVE_BACKEND", "auto")).trim().toLowerCase(java.util.Locale.ROOT);
        switch (want) {
            case "reference":
                return REFERENCE;
            case "fast":
            case "auto": {
                Backend f = fast();
                if (f != null) return f;
                System.err.println("convolve: using the reference backend (" + fallbackReason + ")");
                return REFERENCE;
            }
            default:
                throw new IllegalArgumentException("convolve.backend must be reference, fast or auto, got '" + want + "'");
        }
    }
}
