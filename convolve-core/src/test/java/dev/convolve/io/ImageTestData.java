package dev.convolve.io;

import dev.convolve.testing.Datasets;
import java.nio.file.Path;

/**
 * The shared photographs and MNIST folder for the image tests, found by {@link Datasets#shared()} (the one search:
 * {@code ../shared} beside the repository or an ancestor, or {@code CONVOLVE_SHARED}).
 */
public final class ImageTestData {
    private ImageTestData() {}

    /** The shared folder; fails the test with a clear message when it cannot be found. */
    public static Path shared() { return Datasets.shared(); }

    /** A photograph of {@code ../shared/images}. */
    public static Path image(String name) { return Datasets.images().resolve(name); }

    /** The MNIST folder {@code ../shared/datasets/mnist}. */
    public static Path mnist() { return Datasets.folder().resolve("mnist"); }
}
