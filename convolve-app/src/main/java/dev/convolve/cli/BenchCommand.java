package dev.convolve.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code convolve bench conv|peak|train}: the benchmarks of the fast backend (see BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmarks beside PyTorch and the machine's peak: bench conv, bench peak, bench train.",
        description = {"Benchmarks: 'bench conv' times convolutions and pooling (with --compare, PyTorch side by side in the",
                "same run); 'bench peak' measures the machine's fp32 peak from Java, the ceiling 'percent of peak' refers to;",
                "'bench train' trains simple_cnn with fast.ai's recipe side by side with the PyTorch anchor."},
        subcommands = {BenchConvCommand.class, BenchPeakCommand.class, BenchTrainCommand.class})
final class BenchCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
