package dev.convolve.ops;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edge cases of {@code pad} that the property test found or that SPEC 1 names. */
class PadTest {

    @Test
    void scalarWithEmptyConfigurationIsReturnedAsIs() {
        Tensor s = Tensor.scalar(7);
        Tensor p = Pad.pad(s, 0L, new PadConfig(new int[0], new int[0], new int[0]));
        assertTrue(p.contentEquals(s), p::toString);
        assertEquals(DType.F32, Pad.pad(s, 1.5, new PadConfig(new int[0], new int[0], new int[0])).dtype());
    }

    @Test
    void negativeEdgeRemovingMoreThanTheAxisHoldsFollowsTheIndexMapping() {
        // SPEC 1: length 2 with {-3, 3, 0} is all padding values (Nx's BinaryBackend would fail here).
        Tensor p = Pad.pad(Tensor.of(new int[] {1, 2}), 9L, PadConfig.triples(-3, 3, 0));
        assertEquals("[9, 9]", p.valuesString());
    }

    @Test
    void docErratumTenTwentyThirtyHasTwelveEntries() {
        // SPEC 1: Nx.pad([10, 20, 30], 0, [{2, 1, 3}]) has 2 + 3 + 2*3 + 1 = 12 entries.
        Tensor p = Pad.pad(Tensor.of(new int[] {10, 20, 30}), 0L, PadConfig.triples(2, 1, 3));
        assertEquals("s32[12]", p.describe());
        assertEquals("[0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0]", p.valuesString());
    }
}
