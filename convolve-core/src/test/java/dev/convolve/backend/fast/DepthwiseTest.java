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
 * The depthwise engine (forward, input gradient, kernel gradient) against the reference: channel multipliers, odd sizes,
 * strides 1-3, kernel dilation, padding on one side or negative, batch 1, layouts; vector and scalar kernels.
 */
class DepthwiseTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    /** A random depthwise case that the planner of {@code fast} gives to {@code engine} (forward), with parameters biased towards it. */
    static RandomConvCase depthwiseCase(long seed, FastBackend fast, String engine) {
        return depthwiseCase(seed, fast, engine, p -> fast.explain(p).algorithm(), engine);
    }

    /**
     * A random depthwise case, with parameters biased towards the forward engine {@code bias}, for which {@code choice} (such as
     * {@code fast::explainGradKernel}'s algorithm) gives {@code engine}.
     */
    static RandomConvCase depthwiseCase(long seed, FastBackend fast, String bias, java.util.function.Function<ConvPlan, String> choice, String engine) {
        SplittableRandom r = new SplittableRandom(seed);
        int lanes = fast.kernels().lanes();
        boolean rows = bias.equals("depthwise-rows"), blocked = bias.equals("depthwise-blocked");
        int[] narrow = {1, 2, 3, 5, 7, 13, 14, 16, 17, 28, 29, 31}, any = {1, 2, 3, 5, 7, 13, 16, 17, 29, 32, 33, 40, 45};
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int c = rows || blocked ? r.nextInt(rows ? 2 : lanes, 3 * lanes) : r.nextInt(2, 6);
            if (!rows && r.nextInt(3) == 0) c = Math.max(c, lanes * r.nextInt(1, 4));
            int m = rows || blocked ? 1 : new int[] {1, 1, 2, 3}[r.nextInt(4)], n = new int[] {1, 1, 2, 3}[r.nextInt(4)];
            int h = any[r.nextInt(any.length)], w = (rows ? narrow : any)[r.nextInt(rows ? narrow.length : any.length)];
            int k0 = r.nextInt(1, 6), k1 = rows && r.nextInt(2) == 0 ? r.nextInt(1, 4) : r.nextInt(1, 6);
            if (r.nextInt(3) == 0) k0 = k1 = 3;
            int[] s = {r.nextInt(1, 4), r.nextInt(1, 4)}, d = {r.nextInt(3) == 0 ? 2 : 1, r.nextInt(3) == 0 ? 2 : 1};
            int[] lo = {r.nextInt(-1, 4), r.nextInt(-1, 4)}, hi = {r.nextInt(-1, 4), r.nextInt(-1, 4)};
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(s)).withKernelDilation(AxisValues.of(d))
                    .withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(c);
            if (r.nextInt(5) == 0) opt = opt.withLayout("NHWC", "HWIO", "NHWC");
            Tensor xc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c, h, w});
            Tensor kc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {c * m, 1, k0, k1});
            RandomConvCase rc = RandomConvCase.inLayout(seed, xc, kc, opt);
            if (rc != null && choice.apply(rc.plan()).equals(engine)) return rc;
        }
        throw new AssertionError("no case for " + engine + " from seed " + seed);
    }

    static RandomConvCase depthwiseCase(long seed) { return depthwiseCase(seed, FAST, "depthwise"); }

    @Property(tries = 300)
    void forwardMatchesReference(@ForAll long seed) {
        RandomConvCase c = depthwiseCase(seed);
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 300)
    void inputGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = depthwiseCase(seed);
        assertEquals("depthwise-dx", FAST.explainGradInput(c.plan()).algorithm(), c::toString);
        FastGradPropertyTest.checkInput(FAST, c);
    }

    @Property(tries = 300)
    void kernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = depthwiseCase(seed);
        assertEquals("depthwise-dw", FAST.explainGradKernel(c.plan()).algorithm(), c::toString);
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 80)
    void scalarKernelsMatchReference(@ForAll long seed) {
        RandomConvCase c = depthwiseCase(seed, SCALAR, "depthwise");
        FastConvPropertyTest.check(SCALAR, c);
        FastGradPropertyTest.checkInput(SCALAR, c);
        FastGradPropertyTest.checkKernel(SCALAR, c);
    }

    @Test
    void mobileNetShapesMatchReference() {
        int[][] shapes = {{8, 128, 56, 56, 3, 1, 1}, {2, 256, 28, 28, 3, 2, 1}, {1, 32, 112, 112, 3, 1, 1}, {3, 24, 31, 45, 5, 2, 2}};
        checkShapes(FAST, shapes, null);
    }

    /**
     * Each of {@code shapes} ({@code {n, c, h, w, k, stride, pad}}) as a depthwise conv with random values: planned as
     * {@code algorithm} (not checked when null), then forward and both gradients against the reference.
     */
    static void checkShapes(FastBackend fast, int[][] shapes, String algorithm) {
        for (int[] sh : shapes) {
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(sh[5], sh[5]))
                    .withPadding(Padding.explicit(new int[] {sh[6], sh[6]}, new int[] {sh[6], sh[6]})).withFeatureGroupSize(sh[1]);
            Tensor x = RandomConvCase.values(sh[0], DType.F32, new int[] {sh[0], sh[1], sh[2], sh[3]});
            Tensor k = RandomConvCase.values(sh[1], DType.F32, new int[] {sh[1], 1, sh[4], sh[4]});
            RandomConvCase c = new RandomConvCase(sh[0] * 31L + sh[1], x, k, opt, ConvPlan.of(x.shape(), x.dtype(), k.shape(), k.dtype(), opt));
            if (algorithm != null) assertEquals(algorithm, fast.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(fast, c);
            FastGradPropertyTest.checkInput(fast, c);
            FastGradPropertyTest.checkKernel(fast, c);
        }
    }
}
