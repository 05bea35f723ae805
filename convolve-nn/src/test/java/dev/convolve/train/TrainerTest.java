package dev.convolve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.autograd.Variable;
import dev.convolve.backend.Threads;
import dev.convolve.data.Datasets;
import dev.convolve.data.LabeledImages;
import dev.convolve.io.Safetensors;
import dev.convolve.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short end-to-end training runs on real MNIST: learning, checkpoints, exact resumption, curves. */
class TrainerTest {
    @TempDir Path tmp;
    private static Datasets.Split mnist;

    @BeforeAll
    static void load() throws Exception {
        mnist = Datasets.load("mnist", (Path) null, false, null);
        Threads.setThreads(2);
    }

    /** MNIST with the training set cut to {@code n} images (the test set cut to 2000 to keep evaluation quick). */
    private static Datasets.Split subset(int n) {
        return new Datasets.Split(mnist.info(), mnist.folder(), mnist.train().head(n), mnist.test().head(2000));
    }

    @Test
    void aShortRunLearnsMnist() throws Exception {
        // LeNet-5 with its recipe (Adam, one-cycle): 12,000 images, 2 epochs.
        Recipe r = Recipe.defaults("lenet5", "mnist").withEpochs(2);
        StringWriter log = new StringWriter();
        Trainer.Result res = Trainer.run(new Trainer.Options(r, null, false, tmp.resolve("run"), false, 2, new PrintWriter(log, true), null), subset(12000));
        assertTrue(res.test().accuracy() > 0.9, "accuracy " + res.test().accuracy() + "\n" + log);
        assertEquals(2, res.history().size());
        assertTrue(res.history().get(1).trainLoss() < res.history().get(0).trainLoss());
        assertTrue(log.toString().contains("epoch  2/2"), log.toString());
        BufferedImage png = ImageIO.read(res.curves().toFile());
        assertEquals(960, png.getWidth());
        Checkpoint.Saved s = Checkpoint.read(res.checkpoint());
        assertEquals(2, s.epochsDone());
        assertEquals("lenet5", s.recipe().model());
        assertEquals(2, s.history().size());
    }

    @Test
    void resumingContinuesExactlyAsTheUninterruptedRun() throws Exception {
        // The residual network has momentum buffers and batch-norm statistics to restore, and augmentation to replay.
        Recipe r = Recipe.defaults("resnet", "mnist").withEpochs(3).withBatchSize(64).withTrainLimit(384);
        Datasets.Split data = new Datasets.Split(mnist.info(), mnist.folder(), mnist.train().head(384), mnist.test().head(200));
        Trainer.Result straight = Trainer.run(new Trainer.Options(r, null, false, tmp.resolve("a"), false, 2, null, null), data);
        Trainer.Result first = Trainer.run(new Trainer.Options(r, null, false, tmp.resolve("b"), false, 2, null, null, 1), data);
        assertEquals(1, first.history().size());
        Trainer.Result resumed = Trainer.run(new Trainer.Options(r, null, false, tmp.resolve("b"), true, 2, null, null), data);
        assertEquals(1, resumed.resumedFrom());
        assertEquals(3, resumed.history().size());
        Map<String, Variable> a = straight.model().namedParameters(), b = resumed.model().namedParameters();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).value().toFloatArray(), b.get(k).value().toFloatArray(), 0f, k);
        assertEquals(straight.history().get(2).trainLoss(), resumed.history().get(2).trainLoss());
        assertEquals(straight.test().accuracy(), resumed.test().accuracy());
    }

    @Test
    void resumeRefusesAnotherModelsCheckpoint() throws Exception {
        Datasets.Split data = subset(256);
        Recipe r = Recipe.defaults("simple-cnn", "mnist").withEpochs(1);
        Trainer.run(new Trainer.Options(r, null, false, tmp.resolve("c"), false, 2, null, null), data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Trainer.run(new Trainer.Options(Recipe.defaults("lenet5", "mnist"), null, false, tmp.resolve("c"), true, 2, null, null), data));
        assertTrue(e.getMessage().startsWith("train: cannot resume " + tmp.resolve("c/checkpoint.safetensors") + ": it was made by simple-cnn on mnist with sgd, not lenet5"),
                e.getMessage());
    }

    @Test
    void checkpointsAreReadableSafetensorsWithPyTorchNames() throws Exception {
        Datasets.Split data = subset(256);
        Trainer.Result res = Trainer.run(new Trainer.Options(Recipe.defaults("simple-cnn", "mnist").withEpochs(1), null, false, tmp.resolve("d"), false, 2, null, null), data);
        Safetensors.Contents c = Safetensors.read(res.checkpoint());
        assertEquals(Tensor.class, c.tensors().get("0.0.weight").getClass());
        assertArrayEquals(new int[] {4, 1, 3, 3}, c.tensors().get("0.0.weight").dims());
        assertArrayEquals(new int[] {10}, c.tensors().get("4.bias").dims());
        assertEquals("convolve-checkpoint-1", c.metadata().get("format"));
        Checkpoint.Loaded loaded = Checkpoint.loadModel(res.checkpoint());
        LabeledImages t = data.test();
        assertEquals(res.test().accuracy(), Evaluation.of(loaded.model(), t, 500).accuracy());
    }

    @Test
    void recycledStepArraysDoNotChangeTheResult() throws Exception {
        // The trainer's loop (step arrays recycled) against the same loop written out with fresh arrays every step.
        Recipe r = Recipe.defaults("simple-cnn", "mnist").withEpochs(1).withTrainLimit(1500);
        Datasets.Split data = subset(1500);
        Trainer.Result res = Trainer.run(new Trainer.Options(r, null, false, null, false, 2, null, null), data);
        dev.convolve.nn.Module m = dev.convolve.nn.Models.create(r.model(), r.seed());
        dev.convolve.optim.Optimizer opt = r.optimizer(m.namedParameters());
        dev.convolve.data.Batches batches = new dev.convolve.data.Batches(data.train(), r.batchSize(), r.seed(), r.shift(), r.flip());
        dev.convolve.optim.Schedule schedule = r.schedule(batches.count());
        m.train(true);
        for (dev.convolve.data.Batches.Batch b : batches.epoch(0, true)) {
            opt.setLearningRate(schedule.at(opt.steps()));
            Variable logits = ((dev.convolve.nn.Sequential) m).applyLaidOut(Variable.constant(b.images()));
            dev.convolve.nn.Losses.crossEntropy(logits, b.labels(), r.labelSmoothing()).backward();
            opt.step();
            opt.zeroGrad();
        }
        Map<String, Variable> a = res.model().namedParameters(), want = m.namedParameters();
        for (String k : want.keySet()) assertArrayEquals(want.get(k).value().toFloatArray(), a.get(k).value().toFloatArray(), 0f, k);
    }

    @Test
    void liveHeapDoesNotGrowAcrossEpochs() throws Exception {
        Recipe r = Recipe.defaults("simple-cnn", "mnist").withEpochs(4).withTrainLimit(4096);
        Trainer.Result res = Trainer.run(new Trainer.Options(r, null, false, null, false, 2, null, null), subset(4096));
        double first = res.history().get(1).heapMb(), last = res.history().get(3).heapMb();
        assertTrue(last < first + 16, "live heap grew from " + first + " to " + last + " MiB");
    }
}
