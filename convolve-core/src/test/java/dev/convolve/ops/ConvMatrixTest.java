package dev.convolve.ops;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.ConvArbitraries;
import dev.convolve.testing.ConvCase;
import dev.convolve.testing.ConvOracle;
import dev.convolve.testing.OracleAssert;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code W . vec(X) = vec(conv(X, K))} for any conv options, and W^T is the input gradient. */
class ConvMatrixTest {

    @Provide
    Arbitrary<ConvCase> cases() { return ConvArbitraries.convCases(DType.F64); }

    @Property(tries = 150)
    void matrixTimesFlattenedInputIsTheConv(@ForAll("cases") ConvCase c) {
        Tensor w = ConvMatrix.kernelToMatrix(c.kernel(), c.input().shape(), c.options());
        ConvOracle.Result expected = ConvOracle.conv(c.input(), c.kernel(), c.options());
        assertEquals(expected.value().size(), w.dim(0), c::toString);
        assertEquals(c.input().size(), w.dim(1), c::toString);
        Tensor y = w.matmul(c.input().flatten()).reshape(expected.value().dims());
        OracleAssert.assertConv(y, expected, c);
    }

    @Property(tries = 60)
    void transposedMatrixIsTheInputGradient(@ForAll("cases") ConvCase c) {
        Tensor w = ConvMatrix.kernelToMatrix(c.kernel(), c.input().shape(), c.options());
        var plan = Conv.plan(c.input(), c.kernel(), c.options());
        Tensor g = Tensor.randomNormal(c.input().size(), DType.F64, 0, 1, plan.outputShape().dims());
        Tensor dx = dev.convolve.backend.Backends.reference().convGradInput(plan, c.kernel(), g);
        Tensor viaMatrix = w.transpose().matmul(g.flatten()).reshape(c.input().dims());
        assertEquals(0, dx.maxAbsDiff(viaMatrix), 1e-9, c::toString);
    }

    @Test
    void integerKernelGivesAFloatMatrixInTheConvOutputType() {
        Tensor k = Tensor.of(new int[][][][] {{{{1, 2}, {3, 4}}}});
        Tensor w = ConvMatrix.kernelToMatrix(k, dev.convolve.tensor.Shape.of(1, 1, 3, 3), dev.convolve.plan.ConvOptions.defaults());
        assertEquals("f32[4][9]", w.describe());
    }
}
