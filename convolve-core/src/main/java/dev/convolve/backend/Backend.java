package dev.convolve.backend;

import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.Tensor;

/**
 * The kernels a backend provides. Each receives a plan that {@link ConvPlan} / {@link WindowPlan} has already
 * validated; kernels never re-check. Inputs arrive in their physical layout and types as the plan records them.
 */
public interface Backend {
    /** A short name such as {@code reference} or {@code fast}. */
    String name();

    /** The convolution of the plan: returns a tensor of {@code plan.outputShape()} and {@code plan.outputType()}. */
    Tensor conv(ConvPlan plan, Tensor input, Tensor kernel);

    /**
     * {@link #conv} written into {@code out}, which the caller has checked has {@code plan.outputShape()} and
     * {@code plan.outputType()} and shares no storage with the operands (as {@code Conv.convInto} does); returns {@code out}.
     * For callers that run one conv many times, like OpenCV's {@code dst} or BoofCV's output images: a fresh result's memory is
     * zeroed by the JVM first, which costs as much as a fast conv's own stores on large outputs. The default computes
     * {@link #conv} and copies it; a backend may write in place.
     */
    default Tensor convInto(ConvPlan plan, Tensor input, Tensor kernel, Tensor out) {
        Tensor r = conv(plan, input, kernel);
        System.arraycopy(r.data(), 0, out.data(), 0, r.size());
        return out;
    }

    /** A window reduction; the result has {@code plan.outputShape()} and the input's type. Padding holds the reduction's identity. */
    Tensor window(WindowPlan plan, WindowReduction op, Tensor input);

    /**
     * The window sums of a floating {@code input} divided by {@code divisor}: {@code window(plan, SUM, input).divide(divisor)},
     * a mean that counts padding ({@code Window.mean}, average pooling). A backend may divide the sums before it stores them,
     * saving the second pass over the output and its fresh array, if the quotients are the same.
     */
    default Tensor windowSumDivided(WindowPlan plan, Tensor input, double divisor) {
        return window(plan, WindowReduction.SUM, input).divide(divisor);
    }

    /**
     * The gradient routing of window max/min (XLA's select-and-scatter): for each window, adds the matching
     * element of {@code source} (shaped like the output) to the input position holding the window's
     * maximum ({@code max}) or minimum, the first one on ties; padding is never selected. The result has the
     * input's shape and {@code source}'s type.
     */
    Tensor windowSelectScatter(WindowPlan plan, boolean max, Tensor input, Tensor source);

    /**
     * The gradient of a window sum (average pooling's, before its division): every element of {@code g} (shaped like the
     * plan's output) added to each input element of its window, padding dropped; shaped like the input, in {@code g}'s type.
     * The default pads {@code g} and takes a window sum ({@link WindowGradients}); a backend may override it.
     */
    default Tensor windowSumTranspose(WindowPlan plan, Tensor g) {
        return WindowGradients.sum(this, plan, g);
    }

    /**
     * {@link #windowSumTranspose} of {@code g} times {@code scale}: average pooling's gradient when padding counts ({@code scale}
     * = 1 / window size). The default scales {@code g} first; a backend may weight the sums by {@code scale} instead (within a
     * rounding per term of the default), saving the scaled copy of {@code g}.
     */
    default Tensor windowSumTransposeScaled(WindowPlan plan, Tensor g, double scale) {
        return windowSumTranspose(plan, g.multiply(scale));
    }

    /**
     * Gradient of the conv of {@code plan} with respect to its input, given the output gradient {@code gradOut}
     * (shaped like the plan's output); the result is shaped like the input, in {@code gradOut}'s type. The default
     * expresses it as a conv (see {@link ConvGradients}); a backend may override it with a faster kernel.
     */
    default Tensor convGradInput(ConvPlan plan, Tensor kernel, Tensor gradOut) {
        return ConvGradients.input(this, plan, kernel, gradOut);
    }

    /** Gradient with respect to the kernel, shaped like the kernel; see {@link #convGradInput}. */
    default Tensor convGradKernel(ConvPlan plan, Tensor input, Tensor gradOut) {
        return ConvGradients.kernel(this, plan, input, gradOut);
    }
}
