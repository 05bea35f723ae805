package dev.convolve.ops;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.OracleAssert;
import dev.convolve.testing.PadArbitraries;
import dev.convolve.testing.PadCase;
import dev.convolve.testing.PadOracle;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code Pad.pad} against the index-mapping oracle: negative low/high (cropping), interior padding, every type pair. */
class PadPropertyTest {

    @Provide
    Arbitrary<PadCase> cases() { return PadArbitraries.padCases(); }

    @Property(tries = 500)
    void padWithTensorValueFollowsTheIndexMappingAndMergesTypes(@ForAll("cases") PadCase c) {
        Tensor actual = Pad.pad(c.input(), c.value(), c.config());
        DType merged = DType.merge(c.input().dtype(), c.value().dtype());
        Tensor expected = PadOracle.pad(c.input().asType(merged), c.value().asType(merged).data(), c.config());
        OracleAssert.assertClose(actual, expected, null, 0, c);
    }

    @Property(tries = 200)
    void padWithIntegerConstantKeepsIntegerTypeUnlessTheValueDoesNotFit(@ForAll("cases") PadCase c, @ForAll long value) {
        Tensor actual = Pad.pad(c.input(), value, c.config());
        DType t = DType.mergeNumber(c.input().dtype(), value);
        Tensor expected = PadOracle.pad(c.input().asType(t), Tensor.full(value, t).data(), c.config());
        OracleAssert.assertClose(actual, expected, null, 0, c + " with value " + value);
    }

    @Property(tries = 200)
    void padWithFloatConstantGivesF32ForIntegerTensors(@ForAll("cases") PadCase c) {
        Tensor actual = Pad.pad(c.input(), 2.5, c.config());
        DType expectedType = c.input().dtype().isInteger() ? DType.F32 : c.input().dtype();
        assertEquals(expectedType, actual.dtype());
        Tensor expected = PadOracle.pad(c.input().asType(expectedType), Tensor.full(2.5, expectedType).data(), c.config());
        OracleAssert.assertClose(actual, expected, null, 0, c);
    }

    @Property(tries = 100)
    void padOuterConstantIsPadWithZeroInterior(@ForAll("cases") PadCase c) {
        PadConfig cfg = c.config();
        int[] lo = cfg.low(), hi = cfg.high(), in = new int[lo.length];
        for (int i = 0; i < lo.length; i++) {
            lo[i] = Math.max(lo[i], 0);
            hi[i] = Math.max(hi[i], 0);
        }
        Tensor actual = Pad.padOuter(c.input(), PadMode.CONSTANT, lo, hi);
        Tensor expected = PadOracle.pad(c.input(), Tensor.zeros(c.input().dtype()).data(), new PadConfig(lo, hi, in));
        OracleAssert.assertClose(actual, expected, null, 0, c);
    }
}
