package dev.convolve.testing;

import dev.convolve.io.Idx;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared test data ({@code ../shared} relative to the repository root, see {@link #shared()} and
 * {@link #folder()}); the root is found by walking up from the working directory to the folder that holds
 * {@code convolve-core/pom.xml}. A clone elsewhere sets {@code CONVOLVE_SHARED}. Files are read once per JVM.
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
     * The shared test data folder (holding {@code datasets/} and {@code images/}): {@code $CONVOLVE_SHARED} if set,
     * else {@code shared} beside the repository root or a further ancestor (a git worktree such as
     * {@code /work/wt/core} sits one level deeper than the main checkout). The one search every test helper uses.
     */
    public static Path shared() {
        String env = System.getenv("CONVOLVE_SHARED");
        if (env != null && !env.isBlank()) {
            Path s = Path.of(env);
            if (Files.isDirectory(s)) return s;
            throw new IllegalStateException("CONVOLVE_SHARED=" + env + " is not a folder (it should hold datasets/ and images/)");
        }
        Path root = repositoryRoot();
        for (Path q = root.getParent(); q != null; q = q.getParent()) {
            Path candidate = q.resolve("shared");
            if (Files.isDirectory(candidate.resolve("datasets"))) return candidate;
        }
        throw new IllegalStateException("cannot find shared/datasets beside " + root + " or its ancestors "
                + "(set CONVOLVE_SHARED to the folder holding datasets/ and images/)");
    }

    /**
     * The datasets folder: the system property {@code convolve.datasets} if set, else {@code $CONVOLVE_DATA} when it
     * holds {@code mnist/} (the variable the product reads), else {@link #shared()}{@code /datasets}.
     */
    public static Path folder() {
        String override = System.getProperty("convolve.datasets");
        if (override != null && !override.isBlank()) return Path.of(override);
        String env = System.getenv("CONVOLVE_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, "mnist"))) return Path.of(env);
        return shared().resolve("datasets");
    }

    /** The photographs folder, {@link #shared()}{@code /images}. */
    public static Path images() {
        return shared().resolve("images");
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
