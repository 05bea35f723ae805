package dev.convolve.testing;

import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.Tensor;

/** One random window reduction: the input, the options and the reduction. */
public record WindowCase(Tensor input, WindowOptions options, WindowOracle.Op op) {
    @Override
    public String toString() { return "window " + op + "(input " + input.describe() + ", " + options + ")"; }
}
