package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The row-gather depthwise engine (forward, input gradient, kernel gradient) against the reference: rows of 1 to 31 columns
 * (one and two vectors), any channel count, kernels up to 3 wide (up to 5 with fewer channels than lanes), strides 1-3,
 * kernel dilation, padding on one side or negative, batch 1, layouts; vector and scalar kernels. Also forward convs with one
 * input channel per group and several outputs each (channel multipliers, one-channel images).
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

    /**
     * A random conv with one input channel per group and 2 to 5 outputs each (a channel multiplier; one-channel images when
     * there is one group), a 3x3 kernel on narrow rows, that {@code fast} plans as {@code depthwise-rows}.
     */
    static RandomConvCase multiplierCase(long seed, FastBackend fast) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int lanes = fast.kernels().lanes();
        int[] narrow = {1, 2, 3, 5, 7, 13, 14, 16, 17, 28, 29, 31}, any = {1, 2, 3, 5, 7, 13, 16, 17, 29, 32, 33};
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int c = r.nextInt(3) == 0 ? 1 : r.nextInt(1, 2 * lanes), m = r.nextInt(2, 6), n = new int[] {1, 2, 3, 5}[r.nextInt(4)];
            int h = any[r.nextInt(any.length)], w = narrow[r.nextInt(narrow.length)];
            int[] s = {r.nextInt(1, 4), r.nextInt(1, 4)}, d = {r.nextInt(3) == 0 ? 2 : 1, r.nextInt(3) == 0 ? 2 : 1};
            int[] lo = {r.nextInt(-1, 3), r.nextInt(-1, 3)}, hi = {r.nextInt(-1, 3), r.nextInt(-1, 3)};
            dev.convolve.plan.ConvOptions opt = dev.convolve.plan.ConvOptions.defaults().withStrides(dev.convolve.plan.AxisValues.of(s))
                    .withKernelDilation(dev.convolve.plan.AxisValues.of(d)).withPadding(dev.convolve.plan.Padding.explicit(lo, hi)).withFeatureGroupSize(c);
            if (r.nextInt(5) == 0) opt = opt.withLayout("NHWC", "HWIO", "NHWC");
            var xc = RandomConvCase.values(r.nextLong(), dev.convolve.tensor.DType.F32, new int[] {n, c, h, w});
            var kc = RandomConvCase.values(r.nextLong(), dev.convolve.tensor.DType.F32, new int[] {c * m, 1, 3, 3});
            RandomConvCase rc = RandomConvCase.inLayout(seed, xc, kc, opt);
            if (rc != null && fast.explain(rc.plan()).algorithm().equals("depthwise-rows")) return rc;
        }
        throw new AssertionError("no channel-multiplier case from seed " + seed);
    }

    @Property(tries = 200)
    void channelMultiplierMatchesReference(@ForAll long seed) {
        RandomConvCase c = multiplierCase(seed, FAST);
        FastConvPropertyTest.check(FAST, c);
        FastGradPropertyTest.checkInput(FAST, c);
        FastGradPropertyTest.checkKernel(FAST, c);
        RandomConvCase d = multiplierCase(seed, SCALAR);
        FastConvPropertyTest.check(SCALAR, d);
    }

    @Test
    void mnistFirstLayerTakesTheRows() {
        // 256x1x28x28 * 4x1x3x3, stride 2, pad 1 (the seeds' MNIST CNN): one input plane feeds 4 output planes
        RandomConvCase c = RandomConvCase.inLayout(1, RandomConvCase.values(1, dev.convolve.tensor.DType.F32, new int[] {256, 1, 28, 28}),
                RandomConvCase.values(2, dev.convolve.tensor.DType.F32, new int[] {4, 1, 3, 3}),
                dev.convolve.plan.ConvOptions.defaults().withStrides(2).withPadding(new int[] {1, 1, 1, 1}));
        assertEquals("depthwise-rows", FAST.explain(c.plan()).algorithm());
        FastConvPropertyTest.check(FAST, c);
    }

    @Test
    void mobileNetShapesMatchReference() {
        int[][] shapes = {{8, 256, 28, 28, 3, 2, 1}, {2, 512, 14, 14, 3, 1, 1}, {3, 48, 7, 7, 3, 1, 1}, {1, 144, 29, 29, 3, 2, 1}};
        DepthwiseTest.checkShapes(FAST, shapes, "depthwise-rows");
    }
}
