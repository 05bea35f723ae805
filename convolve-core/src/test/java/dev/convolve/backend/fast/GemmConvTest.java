package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The packed-GEMM conv path (1x1 kernels: strides, padding, input dilation, groups, layouts, 1-D to 3-D) against the reference,
 * forward and both gradients; with tiny blocks so that every edge of the blocking is crossed.
 */
class GemmConvTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    private static final int[] SIDES = {1, 2, 3, 5, 7, 13, 16, 17, 29};
    private static final int[] CHANNELS = {8, 9, 16, 17, 24, 33, 64};

    static RandomConvCase pointwiseCase(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int n = new int[] {1, 2, 2, 2, 3}[r.nextInt(5)];
            int groups = r.nextInt(4) == 0 ? 2 : 1;
            int cg = CHANNELS[r.nextInt(CHANNELS.length)], og = CHANNELS[r.nextInt(CHANNELS.length)];
            int batch = r.nextInt(1, 4);
            int[] in = new int[n], s = new int[n], ld = new int[n], lo = new int[n], hi = new int[n], k = new int[n];
            for (int i = 0; i < n; i++) {
                in[i] = n == 3 ? Math.min(7, SIDES[r.nextInt(SIDES.length)]) : SIDES[r.nextInt(SIDES.length)];
                k[i] = 1;
                s[i] = r.nextInt(4) == 0 ? 2 : 1;
                ld[i] = r.nextInt(6) == 0 ? 2 : 1;
                lo[i] = r.nextInt(3) == 0 ? r.nextInt(-1, 2) : 0;
                hi[i] = r.nextInt(3) == 0 ? r.nextInt(-1, 2) : 0;
            }
            ConvOptions opt = ConvOptions.defaults().withStrides(s).withInputDilation(ld).withPadding(Padding.explicit(lo, hi))
                    .withFeatureGroupSize(groups);
            int[] xs = RandomConvCase.concat(batch, cg * groups, in), ks = RandomConvCase.concat(og * groups, cg, k);
            Tensor x = RandomConvCase.values(r.nextLong(), DType.F32, xs), w = RandomConvCase.values(r.nextLong(), DType.F32, ks);
            if (n == 2 && r.nextInt(4) == 0) opt = opt.withLayout("NHWC", "HWIO", "NHWC");
            RandomConvCase c = RandomConvCase.inLayout(seed, x, w, opt);
            if (c != null && c.plan().macs() <= 4_000_000) return c;
        }
    }

    @Property(tries = 150)
    void gemmMatchesReference(@ForAll long seed) {
        RandomConvCase c = pointwiseCase(seed);
        // strided or input-dilated 1x1 convs and small planes with 2+ vectors of output channels go to channel-lanes
        // (ChannelLanesConvTest), asked first
        String chosen = FAST.explain(c.plan()).algorithm();
        boolean lanes = ChannelLanesConv.suits(FAST.kernels(), c.plan());
        if (!SubProblem.of(c.plan()).isEmpty()) assertEquals(lanes ? "channel-lanes" : "gemm", chosen, c::toString);
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 60)
    void gemmGradientsMatchReference(@ForAll long seed) {
        RandomConvCase c = pointwiseCase(seed);
        FastGradPropertyTest.checkInput(FAST, c);
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 60)
    void smallBlocksMatchReference(@ForAll long seed) {
        int saved = GemmConv.blockFloats;
        GemmConv.blockFloats = 200;
        try {
            RandomConvCase c = pointwiseCase(seed);
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
        } finally {
            GemmConv.blockFloats = saved;
        }
    }

    @Property(tries = 80)
    void columnsAcrossTheBatchMatchReference(@ForAll long seed) {
        GemmConv.forceAcrossBatch = true;
        int saved = GemmConv.blockFloats;
        // small blocks too, so blocks start and end inside images and panels straddle image boundaries
        if (seed % 2 == 0) GemmConv.blockFloats = 300;
        try {
            RandomConvCase c = pointwiseCase(seed);
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
            FastConvPropertyTest.check(SCALAR, c);
        } finally {
            GemmConv.forceAcrossBatch = null;
            GemmConv.blockFloats = saved;
        }
    }

    @Test
    void smallPlanesRunAcrossTheBatch() {
        GemmKernels k = GemmKernels.of(FAST.kernels());
        // 512 -> 512 at 7x7: every image would read the 1 MB of weights again for 49 columns
        assertTrue(GemmConv.Job.acrossBatch(k, 512, 512, 49, 32));
        // 256 -> 256 at 28x28: planes of several panels stay per image; one image never runs across the batch
        assertFalse(GemmConv.Job.acrossBatch(k, 256, 256, 784, 8));
        assertFalse(GemmConv.Job.acrossBatch(k, 512, 512, 49, 1));
        // planes of whole vectors stay with gemm (7x7 goes to channel-lanes: ChannelLanesConvTest)
        ConvPlan p = ConvPlan.of(Shape.of(32, 512, 4, 4), DType.F32, Shape.of(512, 512, 1, 1), DType.F32,
                ConvOptions.defaults());
        assertTrue(FAST.explain(p).reason().contains("whole batch"), () -> FAST.explain(p).reason());
    }

    @Property(tries = 40)
    void scalarGemmMatchesReference(@ForAll long seed) {
        RandomConvCase c = pointwiseCase(seed);
        FastConvPropertyTest.check(SCALAR, c);
        FastGradPropertyTest.checkInput(SCALAR, c);
    }

    @Property(tries = 10)
    void longReductionsAreSplit(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = new int[] {385, 400, 777}[r.nextInt(3)], o = r.nextInt(8, 30), side = r.nextInt(1, 12);
        // batch 2: column blocks per image; 5: whole images per item (several for each thread)
        int batch = seed % 2 == 0 ? 2 : 5;
        Tensor x = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {batch, c, side, side});
        Tensor w = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c, 1, 1});
        ConvOptions opt = ConvOptions.defaults();
        ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), opt);
        RandomConvCase rc = new RandomConvCase(seed, x, w, opt, p);
        FastConvPropertyTest.check(FAST, rc);
        FastConvPropertyTest.check(SCALAR, rc);
    }
}
