package dev.convolve.testing;

import dev.convolve.io.Idx;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared datasets ({@code ../shared/datasets} relative to the repository root), found by walking up from the
 * working directory to the folder that holds the parent {@code pom.xml} and {@code convolve-core}. Files are read
 * once per JVM.
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

    /** {@code ../shared/datasets/<relative>} from the repository root. */
    public static Path path(String relative) {
        return repositoryRoot().resolve("../shared/datasets").resolve(relative).normalize();
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
