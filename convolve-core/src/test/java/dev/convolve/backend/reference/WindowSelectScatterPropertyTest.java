package dev.convolve.backend.reference;

import dev.convolve.backend.Backends;
import dev.convolve.ops.Window;
import dev.convolve.plan.AxisValues;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.TestTensors;
import dev.convolve.testing.WindowArbitraries;
import dev.convolve.testing.WindowCase;
import dev.convolve.testing.WindowOracle;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gradient routing of window max/min (select-and-scatter): each window's source value goes to the position of
 * its first maximum (minimum) among the real, non-padding elements; checked by brute force over random windows.
 */
class WindowSelectScatterPropertyTest {

    @Provide
    Arbitrary<WindowCase> cases() {
        return WindowArbitraries.windowCases(Arbitraries.of(DType.F32, DType.F64, DType.S32, DType.U8),
                Arbitraries.of(WindowOracle.Op.MAX, WindowOracle.Op.MIN));
    }

    @Property(tries = 400)
    void sourceGoesToTheFirstExtremeOfEachWindow(@ForAll("cases") WindowCase c) {
        boolean max = c.op() == WindowOracle.Op.MAX;
        Tensor x = c.input();
        WindowPlan plan = Window.plan("window_max", x, c.options());
        Tensor source = TestTensors.random(DType.F64, plan.outputShape().dims(), x.size() + 7L, false);
        Tensor got = Backends.reference().windowSelectScatter(plan, max, x, source);
        assertEquals(x.shape(), got.shape());
        double[] expected = new double[x.size()];
        int r = x.rank();
        int[] w = plan.window(), s = plan.strides(), d = plan.dilations(), lo = plan.padLow(), out = plan.outputShape().dims(), dims = x.dims();
        int[] st = x.shape().strides();
        int[] q = new int[r];
        for (int o = 0; o < source.size(); o++) {
            int best = -1;
            double bv = 0;
            int[] t = new int[r];
            do {
                int off = 0;
                boolean real = true;
                for (int i = 0; i < r; i++) {
                    int pos = q[i] * s[i] + t[i] * d[i] - lo[i];
                    if (pos < 0 || pos >= dims[i]) real = false;
                    else off += pos * st[i];
                }
                if (real) {
                    double v = x.getFlat(off);
                    if (best < 0 || (max ? v > bv : v < bv)) {
                        best = off;
                        bv = v;
                    }
                }
            } while (next(t, w));
            if (best >= 0) expected[best] += source.getFlat(o);
            next(q, out);
        }
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], got.getFlat(i), 1e-12, () -> c.toString());
    }

    @Test
    void tiesGoToTheFirstAndPaddingIsNeverSelected() {
        Tensor x = Tensor.of(new float[] {-5, -5, -7});
        WindowOptions o = WindowOptions.of(3).withPadding(Padding.explicit(new int[] {1}, new int[] {1})).withStrides(AxisValues.all(2));
        WindowPlan plan = Window.plan("window_max", x, o);
        Tensor g = Backends.reference().windowSelectScatter(plan, true, x, Tensor.of(new float[] {1, 10}));
        assertEquals("[1.0, 10.0, 0.0]", g.valuesString());
    }

    private static boolean next(int[] idx, int[] dims) {
        for (int i = dims.length - 1; i >= 0; i--) {
            if (++idx[i] < dims[i]) return true;
            idx[i] = 0;
        }
        return false;
    }
}
