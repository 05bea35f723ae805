package dev.convolve.nn;

import dev.convolve.autograd.Functional;
import dev.convolve.autograd.Variable;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * A convolution layer of any spatial rank (1-D, 2-D, 3-D, ...) with every option of {@link ConvOptions} and an
 * optional bias, as PyTorch's {@code nn.Conv1d/2d/3d} and Axon's {@code conv}.
 *
 * <p>Input {@code [N, inChannels, S1..Sn]} (or the layout the options' permutations describe), weight
 * {@code [outChannels, inChannels / featureGroupSize, K1..Kn]}, bias {@code [outChannels]}, output
 * {@code [N, outChannels, Q1..Qn]}. Weights and bias start with PyTorch's defaults
 * ({@link Init#pytorchWeight()}) unless another initializer is given.
 *
 * {@snippet :
 * Conv c = Conv.conv2d(1, 4, 3, 2, 1);                // PyTorch's Conv2d(1, 4, kernel_size=3, stride=2, padding=1)
 * Conv nx = new Conv(1, 1, new int[] {3, 3}, ConvOptions.defaults().withPadding(Padding.same()), false, Init.zeros());
 * }
 */
public final class Conv extends Module {
    private final int inChannels, outChannels;
    private final int[] kernelSize;
    private final ConvOptions options;
    private final boolean hasBias;
    private Variable weight, bias;

    /**
     * @throws IllegalArgumentException when channels are not positive, the kernel is empty, or the channels do not
     *         divide by the feature group size
     */
    public Conv(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, boolean bias, Init weightInit) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("conv layer: channels must be positive, got " + inChannels + " in and " + outChannels + " out");
        }
        if (kernelSize.length == 0) throw new IllegalArgumentException("conv layer: the kernel needs at least one spatial axis");
        int gf = options.featureGroupSize();
        if (inChannels % gf != 0 || outChannels % gf != 0) {
            throw new IllegalArgumentException("conv layer: input channels " + inChannels + " and output channels " + outChannels
                    + " must both be divisible by the feature group size " + gf);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.options = options;
        this.hasBias = bias;
        int[] canon = new int[kernelSize.length + 2];
        canon[0] = outChannels;
        canon[1] = inChannels / gf;
        System.arraycopy(kernelSize, 0, canon, 2, kernelSize.length);
        int[] phys = canon.clone();
        int[] kp = options.kernelPermutation();
        if (kp != null) for (int i = 0; i < canon.length; i++) phys[kp[i]] = canon[i];
        int fanIn = Init.fanIn(canon);
        weight = addParameter("weight", weightInit.create(0, DType.F32, phys), weightInit);
        if (bias) {
            Init bi = Init.pytorchBias(fanIn);
            this.bias = addParameter("bias", bi.create(1, DType.F32, new int[] {outChannels}), bi);
        }
    }

    /** PyTorch's {@code Conv2d(in, out, kernel_size=k, stride=stride, padding=padding)} with bias. */
    public static Conv conv2d(int in, int out, int k, int stride, int padding) {
        return new Conv(in, out, new int[] {k, k},
                ConvOptions.defaults().withStrides(stride).withPadding(padding, padding, padding, padding), true, Init.pytorchWeight());
    }

    /** PyTorch's {@code Conv1d(in, out, kernel_size=k, stride=stride, padding=padding)} with bias. */
    public static Conv conv1d(int in, int out, int k, int stride, int padding) {
        return new Conv(in, out, new int[] {k}, ConvOptions.defaults().withStrides(stride).withPadding(padding, padding), true, Init.pytorchWeight());
    }

    /** PyTorch's {@code Conv3d(in, out, kernel_size=k, stride=stride, padding=padding)} with bias. */
    public static Conv conv3d(int in, int out, int k, int stride, int padding) {
        return new Conv(in, out, new int[] {k, k, k},
                ConvOptions.defaults().withStrides(stride).withPadding(padding, padding, padding, padding, padding, padding), true, Init.pytorchWeight());
    }

    @Override
    protected void onParameterReplaced(String name, Variable v) {
        if (name.equals("weight")) weight = v;
        else bias = v;
    }

    public Variable weight() { return weight; }

    /** The bias, or null without one. */
    public Variable bias() { return bias; }

    public ConvOptions options() { return options; }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    @Override
    protected Variable forward(Variable x) {
        if (!hasBias) return Functional.conv(x, weight, planFor(x));
        return Functional.convBias(x, weight, bias, planFor(x), false);
    }

    /** {@code relu(conv(x) + bias)} as one fused primitive ({@link Sequential} uses it for a Conv followed by a ReLU). */
    Variable forwardRelu(Variable x) {
        if (!hasBias) return Functional.conv(x, weight, planFor(x)).relu();
        return Functional.convBias(x, weight, bias, planFor(x), true);
    }

    /**
     * The plan for this input, from the few kept for the latest input shapes (a training loop sees the same shapes every
     * step: the batch, the last smaller batch, the evaluation batch), made anew for a new shape.
     */
    private ConvPlan planFor(Variable x) {
        Tensor in = x.value(), w = weight.value();
        ConvPlan[] kept = plans;
        for (ConvPlan p : kept) {
            if (p != null && p.inputShape().equals(in.shape()) && p.inputType() == in.dtype() && p.kernelShape().equals(w.shape()) && p.kernelType() == w.dtype()) {
                return p;
            }
        }
        ConvPlan p = ConvPlan.of(in.shape(), in.dtype(), w.shape(), w.dtype(), options);
        ConvPlan[] next = new ConvPlan[kept.length];
        next[0] = p;
        System.arraycopy(kept, 0, next, 1, kept.length - 1);
        plans = next;
        return p;
    }

    /** The latest plans, newest first; replaced as a whole (plans are immutable), so other threads see whole plans. */
    private volatile ConvPlan[] plans = new ConvPlan[4];

    boolean hasBias() { return hasBias; }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Conv").append(kernelSize.length).append("d(").append(inChannels).append(", ").append(outChannels)
                .append(", kernel=").append(join(kernelSize));
        String s = options.strides().toString();
        if (!s.equals("1")) sb.append(", stride=").append(s.replace("[", "").replace("]", "").replace(", ", "x"));
        if (!(options.padding() instanceof Padding.Valid)) sb.append(", padding=").append(options.padding());
        if (!options.inputDilation().toString().equals("1")) sb.append(", input dilation=").append(options.inputDilation());
        if (!options.kernelDilation().toString().equals("1")) sb.append(", dilation=").append(options.kernelDilation());
        if (options.featureGroupSize() != 1) sb.append(", groups=").append(options.featureGroupSize());
        if (!hasBias) sb.append(", no bias");
        return sb.append(')').toString();
    }

    private static String join(int[] k) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k.length; i++) sb.append(i > 0 ? "x" : "").append(k[i]);
        return sb.toString();
    }

    /** The conv plan for an input shape (useful to know output sizes before running). */
    public ConvPlan plan(int... inputShape) {
        return ConvPlan.of(Shape.of(inputShape), DType.F32, weight.value().shape(), weight.dtype(), options);
    }

    @Override
    public String toString() { return describe() + " weight " + Arrays.toString(weight.dims()); }
}
