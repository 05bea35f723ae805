package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The channels-in-lanes direct conv against the reference oracle, forced on every plan it can compute. */
class ChannelLanesConvTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 200)
    void forcedMatchesReference(@ForAll long seed) {
        ChannelLanesConv.force = true;
        try {
            RandomConvCase c = RandomConvCase.of(seed, false);
            FastConvPropertyTest.check(FAST, c);
            if (seed % 3 == 0) FastConvPropertyTest.check(SCALAR, c);
            FastConvPropertyTest.check(FAST, RandomConvCase.bigBatch(seed));
        } finally {
            ChannelLanesConv.force = false;
        }
    }

    /** One channel per reduction chunk: the tiles accumulate onto the partial sums of the chunks before. */
    @Property(tries = 100)
    void chunkedReductionMatchesReference(@ForAll long seed) {
        ChannelLanesConv.force = true;
        int saved = ChannelLanesConv.chunkFloats;
        ChannelLanesConv.chunkFloats = 1;
        try {
            RandomConvCase c = RandomConvCase.of(seed, false);
            FastConvPropertyTest.check(FAST, c);
            FastConvPropertyTest.check(SCALAR, c);
        } finally {
            ChannelLanesConv.force = false;
            ChannelLanesConv.chunkFloats = saved;
        }
    }

    @Test
    void plannedForSmallStridedPlanesWithManyChannels() {
        ConvPlan p = ConvPlan.of(Shape.of(8, 64, 14, 14), DType.F32, Shape.of(128, 64, 3, 3), DType.F32,
                ConvOptions.defaults().withStrides(new int[] {2, 2}).withPadding(dev.convolve.plan.Padding.explicit(new int[] {1, 1}, new int[] {1, 1})));
        String why = FAST.explain(p).toString();
        assertEquals(Planner.enabled("channel-lanes"), why.startsWith("channel-lanes"), why);
        ConvPlan big = ConvPlan.of(Shape.of(8, 32, 28, 28), DType.F32, Shape.of(64, 32, 3, 3), DType.F32,
                ConvOptions.defaults().withStrides(new int[] {2, 2}).withPadding(dev.convolve.plan.Padding.explicit(new int[] {1, 1}, new int[] {1, 1})));
        assertEquals("shifted-gemm", FAST.explain(big).algorithm(), "196 outputs per image: the flat walk measured faster");
    }
}
