package dev.convolve.autograd;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.autograd.kernels.BatchLastConv;
import dev.convolve.autograd.kernels.Conv2dF32;
import dev.convolve.backend.WindowReduction;
import dev.convolve.ops.Conv;
import dev.convolve.ops.Window;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Differentiable conv and window operations (the primitives that take options), plus {@code select}.
 *
 * <p>Conv gradients are convs: the backend's {@link Backend#convGradInput} and {@link Backend#convGradKernel}
 * (SPEC 2.6; derivation in {@code backend.ConvGradients}). Window max/min route the gradient to the chosen element
 * with {@link Backend#windowSelectScatter}; window sum and mean spread it with the derivation in
 * {@link #windowSum}.
 */
public final class Functional {
    private Functional() {}

    /**
     * Whether f32 2-D/1-D convs in canonical layout use the training kernels of {@link Conv2dF32} (default) rather
     * than the backend; {@code -Dconvolve.nn.convKernels=backend} turns them off.
     */
    static final boolean TRAINING_KERNELS = !"backend".equals(System.getProperty("convolve.nn.convKernels"));

    /**
     * {@code Conv.conv(input, kernel, options)} with gradients for both operands, every option included
     * (strides, padding, dilations, feature and batch groups, permutations).
     *
     * @throws IllegalArgumentException for invalid shapes or options (from {@link ConvPlan})
     */
    public static Variable conv(Variable input, Variable kernel, ConvOptions options) {
        return conv(input, kernel, Conv.plan(input.value(), kernel.value(), options));
    }

    /**
     * {@link #conv(Variable, Variable, ConvOptions)} with the plan already made (by {@code ConvPlan.of} for these
     * operands' shapes and types; a layer that sees the same shapes every step keeps its plan).
     *
     * @throws IllegalArgumentException when the plan was made for other shapes or types
     */
    public static Variable conv(Variable input, Variable kernel, ConvPlan plan) {
        Tensor x = input.value(), w = kernel.value();
        checkPlan(plan, x, w);
        if (TRAINING_KERNELS && BatchLastConv.supports(plan, x.dtype(), w.dtype())) {
            Tensor out = BatchLastConv.forward(plan, x, w, null, false);
            return Variable.record(out, (g, needs) -> {
                Tensor gf = g.asType(DType.F32);
                return new Tensor[] {
                        needs[0] ? BatchLastConv.gradInput(plan, w, gf) : null,
                        needs[1] ? BatchLastConv.gradKernel(plan, x, gf) : null};
            }, input, kernel);
        }
        if (TRAINING_KERNELS && Conv2dF32.supports(plan, x.dtype(), w.dtype())) {
            Tensor out = Conv2dF32.forward(plan, x, w);
            return Variable.record(out, (g, needs) -> {
                Tensor gf = g.asType(DType.F32);
                return new Tensor[] {
                        needs[0] ? Conv2dF32.gradInput(plan, w, gf) : null,
                        needs[1] ? Conv2dF32.gradKernel(plan, x, gf) : null};
            }, input, kernel);
        }
        Tensor out = Backends.current().conv(plan, x, w);
        return Variable.record(out, (g, needs) -> {
            Backend b = Backends.current();
            return new Tensor[] {
                    needs[0] ? b.convGradInput(plan, w, g) : null,
                    needs[1] ? b.convGradKernel(plan, x, g) : null};
        }, input, kernel);
    }

    /**
     * {@code conv(input, kernel) + bias}, then a ReLU when {@code relu}: one primitive, fused into the conv's output
     * loop for f32 in the batch-last layout (otherwise composed from conv, bias and ReLU). {@code bias} has one value
     * per output channel; the output's channel axis is {@code outputPermutation[1]}. Backward: {@code g' = g * (y > 0)}
     * (or g), the bias gradient sums {@code g'} over every other axis, and the conv gradients use {@code g'}.
     */
    public static Variable convBias(Variable input, Variable kernel, Variable bias, ConvOptions options, boolean relu) {
        return convBias(input, kernel, bias, Conv.plan(input.value(), kernel.value(), options), relu);
    }

    /**
     * {@link #convBias(Variable, Variable, Variable, ConvOptions, boolean)} with the plan already made (see
     * {@link #conv(Variable, Variable, ConvPlan)}).
     *
     * @throws IllegalArgumentException when the plan was made for other shapes or types, or for a bias of the wrong size
     */
    public static Variable convBias(Variable input, Variable kernel, Variable bias, ConvPlan plan, boolean relu) {
        Tensor x = input.value(), w = kernel.value(), b = bias.value();
        checkPlan(plan, x, w);
        int[] op = plan.outputPermutation();
        int channelAxis = op[1];
        if (b.rank() != 1 || b.dim(0) != plan.outChannels()) {
            throw new IllegalArgumentException("conv: expected a bias of " + plan.outChannels() + " values (one per output channel), got " + b.describe());
        }
        if (!(TRAINING_KERNELS && BatchLastConv.supports(plan, x.dtype(), w.dtype()) && b.dtype() == DType.F32)) {
            Variable y = conv(input, kernel, plan);
            int[] shape = new int[y.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[channelAxis] = plan.outChannels();
            Variable sum = y.add(bias.reshape(shape));
            return relu ? sum.relu() : sum;
        }
        Tensor out = BatchLastConv.forward(plan, x, w, b, relu);
        return Variable.record(out, (g, needs) -> {
            Tensor[] gb = BatchLastConv.reluBiasGrad(out, g.asType(DType.F32), relu);
            Tensor gf = gb[0];
            Tensor db = needs[2] ? gb[1] : null;
            return new Tensor[] {
                    needs[0] ? BatchLastConv.gradInput(plan, w, gf) : null,
                    needs[1] ? BatchLastConv.gradKernel(plan, x, gf) : null,
                    db};
        }, input, kernel, bias);
    }

    private static void checkPlan(ConvPlan plan, Tensor x, Tensor w) {
        if (!plan.inputShape().equals(x.shape()) || plan.inputType() != x.dtype() || !plan.kernelShape().equals(w.shape()) || plan.kernelType() != w.dtype()) {
            throw new IllegalArgumentException("conv: the plan was made for input " + plan.inputType() + plan.inputShape() + " and kernel " + plan.kernelType()
                    + plan.kernelShape() + ", not input " + x.describe() + " and kernel " + w.describe());
        }
    }

    /** Window sum with its gradient ({@link Backend#windowSumTranspose}: every output gradient added to each input element of its window). */
    public static Variable windowSum(Variable input, WindowOptions options) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan("window_sum", x, options);
        Tensor out = Backends.current().window(plan, WindowReduction.SUM, x);
        return Variable.record(out, (g, n) -> new Tensor[] {spread(plan, g)}, input);
    }

    /** The transpose of a window sum: every output gradient added to each input element of its window (see {@link Backend#windowSumTranspose}). */
    static Tensor spread(WindowPlan plan, Tensor g) { return Backends.current().windowSumTranspose(plan, g); }

    /**
     * Window mean with its gradient: the sum's gradient divided by the window size (or, without
     * {@code countIncludePad}, by the number of real elements of each window).
     */
    public static Variable windowMean(Variable input, WindowOptions options) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan("window_mean", x, options);
        Tensor xf = x.dtype().isFloat() ? x : x.asType(x.dtype().toFloating());
        WindowPlan pf = Window.plan("window_mean", xf, options);
        if (plan.countIncludePad()) {
            // the sums divided by the window size as they are stored; the gradient spread with weights 1 / size
            Tensor out = Backends.current().windowSumDivided(pf, xf, plan.windowSize());
            return Variable.record(out, (g, n) -> new Tensor[] {Backends.current().windowSumTransposeScaled(plan, g, 1.0 / plan.windowSize())}, input);
        }
        // Without countIncludePad each window divides by its number of real elements: the window sum of ones.
        Tensor sums = Backends.current().window(pf, WindowReduction.SUM, xf);
        Tensor divisor = Backends.current().window(plan, WindowReduction.SUM, Tensor.ones(xf.dtype(), x.dims()));
        return Variable.record(sums.divide(divisor), (g, n) -> new Tensor[] {spread(plan, g.divide(divisor.asType(g.dtype())))}, input);
    }

    /** Window max; the gradient goes to the first maximal element of each window. */
    public static Variable windowMax(Variable input, WindowOptions options) { return select(input, options, true); }

    /** Window min; the gradient goes to the first minimal element of each window. */
    public static Variable windowMin(Variable input, WindowOptions options) { return select(input, options, false); }

    private static Variable select(Variable input, WindowOptions options, boolean max) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan(max ? "window_max" : "window_min", x, options);
        Tensor out = Backends.current().window(plan, max ? WindowReduction.MAX : WindowReduction.MIN, x);
        return Variable.record(out, (g, n) -> new Tensor[] {Backends.current().windowSelectScatter(plan, max, x, g)}, input);
    }

    /** Window product; d/dx of each window's product is the product of the window's other elements. */
    public static Variable windowProduct(Variable input, WindowOptions options) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan("window_product", x, options);
        Tensor out = Backends.current().window(plan, WindowReduction.PRODUCT, x);
        return Variable.record(out, (g, n) -> new Tensor[] {WindowProductGrad.grad(plan, x, g)}, input);
    }

    /**
     * Picks {@code onTrue} where {@code predicate} is non-zero, else {@code onFalse} (all three broadcast); the
     * gradient flows to the branch that was picked.
     */
    public static Variable select(Tensor predicate, Variable onTrue, Variable onFalse) {
        Tensor a = onTrue.value(), b = onFalse.value();
        Tensor out = Tensor.select(predicate, a, b);
        return Variable.record(out, (g, needs) -> {
            Tensor zero = Tensor.zeros(g.dtype());
            return new Tensor[] {
                    needs[0] ? Unbroadcast.to(Tensor.select(predicate, g, zero), a.shape()) : null,
                    needs[1] ? Unbroadcast.to(Tensor.select(predicate, zero, g), b.shape()) : null};
        }, onTrue, onFalse);
    }

    /** A scalar constant of the given floating type. */
    static Tensor scalar(double v, DType t) { return Tensor.full(v, t); }
}
