package dev.convolve.backend.reference;

import dev.convolve.backend.Backends;
import dev.convolve.backend.WindowReduction;
import dev.convolve.ops.Window;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.OracleAssert;
import dev.convolve.testing.WindowArbitraries;
import dev.convolve.testing.WindowCase;
import dev.convolve.testing.WindowOracle;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Window sum / product / max / min / mean (with and without countIncludePad) against the independent oracle over
 * random windows, strides, dilations and paddings on tensors of rank 1 to 5 and every type.
 */
class ReferenceWindowPropertyTest {

    @Provide
    Arbitrary<WindowCase> cases() { return WindowArbitraries.windowCases(); }

    @Property(tries = 1000)
    void windowReductionsMatchOracle(@ForAll("cases") WindowCase c) {
        WindowOracle.Result expected = WindowOracle.reduce(c.input(), c.op(), c.options());
        Tensor actual;
        if (c.op() == WindowOracle.Op.MEAN) {
            actual = Window.mean(c.input(), c.options());
        } else {
            WindowReduction r = WindowReduction.valueOf(c.op().name());
            WindowPlan plan = Window.plan(r.opName(), c.input(), c.options());
            assertEquals(expected.value().shape(), plan.outputShape(), () -> "output shape of " + c);
            actual = Backends.reference().window(plan, r, c.input());
        }
        switch (c.op()) {
            // max and min do no arithmetic: they must pick exactly the oracle's element
            case MAX, MIN -> OracleAssert.assertClose(actual, expected.value(), null, 0, c);
            // Window.mean sums through the current backend (float32 sums on the fast backend)
            case MEAN -> OracleAssert.assertClose(actual, expected.value(), expected.value().dtype().isInteger() ? null : expected.magnitude(), 2,
                    OracleAssert.summationFactor(java.util.Arrays.stream(c.options().windowDimensions()).asLongStream().reduce(1, (a, b) -> a * b)), c);
            default -> OracleAssert.assertWindow(actual, expected, 1, c);
        }
    }
}
