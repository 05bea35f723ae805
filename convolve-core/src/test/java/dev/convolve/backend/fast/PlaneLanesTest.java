package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * The plane-lanes path ({@link PlaneLanes}) against the reference over random 2-D convs it supports (strides, padding on either
 * side including negative, kernel dilation, input dilation (output phases: the input gradient of a strided conv), feature
 * groups, output rows of 1 to 16 columns and input rows up to 31), vector and scalar kernels; the seeds' MNIST layers; and the
 * rule.
 */
class PlaneLanesTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    static RandomConvCase planeCase(long seed, FastBackend b) {
        int lanes = b.kernels().lanes();
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int groups = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
            int batch = 1 + r.nextInt(20), cg = 1 + r.nextInt(5), og = 1 + r.nextInt(11);
            int[] in = {1 + r.nextInt(16), 1 + r.nextInt(2 * lanes - 1)}, k = new int[2], s = new int[2], kd = new int[2], lo = new int[2], hi = new int[2];
            // a third of the cases with input dilation (the input gradient of a strided conv): output phases
            boolean dilated = r.nextInt(3) == 0;
            int[] ld = new int[2];
            for (int i = 0; i < 2; i++) {
                k[i] = 1 + r.nextInt(5);
                s[i] = 1 + r.nextInt(3);
                ld[i] = dilated ? 1 + r.nextInt(3) : 1;
                kd[i] = r.nextInt(5) == 0 ? 2 : 1;
                lo[i] = r.nextInt(4) - (r.nextInt(6) == 0 ? 1 : 0);
                hi[i] = r.nextInt(4) - (r.nextInt(6) == 0 ? 1 : 0);
            }
            ConvOptions opt = ConvOptions.defaults().withStrides(s).withKernelDilation(kd).withInputDilation(ld)
                    .withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(groups);
            Tensor x = RandomConvCase.values(r.nextLong(), DType.F32, RandomConvCase.concat(batch, cg * groups, in));
            Tensor w = RandomConvCase.values(r.nextLong(), DType.F32, RandomConvCase.concat(og * groups, cg, k));
            RandomConvCase rc;
            try {
                rc = RandomConvCase.inLayout(seed, x, w, opt);
            } catch (IllegalArgumentException empty) {
                continue;
            }
            if (rc != null && PlaneLanes.supports(b.kernels(), rc.plan())) return rc;
        }
    }

    @Property(tries = 300)
    void planeLanesMatchReference(@ForAll long seed) {
        PlaneLanes.force = true;
        try {
            RandomConvCase c = planeCase(seed, FAST);
            assertEquals(PlaneLanes.NAME, FAST.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(FAST, c);
        } finally {
            PlaneLanes.force = false;
        }
    }

    @Property(tries = 100)
    void scalarPlaneLanesMatchReference(@ForAll long seed) {
        PlaneLanes.force = true;
        try {
            RandomConvCase c = planeCase(seed, SCALAR);
            assertEquals(PlaneLanes.NAME, SCALAR.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(SCALAR, c);
        } finally {
            PlaneLanes.force = false;
        }
    }

    /**
     * The MNIST CNN's second and third layers, LeNet's second conv and a 10x10 stride-2 layer, as the planner picks them
     * (batch 20: the last chunks of images are partial), vector and scalar kernels, into outputs that held NaN.
     */
    @Test
    void mnistLayersMatchReference() {
        int[][] cases = {{20, 4, 14, 8, 3, 2, 1}, {20, 8, 7, 16, 3, 2, 1}, {20, 6, 14, 16, 5, 1, 0}, {20, 8, 10, 16, 3, 2, 1}, {19, 4, 14, 8, 5, 2, 2}};
        for (int[] v : cases) {
            ConvPlan p = plan(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
            Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, v[0], v[1], v[2], v[2]);
            Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.3, v[3], v[1], v[4], v[4]);
            RandomConvCase rc = new RandomConvCase(0, x, w, ConvOptions.defaults().withStrides(v[5]).withPadding(v[6], v[6], v[6], v[6]), p);
            PlaneLanes.force = true;
            try {
                for (FastBackend b : new FastBackend[] {FAST, SCALAR}) {
                    // (the scalar kernels' vectors are 8 floats: LeNet's 10-column rows are too long for them)
                    if (!PlaneLanes.supports(b.kernels(), p)) continue;
                    assertEquals(PlaneLanes.NAME, b.explain(p).algorithm(), p::toString);
                    FastConvPropertyTest.check(b, rc);
                    float[] out = new float[p.outputShape().size()];
                    java.util.Arrays.fill(out, Float.NaN);
                    Tensor into = Tensor.wrap(DType.F32, p.outputShape(), out);
                    b.convInto(p, x, w, into);
                    for (float f : out) assertFalse(Float.isNaN(f), p::toString);
                }
            } finally {
                PlaneLanes.force = false;
            }
        }
    }

    @Test
    void chosenForSmallPlanesWithFewChannels() {
        // mnist-l2, and l3 with 16 images (which batch-lanes does not take); with 256 images l3's one-vector plane loses to
        // batch-lanes (see PlaneLanes.suits), and so does it with 64
        assertEquals(PlaneLanes.NAME, FAST.explain(plan(256, 4, 14, 8, 3, 2, 1)).algorithm());
        assertEquals(PlaneLanes.NAME, FAST.explain(plan(64, 4, 14, 8, 3, 2, 1)).algorithm());
        assertEquals(PlaneLanes.NAME, FAST.explain(plan(16, 8, 7, 16, 3, 2, 1)).algorithm());
        String tl = Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : "batch-lanes";
        assertEquals(tl, FAST.explain(plan(256, 8, 7, 16, 3, 2, 1)).algorithm());
        assertEquals(tl, FAST.explain(plan(64, 8, 7, 16, 3, 2, 1)).algorithm());
        // the 5x5 form of mnist-l2: within FORWARD_MARGIN of batch-lanes' estimate (0.73-0.81x its time); a 5x5 stride-2 conv
        // onto 8x8 with 8 channels is past it (1.03-1.09x batch-lanes' time here), and the input gradient of the 5x5 form
        // (input dilation) keeps the plain comparison
        assertEquals(PlaneLanes.NAME, FAST.explain(plan(256, 4, 14, 8, 5, 2, 2)).algorithm());
        assertEquals("batch-lanes", FAST.explain(plan(256, 8, 8, 8, 5, 2, 2)).algorithm());
        assertEquals("batch-lanes", FAST.explainGradInput(plan(256, 4, 14, 8, 5, 2, 2)).algorithm());
        // against shifted-gemm: small batches, and grouped layers with few channels per group (ResNeXt's stride-2 3x3)
        assertTrue(suits(plan(4, 4, 14, 8, 3, 2, 1)));
        ConvPlan resnext = ConvPlan.of(Shape.of(8, 256, 28, 28), DType.F32, Shape.of(256, 8, 3, 3), DType.F32,
                ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1).withFeatureGroupSize(32));
        assertEquals(PlaneLanes.NAME, FAST.explain(resnext).algorithm());
        // and its input gradient: four output phases of 14x14, two gathers (the phases of one column class share theirs)
        Planner.Choice dx = FAST.explainGradInput(resnext);
        assertEquals(PlaneLanes.NAME, dx.algorithm());
        assertTrue(dx.reason().contains("4 output phases") && dx.reason().contains("196 outputs per image"), dx::reason);
        // whole vectors of output channels stay on channel-lanes; a 1x1 kernel, or a 28x28 output, elsewhere
        assertEquals(Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : "channel-lanes", FAST.explain(plan(64, 32, 28, 64, 3, 2, 1)).algorithm());
        assertFalse(suits(plan(256, 16, 7, 16, 1, 1, 0)));
        assertFalse(PlaneLanes.supports(FAST.kernels(), plan(256, 1, 56, 4, 3, 1, 1)));
        // the explanation gives the plane's vectors and the gathered arrays
        String why = FAST.explain(plan(256, 4, 14, 8, 3, 2, 1)).reason();
        assertTrue(why.contains("49 outputs per image"), why);
        assertNotEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(256, 4, 14, 8, 3, 2, 1)).algorithm());
    }

    /**
     * Input gradients that batch-lanes would take go here on two threads with fewer than 16 vectors of images
     * ({@link PlaneLanes#beforeBatchLanesOnGradInput}): LeNet's second conv's and 64x4x14x14 -> 8 s2's with 64 images (the
     * second against the reference), not mnist-l3's with 256 images (LeNet's with 256 comes here by the forward margin), and
     * not on one thread; mnist-l3's with 64 images goes on to
     * tap-list ({@link TapListConv#beforePlaneLanesOnGradInput}: 8 channels fill half the lanes, 36 steps a position),
     * against the reference too.
     */
    @Test
    void inputGradientsOfSmallBatchesOnTwoThreads() {
        int saved = dev.convolve.backend.Threads.threads();
        try {
            dev.convolve.backend.Threads.setThreads(2);
            int lanes = FAST.kernels().lanes();
            String mnist = Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : PlaneLanes.NAME;
            assertEquals(mnist, FAST.explainGradInput(plan(4 * lanes, 8, 7, 16, 3, 2, 1)).algorithm());
            assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(4 * lanes, 6, 14, 16, 5, 1, 0)).algorithm());
            assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(4 * lanes, 4, 14, 8, 3, 2, 1)).algorithm());
            assertEquals("batch-lanes", FAST.explainGradInput(plan(16 * lanes, 8, 7, 16, 3, 2, 1)).algorithm());
            // LeNet's with 256 images: an unstrided conv's input gradient (no input dilation) within PlaneLanes.FORWARD_MARGIN
            assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(16 * lanes, 6, 14, 16, 5, 1, 0)).algorithm());
            ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
            RandomConvCase rc = RandomConvCase.inLayout(0, Tensor.randomNormal(21, DType.F32, 0, 1, 4 * lanes, 8, 7, 7),
                    Tensor.randomNormal(22, DType.F32, 0, 0.3, 16, 8, 3, 3), o);
            FastGradPropertyTest.checkInput(FAST, rc);
            RandomConvCase four = RandomConvCase.inLayout(0, Tensor.randomNormal(23, DType.F32, 0, 1, 4 * lanes, 4, 14, 14),
                    Tensor.randomNormal(24, DType.F32, 0, 0.3, 8, 4, 3, 3), o);
            FastGradPropertyTest.checkInput(FAST, four);
            dev.convolve.backend.Threads.setThreads(1);
            assertEquals("batch-lanes", FAST.explainGradInput(plan(4 * lanes, 8, 7, 16, 3, 2, 1)).algorithm());
        } finally {
            dev.convolve.backend.Threads.setThreads(saved);
        }
    }

    /**
     * Stride-2 layers that channel-lanes would take come here when they have no more output channels than an image's output
     * plane has positions, with 8+ images ({@link PlaneLanes#beforeChannelLanes}): 16x128x28x28 -> 128 both ways,
     * 8x128x28x28 -> 256's input gradient (128 channels onto 14x14 phases) but not its forward (256 onto 196 positions), not
     * the 512-channel layers, not with 4 images; a 5x5 conv with kernel dilation stays on channel-lanes. Input gradients that
     * tap-list would take, the same ({@link PlaneLanes#beforeTapList}). A small case the
     * rule takes (8x48x12x12 -> 32 s2: 36 positions) against the reference, forward and input gradient.
     */
    @Test
    void stridedLayersWithFewChannelsForTheirPlanes() {
        String cl = Planner.enabled("channel-lanes") ? "channel-lanes" : "shifted-gemm";
        assertEquals(PlaneLanes.NAME, FAST.explain(plan(16, 128, 28, 128, 3, 2, 1)).algorithm());
        assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(16, 128, 28, 128, 3, 2, 1)).algorithm());
        assertEquals(cl, FAST.explain(plan(8, 128, 28, 256, 3, 2, 1)).algorithm());
        assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(8, 128, 28, 256, 3, 2, 1)).algorithm());
        assertEquals(cl, FAST.explain(plan(8, 256, 14, 512, 3, 2, 1)).algorithm());
        assertEquals(cl, FAST.explainGradInput(plan(8, 256, 28, 512, 3, 2, 1)).algorithm());
        assertEquals(cl, FAST.explain(plan(4, 128, 28, 128, 3, 2, 1)).algorithm());
        ConvPlan dilated = ConvPlan.of(Shape.of(16, 128, 14, 14), DType.F32, Shape.of(128, 128, 5, 5), DType.F32,
                ConvOptions.defaults().withKernelDilation(2).withPadding(4, 4, 4, 4));
        assertEquals(cl, FAST.explain(dilated).algorithm());
        // input gradients that tap-list would take, with two or more vectors of channels (PlaneLanes.beforeTapList): 32x128
        // and res-down-28's (64x32x28x28 -> 64); not res-down-28's forward, not res-down-14's input gradient (64 channels
        // onto 7x7 phases), not 64x8x7x7 -> 16's nor 256x16x14x14 -> 32's
        String tl = Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : null;
        if (tl != null) {
            assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(32, 128, 28, 128, 3, 2, 1)).algorithm());
            assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(64, 32, 28, 64, 3, 2, 1)).algorithm());
            assertEquals(tl, FAST.explain(plan(64, 32, 28, 64, 3, 2, 1)).algorithm());
            assertEquals(tl, FAST.explainGradInput(plan(64, 64, 14, 128, 3, 2, 1)).algorithm());
            assertEquals(tl, FAST.explainGradInput(plan(64, 8, 7, 16, 3, 2, 1)).algorithm());
            assertEquals(tl, FAST.explainGradInput(plan(256, 16, 14, 32, 3, 2, 1)).algorithm());
        }
        ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
        RandomConvCase rc = RandomConvCase.inLayout(0, Tensor.randomNormal(25, DType.F32, 0, 1, 8, 48, 12, 12),
                Tensor.randomNormal(26, DType.F32, 0, 0.2, 32, 48, 3, 3), o);
        assertEquals(PlaneLanes.NAME, FAST.explain(rc.plan()).algorithm());
        FastConvPropertyTest.check(FAST, rc);
        FastGradPropertyTest.checkInput(FAST, rc);
    }

    private static boolean suits(ConvPlan p) { return PlaneLanes.suits(FAST.kernels(), p, SubProblem.of(p)); }

    private static ConvPlan plan(int n, int c, int side, int o, int k, int stride, int pad) {
        return ConvPlan.of(Shape.of(n, c, side, side), DType.F32, Shape.of(o, c, k, k), DType.F32,
                ConvOptions.defaults().withStrides(stride).withPadding(pad, pad, pad, pad));
    }
}
