package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The channel-blocked depthwise engine (forward, input gradient, kernel gradient) against the reference: channel counts
 * that are and are not multiples of the lanes, odd and tiny planes, kernels 1x1 to 5x5, strides 1-3, kernel dilation,
 * padding on one side or negative, batch 1, layouts; vector and scalar kernels.
 */
class DepthwiseBlockedTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();
    private static final int[] SIDES = {1, 2, 3, 4, 5, 7, 13, 14, 16, 17, 28, 29, 32};

    /** A random depthwise case with one output per channel and at least {@code lanes} channels, on a plane the engine takes. */
    static RandomConvCase blockedCase(long seed, int lanes) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int c = r.nextInt(3) == 0 ? lanes * r.nextInt(1, 4) : r.nextInt(lanes, 3 * lanes);
            int n = new int[] {1, 1, 2, 3}[r.nextInt(4)];
            int h = SIDES[r.nextInt(SIDES.length)], w = SIDES[r.nextInt(SIDES.length)];
            if (h * w > DepthwiseBlocked.MAX_PLANE) continue;
            int k0 = r.nextInt(1, 6), k1 = r.nextInt(1, 6);
            if (r.nextInt(3) == 0) k0 = k1 = 3;
            int[] s = {r.nextInt(1, 4), r.nextInt(1, 4)}, d = {r.nextInt(3) == 0 ? 2 : 1, r.nextInt(3) == 0 ? 2 : 1};
            int[] lo = {r.nextInt(-1, 4), r.nextInt(-1, 4)}, hi = {r.nextInt(-1, 4), r.nextInt(-1, 4)};
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(s)).withKernelDilation(AxisValues.of(d))
                    .withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(c);
            if (r.nextInt(5) == 0) opt = opt.withLayout("NHWC", "HWIO", "NHWC");
            Tensor xc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c, h, w});
            Tensor kc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {c, 1, k0, k1});
            RandomConvCase rc = RandomConvCase.inLayout(seed, xc, kc, opt);
            if (rc != null) return rc;
        }
    }

    @Property(tries = 300)
    void forwardMatchesReference(@ForAll long seed) {
        RandomConvCase c = blockedCase(seed, FAST.kernels().lanes());
        assertEquals("depthwise-blocked", FAST.explain(c.plan()).algorithm(), c::toString);
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 300)
    void inputGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = blockedCase(seed, FAST.kernels().lanes());
        assertEquals("depthwise-blocked-dx", FAST.explainGradInput(c.plan()).algorithm(), c::toString);
        FastGradPropertyTest.checkInput(FAST, c);
    }

    @Property(tries = 300)
    void kernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = blockedCase(seed, FAST.kernels().lanes());
        assertEquals("depthwise-blocked-dw", FAST.explainGradKernel(c.plan()).algorithm(), c::toString);
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 100)
    void scalarKernelsMatchReference(@ForAll long seed) {
        RandomConvCase c = blockedCase(seed, SCALAR.kernels().lanes());
        assertEquals("depthwise-blocked", SCALAR.explain(c.plan()).algorithm(), c::toString);
        FastConvPropertyTest.check(SCALAR, c);
        FastGradPropertyTest.checkInput(SCALAR, c);
        FastGradPropertyTest.checkKernel(SCALAR, c);
    }

    @Test
    void plannerRule() {
        int lanes = FAST.kernels().lanes();
        assertEquals("depthwise-blocked", FAST.explain(plan(8, 256, 28, 28, 2, 256)).algorithm());
        assertEquals("depthwise-blocked", FAST.explain(plan(8, 512, 14, 14, 1, 512)).algorithm());
        // fewer channels than lanes, or a plane above the limit: the per-plane engine
        assertEquals("depthwise", FAST.explain(plan(2, lanes - 1, 14, 14, 1, lanes - 1)).algorithm());
        assertEquals("depthwise", FAST.explain(plan(1, 32, 112, 112, 1, 32)).algorithm());
    }

    @Test
    void mobileNetShapesMatchReference() {
        int[][] shapes = {{8, 256, 28, 28, 3, 2, 1}, {2, 512, 14, 14, 3, 1, 1}, {3, 48, 7, 7, 5, 1, 2}, {1, 144, 15, 15, 3, 2, 1}};
        for (int[] sh : shapes) {
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(sh[5], sh[5]))
                    .withPadding(Padding.explicit(new int[] {sh[6], sh[6]}, new int[] {sh[6], sh[6]})).withFeatureGroupSize(sh[1]);
            Tensor x = RandomConvCase.values(sh[0], DType.F32, new int[] {sh[0], sh[1], sh[2], sh[3]});
            Tensor k = RandomConvCase.values(sh[1], DType.F32, new int[] {sh[1], 1, sh[4], sh[4]});
            RandomConvCase c = new RandomConvCase(sh[0] * 31L + sh[1], x, k, opt, ConvPlan.of(x.shape(), x.dtype(), k.shape(), k.dtype(), opt));
            assertEquals("depthwise-blocked", FAST.explain(c.plan()).algorithm());
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
            FastGradPropertyTest.checkKernel(FAST, c);
        }
    }

    private static ConvPlan plan(int n, int c, int h, int w, int stride, int groups) {
        ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(stride, stride))
                .withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1})).withFeatureGroupSize(groups);
        return ConvPlan.of(dev.convolve.tensor.Shape.of(n, c, h, w), DType.F32, dev.convolve.tensor.Shape.of(c, 1, 3, 3), DType.F32, opt);
    }
}
