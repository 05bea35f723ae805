package dev.convolve.cli;

import dev.convolve.ops.Window;
import dev.convolve.plan.AxisValues;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
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
 * {@code convolve window sum|mean|max|min|product INPUT.npy -o OUT.npy --window 1,1,3,3 [options]}: Nx's
 * {@code window_*} reductions. The window has one size per axis of the tensor (batch and channel included);
 * strides default to 1 (not to the window size).
 */
@Command(name = "window", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Window reductions: sum, mean, max, min, product (Nx.window_*).", "", "Window (pooling) reductions as Nx.window_sum / _mean / _max / _min / _product: one window size per axis of the tensor, batch and channel axes included. Strides default to 1. Padding uses the reduction's identity (0 for sum, 1 for product, the lowest value for max, the highest for min). sum, product, max and min keep the type (s32 sums stay s32); mean is floating (s32 gives f32) and divides by the full window size unless --count-include-pad false. A single number for --strides, --window-dilations or --padding applies to every spatial axis: axes 2.. of an [N, C, S...] tensor of rank 3 or more (batch and channel axes keep stride 1 and no padding), every axis of a vector or matrix. A list sets every axis of the tensor."})
final class WindowCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OP", description = "sum, mean, max, min or product.")
    String op;

    @Parameters(index = "1", paramLabel = "INPUT.npy", description = "The tensor (any rank).")
    Path input;

    @Mixin CliTensors io;

    @Option(names = "--window", paramLabel = "W", required = true, description = "Window size per axis of the tensor, e.g. 1,1,3,3.")
    String window;

    @Option(names = "--strides", paramLabel = "S", description = "Step per axis of the tensor, e.g. 1,1,2,2, or one number for every spatial axis (default 1).")
    String strides;

    @Option(names = "--padding", paramLabel = "P",
            description = "valid (default), same (Nx: total dilated window - 1 per axis, independent of the stride), same-upper / same-lower (stride-aware SAME), lo:hi per axis of the tensor such as 0:0,0:0,1:1,1:1, or one integer p for p:p on every spatial axis.")
    String padding;

    @Option(names = "--window-dilations", paramLabel = "D", description = "Spacing of the window taps per axis of the tensor, or one number for every spatial axis (default 1).")
    String windowDilations;

    @Option(names = "--count-include-pad", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "mean only: true (default, Nx and PyTorch) divides by the full window size; false divides by the number of input elements in the window (ONNX AveragePool's default).")
    String countIncludePad;

    @Override
    public Integer call() throws Exception {
        return CliErrors.guard(this::run);
    }

    private int run() throws Exception {
        io.printLimit();
        String kind = op.trim().toLowerCase(Locale.ROOT);
        if (!kind.matches("sum|mean|max|min|product")) {
            throw new IllegalArgumentException("window: unknown operation '" + op + "', expected sum, mean, max, min or product");
        }
        if (countIncludePad != null && !kind.equals("mean")) {
            throw new IllegalArgumentException("window: --count-include-pad applies to mean only, not to " + kind);
        }
        WindowOptions base = WindowOptions.of(CliArgs.ints("--window", window));
        Tensor x = CliTensors.read(input, "input");
        WindowOptions o = base;
        int r = x.rank();
        if (strides != null) o = o.withStrides(spatialScalar("--strides", strides, r, 1));
        if (padding != null) o = o.withPadding(padding(padding, r));
        if (windowDilations != null) o = o.withWindowDilations(spatialScalar("--window-dilations", windowDilations, r, 1));
        if (countIncludePad != null) o = o.withCountIncludePad(CliArgs.bool("--count-include-pad", countIncludePad));
        Tensor y = switch (kind) {
            case "sum" -> Window.sum(x, o);
            case "mean" -> Window.mean(x, o);
            case "max" -> Window.max(x, o);
            case "min" -> Window.min(x, o);
            default -> Window.product(x, o);
        };
        io.emit(y, spec.commandLine().getOut());
        return 0;
    }

    /**
     * A per-axis option: a list as given (one entry per axis of the tensor); a single number for every spatial axis,
     * i.e. axes 2.. of an [N, C, S...] tensor of rank 3 or more (the batch and channel axes get {@code rest}), or
     * every axis of a tensor of rank 1 or 2.
     */
    static AxisValues spatialScalar(String option, String text, int rank, int rest) {
        AxisValues v = CliArgs.axisValues(option, text);
        if (!v.isScalar() || rank < 3) return v;
        int[] all = new int[rank];
        int value = CliArgs.integer(option, text);
        for (int i = 0; i < rank; i++) all[i] = i < 2 ? rest : value;
        return AxisValues.of(all);
    }

    /** {@link CliArgs#padding}, with a single integer applying to the spatial axes as {@link #spatialScalar} does. */
    static Padding padding(String text, int rank) {
        Padding p = CliArgs.padding("--padding", text, rank);
        if (rank >= 3 && text.trim().matches("[+-]?\\d+") && p instanceof Padding.Explicit e) {
            int[] lo = e.low(), hi = e.high();
            lo[0] = lo[1] = hi[0] = hi[1] = 0;
            return Padding.explicit(lo, hi);
        }
        return p;
    }
}
