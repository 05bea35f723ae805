package dev.convolve.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's reference programs in {@code ../shared/anchors/}, found from the working directory or its parents. */
public final class Anchors {
    private Anchors() {}

    /** {@code ../shared/anchors/<name>} from the working directory or one of its first parents, or null. */
    public static Path find(String name) {
        return find(Path.of("").toAbsolutePath(), name);
    }

    /** {@code ../shared/anchors/<name>} from {@code start} or one of its first parents, or null. */
    static Path find(Path start, String name) {
        Path dir = start;
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path p = dir.resolve("../shared/anchors").resolve(name).normalize();
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
