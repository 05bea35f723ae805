package dev.convolve.cli;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.bench.BenchCase;
import dev.convolve.bench.BenchCases;
import dev.convolve.bench.BenchTable;
import dev.convolve.bench.ConvBench;
import dev.convolve.bench.Peak;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convolve bench conv [--case N,C,H,W,K,R,S[,stride[,pad[,groups]]]]... [--backward] [--threads T] [--json] [--compare]}:
 * per shape the algorithm chosen, the median time, GFLOP/s and percent of the measured peak; with {@code --compare},
 * PyTorch's median from samples interleaved with ours and the ratio.
 */
@Command(name = "conv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times convolutions (and the pooling rows of the standard table) on the current backend: the algorithm",
                "the planner chose, microseconds (median of the rounds), GFLOP/s and percent of the measured fp32 peak.",
                "Without --case it runs the standard table (the anchor's shapes, the MNIST CNN, a residual network,",
                "depthwise, few-channel, 1-D, 3-D and pooling)."})
final class BenchConvCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--case", paramLabel = "N,C,H,W,K,R,S[,stride[,pad[,groups]]]",
            description = {"A 2-D conv shape as PyTorch's conv2d takes it (input N x C x H x W, K output channels, an R x S kernel);",
                    "repeatable. Replaces the standard table."})
    List<String> cases = new ArrayList<>();

    @Option(names = "--only", paramLabel = "TEXT", description = "Run the rows of the standard table whose name contains TEXT (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--backward", description = "Also time forward+backward (the input and kernel gradients, as y.sum().backward()).")
    boolean backward;

    @Option(names = "--threads", paramLabel = "T", description = "Threads for us and for PyTorch (default: available cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", description = "One JSON object per line (case, direction, algorithm, micros, gflops, percent_of_peak, torch figures).")
    boolean json;

    @Option(names = "--compare", description = "Run the same shapes in PyTorch (/usr/bin/python3 with torch) in the same run, interleaved, and print the ratio.")
    boolean compare;

    @Option(names = "--rounds", paramLabel = "R", description = "Samples per side; the median is reported (default ${DEFAULT-VALUE}).")
    int rounds = 7;

    @Option(names = "--sample-ms", paramLabel = "MS", description = "Length of one sample in milliseconds (default ${DEFAULT-VALUE}).")
    int sampleMs = 150;

    @Option(names = "--warmup-ms", paramLabel = "MS", description = "Least warm-up per shape and direction, until the JIT has settled (default ${DEFAULT-VALUE}).")
    int warmupMs = 2000;

    @Option(names = "--reuse-output", description = "Forward convs write into one output kept across calls (Conv.convInto), as a loop over "
            + "frames or batches can, instead of a fresh tensor per call (whose memory the JVM zeroes first).")
    boolean reuseOutput;

    @Option(names = "--peak", paramLabel = "GFLOPS", description = "The ceiling for percent of peak; measured with 'bench peak' when not given.")
    Double peak;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (sampleMs < 1) throw new IllegalArgumentException("--sample-ms must be at least 1, got " + sampleMs);
        if (warmupMs < 0) throw new IllegalArgumentException("--warmup-ms must not be negative, got " + warmupMs);
        List<BenchCase> list = new ArrayList<>();
        for (String c : cases) list.add(BenchCase.parse(c));
        if (list.isEmpty()) {
            for (BenchCase c : BenchCases.standard()) {
                if (only.isEmpty() || only.stream().anyMatch(o -> c.name().contains(o))) list.add(c);
            }
            if (list.isEmpty()) throw new IllegalArgumentException("--only " + String.join(",", only) + " matches no row of the standard table");
        }
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = Backends.current();
        double ceiling = peak != null ? peak : Peak.gflops(threads);
        if (!json) {
            out.println(String.format(Locale.ROOT, "# backend: %s; %d thread(s); peak %.1f GFLOP/s (%s); median of %d samples of %d ms",
                    backend, threads, ceiling, peak != null ? "given" : "measured in Java", rounds, sampleMs));
        }
        ConvBench.run(new ConvBench.Options(list, backward, threads, compare, rounds, sampleMs / 1000.0, ceiling, warmupMs / 1000.0, reuseOutput), backend,
                new BenchTable(out, json, compare));
        return 0;
    }
}
