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
