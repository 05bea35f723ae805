package dev.convolve.cli;

import dev.convolve.ops.Conv;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convolve conv INPUT.npy KERNEL.npy -o OUT.npy [options]}: Nx's {@code conv} (a cross-correlation) on
 * {@code .npy} files, with every option of {@link ConvOptions}. The result type is
 * {@code to_floating(merge(input, kernel))}: integer convolutions give f32.
 */
@Command(name = "conv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"General N-d convolution (cross-correlation) of two .npy files, as Nx.conv.", "", "General N-d convolution (cross-correlation, as Nx.conv / jax.lax.conv_general_dilated / torch.nn.functional.convNd). Input [N, C, S1..Sn], kernel [O, I, K1..Kn], output [N / batch groups, O, Q1..Qn] unless permuted. A single number for --strides or a dilation applies to every spatial axis."})
final class ConvCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT.npy", description = "The input, canonically [N, C, S1..Sn].")
    Path input;

    @Parameters(index = "1", paramLabel = "KERNEL.npy", description = "The kernel, canonically [O, I, K1..Kn].")
    Path kernel;

    @Mixin CliTensors io;

    @Option(names = "--strides", paramLabel = "S", description = "Step per spatial axis, e.g. 2 or 2,1 (default 1).")
    String strides;

    @Option(names = "--padding", paramLabel = "P",
            description = "valid (default), same (Nx: total dilated kernel - 1, extra unit at the end, independent of the stride), same-upper / same-lower (stride-aware SAME of JAX, TensorFlow, ONNX), lo:hi per spatial axis such as 1:1,0:2 (negative values crop), or one integer p for p:p on every spatial axis (PyTorch's padding=p).")
    String padding;

    @Option(names = "--input-dilation", paramLabel = "D", description = "Input (lhs) dilation: d - 1 zeros between input elements (default 1).")
    String inputDilation;

    @Option(names = "--kernel-dilation", paramLabel = "D", description = "Kernel (rhs) dilation: spacing of the kernel taps (default 1).")
    String kernelDilation;

    @Option(names = {"--feature-group-size", "--groups"}, paramLabel = "G",
            description = "Feature groups: input channels = kernel input channels * G (PyTorch groups; depthwise: G = channels).")
    String featureGroupSize;

    @Option(names = "--batch-group-size", paramLabel = "G", description = "Batch groups: the batch is split into G blocks, each paired with a block of output channels.")
    String batchGroupSize;

    @Option(names = "--input-permutation", paramLabel = "P", description = "Physical axes holding canonical [N, C, S...] of the input, e.g. 0,3,1,2 for NHWC.")
    String inputPermutation;

    @Option(names = "--kernel-permutation", paramLabel = "P", description = "Physical axes holding canonical [O, I, K...] of the kernel, e.g. 3,2,0,1 for HWIO.")
    String kernelPermutation;

    @Option(names = "--output-permutation", paramLabel = "P", description = "Physical axes receiving canonical [N, C, Q...] of the output, e.g. 0,3,1,2 for NHWC.")
    String outputPermutation;

    @Option(names = "--layout", paramLabel = "IN,KERNEL,OUT",
            description = "Layouts as JAX's dimension_numbers, e.g. NHWC,HWIO,NHWC (instead of the three permutations).")
    String layout;

    @Option(names = "--bias", paramLabel = "BIAS.npy", description = "Add a bias of shape [O] to every output channel (PyTorch/ONNX bias).")
    Path bias;

    @Option(names = "--flip-kernel", description = "True convolution: reverse the kernel along its spatial axes first (scipy.signal.convolve).")
    boolean flipKernel;

    @Override
    public Integer call() throws Exception {
        return CliErrors.guard(this::run, "conv");
    }

    private int run() throws Exception {
        io.printLimit();
        Tensor x = CliTensors.read(input, "input");
        Tensor k = CliTensors.read(kernel, "kernel");
        Tensor b = bias == null ? null : CliTensors.read(bias, "bias");
        ConvOptions o = options(Math.max(x.rank() - 2, 1));
        Tensor y = flipKernel ? Conv.convolve(x, k, o) : Conv.conv(x, k, o);
        if (b != null) y = addBias("conv", y, b, Conv.plan(x, k, o));
        io.emit(y, spec.commandLine().getOut());
        return 0;
    }

    ConvOptions options(int spatialAxes) {
        ConvOptions o = ConvOptions.defaults();
        if (strides != null) o = o.withStrides(CliArgs.axisValues("--strides", strides));
        if (padding != null) o = o.withPadding(CliArgs.padding("--padding", padding, spatialAxes));
        if (inputDilation != null) o = o.withInputDilation(CliArgs.axisValues("--input-dilation", inputDilation));
        if (kernelDilation != null) o = o.withKernelDilation(CliArgs.axisValues("--kernel-dilation", kernelDilation));
        if (featureGroupSize != null) o = o.withFeatureGroupSize(CliArgs.integer("--feature-group-size", featureGroupSize));
        if (batchGroupSize != null) o = o.withBatchGroupSize(CliArgs.integer("--batch-group-size", batchGroupSize));
        if (layout != null) {
            if (inputPermutation != null || kernelPermutation != null || outputPermutation != null) {
                throw new IllegalArgumentException("conv: give either --layout or the permutation options, not both");
            }
            String[] l = CliArgs.layouts("--layout", layout);
            o = o.withLayout(l[0], l[1], l[2]);
        }
        if (inputPermutation != null) o = o.withInputPermutation(CliArgs.ints("--input-permutation", inputPermutation));
        if (kernelPermutation != null) o = o.withKernelPermutation(CliArgs.ints("--kernel-permutation", kernelPermutation));
        if (outputPermutation != null) o = o.withOutputPermutation(CliArgs.ints("--output-permutation", outputPermutation));
        return o;
    }

    /** Adds a bias of shape [O] (or a scalar) along the output's channel axis; the type follows Nx's merge. */
    static Tensor addBias(String op, Tensor y, Tensor bias, ConvPlan plan) {
        int channels = plan.outChannels();
        if (bias.rank() == 0) return y.add(bias);
        if (bias.size() != channels || (bias.rank() != 1 && Arrays.stream(bias.dims()).filter(d -> d != 1).count() > 1)) {
            throw new IllegalArgumentException(op + ": the bias must have one value per output channel, shape [" + channels + "], but got "
                    + bias.describe() + ", for output " + y.describe());
        }
        int[] shape = new int[y.rank()];
        Arrays.fill(shape, 1);
        shape[plan.outputPermutation()[1]] = channels;
        return y.add(bias.reshape(shape));
    }
}
