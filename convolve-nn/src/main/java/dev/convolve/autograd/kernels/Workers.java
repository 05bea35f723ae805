package dev.convolve.autograd.kernels;

import dev.convolve.backend.Threads;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A tiny pool for the training kernels' fork-join pattern: {@code run(n, body)} calls {@code body(0..n-1)}, task 0 on
 * the calling thread and task {@code i} on worker {@code i}, and returns when all are done. Workers spin briefly
 * before parking, so the many short parallel sections of a training step (a few tens of microseconds each) do not
 * pay a thread wake-up each; a general-purpose pool parks at once and wakes in tens of microseconds. The pool has
 * {@link Threads#threads()} - 1 workers (re-created when that setting changes); task assignment is fixed, so
 * results never depend on scheduling.
 */
public final class Workers {
    private Workers() {}

    private static final long SPIN_NANOS = 50_000;
    private static volatile Worker[] pool = new Worker[0];

    /** Runs {@code body.accept(i)} for {@code i} in [0, n), n at most {@link Threads#threads()}. */
    public static void run(int n, IntConsumer body) {
        if (n <= 1 || Thread.currentThread() instanceof Worker) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        Worker[] w = workers();
        int k = Math.min(n - 1, w.length);
        for (int i = 0; i < k; i++) w[i].submit(body, i + 1);
        Throwable failure = null;
        try {
            for (int i = k + 1; i < n; i++) body.accept(i); // more tasks than workers: the caller takes the rest
            body.accept(0);
        } catch (Throwable t) {
            failure = t;
        }
        for (int i = 0; i < k; i++) {
            Throwable t = w[i].await();
            if (failure == null) failure = t;
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new IllegalStateException(failure);
    }

    private static Worker[] workers() {
        Worker[] w = pool;
        int want = Math.max(0, Threads.threads() - 1);
        if (w.length == want) return w;
        synchronized (Workers.class) {
            w = pool;
            if (w.length != want) {
                for (Worker old : w) old.retire();
                Worker[] nw = new Worker[want];
                for (int i = 0; i < want; i++) {
                    nw[i] = new Worker(i + 1);
                    nw[i].start();
                }
                pool = w = nw;
            }
            return w;
        }
    }

    private static final class Worker extends Thread {
        private volatile IntConsumer job;
        private volatile int index;
        private volatile boolean done = true, retired;
        private volatile Throwable failure;
        private final Thread[] waiter = new Thread[1];

        Worker(int id) {
            super("convolve-kernel-" + id);
            setDaemon(true);
        }

        void submit(IntConsumer body, int i) {
            index = i;
            failure = null;
            done = false;
            job = body;
            LockSupport.unpark(this);
        }

        Throwable await() {
            long start = System.nanoTime();
            while (!done) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else Thread.yield();
            }
            return failure;
        }

        void retire() {
            retired = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!retired) {
                IntConsumer j = job;
                if (j == null) {
                    long start = System.nanoTime();
                    while ((j = job) == null && !retired && System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                    if (j == null) {
                        LockSupport.park(this);
                        continue;
                    }
                }
                job = null;
                try {
                    j.accept(index);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done = true;
                }
            }
        }
    }
}
