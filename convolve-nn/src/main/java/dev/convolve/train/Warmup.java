package dev.convolve.train;

import dev.convolve.backend.JitActivity;

import dev.convolve.autograd.kernels.BatchLastConv;
import dev.convolve.data.Batches;
import dev.convolve.data.LabeledImages;
import dev.convolve.nn.Layout;
import dev.convolve.nn.Models;
import dev.convolve.nn.Module;
import dev.convolve.nn.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * Gets the JIT to compile the training code before the first epoch, so that every epoch runs at the steady speed.
 *
 * <p>Java's Vector API code runs very slowly until the JIT has compiled it, and the JIT compiles a method with its
 * optimizing compiler (C2) only after some thousands of calls; until then the epochs run slower code, and the
 * compiler threads take CPU from them (on two cores, enough to slow the first epochs by half). So the warm-up:
 *
 * <ol>
 *   <li>runs the conv kernels on tiny problems ({@code BatchLastConv.warmUp}), where the calls that get them
 *       compiled are cheap;</li>
 *   <li>then runs the training step itself ({@link TrainStep}: batches, forward, loss, backward, optimizer) on
 *       throw-away copies of the model, with random images and the recipe's optimizer and schedule (its learning rate
 *       scaled down), mostly on small batches (cheap calls) with a full-size batch every few steps (so the code sees
 *       the real shapes too), and now and then the evaluation that follows each epoch and a fresh model and optimizer
 *       (so the compiled code is not thrown away when the trainer's run takes those paths), until the JIT has had
 *       nothing more to compile for a while, or the time budget is spent.</li>
 * </ol>
 *
 * Each JVM warms up a given kind of training once.
 * It runs while the dataset loads; its time is reported apart from the training epochs ({@code warmup_seconds})
 * and counted in the run's wall time.
 */
public final class Warmup {
    private Warmup() {}

    /**
     * Starts warming up the code of {@code recipe}'s training in the background (with {@code files}, also the writing of
     * a checkpoint and curves after each epoch, to a temporary folder); the future yields the seconds spent.
     */
    public static CompletableFuture<Double> start(Recipe recipe, boolean files, long budgetMillis) {
        CompletableFuture<Double> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(run(recipe, files, budgetMillis));
            } catch (Throwable e) {
                f.complete(0.0);
            }
        }, "convolve-warmup");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Warms up the training code of {@code recipe} (at most {@code budgetMillis}); returns the seconds spent. */
    public static double run(Recipe recipe, boolean files, long budgetMillis) {
        long t0 = System.nanoTime(), end = t0 + budgetMillis * 1_000_000L;
        boolean debug = Boolean.getBoolean("convolve.debugWarmup");
        BatchLastConv.warmUp(budgetMillis / 2);
        if (debug) System.err.printf("warm-up: kernels %.2f s%n", (System.nanoTime() - t0) / 1e9);
        // The same code (model, optimizer, augmentation) already warmed up in this JVM: nothing left to compile.
        String key = recipe.model() + "/" + recipe.optimizer() + "/" + (recipe.momentum() > 0) + "/" + (recipe.labelSmoothing() > 0) + "/"
                + (recipe.shift() > 0) + "/" + recipe.flip() + "/" + Models.defaultLayout();
        if (!WARMED.add(key)) return (System.nanoTime() - t0) / 1e9;
        Module m = Models.create(recipe.model(), 1);
        boolean batchLast = m instanceof Sequential sq && sq.inputLayout() == Layout.BATCH_LAST;
        int full = recipe.batchSize(), small = Math.min(full, SMALL_BATCH);
        // Random images with the dataset's shape (1 x 28 x 28, 10 classes; every built-in model takes these).
        LabeledImages images = random(full * 2 + small / 2, 28, 28, 10);
        Batches smallBatches = new Batches(images, small, 1, recipe.shift(), recipe.flip()), fullBatches = new Batches(images, full, 2, recipe.shift(), recipe.flip());
        Iterator<Batches.Batch> smalls = smallBatches.epoch(0, batchLast).iterator(), fulls = fullBatches.epoch(0, batchLast).iterator();
        Recipe quiet = recipe.withLr(recipe.lr() * 1e-3);
        LabeledImages evalImages = random(2 * EVAL_BATCH, 28, 28, 10);
        TrainStep step = null;
        JitActivity jit = new JitActivity();
        long s0 = System.nanoTime(), window = s0, windowJit = jit.millis();
        int it = 0, epoch = 0, restarts = 0;
        for (; System.nanoTime() < end; it++) {
            // The iterators of real epochs (not a wrapper), so the call sites see the classes the epochs use.
            if (!smalls.hasNext()) smalls = smallBatches.epoch(++epoch, batchLast).iterator();
            if (!fulls.hasNext()) fulls = fullBatches.epoch(++epoch, batchLast).iterator();
            if (it == (restarts == 0 ? 0 : RESTART_FIRST << (restarts - 1))) {
                restarts++;
                // Every so often the evaluation that follows each epoch (no gradients, other shapes), then a fresh model
                // and optimizer (a fresh model's layers start without plans; the learning-rate schedule starts again
                // from step 0), so that the code compiled here expects all of what the trainer will do.
                if (it > 0) Evaluation.of(m, evalImages, EVAL_BATCH);
                m = Models.create(recipe.model(), 1 + it);
                step = new TrainStep(m, quiet.optimizer(m.namedParameters()), quiet.schedule(RESTART_FIRST / 10), quiet.labelSmoothing(), batchLast);
                m.train(true);
            }
            step.run(it % FULL_EVERY == FULL_EVERY - 1 ? fulls : smalls);
            if (it == 0) betweenEpochs(m, step, recipe, files);
            long now = System.nanoTime();
            // Enough calls for the JIT to have compiled the code that runs once per step, and then a while in which the
            // JIT (almost) stopped compiling. A bigger model's steps take long, and its epochs too, so that compilation
            // matters less: after some time it stops once the JIT is mostly idle, and after twice that in any case.
            boolean slow = now - s0 > MAX_STEP_NANOS, enough = it >= MIN_STEPS || slow;
            if (now - s0 > 2 * MAX_STEP_NANOS || !jit.available() && enough) break;
            if (!jit.available() || now - window < WINDOW_NANOS) continue;
            long j = jit.millis();
            if (debug) System.err.printf("warm-up: step %d at %.2f s, JIT %d ms in the last %.0f ms%n", it, (now - t0) / 1e9, j - windowJit, (now - window) / 1e6);
            if (enough && (j - windowJit) * 1e6 <= (slow ? MOSTLY_IDLE_FRACTION : QUIET_FRACTION) * (now - window)) break;
            window = now;
            windowJit = j;
        }
        if (System.nanoTime() < end) Evaluation.of(m, evalImages, EVAL_BATCH);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (debug) System.err.printf("warm-up: %d steps, %.2f s%n", it, secs);
        return secs;
    }

    private static final Set<String> WARMED = ConcurrentHashMap.newKeySet();

    /**
     * Once, what the trainer does between epochs: the log line, the checkpoint and the curves. Their classes (image
     * writing, among others) load now; loading classes can throw away compiled code, which then would be compiled
     * again in the middle of the second epoch.
     */
    private static void betweenEpochs(Module m, TrainStep step, Recipe recipe, boolean files) {
        List<EpochStats> history = List.of(new EpochStats(1, 2.0, 0.3, 0.5, 0.8, 1, 60000, 70, Memory.peakRssMb()),
                new EpochStats(2, 0.3, 0.9, 0.2, 0.9, 1, 60000, 70, Memory.peakRssMb()));
        Trainer.epochLine(history.get(1), recipe.epochs(), recipe.lr());
        if (!files) return;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("convolve-warmup");
            Checkpoint.save(dir.resolve("checkpoint.safetensors"), m, step.optimizer(), recipe, 2, history);
            Curves.write(dir.resolve("curves.png"), recipe.model() + " on " + recipe.dataset(), history);
        } catch (IOException | RuntimeException e) {
            // only a warm-up
        } finally {
            if (dir != null) {
                try (var files2 = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files2::iterator) Files.deleteIfExists(f);
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // left in the temporary folder
                }
            }
        }
    }

    /** Batch size of most warm-up steps: cheap steps, so that the code called once per step is called often enough. */
    static final int SMALL_BATCH = 16;
    /** Every this many steps, one at the recipe's batch size. */
    static final int FULL_EVERY = 16;
    /** At least this many steps (the JIT compiles glue code called once per step after some thousands of calls). */
    static final int MIN_STEPS = Integer.getInteger("convolve.warmupSteps", 1500);
    /** Steps before the first fresh model and optimizer (then after twice as many, and so on). */
    static final int RESTART_FIRST = 250;
    /** The trainer's evaluation batch. */
    static final int EVAL_BATCH = 1000;
    /** After this long in steps, stop once the JIT is mostly idle; after twice this, stop. */
    static final long MAX_STEP_NANOS = 1_500_000_000L;
    static final double MOSTLY_IDLE_FRACTION = 0.25;
    /** Stop after a window of this length in which the JIT spent at most this fraction of the time compiling. */
    static final long WINDOW_NANOS = 200_000_000L;
    static final double QUIET_FRACTION = 0.05;

    private static LabeledImages random(int count, int h, int w, int classes) {
        SplittableRandom r = new SplittableRandom(7);
        byte[] px = new byte[count * h * w];
        for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = r.nextInt(classes);
        return new LabeledImages(px, labels, count, h, w, classes);
    }
}
