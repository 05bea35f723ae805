package dev.convolve.ops;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Fixtures;
import dev.convolve.testing.OracleAssert;
import dev.convolve.testing.PadOracle;
import dev.convolve.testing.TestTensors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pad_outer} modes against numpy.pad (reflect, symmetric, edge, wrap fixtures, widths beyond the axis length
 * included) and against the numpy-style oracle over random shapes and widths.
 */
class PadOuterTest {

    @TestFactory
    Iterable<DynamicTest> modesMatchNumpyPad() {
        return Fixtures.cases("pad").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Tensor x = Tensor.iota(DType.F64, c.ints("shape"));
            Tensor actual = Pad.padOuter(x, PadMode.parse(c.param("mode")), c.ints("low"), c.ints("high"));
            Tensor expected = c.array("out");
            assertTrue(actual.contentEquals(expected), () -> c + ": got " + actual.valuesString() + " expected " + expected.valuesString());
        })).toList();
    }

    @Test
    void documentedOneDimensionalExamples() {
        Tensor t = Tensor.of(new int[] {1, 2, 3});
        assertEquals("[3, 2, 1, 2, 3]", Pad.padOuter(t, PadMode.REFLECT, new int[] {2}, new int[] {0}).valuesString());
        assertEquals("[2, 1, 1, 2, 3]", Pad.padOuter(t, PadMode.MIRROR, new int[] {2}, new int[] {0}).valuesString());
        assertEquals("[1, 1, 1, 2, 3]", Pad.padOuter(t, PadMode.REPLICATE, new int[] {2}, new int[] {0}).valuesString());
        assertEquals("[2, 3, 1, 2, 3]", Pad.padOuter(t, PadMode.CYCLIC, new int[] {2}, new int[] {0}).valuesString());
        assertEquals("s32[5]", Pad.padOuter(t, PadMode.CYCLIC, new int[] {2}, new int[] {0}).describe());
    }

    record Case(int[] shape, int[] lo, int[] hi, PadMode mode, DType type, long seed) {}

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.integers().between(1, 3).flatMap(r -> Combinators.combine(
                Arbitraries.integers().between(1, 5).array(int[].class).ofSize(r),
                Arbitraries.integers().between(0, 9).array(int[].class).ofSize(r),
                Arbitraries.integers().between(0, 9).array(int[].class).ofSize(r),
                Arbitraries.of(PadMode.REFLECT, PadMode.MIRROR, PadMode.REPLICATE, PadMode.CYCLIC),
                Arbitraries.of(DType.values()), Arbitraries.longs()).as(Case::new));
    }

    @Property(tries = 400)
    void padOuterMatchesNumpyStyleOracle(@ForAll("cases") Case c) {
        Tensor x = TestTensors.random(c.type(), c.shape(), c.seed(), true);
        Tensor actual = Pad.padOuter(x, c.mode(), c.lo(), c.hi());
        OracleAssert.assertClose(actual, PadOracle.padOuter(x, c.mode(), c.lo(), c.hi()), null, 0, c);
    }
}
