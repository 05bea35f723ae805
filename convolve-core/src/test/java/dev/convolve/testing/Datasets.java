package dev.convolve.testing;

import dev.convolve.io.Idx;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared datasets ({@code ../shared/datasets} relative to the repository root, see {@link #folder()}); the root
 * is found by walking up from the working directory to the folder that holds {@code convolve-core/pom.xml}. Files
 * are read once per JVM.
 */
public final class Datasets {
    private Datasets() {}

    private static final ConcurrentHashMap<String, Tensor> CACHE = new ConcurrentHashMap<>();

    /** The repository root: the nearest ancestor of the working directory containing {@code convolve-core/pom.xml}. */
    public static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("convolve-core/pom.xml")) && Files.isRegularFile(q.resolve("pom.xml"))) return q;
        }
        throw new IllegalStateException("cannot find the repository root above " + p);
    }

    /**
     * The datasets folder: the system property {@code convolve.datasets} if set, else {@code ../shared/datasets} from
     * the repository root, else {@code shared/datasets} beside a further ancestor (a git worktree such as
     * {@code /work/wt/core} sits one level deeper than the main checkout).
     */
    public static Path folder() {
        String override = System.getProperty("convolve.datasets");
        if (override != null && !override.isBlank()) return Path.of(override);
        Path root = repositoryRoot();
        for (Path q = root.getParent(); q != null; q = q.getParent()) {
            Path candidate = q.resolve("shared/datasets");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("cannot find shared/datasets beside " + root + " or its ancestors (set -Dconvolve.datasets=...)");
    }

    /** {@code <datasets folder>/<relative>}. */
    public static Path path(String relative) {
        return folder().resolve(relative).normalize();
    }

    /** An IDX file of the shared datasets, e.g. {@code mnist/train-images-idx3-ubyte.gz}, read once. */
    public static Tensor idx(String relative) {
        return CACHE.computeIfAbsent(relative, r -> {
            try {
                return Idx.read(path(r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** MNIST training images, u8 [60000][28][28]. */
    public static Tensor mnistTrainImages() { return idx("mnist/train-images-idx3-ubyte.gz"); }

    /** MNIST test images, u8 [10000][28][28]. */
    public static Tensor mnistTestImages() { return idx("mnist/t10k-images-idx3-ubyte.gz"); }

    /** MNIST test labels, u8 [10000]. */
    public static Tensor mnistTestLabels() { return idx("mnist/t10k-labels-idx1-ubyte.gz"); }
}
