package dev.convolve.train;

import dev.convolve.backend.Threads;
import dev.convolve.data.Batches;
import dev.convolve.data.Datasets;
import dev.convolve.data.LabeledImages;
import dev.convolve.nn.Dropout;
import dev.convolve.nn.Models;
import dev.convolve.nn.Module;
import dev.convolve.nn.Layout;
import dev.convolve.nn.Sequential;
import dev.convolve.optim.Optimizer;
import dev.convolve.optim.Schedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The training loop: mini-batches shuffled from the seed, forward, cross-entropy, backward, optimizer step with the
 * scheduled learning rate; a progress bar per epoch, evaluation on the test set after each epoch, a checkpoint
 * (safetensors, written atomically) and the loss/accuracy curves (PNG) after each epoch, and exact resumption
 * from the checkpoint.
 *
 * <p>Reproducible: the same recipe, seed and thread count give the same numbers, and a run resumed from the
 * checkpoint of epoch {@code k} continues exactly as the uninterrupted run.
 */
public final class Trainer {
    private Trainer() {}

    /**
     * How to run.
     *
     * @param out      folder for {@code checkpoint.safetensors} and {@code curves.png}; null to write nothing
     * @param resume   continue from {@code out/checkpoint.safetensors} when it exists
     * @param threads  worker threads (0 keeps the current setting)
     * @param log      one line per epoch (may be null)
     * @param progress the progress bar (may be null)
     * @param stopAfterEpochs when positive, stop (with a checkpoint) after this many epochs of this invocation, as an
     *                 interrupted run would; the schedule still spans the recipe's epochs
     */
    public record Options(Recipe recipe, Path dataDir, boolean download, Path out, boolean resume, int threads, PrintWriter log, PrintWriter progress,
                          int stopAfterEpochs) {
        /** Options that run to the recipe's last epoch. */
        public Options(Recipe recipe, Path dataDir, boolean download, Path out, boolean resume, int threads, PrintWriter log, PrintWriter progress) {
            this(recipe, dataDir, download, out, resume, threads, log, progress, 0);
        }
    }

    /** The outcome of a run. */
    public record Result(Recipe recipe, Module model, List<EpochStats> history, Evaluation test, double imagesPerSecond, double trainSeconds,
                         double seconds, long parameters, double peakRssMb, double maxLiveHeapMb, Path checkpoint, Path curves, int resumedFrom,
                         double warmupSeconds) {}

    /** Loads the recipe's dataset and trains. */
    public static Result run(Options o) throws IOException {
        long t0 = System.nanoTime();
        if (o.threads() > 0) Threads.setThreads(o.threads());
        var warm = Warmup.start(o.recipe(), o.out() != null, WARMUP_MILLIS);
        Datasets.Split split = Datasets.load(o.recipe().dataset(), o.dataDir(), o.download(), o.progress());
        return run(o, split, t0, warm.join());
    }

    /** Time budget of the JIT warm-up that runs while the data loads. */
    static final long WARMUP_MILLIS = 6000;

    /** Trains on an already loaded split. */
    public static Result run(Options o, Datasets.Split split) throws IOException {
        long t0 = System.nanoTime();
        if (o.threads() > 0) Threads.setThreads(o.threads());
        return run(o, split, t0, Warmup.run(o.recipe(), o.out() != null, WARMUP_MILLIS));
    }

