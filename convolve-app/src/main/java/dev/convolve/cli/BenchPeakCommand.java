package dev.convolve.cli;

import dev.convolve.bench.Peak;
import dev.convolve.bench.PeakCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convolve bench peak [--threads T] [--c-source peak_fma.c]}: the fp32 peak measured from Java (independent FMA
 * chains on every thread), checked against the C anchor {@code peak_fma.c} when gcc and the source are at hand.
 */
@Command(name = "peak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the machine's fp32 peak from Java: twelve independent vector FMA chains per thread, on 1 and on T",
                "threads. When gcc and the anchor peak_fma.c are found (default ../shared/anchors/peak_fma.c from the",
                "repository), it is compiled and run too, and the two are compared."})
final class BenchPeakCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--threads", paramLabel = "T", description = "Threads (default: available cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--c-source", paramLabel = "FILE", description = "The C anchor to compare with (default: ../shared/anchors/peak_fma.c if present).")
    Path cSource;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        PrintWriter out = spec.commandLine().getOut();
        double one = Peak.gflops(1);
        if (Double.isNaN(one)) {
            throw new IllegalArgumentException("the Vector API is not enabled in this JVM; run java with --add-modules jdk.incubator.vector");
        }
        double all = threads == 1 ? one : Peak.gflops(threads);
        out.println(String.format(Locale.ROOT, "java fp32 peak: %.1f GFLOP/s on 1 thread, %.1f GFLOP/s on %d threads", one, all, threads));
        Path src = cSource != null ? cSource : PeakCheck.defaultSource();
        if (src == null || !Files.isRegularFile(src)) {
            if (cSource != null) throw new IllegalArgumentException("no such file: " + cSource);
            out.println("c anchor: not found (give --c-source peak_fma.c to compare)");
            return 0;
        }
        PeakCheck.Result c = PeakCheck.run(src);
        out.println(String.format(Locale.ROOT, "c anchor %s: %.1f GFLOP/s per core (avx512), %.1f (avx2); x%d cores = %.1f", src, c.avx512(), c.avx2(),
                threads, c.avx512() * threads));
        out.println(String.format(Locale.ROOT, "java / c: %.0f%% on 1 thread, %.0f%% on %d threads", 100 * one / c.avx512(), 100 * all / (c.avx512() * threads), threads));
        return 0;
    }
}
