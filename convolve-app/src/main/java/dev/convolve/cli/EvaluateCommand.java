package dev.convolve.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.backend.Threads;
import dev.convolve.data.DatasetInfo;
import dev.convolve.data.Datasets;
import dev.convolve.data.LabeledImages;
import dev.convolve.train.Checkpoint;
import dev.convolve.train.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code convolve evaluate}: a trained checkpoint's accuracy, loss and confusion matrix on the test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained checkpoint on the test set: accuracy, loss and confusion matrix; ends with one JSON line."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "default runs/simple-cnn-mnist/checkpoint.safetensors")
    Path checkpoint = Path.of("runs", "simple-cnn-mnist", "checkpoint.safetensors");
    @Option(names = "--dataset", paramLabel = "NAME", description = "default: the dataset the checkpoint was trained on") String dataset;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the dataset's IDX files are") Path dataDir;
    @Option(names = "--limit", paramLabel = "N", description = "evaluate on the first N test images only") Integer limit;
    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)") Integer threads;
    @Option(names = "--no-download", description = "never download the dataset") boolean noDownload;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (threads != null) Threads.setThreads(threads);
        Checkpoint.Loaded loaded = Checkpoint.loadModel(checkpoint);
        String ds = dataset != null ? DatasetInfo.byName(dataset).id() : loaded.saved().recipe().dataset();
        Datasets.Split split = Datasets.load(ds, dataDir, !noDownload, spec.commandLine().getErr());
        LabeledImages test = limit != null ? split.test().head(limit) : split.test();
        long t0 = System.nanoTime();
        Evaluation ev = Evaluation.of(loaded.model(), test, 1000);
        double secs = (System.nanoTime() - t0) / 1e9;
        String[] names = split.info().classNames();
        o.printf("%s (%s, %d epochs) on the %s test set (%d images): accuracy %.4f, loss %.4f%n", checkpoint, loaded.saved().recipe().model(),
                loaded.saved().epochsDone(), ds, ev.count(), ev.accuracy(), ev.loss());
        o.print(ev.confusion().format(names));
        for (int c = 0; c < names.length; c++) o.printf("  recall %-12s %.4f%n", names[c], ev.confusion().recall(c));
        ObjectNode n = TrainJson.JSON.createObjectNode();
        n.put("checkpoint", checkpoint.toString());
        n.put("model", loaded.saved().recipe().model());
        n.put("dataset", ds);
        n.put("images", ev.count());
        n.put("test_accuracy", TrainJson.round(ev.accuracy(), 4));
        n.put("test_loss", TrainJson.round(ev.loss(), 4));
        n.put("images_per_second", Math.round(ev.count() / secs));
        o.println(n);
        o.flush();
        return 0;
    }
}
