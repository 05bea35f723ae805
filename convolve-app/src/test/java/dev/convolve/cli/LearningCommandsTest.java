package dev.convolve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convolve.data.Datasets;
import dev.convolve.data.LabeledImages;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learning commands end to end: train (short), evaluate, predict on PNG/JPEG pictures, learn-kernel, errors. */
class LearningCommandsTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            String[] lines = out.strip().split("\\R");
            return new ObjectMapper().readTree(lines[lines.length - 1]);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainEvaluateAndPredict() throws Exception {
        Path dir = tmp.resolve("run");
        Run t = run("train", "--model", "lenet5", "--epochs", "1", "--limit", "12000", "--threads", "2", "--out", dir.toString(), "--no-download");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("Total parameters: 61706"), t.out());
        JsonNode j = t.json();
        assertEquals("lenet5", j.get("model").asText());
        assertEquals(61706, j.get("parameters").asInt());
        assertTrue(j.get("test_accuracy").asDouble() > 0.85, j.toString());
        for (String k : new String[] {"images_per_second", "seconds", "peak_rss_mb", "checkpoint", "curves"}) assertTrue(j.has(k), k);
        assertTrue(Files.exists(dir.resolve("checkpoint.safetensors")) && Files.exists(dir.resolve("curves.png")));

        Path ckpt = dir.resolve("checkpoint.safetensors");
        Run e = run("evaluate", "--checkpoint", ckpt.toString(), "--limit", "2000", "--no-download");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("true\\pred"), e.out());
        assertEquals(2000, e.json().get("images").asInt());

        // Three test digits as a user would draw them: dark ink on white paper, larger, off-centre, PNG and JPEG.
        LabeledImages test = Datasets.load("mnist", (Path) null, false, null).test();
        int right = 0;
        StringBuilder args = new StringBuilder();
        String[] files = new String[6];
        for (int i = 0; i < 6; i++) {
            Path f = tmp.resolve("digit" + i + (i % 2 == 0 ? ".png" : ".jpg"));
            writeDrawing(test, i, f);
            files[i] = f.toString();
        }
        String[] cmd = new String[files.length + 3];
        cmd[0] = "predict";
        cmd[1] = "--checkpoint";
        cmd[2] = ckpt.toString();
        System.arraycopy(files, 0, cmd, 3, files.length);
        Run p = run(cmd);
        assertEquals(0, p.code(), p.err());
        JsonNode preds = p.json().get("predictions");
        assertEquals(6, preds.size());
        for (int i = 0; i < 6; i++) if (preds.get(i).get("class").asInt() == test.labels()[i]) right++;
        assertTrue(right >= 5, "predicted " + right + " of 6: " + p.out());
        assertTrue(p.out().startsWith(files[0] + ": "), p.out());
    }

    /** Test image {@code i}, inverted (black on white), scaled 3x into a 120x100 canvas at an offset. */
    private static void writeDrawing(LabeledImages test, int i, Path f) throws Exception {
        BufferedImage img = new BufferedImage(100, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) for (int x = 0; x < 100; x++) img.setRGB(x, y, 0xFFFFFF);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                int v = test.pixels()[i * 784 + (y / 3) * 28 + x / 3] & 0xFF;
                int g = 255 - v;
                img.setRGB(x + 10, y + 25, (g << 16) | (g << 8) | g);
            }
        }
        ImageIO.write(img, f.toString().endsWith(".png") ? "png" : "jpg", f.toFile());
    }

    @Test
    void learnKernelPrintsLearnedBesideTrue() throws Exception {
        Run r = run("learn-kernel", "--example", "d2l");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("batch 10, loss"), r.out());
        assertTrue(r.out().contains("learned") && r.out().contains("true"), r.out());
        assertTrue(r.json().get("results").get(0).get("max_error").asDouble() < 0.05, r.out());
        Run nx = run("learn-kernel", "--example", "nx");
        assertEquals(0, nx.code(), nx.err());
        assertTrue(nx.out().contains("Epoch: 19, Batch: 0, loss: 494.3"), nx.out());
        assertTrue(nx.json().get("results").get(0).get("max_error").asDouble() < 0.05, nx.out());
    }

    @Test
    void badInputGivesOneLine() {
        Run r = run("train", "--model", "vgg");
        assertEquals(2, r.code());
        assertEquals("convolve train: model: unknown model 'vgg', expected one of simple-cnn, lenet5, resnet", r.err().strip());
        r = run("train", "--dataset", "cifar");
        assertEquals("convolve train: dataset: unknown dataset 'cifar', expected mnist or fashion-mnist", r.err().strip());
        r = run("train", "--optimizer", "rmsprop", "--epochs", "1");
        assertEquals("convolve train: train: unknown optimizer 'rmsprop', expected sgd, adam, adamw or adabelief", r.err().strip());
        r = run("predict", "--checkpoint", tmp.resolve("none.safetensors").toString(), "x.png");
        assertEquals(2, r.code());
        assertTrue(r.err().strip().startsWith("convolve predict: checkpoint: no such file: "), r.err());
        r = run("learn-kernel", "--example", "lenna");
        assertEquals("convolve learn-kernel: unknown example 'lenna', expected d2l, probml, nx or all", r.err().strip());
    }

    @Test
    void predictRejectsAFileThatIsNotAnImage() throws Exception {
        Path dir = tmp.resolve("r");
        run("train", "--epochs", "1", "--limit", "512", "--out", dir.toString(), "--quiet", "--no-download");
        Path bad = tmp.resolve("notes.png");
        Files.writeString(bad, "not an image");
        Run r = run("predict", "--checkpoint", dir.resolve("checkpoint.safetensors").toString(), bad.toString());
        assertEquals(2, r.code());
        assertEquals("convolve predict: cannot read " + bad + ": not a PNG or JPEG image", r.err().strip());
    }
}
