package dev.convolve.plan;

import java.util.Arrays;

/**
 * The options of {@code conv}, with Nx's names and defaults (strides 1, padding valid, dilations 1,
 * group sizes 1, identity permutations). Immutable; each {@code with...} returns a changed copy.
 *
 * {@snippet :
 * ConvOptions o = ConvOptions.defaults()
 *     .withStrides(2)                       // every spatial axis
 *     .withPadding(Padding.same())
 *     .withKernelDilation(1, 2)             // one per spatial axis
 *     .withLayout("NHWC", "HWIO", "NHWC");  // permutations from layout strings
 * }
 *
 * @param strides          step of the window per spatial axis
 * @param padding          see {@link Padding}
 * @param inputDilation    zeros inserted between input elements ({@code d - 1} of them)
 * @param kernelDilation   spacing of kernel taps
 * @param featureGroupSize input channels are split into this many groups (depthwise: the channel count)
 * @param batchGroupSize   the batch is split into this many groups, each paired with a block of output channels
 * @param inputPermutation  {@code perm[i]} is the physical axis holding canonical input axis {@code i} of {@code [N, C, S...]}; null for identity
 * @param kernelPermutation the same for the kernel's canonical {@code [O, I, K...]}; null for identity
 * @param outputPermutation canonical output axis {@code i} is written to physical axis {@code perm[i]}; null for identity
 */
public record ConvOptions(
        AxisValues strides,
        Padding padding,
        AxisValues inputDilation,
        AxisValues kernelDilation,
        int featureGroupSize,
        int batchGroupSize,
        int[] inputPermutation,
        int[] kernelPermutation,
        int[] outputPermutation) {

    public ConvOptions {
        if (strides == null) strides = AxisValues.all(1);
        if (padding == null) padding = Padding.valid();
        if (inputDilation == null) inputDilation = AxisValues.all(1);
        if (kernelDilation == null) kernelDilation = AxisValues.all(1);
        inputPermutation = inputPermutation == null ? null : inputPermutation.clone();
        kernelPermutation = kernelPermutation == null ? null : kernelPermutation.clone();
        outputPermutation = outputPermutation == null ? null : outputPermutation.clone();
    }

    private static final ConvOptions DEFAULTS = new ConvOptions(null, null, null, null, 1, 1, null, null, null);

    /** Nx's defaults. */
    public static ConvOptions defaults() { return DEFAULTS; }

    @Override public int[] inputPermutation() { return inputPermutation == null ? null : inputPermutation.clone(); }

    @Override public int[] kernelPermutation() { return kernelPermutation == null ? null : kernelPermutation.clone(); }

    @Override public int[] outputPermutation() { return outputPermutation == null ? null : outputPermutation.clone(); }

    /** The same stride on every spatial axis. */
    public ConvOptions withStrides(int stride) { return withStrides(AxisValues.all(stride)); }

    /** One stride per spatial axis. */
    public ConvOptions withStrides(int... strides) { return withStrides(AxisValues.of(strides)); }

    public ConvOptions withStrides(AxisValues s) {
        return new ConvOptions(s, padding, inputDilation, kernelDilation, featureGroupSize, batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    public ConvOptions withPadding(Padding p) {
        return new ConvOptions(strides, p, inputDilation, kernelDilation, featureGroupSize, batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** Explicit padding as {@code lo0, hi0, lo1, hi1, ...}. */
    public ConvOptions withPadding(int... loHi) { return withPadding(Padding.pairs(loHi)); }

    public ConvOptions withInputDilation(int d) { return withInputDilation(AxisValues.all(d)); }

    public ConvOptions withInputDilation(int... d) { return withInputDilation(AxisValues.of(d)); }

    public ConvOptions withInputDilation(AxisValues d) {
        return new ConvOptions(strides, padding, d, kernelDilation, featureGroupSize, batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    public ConvOptions withKernelDilation(int d) { return withKernelDilation(AxisValues.all(d)); }

    public ConvOptions withKernelDilation(int... d) { return withKernelDilation(AxisValues.of(d)); }

    public ConvOptions withKernelDilation(AxisValues d) {
        return new ConvOptions(strides, padding, inputDilation, d, featureGroupSize, batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    public ConvOptions withFeatureGroupSize(int g) {
        return new ConvOptions(strides, padding, inputDilation, kernelDilation, g, batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    public ConvOptions withBatchGroupSize(int g) {
        return new ConvOptions(strides, padding, inputDilation, kernelDilation, featureGroupSize, g, inputPermutation, kernelPermutation, outputPermutation);
    }

    public ConvOptions withInputPermutation(int... p) {
        return new ConvOptions(strides, padding, inputDilation, kernelDilation, featureGroupSize, batchGroupSize, p, kernelPermutation, outputPermutation);
    }

    public ConvOptions withKernelPermutation(int... p) {
        return new ConvOptions(strides, padding, inputDilation, kernelDilation, featureGroupSize, batchGroupSize, inputPermutation, p, outputPermutation);
    }

    public ConvOptions withOutputPermutation(int... p) {
        return new ConvOptions(strides, padding, inputDilation, kernelDilation, featureGroupSize, batchGroupSize, inputPermutation, kernelPermutation, p);
    }

    /**
     * Permutations from layout strings, as JAX's {@code dimension_numbers}: the input and output use
     * {@code N} and {@code C}, the kernel {@code O} and {@code I}; every other letter is a spatial axis, and
     * spatial axes are matched by letter in the order the kernel lists them. {@code ("NHWC", "HWIO", "NHWC")}
     * gives input {@code [0,3,1,2]}, kernel {@code [3,2,0,1]}, output {@code [0,3,1,2]}.
     */
    public ConvOptions withLayout(String input, String kernel, String output) {
        int[][] p = Layouts.permutations(input, kernel, output);
        return new ConvOptions(strides, padding, inputDilation, kernelDilation, featureGroupSize, batchGroupSize, p[0], p[1], p[2]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvOptions c && c.strides.equals(strides) && c.padding.equals(padding)
                && c.inputDilation.equals(inputDilation) && c.kernelDilation.equals(kernelDilation)
                && c.featureGroupSize == featureGroupSize && c.batchGroupSize == batchGroupSize
                && Arrays.equals(c.inputPermutation, inputPermutation) && Arrays.equals(c.kernelPermutation, kernelPermutation)
                && Arrays.equals(c.outputPermutation, outputPermutation);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(strides, padding, inputDilation, kernelDilation, featureGroupSize, batchGroupSize,
                Arrays.hashCode(inputPermutation), Arrays.hashCode(kernelPermutation), Arrays.hashCode(outputPermutation));
    }

    @Override
    public String toString() {
        return "ConvOptions[strides=" + strides + ", padding=" + padding + ", inputDilation=" + inputDilation + ", kernelDilation=" + kernelDilation
                + ", featureGroupSize=" + featureGroupSize + ", batchGroupSize=" + batchGroupSize
                + ", inputPermutation=" + Arrays.toString(inputPermutation) + ", kernelPermutation=" + Arrays.toString(kernelPermutation)
                + ", outputPermutation=" + Arrays.toString(outputPermutation) + "]";
    }
}
