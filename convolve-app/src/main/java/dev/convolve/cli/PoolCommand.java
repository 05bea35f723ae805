package dev.convolve.cli;

import dev.convolve.io.Npy;
import dev.convolve.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convolve pool max|avg|lp INPUT.npy -o OUT.npy --kernel 2,2 [options]}: pooling in PyTorch / ONNX terms
 * over the spatial axes of {@code [N, C, S1..Sn]}, computed with Nx's window ops (see {@link OpPooling}).
 */
@Command(name = "pool", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Max, average or Lp pooling in PyTorch / ONNX terms.", "", "Pooling as torch.nn.functional.max_poolNd / avg_poolNd and ONNX MaxPool / AveragePool / LpPool, over the spatial axes of an [N, C, S1..Sn] input. --strides defaults to the kernel size (PyTorch); ONNX's default is 1, so pass --strides 1 for ONNX. --count-include-pad defaults to true (PyTorch); ONNX AveragePool's default is false. A single number for --kernel, --strides, --dilations or --pads applies to every spatial axis."})
final class PoolCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OP", description = "max, avg, or lp (the p-norm of each window, ONNX LpPool).")
    String op;

    @Parameters(index = "1", paramLabel = "INPUT.npy", description = "The input [N, C, S1..Sn].")
    Path input;

    @Mixin CliTensors io;

    @Option(names = {"--kernel", "--kernel-size", "--kernel-shape"}, paramLabel = "K", required = true,
            description = "Window size per spatial axis, e.g. 3,3 (or 3 for every axis).")
    String kernel;

    @Option(names = {"--strides", "--stride"}, paramLabel = "S", description = "Step per spatial axis; default: the kernel size (PyTorch's default).")
    String strides;

    @Option(names = {"--pads", "--padding"}, paramLabel = "P",
            description = "Padding: p (every side), n numbers (PyTorch padding, both sides), 2n numbers (ONNX pads: all begins, then all ends), or lo:hi per spatial axis. Max pooling pads with the lowest value, so padding never wins.")
    String pads;

    @Option(names = {"--dilations", "--dilation"}, paramLabel = "D", description = "Spacing of the window taps per spatial axis (default 1).")
    String dilations;

    @Option(names = "--ceil-mode", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Round the output size up (a last window that would start in the end padding is dropped). Default false.")
    String ceilMode;

    @Option(names = "--count-include-pad", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "avg: true (default, PyTorch) divides by the window positions inside the declared padding; false (ONNX's default) by the input elements in the window.")
    String countIncludePad;

    @Option(names = "--divisor-override", paramLabel = "D", description = "avg: divide every window sum by D (PyTorch divisor_override).")
    String divisorOverride;

    @Option(names = "--auto-pad", paramLabel = "MODE",
            description = "ONNX auto_pad: notset (default), valid, same-upper or same-lower (stride-aware: output = ceil(S / stride)).")
    String autoPad;

    @Option(names = "--p", paramLabel = "P", defaultValue = "2", description = "lp: the norm's exponent (default ${DEFAULT-VALUE}).")
    String p;

    @Option(names = "--indices", paramLabel = "IDX.npy",
            description = "max: also write ONNX MaxPool's Indices (s64 flat indices into the input; PyTorch's are these modulo the plane size).")
    Path indices;

    @Option(names = "--storage-order", paramLabel = "0|1", defaultValue = "0",
            description = "With --indices: 0 numbers spatial positions row-major (default), 1 column-major (ONNX storage_order).")
    String storageOrder;

    @Override
    public Integer call() throws Exception {
        return CliErrors.guard(this::run);
    }

    private int run() throws Exception {
        io.printLimit();
        String kind = op.trim().toLowerCase(Locale.ROOT);
        if (!kind.matches("max|avg|lp")) throw new IllegalArgumentException("pool: unknown operation '" + op + "', expected max, avg or lp");
        String name = kind + "_pool";
        if (!kind.equals("avg") && (countIncludePad != null || divisorOverride != null)) {
            throw new IllegalArgumentException(name + ": --count-include-pad and --divisor-override apply to avg only");
        }
        if (!kind.equals("max") && indices != null) throw new IllegalArgumentException(name + ": --indices applies to max only");
        int order = CliArgs.integer("--storage-order", storageOrder);
        if (order != 0 && order != 1) throw new IllegalArgumentException(name + ": --storage-order must be 0 or 1, got " + order);
        Tensor x = CliTensors.read(input, "input");
        OpPooling.Spec s = spec(name, x);
        Tensor y = switch (kind) {
            case "max" -> OpPooling.max(name, x, s);
            case "avg" -> OpPooling.avg(name, x, s);
            default -> OpPooling.lp(name, x, s, parseP(name));
        };
        Tensor idx = indices == null ? null : OpPooling.maxIndices(name, x, s, order == 1);
        if (idx != null) Npy.write(indices, idx);
        io.emit(y, spec.commandLine().getOut());
        return 0;
    }

    private double parseP(String name) {
        Number v = CliArgs.number("--p", p);
        return v.doubleValue();
    }

    /** Resolves the options against the input's rank and size. */
    OpPooling.Spec spec(String name, Tensor x) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException(name + ": the input must have rank at least 3, [N, C, S1..Sn], but got " + x.describe());
        }
        int n = x.rank() - 2;
        int[] k = CliArgs.perAxis(name, "--kernel", kernel, n, "spatial axis");
        int[] st = strides == null ? k.clone() : CliArgs.perAxis(name, "--strides", strides, n, "spatial axis");
        int[] d = dilations == null ? filled(n, 1) : CliArgs.perAxis(name, "--dilations", dilations, n, "spatial axis");
        String mode = autoPad == null ? "notset" : autoPad.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!mode.matches("notset|valid|same-upper|same-lower")) {
            throw new IllegalArgumentException(name + ": --auto-pad must be notset, valid, same-upper or same-lower, got '" + autoPad + "'");
        }
        if (pads != null && !mode.equals("notset")) throw new IllegalArgumentException(name + ": give either --pads or --auto-pad, not both");
        int[][] be = pads == null ? new int[][] {new int[n], new int[n]} : OpPads.beginEnd(name, "--pads", pads, n);
        if (mode.startsWith("same")) {
            for (int i = 0; i < n; i++) {
                if (st[i] < 1 || d[i] < 1 || k[i] < 1) break; // reported by the geometry check
                int size = x.dim(i + 2), out = -Math.floorDiv(-size, st[i]);
                int total = Math.max(0, (out - 1) * st[i] + (k[i] - 1) * d[i] + 1 - size);
                int half = total / 2;
                be[0][i] = mode.equals("same-upper") ? half : total - half;
                be[1][i] = total - be[0][i];
            }
        }
        boolean ceil = ceilMode != null && CliArgs.bool("--ceil-mode", ceilMode);
        boolean include = countIncludePad == null || CliArgs.bool("--count-include-pad", countIncludePad);
        int divisor = 0;
        if (divisorOverride != null) {
            divisor = CliArgs.integer("--divisor-override", divisorOverride);
            if (divisor < 1) throw new IllegalArgumentException(name + ": --divisor-override must be positive, got " + divisor);
        }
        return new OpPooling.Spec(k, st, be[0], be[1], d, ceil, include, divisor);
    }

    private static int[] filled(int n, int v) {
        int[] r = new int[n];
        Arrays.fill(r, v);
        return r;
    }
}
