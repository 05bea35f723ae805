package dev.convolve.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadsTest {
    private final int saved = Threads.threads();

    @AfterEach
    void restore() { Threads.setThreads(saved); }

    @Test
    void everyItemRunsExactlyOnce() {
        for (int t : new int[] {1, 2, 3, 4}) {
            Threads.setThreads(t);
            for (int n : new int[] {0, 1, 2, 7, 1000}) {
                for (int rep = 0; rep < 50; rep++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Threads.parallelFor(n, hits::incrementAndGet);
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "item " + i + " of " + n + " with " + t + " threads");
                }
            }
        }
    }

    @Test
    void nestedCallsRunInline() {
        Threads.setThreads(3);
        AtomicInteger total = new AtomicInteger();
        Threads.parallelFor(10, i -> Threads.parallelFor(10, j -> total.incrementAndGet()));
        assertEquals(100, total.get());
    }

    @Test
    void failuresReachTheCaller() {
        Threads.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Threads.parallelFor(100, i -> {
            if (i == 37) throw new IllegalStateException("item 37");
        }));
        assertEquals("item 37", e.getMessage());
        // the team still works afterwards
        AtomicInteger n = new AtomicInteger();
        Threads.parallelFor(100, i -> n.incrementAndGet());
        assertEquals(100, n.get());
    }

    @Test
    void concurrentCallersAllFinish() throws Exception {
        Threads.setThreads(2);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] fs = new Future<?>[4];
            for (int c = 0; c < 4; c++) {
                fs[c] = ex.submit(() -> {
                    for (int rep = 0; rep < 200; rep++) {
                        AtomicInteger n = new AtomicInteger();
                        Threads.parallelFor(64, i -> n.incrementAndGet());
                        assertEquals(64, n.get());
                    }
                });
            }
            for (Future<?> f : fs) f.get();
        } finally {
            ex.shutdown();
        }
        assertTrue(ex.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void rejectsNonPositiveCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.setThreads(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }
}
