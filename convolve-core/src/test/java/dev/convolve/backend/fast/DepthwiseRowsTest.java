package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The row-gather depthwise engine (forward, input gradient, kernel gradient) against the reference: rows of 1 to 31 columns
 * (one and two vectors), any channel count, kernels up to 3 wide (up to 5 with fewer channels than lanes), strides 1-3,
 * kernel dilation, padding on one side or negative, batch 1, layouts; vector and scalar kernels.
 */
class DepthwiseRowsTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 300)
    void forwardMatchesReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, FAST, "depthwise-rows");
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 300)
    void inputGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, FAST, "depthwise-rows");
        assertEquals("depthwise-rows-dx", FAST.explainGradInput(c.plan()).algorithm(), c::toString);
        FastGradPropertyTest.checkInput(FAST, c);
    }

    @Property(tries = 300)
    void kernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, FAST, "depthwise-rows", p -> FAST.explainGradKernel(p).algorithm(), "depthwise-rows-dw");
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 100)
    void scalarKernelsMatchReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, SCALAR, "depthwise-rows");
        FastConvPropertyTest.check(SCALAR, c);
        FastGradPropertyTest.checkInput(SCALAR, c);
        RandomConvCase d = DepthwiseTest.depthwiseCase(seed, SCALAR, "depthwise-rows", p -> SCALAR.explainGradKernel(p).algorithm(), "depthwise-rows-dw");
        FastGradPropertyTest.checkKernel(SCALAR, d);
    }

    @Test
    void mobileNetShapesMatchReference() {
        int[][] shapes = {{8, 256, 28, 28, 3, 2, 1}, {2, 512, 14, 14, 3, 1, 1}, {3, 48, 7, 7, 3, 1, 1}, {1, 144, 29, 29, 3, 2, 1}};
        for (int[] sh : shapes) {
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(sh[5], sh[5]))
                    .withPadding(Padding.explicit(new int[] {sh[6], sh[6]}, new int[] {sh[6], sh[6]})).withFeatureGroupSize(sh[1]);
            Tensor x = RandomConvCase.values(sh[0], DType.F32, new int[] {sh[0], sh[1], sh[2], sh[3]});
            Tensor k = RandomConvCase.values(sh[1], DType.F32, new int[] {sh[1], 1, sh[4], sh[4]});
            RandomConvCase c = new RandomConvCase(sh[0] * 31L + sh[1], x, k, opt, ConvPlan.of(x.shape(), x.dtype(), k.shape(), k.dtype(), opt));
            assertEquals("depthwise-rows", FAST.explain(c.plan()).algorithm());
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
            FastGradPropertyTest.checkKernel(FAST, c);
        }
    }
}
