package dev.convolve.seeds;

import dev.convolve.backend.Backends;
import dev.convolve.ops.Conv;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 002, Dive into Deep Learning "Convolutions for Images": every printed result. */
class D2lSeedTest {

    /** d2l's corr2d(X, K) for 2-D X and K: our conv on [1, 1, H, W] views. */
    static Tensor corr2d(Tensor x, Tensor k) {
        return Conv.conv(x.reshape(1, 1, x.dim(0), x.dim(1)), k.reshape(1, 1, k.dim(0), k.dim(1))).reshape(x.dim(0) - k.dim(0) + 1, x.dim(1) - k.dim(1) + 1);
    }

    /** The 6x8 image of ones with columns 2..5 black. */
    static Tensor stripes() {
        float[][] x = new float[6][8];
        for (float[] row : x) for (int j = 0; j < 8; j++) row[j] = (j >= 2 && j < 6) ? 0 : 1;
        return Tensor.of(x);
    }

    @Test
    void corr2dOfTheFigureGives19_25_37_43() {
        Tensor x = Tensor.of(new float[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
        Tensor k = Tensor.of(new float[][] {{0, 1}, {2, 3}});
        assertEquals("[[19.0, 25.0], [37.0, 43.0]]", corr2d(x, k).valuesString());
    }

    @Test
    void stripeImageIsPrintedAsGiven() {
        assertEquals("[[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0], "
                + "[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]]",
                stripes().valuesString());
    }

    @Test
    void edgeKernelOneMinusOneDetectsVerticalEdges() {
        Tensor y = corr2d(stripes(), Tensor.of(new float[][] {{1, -1}}));
        assertEquals("f32[6][7]", y.describe());
        String row = "[0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]";
        assertEquals("[" + String.join(", ", java.util.Collections.nCopies(6, row)) + "]", y.valuesString());
    }

    @Test
    void edgeKernelVanishesOnTheTransposedImage() {
        Tensor y = corr2d(stripes().transpose(), Tensor.of(new float[][] {{1, -1}}));
        assertEquals("f32[8][5]", y.describe());
        assertTrue(y.contentEquals(Tensor.zeros(DType.F32, 8, 5)), y::toString);
    }

    /**
     * "Learning a kernel": 10 steps of gradient descent on the squared error with learning rate 3e-2, the gradient
     * taken with the conv's kernel gradient. The notebook's numbers depend on MXNet's random initialisation; what is
     * printed to reproduce is the outcome: the loss falls (to 0.004 there) and the kernel approaches [1, -1].
     */
    @Test
    void gradientDescentLearnsTheEdgeKernel() {
        Tensor x = stripes().reshape(1, 1, 6, 8);
        Tensor y = corr2d(stripes(), Tensor.of(new float[][] {{1, -1}})).reshape(1, 1, 6, 7);
        Tensor w = Tensor.randomUniform(42, DType.F32, -0.07, 0.07, 1, 1, 1, 2);
        double first = 0, last = 0;
        for (int i = 0; i < 10; i++) {
            ConvPlan plan = Conv.plan(x, w, dev.convolve.plan.ConvOptions.defaults());
            Tensor yHat = Backends.reference().conv(plan, x, w);
            Tensor diff = yHat.subtract(y);
            double loss = diff.square().sum().item();
            if (i == 0) first = loss;
            last = loss;
            Tensor grad = Backends.reference().convGradKernel(plan, x, diff.multiply(2.0));
            w = w.subtract(grad.multiply(3e-2));
        }
        assertTrue(last < first / 100, "loss " + first + " -> " + last);
        assertEquals(1.0, w.getFlat(0), 0.05, w::toString);
        assertEquals(-1.0, w.getFlat(1), 0.05, w::toString);
    }
}
