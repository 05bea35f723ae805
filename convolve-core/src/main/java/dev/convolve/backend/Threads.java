package dev.convolve.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The worker threads kernels may use, sized by the user: {@link #setThreads(int)}, the system property
 * {@code convolve.threads}, or the environment variable {@code CONVOLVE_THREADS}; by default the number of
 * available cores.
 *
 * <p>{@link #parallelFor} runs on a small team of daemon workers that spin for a few tens of microseconds after
 * each job before they park, so that the back-to-back calls of a training step do not pay a thread wake-up each
 * (as OpenMP's wait policy does); the calling thread takes part. Nested calls, and calls made while another
 * thread's job is running, run inline on the calling thread.
 */
public final class Threads {
    private Threads() {}

    private static volatile int threads = initial();
    private static volatile ForkJoinPool pool;
    private static volatile Team team;

    /** How long an idle worker spins before it parks, in nanoseconds. */
    private static final long SPIN_NANOS = 50_000;

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
            Team t = team;
            team = null;
            threads = n;
            if (old != null) old.shutdown();
            if (t != null) t.stop();
        }
    }

    /** A fork-join pool of {@link #threads()} threads (created on first use), for callers that want one. */
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
     * True on a thread that is running a parallel loop's body (or {@link #sequential} code): a parallel loop started there runs
     * inline, so work sized for {@link #threads()} threads would only be cut finer for nothing.
     */
    public static boolean inJob() {
        return Team.inJob();
    }

    /**
     * Runs {@code r} with every {@link #parallelFor} it makes staying on the calling thread (for background work that
     * must not take the workers from the caller's real jobs).
     */
    public static void sequential(Runnable r) {
        boolean[] flag = Team.IN_JOB.get();
        boolean was = flag[0];
        flag[0] = true;
        try {
            r.run();
        } finally {
            flag[0] = was;
        }
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, n), split over at most {@link #threads()} threads
     * (the calling thread takes part). Runs inline when there is one thread or one item. Exceptions thrown by
     * the body are rethrown on the calling thread after all items stopped.
     */
    public static void parallelFor(int n, IntConsumer body) { parallelFor(n, threads, body); }

    /** As {@link #parallelFor(int, IntConsumer)} with at most {@code maxThreads} threads (small jobs should use few). */
    public static void parallelFor(int n, int maxThreads, IntConsumer body) {
        int t = Math.min(Math.min(threads, maxThreads), n);
        if (t <= 1 || Team.inJob()) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        Team tm = team;
        if (tm == null) {
            synchronized (Threads.class) {
                if (team == null) team = new Team(threads - 1);
                tm = team;
            }
        }
        if (!tm.run(n, t, body)) {
            for (int i = 0; i < n; i++) body.accept(i);
        }
    }

    /** Daemon workers sharing one job at a time. */
    private static final class Team {
        private static final ThreadLocal<boolean[]> IN_JOB = ThreadLocal.withInitial(() -> new boolean[1]);

        private final Thread[] workers;
        private final AtomicInteger busy = new AtomicInteger();
        private volatile boolean stopped;
        private volatile long generation;
        private volatile Job job;

        /**
         * One parallel loop. Items are taken from {@code next}; helpers register in {@code active} before they look at
         * {@code closed}, and the owner closes the job after its own loop and waits for {@code active} to drain, so a
         * helper that arrives late finds no item left and never runs the body after the owner returned.
         */
        private static final class Job {
            final IntConsumer body;
            final int n, helpers;
            final long gen;
            final Thread owner;
            final AtomicInteger next = new AtomicInteger(), joined = new AtomicInteger(), active = new AtomicInteger();
            volatile boolean closed;
            volatile Throwable failure;

            Job(IntConsumer body, int n, int helpers, long gen, Thread owner) {
                this.body = body;
                this.n = n;
                this.helpers = helpers;
                this.gen = gen;
                this.owner = owner;
            }

            void work() {
                try {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        if (failure != null) break;
                        body.accept(i);
                    }
                } catch (Throwable e) {
                    if (failure == null) failure = e;
                    next.set(n);
                }
            }
        }

        Team(int size) {
            workers = new Thread[size];
            for (int i = 0; i < size; i++) {
                Thread w = new Thread(this::loop, "convolve-worker-" + (i + 1));
                w.setDaemon(true);
                workers[i] = w;
                w.start();
            }
        }

        static boolean inJob() { return IN_JOB.get()[0]; }

        void stop() {
            stopped = true;
            for (Thread w : workers) LockSupport.unpark(w);
        }

        /** Runs the loop with up to {@code t - 1} helpers; false when another job holds the team (the caller then runs inline). */
        boolean run(int n, int t, IntConsumer body) {
            if (!busy.compareAndSet(0, 1)) return false;
            boolean[] flag = IN_JOB.get();
            flag[0] = true;
            try {
                Job j = new Job(body, n, Math.min(t - 1, workers.length), generation + 1, Thread.currentThread());
                job = j;
                generation = j.gen;
                for (int i = 0; i < j.helpers; i++) LockSupport.unpark(workers[i]);
                j.work();
                j.closed = true;
                // wait for helpers still inside: spin a little, then park (the last one unparks us)
                long start = System.nanoTime();
                while (j.active.get() > 0) {
                    if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                    else LockSupport.parkNanos(j, 100_000);
                }
                job = null;
                Throwable f = j.failure;
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error er) throw er;
                if (f != null) throw new RuntimeException(f);
                return true;
            } finally {
                flag[0] = false;
                busy.set(0);
            }
        }

        private void loop() {
            IN_JOB.get()[0] = true;
            long seen = 0;
            while (!stopped) {
                long idleSince = System.nanoTime();
                Job j;
                while (true) {
                    long g = generation;
                    j = job;
                    if (j != null && j.gen == g && g != seen) break;
                    if (stopped) return;
                    if (System.nanoTime() - idleSince < SPIN_NANOS) Thread.onSpinWait();
                    else LockSupport.park(this);
                }
                seen = j.gen;
                if (j.joined.getAndIncrement() >= j.helpers) continue;
                j.active.incrementAndGet();
                if (!j.closed) j.work();
                if (j.active.decrementAndGet() == 0 && j.closed) LockSupport.unpark(j.owner);
            }
        }
    }
}
