package dev.convolve.bench;

import java.util.concurrent.CountDownLatch;

/**
 * The machine's fp32 peak as Java sees it: every thread runs twelve independent vector FMA chains (as
 * {@code peak_fma.c} does in C), all threads at once; the result is the total GFLOP/s, the ceiling that "percent
 * of peak" refers to.
 */
public final class Peak {
    private Peak() {}

    /** Total GFLOP/s of {@code threads} threads, the best of a few short runs; NaN when the Vector API is not enabled. */
    public static double gflops(int threads) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return Double.NaN;
        // Compile the kernel first (many short calls): threads entering it later then run C2's code, not the
        // interpreter's fallback of the Vector API.
        for (int i = 0; i < 3000; i++) PeakKernel.run(2_000);
        double best = 0;
        for (int rep = 0; rep < 3; rep++) best = Math.max(best, once(threads, 20_000_000L));
        return best;
    }

    private static double once(int threads, long itersPerThread) {
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        long[] flops = new long[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                flops[id] = PeakKernel.run(itersPerThread / 4);
            });
            ts[t].start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        long total = 0;
        for (int t = 0; t < threads; t++) {
            try {
                ts[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            total += flops[t];
        }
        double s = (System.nanoTime() - t0) * 1e-9;
        return total / s / 1e9;
    }
}
