package dev.convolve.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Recycled step arrays: handed out within a step, given back when it closes, and invisible to the kernels' results. */
class StepBuffersTest {

    @Test
    void outsideAStepArraysAreNewAndZeroed() {
        float[] a = StepBuffers.floats(8), b = StepBuffers.floats(8);
        assertNotSame(a, b);
        assertArrayEquals(new float[8], a);
    }

    @Test
    void aClosedStepGivesItsArraysToTheNext() {
        StepBuffers buffers = new StepBuffers();
        float[] first, second;
        try (StepBuffers.Scope s = buffers.step()) {
            first = StepBuffers.floats(100);
            second = StepBuffers.floats(100);
            assertNotSame(first, second);
            Arrays.fill(first, 7f);
        }
        try (StepBuffers.Scope s = buffers.step()) {
            float[] again = StepBuffers.floats(100), other = StepBuffers.floats(100);
            assertSame(second, again); // the last given back comes first
            assertSame(first, other);
            float[] zeroed = StepBuffers.zeroedFloats(100);
            assertNotSame(first, zeroed);
            assertArrayEquals(new float[100], zeroed);
            assertNotSame(first, StepBuffers.floats(50));
        }
        try (StepBuffers.Scope s = buffers.step()) {
            for (int i = 0; i < 3; i++) {
                float[] z = StepBuffers.zeroedFloats(100);
                assertArrayEquals(new float[100], z); // recycled arrays (one of them full of 7), cleared
            }
        }
    }

    @Test
    void stepsDoNotNest() {
        StepBuffers a = new StepBuffers(), b = new StepBuffers();
        try (StepBuffers.Scope s = a.step()) {
            assertThrows(IllegalStateException.class, a::step);
            assertThrows(IllegalStateException.class, b::step);
        }
        try (StepBuffers.Scope s = b.step()) {
            assertThrows(IllegalStateException.class, a::step);
        }
    }

    @Test
    void otherThreadsAllocateAsUsual() throws Exception {
        StepBuffers buffers = new StepBuffers();
        try (StepBuffers.Scope s = buffers.step()) {
            float[][] got = new float[1][];
            Thread t = new Thread(() -> got[0] = StepBuffers.floats(16));
            t.start();
            t.join();
            assertArrayEquals(new float[16], got[0]);
        }
    }

    @Test
    void kernelsWriteEveryElementOfRecycledArrays() {
        // Outputs of the batch-last kernels into arrays full of NaN left by an earlier step equal those into new arrays.
        ConvOptions opt = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1).withLayout("CHWN", "OIHW", "CHWN");
        for (int n : new int[] {1, 17, 96, 256}) {
            Tensor x = Tensor.randomUniform(1, DType.F32, -1, 1, 3, 9, 9, n), w = Tensor.randomUniform(2, DType.F32, -1, 1, 5, 3, 3, 3);
            Tensor b = Tensor.randomUniform(3, DType.F32, -1, 1, 5);
            ConvPlan plan = ConvPlan.of(x.shape(), DType.F32, w.shape(), DType.F32, opt);
            Tensor y = BatchLastConv.forward(plan, x, w, b, true);
            Tensor g = Tensor.randomUniform(4, DType.F32, -1, 1, plan.outputShape().dims());
            Tensor dx = BatchLastConv.gradInput(plan, w, g);
            Tensor gp = BatchLastConv.reluBiasGrad(y, g, true)[0];
            StepBuffers buffers = new StepBuffers();
            for (int round = 0; round < 2; round++) {
                try (StepBuffers.Scope s = buffers.step()) {
                    Tensor y2 = BatchLastConv.forward(plan, x, w, b, true);
                    Tensor dx2 = BatchLastConv.gradInput(plan, w, g);
                    Tensor gp2 = BatchLastConv.reluBiasGrad(y2, g, true)[0];
                    assertArrayEquals(y.toFloatArray(), y2.toFloatArray(), 0f, "forward, batch " + n);
                    assertArrayEquals(dx.toFloatArray(), dx2.toFloatArray(), 0f, "input gradient, batch " + n);
                    assertArrayEquals(gp.toFloatArray(), gp2.toFloatArray(), 0f, "relu gradient, batch " + n);
                    Arrays.fill(y2.floatData(), Float.NaN);
                    Arrays.fill(dx2.floatData(), Float.NaN);
                    Arrays.fill(gp2.floatData(), Float.NaN);
                }
            }
        }
    }
}
