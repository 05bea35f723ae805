package dev.convolve.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Parsing both sides' real output (lines captured from runs on the project's machine) and the img/s definitions. */
class TrainRunTest {

    /** {@code ./convolve train --epochs 2 --limit 4096 --quiet --threads 2} (a busy machine, a short run). */
    static final String OURS = """
            epoch  1/2  lr 0.4000  train loss 2.3024  train acc 0.1096  test loss 2.3014  test acc 0.1135  0.2 s  18697 img/s  heap 68 MiB  peak rss 645 MiB
            epoch  2/2  lr 0.1000  train loss 2.3008  train acc 0.1113  test loss 2.3013  test acc 0.1135  0.1 s  29590 img/s  heap 70 MiB  peak rss 658 MiB
            {"model":"simple-cnn","dataset":"mnist","epochs":2,"test_accuracy":0.1135,"test_loss":2.3013,"images_per_second":22915,"seconds":5.6,\
            "train_seconds":0.4,"warmup_seconds":4.2,"parameters":5274,"threads":2,"peak_rss_mb":658,"max_live_heap_mb":70,\
            "checkpoint":"/tmp/bt/run/checkpoint.safetensors","curves":"/tmp/bt/run/curves.png"}
            """;

    /** {@code torch_mnist.py /work/shared/datasets/mnist 2 1} on the same (busy) machine. */
    static final String TORCH = """
            params 5274
            lr 0.4 epoch 0 train 22.27s (2694 img/s) valid acc 0.8971
            lr 0.1 epoch 0 train 23.56s (2546 img/s) valid acc 0.9427
            """;

    @Test
    void parsesOurEpochLinesAndFinalJson() throws IOException {
        TrainRun r = TrainRun.parseOurs(OURS, 6.5);
        assertEquals("ours", r.side());
        assertEquals(2, r.epochs().size());
        TrainRun.Epoch e = r.epochs().get(1);
        assertEquals(2, e.epoch());
        assertEquals(0.1, e.lr());
        assertEquals(0.1, e.seconds());
        assertEquals(29590, e.imagesPerSecond());
        assertEquals(0.1135, e.testAccuracy());
        assertEquals(0.1135, r.testAccuracy());
        assertEquals(22915, r.reportedImagesPerSecond());
        assertEquals(6.5, r.wallSeconds());
    }

    @Test
    void parsesTheFullLineOfALongerRun() throws IOException {
        String line = "epoch  7/10  lr 0.1000  train loss 0.0756  train acc 0.9771  test loss 0.0767  test acc 0.9763  0.3 s  183265 img/s  heap 88 MiB  peak rss 1706 MiB";
        TrainRun r = TrainRun.parseOurs(line + "\n{\"test_accuracy\":0.9752,\"images_per_second\":125765}\n", 1);
        assertEquals(7, r.epochs().getFirst().epoch());
        assertEquals(183265, r.epochs().getFirst().imagesPerSecond());
        assertEquals(0.9763, r.epochs().getFirst().testAccuracy());
        assertEquals(0.9752, r.testAccuracy());
    }

    @Test
    void parsesTheAnchorAndNumbersItsEpochsAcrossBothPhases() throws IOException {
        TrainRun r = TrainRun.parseTorch(TORCH + "lr 0.1 epoch 1 train 0.67s (90091 img/s) valid acc 0.9756\n", 60);
        assertEquals("torch", r.side());
        assertEquals(3, r.epochs().size());
        assertEquals(1, r.epochs().get(0).epoch());
        assertEquals(0.4, r.epochs().get(0).lr());
        assertEquals(22.27, r.epochs().get(0).seconds());
        assertEquals(2694, r.epochs().get(0).imagesPerSecond());
        assertEquals(3, r.epochs().get(2).epoch());
        assertEquals(0.9756, r.testAccuracy(), "the last epoch's accuracy");
        assertTrue(Double.isNaN(r.reportedImagesPerSecond()));
    }

    @Test
    void wholeRunRateIsImagesOverTheSumOfEpochTimes() throws IOException {
        // 2 epochs of the same images at 18697 and 29590 img/s: 2 / (1/18697 + 1/29590); our own JSON says 22915
        TrainRun ours = TrainRun.parseOurs(OURS, 1);
        assertEquals(22915, ours.imagesPerSecond(), 0.5);
        assertEquals(ours.reportedImagesPerSecond(), ours.imagesPerSecond(), 0.5);
        assertEquals((18697 + 29590) / 2.0, ours.medianEpochImagesPerSecond());
        // the anchor: 60000 images per epoch in 22.27 s and 23.56 s
        TrainRun torch = TrainRun.parseTorch(TORCH, 1);
        assertEquals(120000 / (22.27 + 23.56), torch.imagesPerSecond(), 1.0);
        assertEquals(45.83, torch.trainSeconds(), 1e-9);
    }

    @Test
    void outputWithoutEpochsSaysWhatItGot() {
        IOException e = assertThrows(IOException.class, () -> TrainRun.parseTorch("Traceback (most recent call last):\nModuleNotFoundError: No module named 'torch'\n", 1));
        assertTrue(e.getMessage().startsWith("no epoch lines ('lr 0.4 epoch 0 train ...') in the output of the PyTorch anchor: Traceback"), e.getMessage());
        e = assertThrows(IOException.class, () -> TrainRun.parseOurs("", 1));
        assertEquals("no epoch lines in the output of convolve train: (nothing)", e.getMessage());
        e = assertThrows(IOException.class, () -> TrainRun.parseOurs(OURS.lines().limit(2).reduce("", (a, b) -> a + b + "\n"), 1));
        assertTrue(e.getMessage().startsWith("no final JSON line in the output of convolve train"), e.getMessage());
    }
}
