package dev.convolve.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.autograd.GradMode;
import dev.convolve.data.DatasetInfo;
import dev.convolve.data.DigitImages;
import dev.convolve.train.Checkpoint;
import dev.convolve.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code convolve predict IMAGE...}: classifies pictures of digits (or garments, for a Fashion-MNIST checkpoint).
 * Any PNG or JPEG: it is made grey, inverted when its background is light, and fitted and centred like MNIST.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify PNG/JPEG pictures with a trained checkpoint (a digit for MNIST models).",
                "Prints the predicted class and the top probabilities of each picture, then one JSON line."})
public final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "PNG or JPEG files") List<Path> images;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "default runs/simple-cnn-mnist/checkpoint.safetensors")
    Path checkpoint = Path.of("runs", "simple-cnn-mnist", "checkpoint.safetensors");
    @Option(names = "--top", paramLabel = "K", description = "how many classes to list (default 3)") int top = 3;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (top < 1) throw new IllegalArgumentException("--top must be at least 1, got " + top);
        Checkpoint.Loaded loaded = Checkpoint.loadModel(checkpoint);
        String[] names = DatasetInfo.byName(loaded.saved().recipe().dataset()).classNames();
        ArrayNode all = TrainJson.JSON.createArrayNode();
        for (Path p : images) {
            Tensor x = DigitImages.prepare(Grey.read(p), Grey.height, Grey.width);
            Tensor probs;
            try (GradMode.Scope s = GradMode.disabled()) {
                probs = loaded.model().apply(x).softmax(1).value();
            }
            float[] pr = probs.toFloatArray();
            Integer[] idx = new Integer[pr.length];
            for (int i = 0; i < idx.length; i++) idx[i] = i;
            java.util.Arrays.sort(idx, (a, b) -> Float.compare(pr[b], pr[a]));
            StringBuilder sb = new StringBuilder(p + ": " + names[idx[0]] + " (" + pct(pr[idx[0]]) + ")");
            for (int k = 1; k < Math.min(top, idx.length); k++) sb.append(k == 1 ? "   then " : ", ").append(names[idx[k]]).append(" ").append(pct(pr[idx[k]]));
            o.println(sb);
            ObjectNode n = all.addObject();
            n.put("image", p.toString());
            n.put("class", idx[0]);
            n.put("label", names[idx[0]]);
            n.put("probability", TrainJson.round(pr[idx[0]], 4));
        }
        ObjectNode res = TrainJson.JSON.createObjectNode();
        res.put("checkpoint", checkpoint.toString());
        res.set("predictions", all);
        o.println(res);
        o.flush();
        return 0;
    }

    private static String pct(float p) { return String.format("%.1f%%", 100 * p); }

    /** Reads PNG/JPEG into grey values in [0, 1] with javax.imageio (until dev.convolve.io.Images is available). */
    private static final class Grey {
        static int height, width;

        static float[] read(Path p) throws IOException {
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no such file: " + p);
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) throw new IllegalArgumentException("cannot read " + p + ": not a PNG or JPEG image");
            height = img.getHeight();
            width = img.getWidth();
            float[] g = new float[height * width];
            boolean alpha = img.getColorModel().hasAlpha();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = img.getRGB(x, y);
                    double a = alpha ? ((argb >>> 24) & 0xFF) / 255.0 : 1;
                    double lum = (0.299 * ((argb >> 16) & 0xFF) + 0.587 * ((argb >> 8) & 0xFF) + 0.114 * (argb & 0xFF)) / 255.0;
                    g[y * width + x] = (float) (a * lum + (1 - a)); // transparent pixels count as white paper
                }
            }
            return g;
        }
    }
}
