package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The channel-blocked depthwise engine (forward, input gradient, kernel gradient) against the reference: channel counts
 * that are and are not multiples of the lanes, odd and tiny planes, kernels 1x1 to 5x5, strides 1-3, kernel dilation,
 * padding on one side or negative, batch 1, layouts; vector and scalar kernels; and the planner's rule between the
 * depthwise engines.
 */
class DepthwiseBlockedTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 300)
    void forwardMatchesReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, FAST, "depthwise-blocked");
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 300)
    void inputGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, FAST, "depthwise-blocked", p -> FAST.explainGradInput(p).algorithm(), "depthwise-blocked-dx");
        FastGradPropertyTest.checkInput(FAST, c);
    }

    @Property(tries = 300)
    void kernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, FAST, "depthwise-blocked", p -> FAST.explainGradKernel(p).algorithm(), "depthwise-blocked-dw");
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 100)
    void scalarKernelsMatchReference(@ForAll long seed) {
        RandomConvCase c = DepthwiseTest.depthwiseCase(seed, SCALAR, "depthwise-blocked");
        FastConvPropertyTest.check(SCALAR, c);
        FastGradPropertyTest.checkInput(SCALAR, DepthwiseTest.depthwiseCase(seed, SCALAR, "depthwise-blocked",
                p -> SCALAR.explainGradInput(p).algorithm(), "depthwise-blocked-dx"));
        RandomConvCase d = DepthwiseTest.depthwiseCase(seed, SCALAR, "depthwise-blocked", p -> SCALAR.explainGradKernel(p).algorithm(), "depthwise-blocked-dw");
        FastGradPropertyTest.checkKernel(SCALAR, d);
    }

    @Test
    void plannerRule() {
        int lanes = FAST.kernels().lanes();
        // narrow rows and 3 taps wide: rows; wider planes (or wider kernels) with >= lanes channels: blocked; else per plane
        assertEquals("depthwise-rows", FAST.explain(plan(8, 256, 28, 28, 3, 2, 256)).algorithm());
        assertEquals("depthwise-rows", FAST.explain(plan(8, 512, 14, 14, 3, 1, 512)).algorithm());
        assertEquals("depthwise-rows", FAST.explain(plan(2, lanes - 1, 14, 14, 5, 1, lanes - 1)).algorithm());
        assertEquals("depthwise-blocked", FAST.explain(plan(8, 256, 28, 28, 5, 1, 256)).algorithm());
        assertEquals("depthwise-blocked", FAST.explain(plan(8, 128, 56, 56, 3, 1, 128)).algorithm());
        assertEquals("depthwise-blocked", FAST.explain(plan(8, 64, 112, 112, 3, 2, 64)).algorithm());
        assertEquals("depthwise", FAST.explain(plan(1, 32, 112, 112, 3, 1, 32)).algorithm());
        assertEquals("depthwise", FAST.explain(plan(2, lanes - 1, 56, 56, 3, 1, lanes - 1)).algorithm());
        // the input gradient: channel-blocked with a stride or wider kernels, per plane for 3x3 at stride 1
        assertEquals("depthwise-dx", FAST.explainGradInput(plan(8, 128, 56, 56, 3, 1, 128)).algorithm());
        assertEquals("depthwise-blocked-dx", FAST.explainGradInput(plan(8, 128, 56, 56, 5, 1, 128)).algorithm());
        assertEquals("depthwise-blocked-dx", FAST.explainGradInput(plan(8, 64, 112, 112, 3, 2, 64)).algorithm());
        assertEquals("depthwise-blocked-dw", FAST.explainGradKernel(plan(8, 128, 56, 56, 3, 1, 128)).algorithm());
        assertEquals("depthwise-rows-dx", FAST.explainGradInput(plan(8, 256, 28, 28, 3, 2, 256)).algorithm());
        assertEquals("depthwise-rows-dw", FAST.explainGradKernel(plan(8, 256, 28, 28, 3, 2, 256)).algorithm());
        // two-vector gradient rows with >= lanes channels: the kernel gradient goes channel-blocked
        assertEquals("depthwise-blocked-dw", FAST.explainGradKernel(plan(8, 256, 28, 28, 3, 1, 256)).algorithm());
    }

    @Test
    void mobileNetShapesMatchReference() {
        int[][] shapes = {{8, 128, 56, 56, 3, 1, 1}, {2, 256, 28, 28, 5, 1, 2}, {3, 48, 7, 7, 5, 1, 2}, {1, 144, 57, 57, 3, 2, 1}};
        DepthwiseTest.checkShapes(FAST, shapes, "depthwise-blocked");
    }

    static ConvPlan plan(int n, int c, int h, int w, int k, int stride, int groups) {
        ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(stride, stride))
                .withPadding(Padding.explicit(new int[] {k / 2, k / 2}, new int[] {k / 2, k / 2})).withFeatureGroupSize(groups);
        return ConvPlan.of(dev.convolve.tensor.Shape.of(n, c, h, w), DType.F32, dev.convolve.tensor.Shape.of(c, 1, k, k), DType.F32, opt);
    }
}
