package dev.convolve.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Optimizer steps checked against the update formulas of PyTorch / Polaris, computed by hand. */
class OptimizersTest {

    private static Map<String, Variable> params(double... w) {
        Map<String, Variable> m = new LinkedHashMap<>();
        m.put("w", Variable.parameter(Tensor.fromDoubles(w, w.length)));
        return m;
    }

    private static void grad(Map<String, Variable> p, double... g) { p.get("w").setGrad(Tensor.fromDoubles(g, g.length)); }

    private static double[] w(Map<String, Variable> p) { return p.get("w").value().toDoubleArray(); }

    @Test
    void sgdMomentumNesterovWeightDecay() {
        Map<String, Variable> p = params(1.0);
        Sgd sgd = new Sgd(p, 0.1, 0.9, 0, 0.01, false);
        grad(p, 0.5);
        sgd.step(); // g = 0.5 + 0.01 = 0.51, buf = 0.51, w = 1 - 0.051
        assertEquals(0.949, w(p)[0], 1e-12);
        grad(p, 0.5);
        sgd.step(); // g = 0.5 + 0.00949, buf = 0.9*0.51 + 0.50949 = 0.96849, w -= 0.096849
        assertEquals(0.949 - 0.096849, w(p)[0], 1e-12);
        Map<String, Variable> q = params(1.0);
        Sgd nes = new Sgd(q, 0.1, 0.9, 0, 0, true);
        grad(q, 1);
        nes.step(); // buf = 1, g = 1 + 0.9 = 1.9
        assertEquals(1 - 0.19, w(q)[0], 1e-12);
        grad(q, 1);
        nes.step(); // buf = 1.9, g = 1 + 1.71 = 2.71
        assertEquals(0.81 - 0.271, w(q)[0], 1e-12);
    }

    @Test
    void adamFirstStepsAsPyTorch() {
        Map<String, Variable> p = params(1.0, -2.0);
        Adam a = Adam.adam(p, 0.01);
        grad(p, 0.3, -4);
        a.step(); // first step moves each weight by lr (times sign)
        assertArrayEquals(new double[] {0.99, -1.99}, w(p), 1e-9);
        grad(p, 0.1, -4);
        a.step();
        double m = 0.9 * 0.03 + 0.1 * 0.1, v = 0.999 * 0.00009 + 0.001 * 0.01;
        double expect = 0.99 - 0.01 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.998001)) + 1e-8);
        assertEquals(expect, w(p)[0], 1e-9);
    }

    @Test
    void adamWDecaysDecoupled() {
        Map<String, Variable> p = params(2.0);
        Adam a = Adam.adamW(p, 0.1, 0.5);
        grad(p, 1.0);
        a.step(); // w = 2 * (1 - 0.05) - 0.1 * 1
        assertEquals(1.8, w(p)[0], 1e-9);
    }

    @Test
    void adaBeliefTracksTheBelief() {
        Map<String, Variable> p = params(0.0);
        Adam a = Adam.adaBelief(p, 0.1);
        grad(p, 2.0);
        a.step(); // m = 0.2, s = 0.001 * (2 - 0.2)^2 + 1e-16; m_hat = 2, s_hat = 3.24 -> step 2 / 1.8
        assertEquals(-0.1 * 2 / 1.8, w(p)[0], 1e-9);
    }

    @Test
    void stateRoundTripsForExactResumption() {
        Map<String, Variable> p = params(1, 2, 3), q = params(1, 2, 3);
        Adam a = Adam.adam(p, 0.01), b = Adam.adam(q, 0.01);
        for (int i = 0; i < 3; i++) {
            grad(p, 1, -1, 0.5);
            a.step();
        }
        q.get("w").assign(p.get("w").value().asType(DType.F64));
        Adam c = Adam.adam(q, 0.01);
        c.loadState(a.state());
        grad(p, 0.2, 0.2, 0.2);
        grad(q, 0.2, 0.2, 0.2);
        a.step();
        c.step();
        assertArrayEquals(w(p), w(q), 0.0);
        assertEquals(4, c.steps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadState(Map.of("x.exp_avg", Tensor.zeros(DType.F64, 3))));
        assertEquals("adam: optimizer state 'x.exp_avg' names no parameter of this model", e.getMessage());
    }

    @Test
    void schedules() {
        Schedule s = Schedule.piecewise(new long[] {10}, 0.4, 0.1);
        assertEquals(0.4, s.at(9));
        assertEquals(0.1, s.at(10));
        Schedule one = Schedule.oneCycle(1.0, 100);
        assertEquals(0.04, one.at(0), 1e-12);      // max / div_factor 25
        assertEquals(1.0, one.at(29), 1e-12);      // peak at pct_start * total - 1
        assertEquals(0.04 / 1e4, one.at(99), 1e-12); // final
        Schedule cos = Schedule.cosine(1.0, 0.0, 10, 110);
        assertEquals(0.1, cos.at(0), 1e-12);
        assertEquals(1.0, cos.at(10), 1e-12);
        assertEquals(0.5, cos.at(60), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Schedule.piecewise(new long[] {5, 5}, 1, 2, 3));
    }
}
