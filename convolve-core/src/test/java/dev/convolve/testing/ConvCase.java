package dev.convolve.testing;

import dev.convolve.plan.ConvOptions;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * One random conv call: operands in their physical layouts and the options, plus the permutations the generator
 * intended (which a layout string must resolve to) and, when used, the layout strings.
 */
public record ConvCase(Tensor input, Tensor kernel, ConvOptions options, int[] inputPerm, int[] kernelPerm, int[] outputPerm, String[] layout) {

    /** Spatial rank n = rank - 2. */
    public int spatialRank() { return input.rank() - 2; }

    @Override
    public String toString() {
        return "conv(input " + input.describe() + ", kernel " + kernel.describe() + ", " + options
                + (layout == null ? "" : ", layout " + Arrays.toString(layout))
                + ", perms " + Arrays.toString(inputPerm) + " " + Arrays.toString(kernelPerm) + " " + Arrays.toString(outputPerm) + ")";
    }
}
