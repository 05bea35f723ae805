package dev.convolve.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The worker threads kernels may use, sized by the user: {@link #setThreads(int)}, the system property
 * {@code convolve.threads}, or the environment variable {@code CONVOLVE_THREADS}; by default the number of
 * available cores.
 */
public final class Threads {
    private Threads() {}

    private static volatile int threads = initial();
    private static volatile ForkJoinPool pool;

    private static int initial() {
        String v = System.getProperty("convolve.threads", System.getenv("CONVOLVE_THREADS"));
        if (v != null && !v.isBlank()) {
            try {
                int t = Integer.parseInt(v.trim());
                if (t >= 1) return t;
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
            System.err.println("convolve: ignoring convolve.threads='" + v + "', expected a positive integer");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads kernels may use. */
    public static int threads() { return threads; }

    /** Sets the number of threads kernels may use (at least 1). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads: the number of threads must be at least 1, got " + n);
        if (n != threads) {
            ForkJoinPool old = pool;
            pool = null;
            threads = n;
            if (old != null) old.shutdown();
        }
    }

    /** The pool (created on first use). */
    public static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Threads.class) {
                if (pool == null) pool = new ForkJoinPool(threads);
                p = pool;
            }
        }
        return p;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, n), split over at most {@link #threads()} threads
     * (the calling thread takes part). Runs inline when there is one thread or one item.
     */
    public static void parallelFor(int n, IntConsumer body) {
        int t = Math.min(threads, n);
        if (t <= 1 || java.util.concurrent.ForkJoinTask.getPool() == pool()) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < n; ) body.accept(i);
        };
        var futures = new java.util.ArrayList<java.util.concurrent.ForkJoinTask<?>>(t - 1);
        for (int w = 1; w < t; w++) futures.add(pool().submit(worker));
        worker.run();
        for (var f : futures) f.join();
    }
}
