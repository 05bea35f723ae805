package dev.convolve.backend;

import dev.convolve.ops.Conv;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.ConvArbitraries;
import dev.convolve.testing.ConvCase;
import dev.convolve.testing.ConvOracle;
import dev.convolve.testing.TestTensors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The conv gradients are the adjoints of the conv, over random plans (strides, every padding kind, input and kernel
 * dilation, feature and batch groups, permutations, 1 to 4 spatial axes), in double precision:
 * {@code <c, conv(x, w)> = <dx(c), x> = <dw(c), w>}.
 */
class ConvGradientsAdjointTest {

    @Provide
    Arbitrary<ConvCase> cases() { return ConvArbitraries.convCases(DType.F64); }

    @Property(tries = 500)
    void inputAndKernelGradientsAreAdjointsOfConv(@ForAll("cases") ConvCase c) {
        ConvPlan plan = Conv.plan(c.input(), c.kernel(), c.options());
        Backend ref = Backends.reference();
        Tensor y = ref.conv(plan, c.input(), c.kernel());
        Tensor g = TestTensors.random(DType.F64, y.dims(), c.input().size() * 31L + y.size(), false);
        Tensor dx = ref.convGradInput(plan, c.kernel(), g);
        Tensor dw = ref.convGradKernel(plan, c.input(), g);
        assertEquals(c.input().shape(), dx.shape(), () -> "dx shape for " + c);
        assertEquals(c.kernel().shape(), dw.shape(), () -> "dw shape for " + c);
        double[] mag = ConvOracle.conv(c.input(), c.kernel(), c.options()).magnitude();
        double scale = 1;
        for (int i = 0; i < mag.length; i++) scale += Math.abs(g.getFlat(i)) * mag[i];
        double forward = dot(g, y);
        assertEquals(forward, dot(dx, c.input()), 1e-12 * scale, () -> "<dx(c), x> for " + c);
        assertEquals(forward, dot(dw, c.kernel()), 1e-12 * scale, () -> "<dw(c), w> for " + c);
    }

    static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += a.getFlat(i) * b.getFlat(i);
        return s;
    }
}
