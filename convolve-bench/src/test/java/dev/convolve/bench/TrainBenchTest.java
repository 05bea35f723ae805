package dev.convolve.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The medians and ratios of {@link TrainBench}, its busy rule, and whole rounds with stand-in commands (no training, no PyTorch). */
class TrainBenchTest {
    @TempDir Path tmp;

    static TrainRun run(String side, double acc, double wall, double... rates) {
        List<TrainRun.Epoch> e = new ArrayList<>();
        for (int i = 0; i < rates.length; i++) e.add(new TrainRun.Epoch(i + 1, i < rates.length / 2 ? 0.4 : 0.1, 60000 / rates[i], rates[i], acc));
        return new TrainRun(side, e, acc, wall, Double.NaN);
    }

    static TrainBench.Round round(int i, TrainRun ours, TrainRun torch) {
        return new TrainBench.Round("mnist", i, 3, i % 2 == 1, i == 1, ours, torch, new double[] {0.1, 0.2, 0.3}, new double[] {1, 1, 1}, 0.05, 2);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3, TrainBench.median(5, 1, 3));
        assertEquals(2.5, TrainBench.median(4, 1, 3, 2));
        assertEquals(7, TrainBench.median(7));
        assertTrue(Double.isNaN(TrainBench.median()));
    }

    @Test
    void summaryTakesMediansOverRoundsAndThePairedRatio() {
        // whole-run rates: ours 150, 100 (harmonic mean of 100 and 300), 90; torch 100, 50, 100
        TrainBench.Summary s = new TrainBench.Summary("mnist", List.of(
                round(1, run("ours", 0.976, 20, 150, 150), run("torch", 0.975, 10, 100, 100)),
                round(2, run("ours", 0.978, 22, 100, 300), run("torch", 0.977, 11, 50, 50)),
                round(3, run("ours", 0.977, 21, 90, 90), run("torch", 0.976, 12, 100, 100))));
        assertEquals(150, s.rounds().get(0).ours().imagesPerSecond(), 1e-9);
        assertEquals(150, s.rounds().get(1).ours().imagesPerSecond(), 1e-9, "2 / (1/100 + 1/300)");
        assertEquals(150, s.oursImagesPerSecond(), 1e-9);
        assertEquals(100, s.torchImagesPerSecond(), 1e-9);
        // per-round ratios 1.5, 3.0, 0.9: the median is 1.5; the ratio of the medians 150/100 as well
        assertEquals(1.5, s.ratio(), 1e-9);
        assertEquals(1.5, s.ratioOfMedians(), 1e-9);
        // median epoch rates: ours 150, 200, 90 -> 150; torch 100, 50, 100 -> 100; per-round 1.5, 4, 0.9 -> 1.5
        assertEquals(150, s.oursEpochImagesPerSecond(), 1e-9);
        assertEquals(100, s.torchEpochImagesPerSecond(), 1e-9);
        assertEquals(1.5, s.epochRatio(), 1e-9);
        assertEquals(0.977, s.oursAccuracy(), 1e-12);
        assertEquals(0.976, s.torchAccuracy(), 1e-12);
        assertEquals(21, s.oursWallSeconds());
        assertEquals(11, s.torchWallSeconds());
    }

    @Test
    void busyMeansMoreThanHalfOfEveryCore() {
        TrainRun a = run("ours", 0.9, 1, 100, 100), b = run("torch", 0.9, 1, 100, 100);
        TrainBench.Round quiet = new TrainBench.Round("mnist", 1, 3, true, true, a, b, new double[] {0.9, 1, 1}, null, 0.2, 2);
        assertNull(quiet.busyReason(2));
        TrainBench.Round loaded = new TrainBench.Round("mnist", 1, 3, true, true, a, b, new double[] {1.2, 1, 1}, null, 0.2, 2);
        assertEquals("load average 1.20 on 2 cores before round 1", loaded.busyReason(2));
        // after our own first round the load average is ours: only the CPU sample counts
        TrainBench.Round later = new TrainBench.Round("mnist", 2, 3, false, false, a, b, new double[] {1.8, 1, 1}, null, 0.3, 2);
        assertNull(later.busyReason(2));
        TrainBench.Round others = new TrainBench.Round("mnist", 2, 3, false, false, a, b, new double[] {1.8, 1, 1}, null, 1.5, 2);
        assertEquals("other processes used 1.50 of 2 cores in the 2.0 s before round 2", others.busyReason(2));
    }

    @Test
    void machineFiguresParse() {
        assertArrayEquals(new double[] {0.52, 0.58, 0.59}, Machine.parseLoadAverage("0.52 0.58 0.59 1/467 12345\n"));
        long[] a = Machine.parseCpuLine("cpu  100 0 50 1000 10 0 0 0 0 0");
        long[] b = Machine.parseCpuLine("cpu  250 0 100 1150 10 0 0 0 0 0");
        // 200 busy of 350 jiffies on 2 cores
        assertEquals(2 * 200 / 350.0, Machine.busyCores(a, b, 2), 1e-12);
    }

    /** A stand-in for a training command: prints {@code text} and notes its name in {@code log}. */
    private List<String> fake(Path log, String name, String text, int exit) throws IOException {
        Path out = tmp.resolve(name + ".txt");
        Files.writeString(out, text);
        return List.of("/bin/sh", "-c", "echo " + name + " >> '" + log + "'; cat '" + out + "'; echo 'convolve train: dataset: MNIST not found' >&2; exit " + exit);
    }

    @Test
    void roundsAlternateTheOrderAndReportEachRoundAndTheSummary() throws Exception {
        Path log = tmp.resolve("order.log");
        TrainBench.Options o = new TrainBench.Options(List.of("mnist"), 3, 2, 2, d -> uncheck(() -> fake(log, "ours", TrainRunTest.OURS, 0)),
                d -> uncheck(() -> fake(log, "torch", TrainRunTest.TORCH, 0)), 0);
        StringWriter w = new StringWriter();
        TrainReport report = new TrainReport(new PrintWriter(w), true, new TrainReport.Setup(2, 2, 3, "25", "2.6.0", "python3", "anchor.py", 2, "cpu"));
        List<TrainBench.Summary> s = TrainBench.run(o, report);
        assertEquals(List.of("ours", "torch", "torch", "ours", "ours", "torch"), Files.readAllLines(log));
        assertEquals(1, s.size());
        assertEquals(3, s.getFirst().rounds().size());
        String[] lines = w.toString().strip().split("\\R");
        assertEquals(4, lines.length, w.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode r1 = json.readTree(lines[0]), r2 = json.readTree(lines[1]), sum = json.readTree(lines[3]);
        assertEquals("ours,torch", r1.get("order").asText());
        assertEquals("torch,ours", r2.get("order").asText());
        assertEquals(22915, r1.get("ours").get("images_per_second").asLong());
        assertEquals(22915, r1.get("ours").get("reported_images_per_second").asLong());
        assertEquals(2618, r1.get("torch").get("images_per_second").asLong());
        assertEquals(8.753, r1.get("ratio").asDouble(), 1e-9);
        assertTrue(sum.get("summary").asBoolean());
        assertEquals(22915, sum.get("ours").get("images_per_second").asLong());
        assertEquals(0.9427, sum.get("torch").get("test_accuracy").asDouble());
        assertEquals(8.753, sum.get("ratio").asDouble(), 1e-9);
        assertEquals("2.6.0", sum.get("torch_version").asText());
    }

    @Test
    void textReportHasATablePerRoundAndASummary() throws Exception {
        Path log = tmp.resolve("order.log");
        TrainBench.Options o = new TrainBench.Options(List.of("fashion-mnist"), 1, 2, 2, d -> uncheck(() -> fake(log, "ours", TrainRunTest.OURS, 0)),
                d -> uncheck(() -> fake(log, "torch", TrainRunTest.TORCH, 0)), 0);
        StringWriter w = new StringWriter();
        TrainReport report = new TrainReport(new PrintWriter(w), false, new TrainReport.Setup(2, 2, 1, "25", "2.6.0", "python3", "anchor.py", 2, "cpu"));
        report.header();
        TrainBench.run(o, report);
        String t = w.toString();
        assertTrue(t.contains("round 1/1 fashion-mnist: load average"), t);
        assertTrue(t.matches("(?s).*\\n1 +0\\.4000 +0\\.4000 +18697 +2694 +6\\.94x +0\\.1135 +0\\.8971\\n.*"), t);
        assertTrue(t.matches("(?s).*\\nwhole run +22915 +2618 +8\\.75x +0\\.1135 +0\\.9427\\n.*"), t);
        assertTrue(t.contains("summary fashion-mnist: median of 1 round, 2 epochs, 2 threads each side"), t);
        assertTrue(t.matches("(?s).*\\nwhole-run img/s +22915 +2618 +8\\.75x .*"), t);
        assertTrue(t.contains("machine: 2 cores (cpu), Java 25, torch 2.6.0; load average"), t);
    }

    @Test
    void failuresSayWhichSideAndWhy() throws Exception {
        Path log = tmp.resolve("order.log");
        TrainBench.Options bad = new TrainBench.Options(List.of("mnist"), 1, 2, 2, d -> uncheck(() -> fake(log, "ours", "", 2)),
                d -> uncheck(() -> fake(log, "torch", TrainRunTest.TORCH, 0)), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainBench.run(bad, new TrainReport(new PrintWriter(new StringWriter()), true, null)));
        assertEquals("dataset: MNIST not found", e.getMessage(), "the train command's own message");
        TrainBench.Options torchFails = new TrainBench.Options(List.of("mnist"), 1, 2, 2, d -> uncheck(() -> fake(log, "ours", TrainRunTest.OURS, 0)),
                d -> uncheck(() -> fake(log, "torch", "", 1)), 0);
        IOException io = assertThrows(IOException.class, () -> TrainBench.run(torchFails, new TrainReport(new PrintWriter(new StringWriter()), true, null)));
        assertTrue(io.getMessage().startsWith("the PyTorch anchor failed with exit code 1: "), io.getMessage());
        TrainBench.Options tooFew = new TrainBench.Options(List.of("mnist"), 1, 10, 2, d -> uncheck(() -> fake(log, "ours", TrainRunTest.OURS, 0)),
                d -> uncheck(() -> fake(log, "torch", TrainRunTest.TORCH, 0)), 0);
        io = assertThrows(IOException.class, () -> TrainBench.run(tooFew, new TrainReport(new PrintWriter(new StringWriter()), true, null)));
        assertEquals("convolve train printed 2 epoch lines, expected 10", io.getMessage());
    }

    @Test
    void missingPythonOrTorchIsOneLineSayingWhatToInstall() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainBench.findPython(tmp.resolve("no-python").toString()));
        assertTrue(e.getMessage().startsWith("PyTorch is not available: " + tmp.resolve("no-python") + " cannot be run; install it (Debian/Ubuntu: apt-get install python3-torch)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainBench.findPython("/bin/false"));
        assertTrue(e.getMessage().startsWith("PyTorch is not available: /bin/false cannot import torch"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T uncheck(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
