package dev.convolve.cli;

import dev.convolve.tensor.Tensor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convolve global-pool max|avg|lp INPUT.npy -o OUT.npy}: ONNX GlobalMaxPool / GlobalAveragePool /
 * GlobalLpPool, one window over all spatial axes: {@code [N, C, S1..Sn] -> [N, C, 1..1]}.
 */
@Command(name = "global-pool", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Global max, average or Lp pooling (ONNX Global*Pool).", "", "Global pooling as ONNX GlobalMaxPool / GlobalAveragePool / GlobalLpPool (PyTorch adaptive pooling to 1): [N, C, S1..Sn] -> [N, C, 1..1]. max keeps the type; avg and lp are floating."})
final class GlobalPoolCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OP", description = "max, avg or lp.")
    String op;

    @Parameters(index = "1", paramLabel = "INPUT.npy", description = "The input [N, C, S1..Sn].")
    Path input;

    @Mixin CliTensors io;

    @Option(names = "--p", paramLabel = "P", defaultValue = "2", description = "lp: the norm's exponent (default ${DEFAULT-VALUE}).")
    String p;

    @Override
    public Integer call() throws Exception {
        return CliErrors.guard(this::run);
    }

    private int run() throws Exception {
        io.printLimit();
        String kind = op.trim().toLowerCase(Locale.ROOT);
        if (!kind.matches("max|avg|lp")) throw new IllegalArgumentException("global-pool: unknown operation '" + op + "', expected max, avg or lp");
        String name = "global_" + kind + "_pool";
        Tensor x = CliTensors.read(input, "input");
        if (x.rank() < 3) {
            throw new IllegalArgumentException(name + ": the input must have rank at least 3, [N, C, S1..Sn], but got " + x.describe());
        }
        int n = x.rank() - 2;
        int[] k = new int[n];
        for (int i = 0; i < n; i++) k[i] = x.dim(i + 2);
        OpPooling.Spec s = new OpPooling.Spec(k, k.clone(), new int[n], new int[n], ones(n), false, true, 0);
        Tensor y = switch (kind) {
            case "max" -> OpPooling.max(name, x, s);
            case "avg" -> OpPooling.avg(name, x, s);
            default -> OpPooling.lp(name, x, s, CliArgs.number("--p", p).doubleValue());
        };
        io.emit(y, spec.commandLine().getOut());
        return 0;
    }

    private static int[] ones(int n) {
        int[] r = new int[n];
        java.util.Arrays.fill(r, 1);
        return r;
    }
}
