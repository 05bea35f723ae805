package dev.convolve.testing;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.Tensor;

/** One random constant pad: the tensor, the padding value (a scalar tensor of any type) and the configuration. */
public record PadCase(Tensor input, Tensor value, PadConfig config) {
    @Override
    public String toString() { return "pad(" + input.describe() + ", value " + value.describe() + " " + value.getFlat(0) + ", " + config + ")"; }
}
