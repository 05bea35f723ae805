package dev.convolve.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared test data ({@code ../shared/images}, {@code ../shared/datasets} beside the repository
 * root): looks for a folder {@code shared} beside the working directory and each of its parents, so that it works
 * from a module folder, the repository root and a git worktree. {@code CONVOLVE_SHARED} overrides.
 */
public final class ImageTestData {
    private ImageTestData() {}

    /** The shared folder; fails the test with a clear message when it cannot be found. */
    public static Path shared() {
        String env = System.getenv("CONVOLVE_SHARED");
        if (env != null && Files.isDirectory(Path.of(env))) return Path.of(env);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path parent = d.getParent();
            if (parent == null) break;
            Path s = parent.resolve("shared");
            if (Files.isDirectory(s.resolve("images")) && Files.isDirectory(s.resolve("datasets"))) return s;
        }
        throw new IllegalStateException("test data: no ../shared/images and ../shared/datasets beside the repository "
                + Path.of("").toAbsolutePath() + " or its parents (set CONVOLVE_SHARED)");
    }

    /** A photograph of {@code ../shared/images}. */
    public static Path image(String name) { return shared().resolve("images").resolve(name); }

    /** The MNIST folder {@code ../shared/datasets/mnist}. */
    public static Path mnist() { return shared().resolve("datasets").resolve("mnist"); }
}
