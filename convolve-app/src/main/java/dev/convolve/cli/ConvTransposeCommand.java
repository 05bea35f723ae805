package dev.convolve.cli;

import dev.convolve.ops.ConvTranspose;
import dev.convolve.plan.AxisValues;
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
 * {@code convolve conv-transpose INPUT.npy WEIGHT.npy -o OUT.npy [options]}: transposed convolution in PyTorch and
 * ONNX terms ({@code F.conv_transposeNd}, ONNX {@code ConvTranspose}), computed as a conv of the stride-dilated
 * input with the flipped, channel-swapped weight (see {@link ConvTranspose}).
 */
@Command(name = "conv-transpose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Transposed convolution, as PyTorch's conv_transposeNd and ONNX ConvTranspose.", "", "Transposed convolution as torch.nn.functional.conv_transposeNd and ONNX ConvTranspose. Input [N, Cin, S...], weight [Cin, Cout / groups, K...], output [N, Cout, Q...] with Q = (S - 1) * stride - pad_begin - pad_end + dilation * (K - 1) + output_padding + 1. A single number for --strides, --dilations or --output-padding applies to every spatial axis."})
final class ConvTransposeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT.npy", description = "The input [N, Cin, S1..Sn].")
    Path input;

    @Parameters(index = "1", paramLabel = "WEIGHT.npy", description = "The weight [Cin, Cout / groups, K1..Kn] (PyTorch and ONNX layout).")
    Path weight;

    @Mixin CliTensors io;

    @Option(names = {"--strides", "--stride"}, paramLabel = "S", description = "Stride per spatial axis (default 1).")
    String strides;

    @Option(names = {"--pads", "--padding"}, paramLabel = "P",
            description = "Amount removed from the output's ends: p (every side), n numbers (PyTorch padding, both sides of each axis), 2n numbers (ONNX pads: all begins, then all ends), or lo:hi per axis such as 1:0,1:0 (default 0).")
    String pads;

    @Option(names = "--output-padding", paramLabel = "P", description = "Extra size added at the end of each spatial axis (default 0).")
    String outputPadding;

    @Option(names = "--output-shape", paramLabel = "Q",
            description = "ONNX output_shape: the spatial output size (n numbers); the pads are then derived as ONNX does.")
    String outputShape;

    @Option(names = "--auto-pad", paramLabel = "MODE",
            description = "ONNX auto_pad: notset (default), valid, same-upper or same-lower (output size = input size * stride).")
    String autoPad;

    @Option(names = {"--groups", "--group"}, paramLabel = "G", description = "Groups (default 1).")
    String groups;

    @Option(names = {"--dilations", "--dilation"}, paramLabel = "D", description = "Kernel dilation per spatial axis (default 1).")
    String dilations;

    @Option(names = "--bias", paramLabel = "BIAS.npy", description = "Add a bias of shape [Cout] to every output channel.")
    Path bias;

    @Override
    public Integer call() throws Exception {
        return CliErrors.guard(this::run, "conv_transpose", "conv-transpose");
    }

    private int run() throws Exception {
        io.printLimit();
        Tensor x = CliTensors.read(input, "input");
        Tensor w = CliTensors.read(weight, "weight");
        Tensor b = bias == null ? null : CliTensors.read(bias, "bias");
        String ctx = "for input " + x.describe() + " and weight " + w.describe();
        if (x.rank() < 3 || w.rank() != x.rank()) {
            throw new IllegalArgumentException("conv_transpose: input and weight must have the same rank, at least 3, " + ctx);
        }
        int n = x.rank() - 2;
        int[] s = strides == null ? ones(n) : CliArgs.perAxis("conv_transpose", "--strides", strides, n, "spatial axis");
        int[] d = dilations == null ? ones(n) : CliArgs.perAxis("conv_transpose", "--dilations", dilations, n, "spatial axis");
        int[] op = outputPadding == null ? new int[n] : CliArgs.perAxis("conv_transpose", "--output-padding", outputPadding, n, "spatial axis");
        int g = groups == null ? 1 : CliArgs.integer("--groups", groups);
        for (int i = 0; i < n; i++) {
            if (s[i] < 1 || d[i] < 1) {
                throw new IllegalArgumentException("conv_transpose: strides and dilations must be positive integers, got strides "
                        + Arrays.toString(s) + " and dilations " + Arrays.toString(d) + ", " + ctx);
            }
            if (op[i] < 0) throw new IllegalArgumentException("conv_transpose: output padding must be non-negative, got " + Arrays.toString(op) + ", " + ctx);
        }
        int[][] p = resolvePads(x, w, n, s, d, op, ctx);
        ConvTranspose.Options o = new ConvTranspose.Options(AxisValues.of(s), p[0], p[1], AxisValues.of(op), g, AxisValues.of(d));
        Tensor y = ConvTranspose.convTranspose(x, w, o);
        if (b != null) y = addBias(y, b);
        io.emit(y, spec.commandLine().getOut());
        return 0;
    }

    /** Begin and end pads per spatial axis, from --pads, or derived from --output-shape / --auto-pad as ONNX does. */
    private int[][] resolvePads(Tensor x, Tensor w, int n, int[] s, int[] d, int[] op, String ctx) {
        String mode = autoPad == null ? "notset" : autoPad.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!mode.matches("notset|valid|same-upper|same-lower")) {
            throw new IllegalArgumentException("conv_transpose: --auto-pad must be notset, valid, same-upper or same-lower, got '" + autoPad + "'");
        }
        boolean same = mode.startsWith("same");
        if (pads != null && (outputShape != null || !mode.equals("notset"))) {
            throw new IllegalArgumentException("conv_transpose: give either --pads or --output-shape / --auto-pad, not both");
        }
        if (outputShape != null && mode.equals("valid")) {
            throw new IllegalArgumentException("conv_transpose: --output-shape cannot be combined with --auto-pad valid");
        }
        if (pads != null) return OpPads.beginEnd("conv_transpose", "--pads", pads, n);
        if (outputShape == null && !same) return new int[][] {new int[n], new int[n]};
        int[] target = new int[n];
        if (outputShape != null) {
            int[] q = CliArgs.ints("--output-shape", outputShape);
            if (q.length == n + 2) q = Arrays.copyOfRange(q, 2, q.length);
            if (q.length != n) {
                throw new IllegalArgumentException("conv_transpose: --output-shape must give the " + n + " spatial output sizes, got '" + outputShape + "', " + ctx);
            }
            target = q;
        } else {
            for (int i = 0; i < n; i++) target[i] = x.dim(i + 2) * s[i];
        }
        int[] lo = new int[n], hi = new int[n];
        for (int i = 0; i < n; i++) {
            if (target[i] < 1) throw new IllegalArgumentException("conv_transpose: --output-shape must be positive, got " + Arrays.toString(target) + ", " + ctx);
            int dk = d[i] * (w.dim(i + 2) - 1) + 1;
            int total = s[i] * (x.dim(i + 2) - 1) + op[i] + dk - target[i];
            int half = Math.floorDiv(total, 2);
            if (mode.equals("same-upper")) {
                lo[i] = half;
                hi[i] = total - half;
            } else {
                lo[i] = total - half;
                hi[i] = half;
            }
        }
        return new int[][] {lo, hi};
    }

    private static Tensor addBias(Tensor y, Tensor bias) {
        int c = y.dim(1);
        if (bias.rank() == 0) return y.add(bias);
        if (bias.size() != c || Arrays.stream(bias.dims()).filter(v -> v != 1).count() > 1) {
            throw new IllegalArgumentException("conv_transpose: the bias must have one value per output channel, shape [" + c + "], but got "
                    + bias.describe() + ", for output " + y.describe());
        }
        int[] shape = new int[y.rank()];
        Arrays.fill(shape, 1);
        shape[1] = c;
        return y.add(bias.reshape(shape));
    }

    private static int[] ones(int n) {
        int[] r = new int[n];
        Arrays.fill(r, 1);
        return r;
    }
}
