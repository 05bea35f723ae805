package dev.convolve.train;

import dev.convolve.autograd.Variable;
import dev.convolve.nn.Layout;
import dev.convolve.nn.Losses;
import dev.convolve.nn.Models;
import dev.convolve.nn.Module;
import dev.convolve.nn.Sequential;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.concurrent.CompletableFuture;

/**
 * Gets the JIT to compile the training kernels before the first epoch. Java's Vector API code runs very slowly
 * until the JIT has compiled it, and it only compiles what has run often; so the conv kernels first run on tiny
 * problems ({@code BatchLastConv.warmUp}), then a throw-away copy of the model runs forward and backward passes on
 * a small batch of random images (for the rest of its code) while the dataset loads, until the step time stops
 * improving or the time budget is spent. The time it
 * takes is reported apart from the training epochs.
 */
public final class Warmup {
    private Warmup() {}

    /** Starts warming up {@code model}'s code in the background; the future yields the seconds spent. */
    public static CompletableFuture<Double> start(String model, long budgetMillis) {
        CompletableFuture<Double> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(run(model, budgetMillis));
            } catch (Throwable e) {
                f.complete(0.0);
            }
        }, "convolve-warmup");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Runs passes of a fresh {@code model} until its step time settles; returns the seconds spent. */
    public static double run(String model, long budgetMillis) {
        long t0 = System.nanoTime(), end = t0 + budgetMillis * 1_000_000L;
        dev.convolve.autograd.kernels.BatchLastConv.warmUp(budgetMillis * 2 / 3);
        Module m = Models.create(model, 1, Layout.BATCH_LAST);
        boolean batchLast = m instanceof Sequential s && s.inputLayout() == Layout.BATCH_LAST;
        int n = 32;
        Tensor x = Tensor.randomUniform(1, DType.F32, 0, 1, batchLast ? new int[] {1, 28, 28, n} : new int[] {n, 1, 28, 28});
        Tensor y = Tensor.randomUniform(2, DType.S32, 0, 10, n);
        double best = Double.MAX_VALUE;
        int settled = 0;
        for (int it = 0; System.nanoTime() < end; it++) {
            long s = System.nanoTime();
            Variable logits = batchLast ? ((Sequential) m).applyLaidOut(Variable.constant(x)) : m.apply(x);
            Losses.crossEntropy(logits, y).backward();
            m.zeroGrad();
            double dt = (System.nanoTime() - s) / 1e9;
            if (Boolean.getBoolean("convolve.debugWarmup")) System.err.printf("warm-up %d: %.1f ms%n", it, dt * 1e3);
            if (it >= 8) {
                settled = dt < 1.5 * best ? settled + 1 : 0;
                if (settled >= 5 || it >= 20) break;
            }
            best = Math.min(best, dt);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
