package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link FastBackend#convInto} into outputs filled with NaN: an engine that {@link FullWrite} trusts to store every output
 * but leaves one out shows it as NaN. Random plans of every option (input dilation leaves output phases without taps), the
 * engines the planner rarely draws at random forced, and one shape per engine.
 */
class FullWriteTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 300)
    void randomPlansFillEveryOutput(@ForAll long seed) {
        check(FAST, RandomConvCase.of(seed, true));
        check(FAST, RandomConvCase.bigBatch(seed));
        if (seed % 4 == 0) check(SCALAR, RandomConvCase.of(seed, false));
    }

    @Property(tries = 100)
    void forcedEnginesFillEveryOutput(@ForAll long seed) {
        try {
            ChannelLanesConv.force = true;
            check(FAST, RandomConvCase.of(seed, false));
            ChannelLanesConv.force = false;
            Im2colGemm.force = true;
            check(FAST, RandomConvCase.of(seed, false));
            Im2colGemm.force = false;
            DenseConv.force = true;
            check(FAST, DenseConvTest.denseCase(seed));
            DenseConv.force = false;
            TapListConv.force = true;
            check(FAST, TapListConvTest.tapCase(seed));
        } finally {
            TapListConv.force = false;
            ChannelLanesConv.force = false;
            Im2colGemm.force = false;
            DenseConv.force = false;
        }
    }

    /** One shape per engine, each taken without zeroing: the engine writes every output itself. */
    @Test
    void everyEngineWritesItsWholeOutput() {
        int[][] cases = {
            // N, C, H, W, O, R, S, stride, pad, groups
            {2, 16, 12, 12, 16, 3, 3, 1, 1, 1},     // winograd-4x4
            {4, 32, 13, 11, 17, 5, 5, 1, 2, 1},     // winograd-5x5 (odd planes: partial 2x2 tiles)
            {4, 32, 13, 11, 17, 7, 7, 1, 3, 1},     // winograd-7x7
            {1, 256, 7, 9, 250, 3, 3, 1, 1, 1},     // winograd-4x4 by blocks of output channels (a big transformed kernel)
            {2, 32, 9, 9, 24, 1, 1, 1, 0, 1},       // gemm
            {16, 32, 10, 10, 24, 1, 1, 1, 0, 1},    // pointwise-in-place (two tiles of 48 positions and 4 in the rest)
            {2, 32, 14, 14, 32, 3, 3, 2, 1, 1},     // channel-lanes
            {40, 4, 6, 6, 8, 3, 3, 2, 1, 1},        // batch-lanes
            {40, 4, 14, 14, 8, 3, 3, 2, 1, 1},      // plane-lanes
            {2, 3, 20, 20, 5, 5, 5, 1, 2, 1},       // shifted-gemm
            {4, 64, 7, 7, 64, 3, 3, 1, 1, 64},      // depthwise-blocked
            {2, 16, 40, 40, 16, 3, 3, 1, 1, 16},    // a depthwise engine on larger planes
            {4, 1, 28, 28, 4, 3, 3, 2, 1, 1},       // depthwise-rows (one input channel, several outputs)
            {100, 16, 4, 4, 16, 3, 3, 2, 1, 1},     // tap-list (a partial last tile)
        };
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int[] c : cases) {
            ConvOptions o = ConvOptions.defaults().withStrides(c[7]).withPadding(Padding.explicit(new int[] {c[8], c[8]}, new int[] {c[8], c[8]}))
                    .withFeatureGroupSize(c[9]);
            Tensor x = Tensor.randomNormal(c[0], DType.F32, 0, 1, c[0], c[1], c[2], c[3]);
            Tensor w = Tensor.randomNormal(c[4], DType.F32, 0, 1, c[4], c[1] / c[9], c[5], c[6]);
            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
            Planner.Choice ch = FAST.explain(p);
            assertTrue(FullWrite.of(ch, p), () -> ch.algorithm() + " is not trusted to write " + p);
            seen.add(ch.algorithm());
            assertNaNFree(FAST, p, x, w);
        }
        assertTrue(seen.containsAll(java.util.List.of("winograd-4x4", "winograd-5x5", "winograd-7x7", "gemm", "channel-lanes", "batch-lanes", "shifted-gemm",
                "depthwise-blocked", "depthwise-rows", "plane-lanes", TapListConv.NAME, PointwiseConv.NAME)), seen::toString);
    }

    /** A 1x1 conv with input dilation 2: every other output position has no tap, so the output is zeroed first. */
    @Test
    void outputsWithoutTapsAreZeroed() {
        ConvOptions o = ConvOptions.defaults().withInputDilation(2);
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 2, 16, 5, 5), w = Tensor.randomNormal(2, DType.F32, 0, 1, 16, 16, 1, 1);
        ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
        assertEquals("gemm", FAST.explain(p).algorithm());
        assertFalse(FullWrite.everyOutputHasTaps(p));
        assertNaNFree(FAST, p, x, w);
    }

    private static void assertNaNFree(FastBackend be, ConvPlan p, Tensor x, Tensor w) {
        float[] expected = be.conv(p, x, w).floatData();
        float[] nan = new float[expected.length];
        Arrays.fill(nan, Float.NaN);
        Tensor out = Tensor.wrap(nan, p.outputShape().dims());
        assertTrue(be.convInto(p, x, w, out) == out);
        assertArrayEquals(expected, nan, () -> be.explain(p).algorithm() + " " + p);
    }

    private static void check(FastBackend be, RandomConvCase c) {
        ConvPlan p = c.plan();
        Tensor expected = be.conv(p, c.input(), c.kernel());
        Tensor out = filled(p);
        be.convInto(p, c.input(), c.kernel(), out);
        String ctx = c + " via " + be.explain(p);
        if (p.outputType() == DType.F32) assertArrayEquals(expected.floatData(), out.floatData(), ctx);
        else assertArrayEquals(expected.toDoubleArray(), out.toDoubleArray(), ctx);
    }

    /** An output of the plan's shape and type whose every element is NaN (or, for integer types, 12345). */
    private static Tensor filled(ConvPlan p) {
        DType t = p.outputType();
        return t.isInteger() ? Tensor.full(12345L, t, p.outputShape().dims()) : Tensor.full(Double.NaN, t, p.outputShape().dims());
    }
}
