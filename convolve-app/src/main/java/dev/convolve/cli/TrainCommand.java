package dev.convolve.cli;

import dev.convolve.backend.Threads;
import dev.convolve.data.DatasetInfo;
import dev.convolve.nn.Models;
import dev.convolve.nn.Summary;
import dev.convolve.train.Recipe;
import dev.convolve.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code convolve train}: trains a built-in model on MNIST or Fashion-MNIST. By default fast.ai's recipe from the
 * seed: simple_cnn, batch 256, SGD with lr 0.4 for 5 epochs then 0.1 for 5. Prints the model, one line per epoch,
 * and ends with one JSON line of the final metrics.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a CNN on MNIST or Fashion-MNIST (default: fast.ai's simple_cnn recipe, 10 epochs).",
                "Writes OUT/checkpoint.safetensors and OUT/curves.png after every epoch; ends with one JSON line."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "simple-cnn (default), lenet5 or resnet") String model = "simple-cnn";
    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist (default) or fashion-mnist") String dataset = "mnist";
    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: the model's recipe, 10 for simple-cnn)") Integer epochs;
    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (peak rate for one-cycle; default: the recipe's)") Double lr;
    @Option(names = "--batch-size", paramLabel = "N", description = "mini-batch size (default: the recipe's, 256 for simple-cnn)") Integer batchSize;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam, adamw or adabelief (default: the recipe's)") String optimizer;
    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (Nesterov); 0 for plain SGD") Double momentum;
    @Option(names = "--weight-decay", paramLabel = "W", description = "weight decay (decoupled for adamw)") Double weightDecay;
    @Option(names = "--schedule", paramLabel = "NAME", description = "fastai (lr, then lr/4 at half-time), constant, onecycle or cosine") String schedule;
    @Option(names = "--label-smoothing", paramLabel = "E", description = "label smoothing of the cross-entropy") Double labelSmoothing;
    @Option(names = "--shift", paramLabel = "PIXELS", description = "random shifts of up to PIXELS as augmentation") Integer shift;
    @Option(names = "--flip", negatable = true, description = "mirror images left-right at random (default: on for resnet on fashion-mnist)") Boolean flip;
    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)") Integer threads;
    @Option(names = "--seed", paramLabel = "N", description = "random seed of initialization and shuffling (default 42)") Long seed;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the dataset's IDX files are (else $CONVOLVE_DATA, ~/.cache/convolve/datasets, /usr/share/datasets)") Path dataDir;
    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/MODEL-DATASET)") Path out;
    @Option(names = "--resume", description = "continue from OUT/checkpoint.safetensors") boolean resume;
    @Option(names = "--limit", paramLabel = "N", description = "train on the first N training images only") Integer limit;
    @Option(names = "--no-download", description = "never download the dataset") boolean noDownload;
    @Option(names = "--quiet", description = "no model table and no progress bar") boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Recipe r = recipe();
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (threads != null) Threads.setThreads(threads);
        Path dir = out != null ? out : Path.of("runs", r.model() + "-" + r.dataset());
        if (!quiet) {
            o.println(r.model() + " on " + r.dataset() + ": " + describe(r));
            o.print(Summary.of(Models.create(r.model(), r.seed()), 1, 28, 28));
            o.flush();
        }
        Trainer.Result res = Trainer.run(new Trainer.Options(r, dataDir, !noDownload, dir, resume, 0, o, quiet ? null : err));
        o.println(TrainJson.result(res));
        o.flush();
        return 0;
    }

    Recipe recipe() {
        String ds = DatasetInfo.byName(dataset).id();
        Recipe r = Recipe.defaults(model, ds);
        if (epochs != null) r = r.withEpochs(epochs);
        if (lr != null) r = r.withLr(lr);
        if (batchSize != null) r = r.withBatchSize(batchSize);
        if (optimizer != null) r = r.withOptimizer(optimizer, weightDecay != null ? weightDecay : r.weightDecay());
        else if (weightDecay != null) r = r.withOptimizer(r.optimizer(), weightDecay);
        if (momentum != null) r = r.withMomentum(momentum, momentum > 0);
        if (schedule != null) r = r.withSchedule(schedule);
        if (labelSmoothing != null) r = r.withLabelSmoothing(labelSmoothing);
        if (shift != null) r = r.withShift(shift);
        if (flip != null) r = r.withFlip(flip);
        if (seed != null) r = r.withSeed(seed);
        if (limit != null) r = r.withTrainLimit(limit);
        return r;
    }

    static String describe(Recipe r) {
        return String.format("%d epochs, batch %d, %s lr %s%s%s, schedule %s%s%s, seed %d, %d threads", r.epochs(), r.batchSize(), r.optimizer(), r.lr(),
                r.momentum() > 0 ? ", momentum " + r.momentum() + (r.nesterov() ? " (Nesterov)" : "") : "",
                r.weightDecay() > 0 ? ", weight decay " + r.weightDecay() : "", r.schedule(),
                r.labelSmoothing() > 0 ? ", label smoothing " + r.labelSmoothing() : "", (r.shift() > 0 ? ", shifts of " + r.shift() + " px" : "") + (r.flip() ? ", flips" : ""),
                r.seed(), Threads.threads());
    }
}
