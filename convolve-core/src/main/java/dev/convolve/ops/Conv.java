package dev.convolve.ops;

import dev.convolve.backend.Backends;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.Tensor;

/**
 * General N-dimensional convolution with every option of Nx's {@code conv}.
 *
 * <p>{@link #conv} is a cross-correlation (the kernel is not flipped), as in Nx, JAX, PyTorch and every deep
 * learning library; {@link #convolve} is the textbook convolution (the kernel flipped on every spatial axis).
 *
 * {@snippet :
 * // d2l's corr2d: X = [[0,1,2],[3,4,5],[6,7,8]], K = [[0,1],[2,3]]
 * Tensor x = Tensor.iota(DType.F32, 1, 1, 3, 3);
 * Tensor k = Tensor.of(new float[][][][] {{{{0, 1}, {2, 3}}}});
 * Conv.conv(x, k);  // f32[1][1][2][2] [[[[19.0, 25.0], [37.0, 43.0]]]]
 * }
 */
public final class Conv {
    private Conv() {}

    /**
     * Cross-correlates {@code input} (canonically {@code [N, C, S1..Sn]}) with {@code kernel}
     * ({@code [O, I, K1..Kn]}) under {@code options}; see {@link ConvOptions} and SPEC.md section 2.
     * The result type is {@code to_floating(merge(input, kernel))}: integer convolutions give f32.
     *
     * @throws IllegalArgumentException for any invalid shape or option, naming the rule and both shapes
     */
    public static Tensor conv(Tensor input, Tensor kernel, ConvOptions options) {
        ConvPlan plan = plan(input, kernel, options);
        return Backends.current().conv(plan, input, kernel);
    }

    /**
     * {@link #conv} written into {@code out}, which is returned: for loops that convolve many inputs of one shape (video
     * frames, batches) and keep one output buffer, like OpenCV's {@code dst}. A fresh result's memory is zeroed by the JVM
     * before the conv writes it, which on large outputs costs as much as the conv's own stores; {@code out} is not.
     * {@code out}'s previous contents are overwritten.
     *
     * @throws IllegalArgumentException for an invalid conv (as {@link #conv}), when {@code out} does not have the result's
     *     shape and type, or when it shares its storage with {@code input} or {@code kernel}
     */
    public static Tensor convInto(Tensor input, Tensor kernel, ConvOptions options, Tensor out) {
        ConvPlan plan = plan(input, kernel, options);
        checkOut("conv", plan, input, kernel, out);
        return Backends.current().convInto(plan, input, kernel, out);
    }

    /** The checks of {@link #convInto} on {@code out}, with {@code op} naming the operation in the message. */
    static void checkOut(String op, ConvPlan plan, Tensor input, Tensor kernel, Tensor out) {
        if (out == null) throw new IllegalArgumentException(op + ": out must be a tensor, but is null");
        if (out.dtype() != plan.outputType() || !out.shape().equals(plan.outputShape())) {
            throw new IllegalArgumentException(op + ": out must have the result's shape and type " + plan.outputType() + plan.outputShape()
                    + ", but is " + out.dtype() + out.shape() + ", for input " + input.dtype() + input.shape() + " and kernel "
                    + kernel.dtype() + kernel.shape());
        }
        if (out.data() == input.data() || out.data() == kernel.data()) {
            throw new IllegalArgumentException(op + ": out must not share its storage with the " + (out.data() == input.data() ? "input" : "kernel")
                    + " (the conv reads it while writing out), for out " + out.dtype() + out.shape());
        }
    }

    /** {@link #conv} with Nx's defaults (stride 1, valid padding). */
    public static Tensor conv(Tensor input, Tensor kernel) { return conv(input, kernel, ConvOptions.defaults()); }

    /** The validated plan of a conv call: output shape, padding, groups; what the backend will run. */
    public static ConvPlan plan(Tensor input, Tensor kernel, ConvOptions options) {
        return ConvPlan.of(input.shape(), input.dtype(), kernel.shape(), kernel.dtype(), options);
    }

    /** True convolution: {@link #conv} with the kernel reversed along each of its spatial axes. */
    public static Tensor convolve(Tensor input, Tensor kernel, ConvOptions options) {
        ConvPlan plan = plan(input, kernel, options);
        return Backends.current().conv(plan, input, flipSpatial(kernel, plan.kernelPermutation()));
    }

    /** Reverses the spatial axes of a kernel whose canonical axes sit at physical positions {@code kernelPermutation}. */
    static Tensor flipSpatial(Tensor kernel, int[] kernelPermutation) {
        int[] axes = new int[kernelPermutation.length - 2];
        for (int i = 2; i < kernelPermutation.length; i++) axes[i - 2] = kernelPermutation[i];
        return kernel.reverse(axes);
    }
}
