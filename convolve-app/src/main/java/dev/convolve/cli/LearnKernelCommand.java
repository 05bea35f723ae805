package dev.convolve.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.data.Datasets;
import dev.convolve.train.KernelLearning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code convolve learn-kernel}: recovers a known kernel from input/output pairs by gradient descent, as the seeds
 * do, and prints the learned kernel beside the true one.
 */
@Command(name = "learn-kernel", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Learn a known kernel back from input/output pairs (d2l, probml, Nx) and print it beside the true one.",
        description = {"Learn a known kernel back from input/output pairs, as the seeds do, and print it beside the true one:",
                "  d2l     the [1, -1] edge kernel on the 6x8 stripe image, 10 steps of gradient descent (lr 0.03)",
                "  probml  the same with valueAndGrad (jax.value_and_grad)",
                "  nx      the Axon example: [-1, 0, 1] as a 3x3 kernel from 15 MNIST digits, Adam lr 0.01, 40 epochs",
                "  all     the three (default)"})
public final class LearnKernelCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--example", paramLabel = "NAME", description = "d2l, probml, nx or all (default)") String example = "all";
    @Option(names = "--steps", paramLabel = "N", description = "gradient steps for d2l/probml (default 10, as the books)") int steps = 10;
    @Option(names = "--epochs", paramLabel = "N", description = "epochs for nx (default 40; the Livebook's 20 is not yet converged)") int epochs = 40;
    @Option(names = "--seed", paramLabel = "N", description = "seed of the random initial kernel (d2l, probml)") long seed = 0;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "where MNIST is (nx)") Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        String ex = example.toLowerCase(Locale.ROOT);
        if (!List.of("d2l", "probml", "nx", "all").contains(ex)) {
            throw new IllegalArgumentException("unknown example '" + example + "', expected d2l, probml, nx or all");
        }
        if (steps < 1 || epochs < 1) throw new IllegalArgumentException("--steps and --epochs must be at least 1");
        List<KernelLearning.Result> results = new ArrayList<>();
        if (ex.equals("d2l") || ex.equals("all")) {
            results.add(KernelLearning.d2l(dev.convolve.tensor.Tensor.randomUniform(seed, dev.convolve.tensor.DType.F32, -0.07, 0.07, 1, 1, 1, 2), steps, 3e-2));
        }
        if (ex.equals("probml") || ex.equals("all")) {
            results.add(KernelLearning.probml(dev.convolve.tensor.Tensor.randomNormal(seed, dev.convolve.tensor.DType.F32, 0, 0.7071, 1, 1, 1, 2), steps, 3e-2));
        }
        if (ex.equals("nx") || ex.equals("all")) {
            var images = Datasets.load("mnist", dataDir, true, spec.commandLine().getErr()).test().rawImages(0, 15);
            results.add(KernelLearning.nx(images, epochs, 1e-2));
        }
        ArrayNode arr = TrainJson.JSON.createArrayNode();
        for (KernelLearning.Result r : results) {
            o.println("== " + r.name());
            for (String line : r.log()) o.println("  " + line);
            o.print(LearnSideBySide.format(r.learned(), r.truth()));
            o.printf("  largest difference %.4f%n", r.maxError());
            ObjectNode n = arr.addObject();
            n.put("example", r.name());
            n.put("max_error", TrainJson.round(r.maxError(), 5));
            n.put("final_loss", TrainJson.round(r.finalLoss(), 5));
        }
        ObjectNode res = TrainJson.JSON.createObjectNode();
        res.set("results", arr);
        o.println(res);
        o.flush();
        return 0;
    }
}
