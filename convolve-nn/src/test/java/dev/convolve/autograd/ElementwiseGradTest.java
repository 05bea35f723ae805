package dev.convolve.autograd;

import static dev.convolve.autograd.GradCheck.check;
import static dev.convolve.autograd.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ElementwiseGradTest {
    private static final int[][][] SHAPES = {
            {{3, 4}, {3, 4}}, {{2, 3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{5}, {}}, {{}, {2, 3}}, {{1, 3, 1}, {2, 1, 5}}};

    @Test
    void binaryOpsWithBroadcasting() {
        for (int[][] s : SHAPES) {
            Tensor a = random(1, s[0]), b = random(2, s[1]);
            Tensor bPos = b.abs().add(0.5), aPos = a.abs().add(0.5);
            String shapes = a.describe() + " and " + b.describe();
            check("add " + shapes, v -> v[0].add(v[1]), a, b);
            check("subtract " + shapes, v -> v[0].subtract(v[1]), a, b);
            check("multiply " + shapes, v -> v[0].multiply(v[1]), a, b);
            check("divide " + shapes, v -> v[0].divide(v[1]), a, bPos);
            check("pow " + shapes, v -> v[0].pow(v[1]), aPos, b);
            check("maximum " + shapes, v -> v[0].maximum(v[1]), a, b);
            check("minimum " + shapes, v -> v[0].minimum(v[1]), a, b);
        }
    }

    @Test
    void scalarOps() {
        Tensor a = random(3, 2, 5);
        check("add scalar", v -> v[0].add(1.5).subtract(0.25), a);
        check("scale", v -> v[0].multiply(-3).divide(2), a);
        check("square", v -> v[0].square(), a);
        check("pow 3", v -> v[0].pow(3), a);
        check("pow 0.5", v -> v[0].abs().add(0.1).pow(0.5), a);
        check("negate", v -> v[0].negate(), a);
    }

    @Test
    void unaryOps() {
        Tensor a = random(4, 3, 7);
        Tensor pos = a.abs().add(0.1);
        check("abs", v -> v[0].abs(), a);
        check("exp", v -> v[0].exp(), a);
        check("log", v -> v[0].log(), pos);
        check("sqrt", v -> v[0].sqrt(), pos);
        check("rsqrt", v -> v[0].rsqrt(), pos);
        check("tanh", v -> v[0].tanh(), a);
        check("sigmoid", v -> v[0].sigmoid(), a);
        check("erf", v -> v[0].erf(), a);
        check("sin", v -> v[0].sin(), a);
        check("cos", v -> v[0].cos(), a);
        check("clip", v -> v[0].clip(-0.5, 0.5), a);
        check("relu", v -> v[0].relu(), a);
        check("leaky relu", v -> v[0].leakyRelu(0.1), a);
        check("gelu", v -> v[0].gelu(), a.multiply(3));
        Variable x = Variable.parameter(a);
        x.asType(DType.F32).multiply(2).sum().backward();
        assertEquals(DType.F64, x.grad().dtype());
        assertEquals(0, x.grad().maxAbsDiff(Tensor.full(2.0, DType.F64, 3, 7)));
    }

    @Test
    void tiesSplitTheGradient() {
        Variable a = Variable.parameter(Tensor.of(new double[] {1, 2, 3}));
        Variable b = Variable.parameter(Tensor.of(new double[] {1, 5, 0}));
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {0.5, 0, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {0.5, 1, 0}, b.grad().toDoubleArray());
    }

    @Test
    void reluGradientAtZeroIsZero() {
        Variable a = Variable.parameter(Tensor.of(new double[] {-1, 0, 2}));
        a.relu().sum().backward();
        assertArrayEquals(new double[] {0, 0, 1}, a.grad().toDoubleArray());
    }

    @Test
    void gradientsAccumulateAcrossUsesAndCalls() {
        Variable w = Variable.parameter(Tensor.of(new double[] {1, 2}));
        w.multiply(w).add(w).sum().backward();
        assertArrayEquals(new double[] {3, 5}, w.grad().toDoubleArray());
        w.sum().backward();
        assertArrayEquals(new double[] {4, 6}, w.grad().toDoubleArray());
        w.zeroGrad();
        assertEquals(null, w.grad());
    }

    @Test
    void noGradRecordsNothing() {
        Variable w = Variable.parameter(Tensor.of(new double[] {1, 2}));
        Variable out;
        try (GradMode.Scope s = GradMode.disabled()) {
            out = w.multiply(w).sum();
        }
        Variable result = out;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, result::backward);
        assertEquals("backward: this variable does not depend on any parameter (no gradient is recorded)", e.getMessage());
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variable.parameter(Tensor.of(new int[] {1})));
        assertEquals("autograd: only floating-point tensors can have gradients, got s32[1]", e.getMessage());
        Variable v = Variable.parameter(Tensor.of(new double[] {1, 2}));
        e = assertThrows(IllegalArgumentException.class, () -> v.multiply(2).backward());
        assertEquals("backward: implicit gradient needs a scalar output, got f64[2]; pass the output gradient with backward(gradient)", e.getMessage());
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Variable w = Variable.parameter(Tensor.scalar(1.0));
        Variable x = w;
        for (int i = 0; i < 20000; i++) x = x.add(w);
        x.backward();
        assertEquals(20001.0, w.grad().item());
    }
}
