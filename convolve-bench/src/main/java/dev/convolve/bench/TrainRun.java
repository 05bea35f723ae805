package dev.convolve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One training run's figures, parsed from what it printed: ours ({@code convolve train}'s epoch lines and final JSON
 * line) or PyTorch's anchor ({@code torch_mnist.py}'s epoch lines).
 *
 * @param side          "ours" or "torch"
 * @param epochs        one entry per training epoch, in order
 * @param testAccuracy  the final test accuracy (ours: the JSON line's; the anchor: its last epoch's)
 * @param wallSeconds   the whole process, start to exit, as the parent timed it
 * @param reportedImagesPerSecond what the run itself reported for the whole training (ours: the JSON line's
 *                      {@code images_per_second}); NaN when it reports none (the anchor)
 */
public record TrainRun(String side, List<Epoch> epochs, double testAccuracy, double wallSeconds, double reportedImagesPerSecond) {

    /** One epoch: its learning rate, training seconds, training images per second and test accuracy after it. */
    public record Epoch(int epoch, double lr, double seconds, double imagesPerSecond, double testAccuracy) {}

    public TrainRun {
        epochs = List.copyOf(epochs);
    }

    /**
     * Whole-training images per second: total training images over the sum of the epochs' training times. Every
     * epoch covers the same images (the whole training set), so this is the harmonic mean of the per-epoch rates,
     * computed from them the same way for both sides (the printed rates carry more digits than the printed times).
     */
    public double imagesPerSecond() {
        double secondsPerImage = 0;
        for (Epoch e : epochs) secondsPerImage += 1 / e.imagesPerSecond();
        return epochs.isEmpty() ? Double.NaN : epochs.size() / secondsPerImage;
    }

    /** The median of the per-epoch images per second. */
    public double medianEpochImagesPerSecond() {
        return TrainBench.median(epochs.stream().mapToDouble(Epoch::imagesPerSecond).toArray());
    }

    /** Sum of the epochs' training seconds as printed. */
    public double trainSeconds() {
        return epochs.stream().mapToDouble(Epoch::seconds).sum();
    }

    // epoch  7/10  lr 0.1000  train loss 0.0756  train acc 0.9771  test loss 0.0767  test acc 0.9763  0.3 s  183265 img/s  heap 88 MiB ...
    private static final Pattern OURS = Pattern.compile(
            "^epoch\\s+(\\d+)/(\\d+)\\s+lr\\s+(\\S+)\\s.*?\\stest acc\\s+(\\S+)\\s+(\\S+) s\\s+(\\S+) img/s");
    // lr 0.1 epoch 0 train 0.67s (90091 img/s) valid acc 0.9756
    private static final Pattern TORCH = Pattern.compile(
            "^lr\\s+(\\S+)\\s+epoch\\s+(\\d+)\\s+train\\s+(\\S+)s\\s+\\((\\S+) img/s\\)\\s+valid acc\\s+(\\S+)");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses {@code convolve train}'s standard output (with or without {@code --quiet}).
     *
     * @throws IOException when it holds no epoch line or no final JSON line
     */
    public static TrainRun parseOurs(String stdout, double wallSeconds) throws IOException {
        List<Epoch> epochs = new ArrayList<>();
        JsonNode last = null;
        for (String line : stdout.split("\\R")) {
            String s = line.strip();
            Matcher m = OURS.matcher(s);
            if (m.find()) {
                epochs.add(new Epoch(Integer.parseInt(m.group(1)), number(m.group(3), s), number(m.group(5), s), number(m.group(6), s), number(m.group(4), s)));
            } else if (s.startsWith("{") && s.endsWith("}")) {
                last = JSON.readTree(s);
            }
        }
        if (epochs.isEmpty()) throw new IOException("no epoch lines in the output of convolve train: " + tail(stdout));
        if (last == null || !last.has("test_accuracy")) throw new IOException("no final JSON line in the output of convolve train: " + tail(stdout));
        return new TrainRun("ours", epochs, last.get("test_accuracy").asDouble(), wallSeconds, last.path("images_per_second").asDouble(Double.NaN));
    }

    /**
     * Parses the anchor {@code torch_mnist.py}'s standard output; its epochs are numbered 0.. within each learning
     * rate, here 1.. across the whole run.
     *
     * @throws IOException when it holds no epoch line
     */
    public static TrainRun parseTorch(String stdout, double wallSeconds) throws IOException {
        List<Epoch> epochs = new ArrayList<>();
        for (String line : stdout.split("\\R")) {
            String s = line.strip();
            Matcher m = TORCH.matcher(s);
            if (m.find()) {
                epochs.add(new Epoch(epochs.size() + 1, number(m.group(1), s), number(m.group(3), s), number(m.group(4), s), number(m.group(5), s)));
            }
        }
        if (epochs.isEmpty()) throw new IOException("no epoch lines ('lr 0.4 epoch 0 train ...') in the output of the PyTorch anchor: " + tail(stdout));
        return new TrainRun("torch", epochs, epochs.getLast().testAccuracy(), wallSeconds, Double.NaN);
    }

    private static double number(String s, String line) throws IOException {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected number '" + s + "' in: " + line);
        }
    }

    /** The last few hundred characters of an output, on one line, for error messages. */
    static String tail(String s) {
        String t = s.strip().replaceAll("\\s*\\R\\s*", " | ");
        if (t.isEmpty()) return "(nothing)";
        return t.length() > 300 ? "..." + t.substring(t.length() - 300) : t;
    }
}