    private static Result run(Options o, Datasets.Split split, long t0, double warmup) throws IOException {
        Recipe r = o.recipe();
        if (o.threads() > 0) Threads.setThreads(o.threads());
        LabeledImages train = r.trainLimit() > 0 ? split.train().head(r.trainLimit()) : split.train();
        LabeledImages test = split.test();
        Module model = Models.create(r.model(), r.seed());
        Path ckpt = o.out() == null ? null : o.out().resolve("checkpoint.safetensors");
        Path curves = o.out() == null ? null : o.out().resolve("curves.png");
        int startEpoch = 0;
        List<EpochStats> history = new ArrayList<>();
        Checkpoint.Saved saved = null;
        if (o.resume() && ckpt != null && Files.exists(ckpt)) {
            saved = Checkpoint.read(ckpt);
            Recipe s = saved.recipe();
            if (!s.model().equals(r.model()) || !s.dataset().equals(r.dataset()) || !s.optimizer().equals(r.optimizer())) {
                throw new IllegalArgumentException("train: cannot resume " + ckpt + ": it was made by " + s.model() + " on " + s.dataset() + " with " + s.optimizer()
                        + ", not " + r.model() + " on " + r.dataset() + " with " + r.optimizer());
            }
            r = s.withEpochs(r.epochs());
            Checkpoint.restore(model, saved.model());
            startEpoch = saved.epochsDone();
            history.addAll(saved.history());
        }
        Optimizer opt = r.optimizer(model.namedParameters());
        if (saved != null) opt.loadState(saved.optimizer());
        Batches batches = new Batches(train, r.batchSize(), r.seed(), r.shift(), r.flip());
        boolean batchLast = model instanceof Sequential sq && sq.inputLayout() == Layout.BATCH_LAST;
        Schedule schedule = r.schedule(batches.count());
        TrainStep step = new TrainStep(model, opt, schedule, r.labelSmoothing(), batchLast);
        double trainSeconds = 0;
        long trainImages = 0;
        double maxHeap = 0;
        for (EpochStats e : history) maxHeap = Math.max(maxHeap, e.heapMb());
        int lastEpoch = o.stopAfterEpochs() > 0 ? Math.min(r.epochs(), startEpoch + o.stopAfterEpochs()) : r.epochs();
        for (int epoch = startEpoch; epoch < lastEpoch; epoch++) {
            reseedDropout(model, r.seed(), epoch);
            model.train(true);
            Progress bar = new Progress(o.progress(), epoch + 1, r.epochs(), batches.count());
            long e0 = System.nanoTime();
            double lossSum = 0;
            long seen = 0, right = 0;
            int b = 0;
            Iterator<Batches.Batch> it = batches.epoch(epoch, batchLast).iterator();
            while (it.hasNext()) {
                double l = step.run(it);
                if (!Double.isFinite(l)) {
                    throw new IllegalStateException("train: the loss became " + l + " at epoch " + (epoch + 1) + ", batch " + (b + 1)
                            + "; the learning rate " + opt.learningRate() + " is probably too high");
                }
                lossSum += l * step.size;
                right += step.right;
                seen += step.size;
                b++;
                bar.update(b, lossSum / seen, seen, b == batches.count());
            }
            double secs = (System.nanoTime() - e0) / 1e9;
            bar.finish();
            trainSeconds += secs;
            trainImages += seen;
            Evaluation ev = Evaluation.of(model, test, Warmup.EVAL_BATCH);
            double heap = Memory.liveHeapMb();
            maxHeap = Math.max(maxHeap, heap);
            EpochStats st = new EpochStats(epoch + 1, lossSum / seen, (double) right / seen, ev.loss(), ev.accuracy(), secs, seen / secs, heap, Memory.peakRssMb());
            history.add(st);
            if (ckpt != null) Checkpoint.save(ckpt, model, opt, r, epoch + 1, history);
            if (curves != null) Curves.write(curves, r.model() + " on " + r.dataset(), history);
            if (o.log() != null) {
                o.log().print(epochLine(st, r.epochs(), opt.learningRate()));
                o.log().flush();
            }
        }
        Evaluation fin = Evaluation.of(model, test, Warmup.EVAL_BATCH);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (trainImages == 0) {
            for (EpochStats e : history) { trainSeconds += e.trainSeconds(); trainImages += Math.round(e.imagesPerSecond() * e.trainSeconds()); }
        }
        return new Result(r, model, history, fin, trainSeconds > 0 ? trainImages / trainSeconds : 0, trainSeconds, seconds, model.parameterCount(),
                Memory.peakRssMb(), maxHeap, ckpt, curves, startEpoch, warmup);
    }

    /** The log line of an epoch. */
    static String epochLine(EpochStats st, int epochs, double lr) {
        return String.format("epoch %2d/%d  lr %.4f  train loss %.4f  train acc %.4f  test loss %.4f  test acc %.4f  %.1f s  %.0f img/s  heap %.0f MiB  peak rss %.0f MiB%n",
                st.epoch(), epochs, lr, st.trainLoss(), st.trainAccuracy(), st.testLoss(), st.testAccuracy(), st.trainSeconds(), st.imagesPerSecond(),
                st.heapMb(), st.rssMb());
    }

    /** Gives every dropout layer a generator that depends only on the seed and the epoch (exact resumption). */
    private static void reseedDropout(Module m, long seed, int epoch) {
        int[] k = {0};
        walk(m, seed, epoch, k);
    }

    private static void walk(Module m, long seed, int epoch, int[] k) {
        if (m instanceof Dropout d) d.reseed(seed * 31 + epoch * 1_000_003L + k[0]++);
        for (Module c : m.children().values()) walk(c, seed, epoch, k);
    }
}
