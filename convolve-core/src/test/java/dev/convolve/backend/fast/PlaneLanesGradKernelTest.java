package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The kernel gradient in the plane-lanes layout ({@link PlaneLanesGradKernel}) against the reference: forced on random 2-D
 * convs it computes (the forward engine's geometry without input dilation: strides, padding on either side including negative,
 * kernel dilation, feature groups, planes with and without a partial last vector), vector and scalar tiles; NaN in input rows
 * that only some taps read; and the rule.
 */
class PlaneLanesGradKernelTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    /** A random case of {@link PlaneLanesTest#planeCase} that this engine computes (no input dilation). */
    private static RandomConvCase dwCase(long seed, FastBackend b) {
        for (long s = seed; ; s++) {
            RandomConvCase c = PlaneLanesTest.planeCase(s, b);
            if (PlaneLanesGradKernel.supports(b.kernels(), c.plan())) return c;
        }
    }

    @Property(tries = 200)
    void forcedMatchesReference(@ForAll long seed) {
        PlaneLanesGradKernel.force = true;
        try {
            RandomConvCase c = dwCase(seed, FAST);
            assertEquals(PlaneLanesGradKernel.NAME, FAST.explainGradKernel(c.plan()).algorithm(), c::toString);
            FastGradPropertyTest.checkKernel(FAST, c);
            if (seed % 3 == 0) {
                RandomConvCase s = dwCase(seed, SCALAR);
                assertEquals(PlaneLanesGradKernel.NAME, SCALAR.explainGradKernel(s.plan()).algorithm(), s::toString);
                FastGradPropertyTest.checkKernel(SCALAR, s);
            }
        } finally {
            PlaneLanesGradKernel.force = false;
        }
    }

    /**
     * A 5x7 output plane (two whole vectors of 16 and three positions) read from a 7x9 input: the first kernel row's last
     * vector would run on into input rows 5 and 6, which only the other rows read. With a NaN in row 6 of one channel, the
     * reference's kernel gradient is NaN for that channel's last kernel row only; the partial vector, copied and zero past the
     * plane, keeps every other tap finite and equal.
     */
    @Test
    void nanOnlyWhereTheReferenceHasIt() {
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 3, 2, 7, 9);
        float[] xs = x.toFloatArray();
        xs[((1 * 2 + 1) * 7 + 6) * 9 + 3] = Float.NaN;
        Tensor xn = Tensor.wrap(DType.F32, Shape.of(3, 2, 7, 9), xs);
        Tensor w = Tensor.randomNormal(2, DType.F32, 0, 1, 3, 2, 3, 3);
        RandomConvCase c = RandomConvCase.inLayout(7, xn, w, ConvOptions.defaults());
        PlaneLanesGradKernel.force = true;
        try {
            assertEquals(PlaneLanesGradKernel.NAME, FAST.explainGradKernel(c.plan()).algorithm());
            Tensor g = FastGradPropertyTest.gradOut(c);
            float[] dw = FAST.convGradKernel(c.plan(), c.input(), g).toFloatArray();
            float[] want = dev.convolve.backend.Backends.reference().convGradKernel(c.plan(), c.input(), g).toFloatArray();
            for (int o = 0; o < 3; o++) {
                for (int ci = 0; ci < 2; ci++) {
                    for (int t = 0; t < 9; t++) {
                        int i = (o * 2 + ci) * 9 + t;
                        boolean nan = ci == 1 && t / 3 == 2;
                        assertEquals(nan, Float.isNaN(want[i]), "reference dw[" + o + "][" + ci + "][" + t + "]");
                        assertEquals(nan, Float.isNaN(dw[i]), "dw[" + o + "][" + ci + "][" + t + "]");
                        if (!nan) assertEquals(want[i], dw[i], 1e-4 * (1 + Math.abs(want[i])), "dw[" + o + "][" + ci + "][" + t + "]");
                    }
                }
            }
        } finally {
            PlaneLanesGradKernel.force = false;
        }
    }

    @Test
    void chosenForGroupedLayersWithFewChannelsPerGroup() {
        // ResNeXt's stride-2 3x3 (32 groups of 8): before, dot products over strided input one tap at a time
        ConvPlan resnext = ConvPlan.of(Shape.of(8, 256, 28, 28), DType.F32, Shape.of(256, 8, 3, 3), DType.F32,
                ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1).withFeatureGroupSize(32));
        Planner.Choice c = FAST.explainGradKernel(resnext);
        assertEquals(PlaneLanesGradKernel.NAME, c.algorithm());
        assertTrue(c.reason().contains("196 outputs per image"), c::reason);
        // a vector of output channels per group: bcast-o (64 images on 28x28: the tap lists); big batches of small planes:
        // batch-lanes-dw
        assertEquals("bcast-o", FAST.explainGradKernel(PlannerTest.plan(8, 32, 28, 28, 64, 3, 2, 1, 1)).algorithm());
        assertEquals(Planner.enabled(TapListGradKernel.NAME) ? TapListGradKernel.NAME : "bcast-o",
                FAST.explainGradKernel(PlannerTest.plan(64, 32, 28, 28, 64, 3, 2, 1, 1)).algorithm());
        assertEquals(GradKernelBatch.NAME, FAST.explainGradKernel(PlannerTest.plan(256, 4, 14, 14, 8, 3, 2, 1, 1)).algorithm());
        // input dilation: not this engine
        ConvPlan dilated = ConvPlan.of(Shape.of(2, 4, 7, 7), DType.F32, Shape.of(4, 4, 3, 3), DType.F32,
                ConvOptions.defaults().withInputDilation(2));
        assertFalse(PlaneLanesGradKernel.supports(FAST.kernels(), dilated));
    }
}
