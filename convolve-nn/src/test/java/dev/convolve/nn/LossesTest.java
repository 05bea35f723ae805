package dev.convolve.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.autograd.GradCheck;
import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static final Tensor LABELS = Tensor.fromInts(new int[] {2, 0, 1, 2}, 4);

    @Test
    void crossEntropyValueAsPyTorch() {
        // torch.nn.functional.cross_entropy(torch.tensor([[1., 2., 3.], [1., 0., -1.], [0., 0., 0.], [5., 1., 2.]]), torch.tensor([2, 0, 1, 2]))
        // = 1.2449270 (and label_smoothing=0.1 gives 1.2782604), computed with torch 1.13 on this machine
        Tensor z = Tensor.fromFloats(new float[] {1, 2, 3, 1, 0, -1, 0, 0, 0, 5, 1, 2}, 4, 3);
        assertEquals(1.2449270, Losses.crossEntropy(Variable.constant(z), LABELS).value().item(), 1e-5);
        assertEquals(1.2782604, Losses.crossEntropy(Variable.constant(z), LABELS, 0.1).value().item(), 1e-5);
    }

    @Test
    void crossEntropyGradientsInDoublePrecision() {
        Tensor z = GradCheck.random(1, 4, 3).multiply(4);
        GradCheck.check("cross entropy", v -> Losses.crossEntropy(v[0], LABELS), z);
        GradCheck.check("cross entropy smoothed", v -> Losses.crossEntropy(v[0], LABELS, 0.2), z);
        GradCheck.check("mse", v -> Losses.meanSquaredError(v[0], v[1]), z, GradCheck.random(2, 4, 3));
        GradCheck.check("sse broadcast", v -> Losses.sumSquaredError(v[0], v[1]), z, GradCheck.random(3, 3));
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor z = Tensor.fromFloats(new float[] {1000, 0, -1000, 0, 1e4f, 0}, 2, 3);
        Tensor y = Tensor.fromInts(new int[] {0, 2}, 2);
        Variable zv = Variable.parameter(z);
        Variable l = Losses.crossEntropy(zv, y);
        assertEquals(1e4 / 2, l.value().item(), 1e-3);
        l.backward();
        assertTrue(Double.isFinite(zv.grad().abs().sum().item()));
        assertEquals(0.5, zv.grad().get(1, 1), 1e-6);
        assertEquals(-0.5, zv.grad().get(1, 2), 1e-6);
    }

    @Test
    void badLabelsAreReported() {
        Variable z = Variable.constant(Tensor.zeros(DType.F32, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(z, Tensor.fromInts(new int[] {0, 3}, 2)));
        assertEquals("cross_entropy: label 3 at position 1 is outside [0, 3) for logits f32[2][3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(z, Tensor.fromInts(new int[] {0}, 1)));
        assertEquals("cross_entropy: expected 2 labels for logits f32[2][3], got s32[1]", e.getMessage());
    }

    @Test
    void metrics() {
        Tensor z = Tensor.fromFloats(new float[] {1, 2, 3, 1, 0, -1, 0, 5, 0, 5, 1, 2}, 4, 3);
        assertEquals(0.75, Metrics.accuracy(z, LABELS));
        assertEquals(3, Metrics.correct(z, LABELS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.correct(z, Tensor.fromInts(new int[] {0, 1}, 2)));
        assertEquals("accuracy: 4 predictions but 2 labels", e.getMessage());
        ConfusionMatrix m = Metrics.confusion(3, LABELS.toIntArray(), Metrics.predictions(z));
        assertEquals(1, m.count(2, 0));
        assertEquals(1, m.count(2, 2));
        assertEquals(0.75, m.accuracy());
        assertEquals(0.5, m.recall(2));
        assertTrue(m.format(null).contains("true\\pred"));
    }
}
