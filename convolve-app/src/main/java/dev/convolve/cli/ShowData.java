package dev.convolve.cli;

import dev.convolve.io.Idx;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the MNIST files for {@code convolve show}: {@code --data-dir}, then {@code $CONVOLVE_DATA} (the folder itself
 * or its {@code mnist} subfolder), {@code ~/.cache/convolve/datasets/mnist}, {@code /usr/share/datasets/mnist}, and
 * {@code ../shared/datasets/mnist} beside the repository (found from the working directory and from the jar).
 */
final class ShowData {
    private ShowData() {}

    /** The folders searched, in order. */
    static List<Path> candidates(Path dataDir) {
        Set<Path> c = new LinkedHashSet<>();
        if (dataDir != null) {
            c.add(dataDir);
            c.add(dataDir.resolve("mnist"));
            return new ArrayList<>(c);
        }
        String env = System.getenv("CONVOLVE_DATA");
        if (env != null && !env.isBlank()) {
            c.add(Path.of(env));
            c.add(Path.of(env).resolve("mnist"));
        }
        c.add(Path.of(System.getProperty("user.home"), ".cache", "convolve", "datasets", "mnist"));
        c.add(Path.of("/usr/share/datasets/mnist"));
        for (Path start : new Path[] {Path.of("").toAbsolutePath(), jarFolder()}) {
            for (Path d = start; d != null; d = d.getParent()) {
                if (d.getParent() != null) c.add(d.getParent().resolve("shared").resolve("datasets").resolve("mnist"));
            }
        }
        return new ArrayList<>(c);
    }

    private static Path jarFolder() {
        try {
            return Path.of(ShowData.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (Exception | Error e) {
            return null;
        }
    }

    /**
     * The images ({@code u8[n][28][28]}) of the MNIST {@code set} ("train" or "test").
     *
     * @throws IllegalArgumentException naming the folders searched when the files are not found
     */
    static Tensor mnistImages(Path dataDir, String set) throws IOException {
        String prefix = switch (set) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new IllegalArgumentException("--set must be train or test, got '" + set + "'");
        };
        List<Path> tried = candidates(dataDir);
        for (Path d : tried) {
            for (String name : new String[] {prefix + "-images-idx3-ubyte.gz", prefix + "-images-idx3-ubyte", prefix + "-images.idx3-ubyte"}) {
                Path f = d.resolve(name);
                if (Files.isRegularFile(f)) return Idx.read(f);
            }
        }
        throw new IllegalArgumentException("no MNIST " + prefix + "-images-idx3-ubyte(.gz) in " + tried
                + "; give --data-dir or set CONVOLVE_DATA (on Debian: apt-get install dataset-mnist, or download it to ~/.cache/convolve/datasets/mnist)");
    }
}
