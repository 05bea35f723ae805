package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        DepthwiseTest.checkShapes(FAST, shapes, "depthwise-rows");
    }
}
