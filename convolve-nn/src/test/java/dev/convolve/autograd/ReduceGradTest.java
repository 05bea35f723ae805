package dev.convolve.autograd;

import static dev.convolve.autograd.GradCheck.check;
import static dev.convolve.autograd.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ReduceGradTest {
    @Test
    void sumsAndMeans() {
        Tensor a = random(1, 3, 4, 5);
        check("sum all", v -> v[0].sin().sum(), a);
        check("sum axis 1", v -> v[0].sum(1).exp(), a);
        check("sum axes 0,2 keep", v -> v[0].sum(new int[] {0, 2}, true).exp(), a);
        check("mean", v -> v[0].mean(-1).exp(), a);
        check("mean all keep", v -> v[0].mean(new int[0], true).multiply(v[0]), a);
    }

    @Test
    void extremesAndProduct() {
        Tensor a = random(2, 3, 4, 5);
        check("max", v -> v[0].reduceMax(1).sin(), a);
        check("min keep", v -> v[0].reduceMin(new int[] {0, 2}, true).sin(), a);
        check("product", v -> v[0].product(2), a);
        check("product all", v -> v[0].sliceAxis(0, 1, 0).product(), a);
    }

    @Test
    void productWithZerosIsExact() {
        Variable x = Variable.parameter(Tensor.of(new double[][] {{2, 0, 3}, {0, 0, 5}, {1, 2, 4}}));
        x.product(1).sum().backward();
        assertArrayEquals(new double[] {0, 6, 0, 0, 0, 0, 8, 4, 2}, x.grad().toDoubleArray());
    }

    @Test
    void maxTiesShareTheGradient() {
        Variable x = Variable.parameter(Tensor.of(new double[] {3, 1, 3}));
        x.reduceMax().backward();
        assertArrayEquals(new double[] {0.5, 0, 0.5}, x.grad().toDoubleArray());
    }

    @Test
    void fastSumMatchesTensorSum() {
        Tensor a = Tensor.randomUniform(7, DType.F32, -1, 1, 4, 1, 6, 5);
        for (int[] axes : new int[][] {{}, {0}, {1}, {2}, {3}, {0, 2}, {1, 3}, {0, 1, 2}, {0, 3}}) {
            Tensor f = FastMath.sum(a, axes, true), t = a.sum(axes, true);
            assertEquals(t.shape(), f.shape());
            assertEquals(0, f.maxAbsDiff(t), 1e-5);
            assertEquals(a.sum(axes).shape(), FastMath.sum(a, axes, false).shape());
        }
    }

    @Test
    void matmul() {
        check("matrix", v -> v[0].matmul(v[1]), random(1, 3, 4), random(2, 4, 5));
        check("batched broadcast", v -> v[0].matmul(v[1]), random(3, 2, 1, 3, 4), random(4, 5, 4, 2));
        check("vector left", v -> v[0].matmul(v[1]), random(5, 4), random(6, 2, 4, 3));
        check("vector right", v -> v[0].matmul(v[1]), random(7, 3, 4), random(8, 4));
        check("vector vector", v -> v[0].matmul(v[1]), random(9, 4), random(10, 4));
    }

    @Test
    void softmaxFamily() {
        Tensor a = random(3, 4, 6).multiply(3);
        check("softmax last", v -> v[0].softmax(-1), a);
        check("softmax first", v -> v[0].softmax(0), a);
        check("log softmax", v -> v[0].logSoftmax(1), a);
    }
}
