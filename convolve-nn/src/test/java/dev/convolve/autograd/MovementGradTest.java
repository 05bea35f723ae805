package dev.convolve.autograd;

import static dev.convolve.autograd.GradCheck.check;
import static dev.convolve.autograd.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MovementGradTest {
    @Test
    void reshapeTransposeReverseBroadcast() {
        Tensor a = random(1, 2, 3, 4);
        check("reshape", v -> v[0].reshape(4, 6).multiply(v[0].reshape(4, 6)), a);
        check("flatten", v -> v[0].flatten(1).exp(), a);
        check("transpose", v -> v[0].transpose(2, 0, 1).multiply(Variable.constant(random(9, 4, 2, 3))), a);
        check("transpose reversed", v -> v[0].transpose().sin(), a);
        check("reverse", v -> v[0].reverse(0, 2).multiply(Variable.constant(random(8, 2, 3, 4))), a);
        check("broadcast", v -> v[0].reshape(2, 1, 3, 4).broadcastTo(5, 2, 3, 3, 4).sin(), a);
        check("new axis and squeeze", v -> v[0].newAxis(1).squeeze(1).cos(), a);
    }

    @Test
    void sliceWithStridesAndClampedStart() {
        Tensor a = random(2, 7, 9);
        check("slice", v -> v[0].slice(new int[] {1, 2}, new int[] {5, 6}, new int[] {2, 3}).sin(), a);
        check("slice clamped start", v -> v[0].slice(new int[] {6, 8}, new int[] {3, 4}, new int[] {1, 1}).sin(), a);
        check("slice axis", v -> v[0].sliceAxis(3, 2, -1).exp(), a);
    }

    @Test
    void padInteriorAndNegative() {
        Tensor a = random(3, 4, 5);
        check("pad edges", v -> v[0].pad(0.5, PadConfig.triples(1, 2, 0, 0, 3, 0)).sin(), a);
        check("pad interior", v -> v[0].pad(0, PadConfig.triples(1, 1, 2, 2, 0, 1)).sin(), a);
        check("pad negative", v -> v[0].pad(0, PadConfig.triples(-1, 2, 1, 1, -3, 0)).sin(), a);
        check("pad negative cuts interior", v -> v[0].pad(1, PadConfig.triples(-2, 1, 4, -4, -2, 2)).sin(), a);
    }

    @Test
    void padGradientOfNxExample() {
        // Nx: [[1,2,3],[4,5,6]] with {-2, 1, 4}, {1, 3, 2}: only data row 3 survives (the second input row).
        Variable x = Variable.parameter(Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        x.pad(2.0, PadConfig.triples(-2, 1, 4, 1, 3, 2)).sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1}, x.grad().toDoubleArray());
    }

    @Test
    void concatenateAndStack() {
        Tensor a = random(4, 2, 3), b = random(5, 2, 5), c = random(6, 2, 3);
        check("concatenate", v -> Variable.concatenate(List.of(v[0], v[1], v[0]), 1).sin(), a, b);
        check("stack", v -> Variable.stack(List.of(v[0], v[1]), 1).exp(), a, c);
    }
}
