package dev.convolve.backend.reference;

import dev.convolve.backend.Backends;
import dev.convolve.ops.Conv;
import dev.convolve.plan.ConvPlan;
import dev.convolve.testing.ConvArbitraries;
import dev.convolve.testing.ConvCase;
import dev.convolve.testing.ConvOracle;
import dev.convolve.testing.OracleAssert;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference backend against the independent oracle over random conv calls (all options, all type pairs). */
class ReferenceConvPropertyTest {

    @Provide
    Arbitrary<ConvCase> cases() { return ConvArbitraries.convCases(); }

    @Property(tries = 1000)
    void referenceConvMatchesOracleForAnyOptionsAndTypes(@ForAll("cases") ConvCase c) {
        ConvOracle.Result expected = ConvOracle.conv(c.input(), c.kernel(), c.options());
        ConvPlan plan = Conv.plan(c.input(), c.kernel(), c.options());
        assertEquals(expected.value().shape(), plan.outputShape(), () -> "output shape of " + c);
        assertEquals(expected.value().dtype(), plan.outputType(), () -> "output type of " + c);
        assertArrayEquals(expected.padLow(), plan.padLow(), () -> "low padding of " + c);
        assertArrayEquals(expected.padHigh(), plan.padHigh(), () -> "high padding of " + c);
        OracleAssert.assertConv(Backends.reference().conv(plan, c.input(), c.kernel()), expected, c);
    }

    @Property(tries = 300)
    void layoutStringsAndPermutationsResolveToTheIntendedAxes(@ForAll("cases") ConvCase c) {
        ConvPlan plan = Conv.plan(c.input(), c.kernel(), c.options());
        assertArrayEquals(c.inputPerm(), plan.inputPermutation(), () -> "input permutation of " + c);
        assertArrayEquals(c.kernelPerm(), plan.kernelPermutation(), () -> "kernel permutation of " + c);
        assertArrayEquals(c.outputPerm(), plan.outputPermutation(), () -> "output permutation of " + c);
    }
}
