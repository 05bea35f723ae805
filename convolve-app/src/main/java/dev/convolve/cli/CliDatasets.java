package dev.convolve.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the datasets folder (the one holding {@code mnist/}): an explicit {@code --data-dir}, else
 * {@code $CONVOLVE_DATA}, else {@code shared/datasets} next to the project's folder or one of its parents (the
 * project's convention is {@code ../shared/datasets} seen from its root), searched from the working directory and
 * from where the program was loaded.
 */
final class CliDatasets {
    private CliDatasets() {}

    /** The outcome of a search: the folder found (or null) and every place that was looked at. */
    record Found(Path dir, List<Path> looked) {}

    /** Searches for a folder holding {@code sub} (e.g. {@code mnist}). */
    static Found find(Path explicit, String sub) {
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(explicit);
        } else {
            String env = System.getenv("CONVOLVE_DATA");
            if (env != null && !env.isBlank()) candidates.add(Path.of(env));
            Set<Path> starts = new LinkedHashSet<>();
            starts.add(Path.of("").toAbsolutePath());
            Path code = codeLocation();
            if (code != null) starts.add(code);
            for (Path s : starts) {
                for (Path a = s; a != null; a = a.getParent()) {
                    Path parent = a.getParent();
                    if (parent != null) candidates.add(parent.resolve("shared").resolve("datasets"));
                }
            }
        }
        List<Path> looked = new ArrayList<>();
        for (Path c : new LinkedHashSet<>(candidates)) {
            Path n = c.toAbsolutePath().normalize();
            looked.add(n);
            if (Files.isDirectory(n.resolve(sub))) return new Found(n, looked);
            if (n.getFileName() != null && n.getFileName().toString().equals(sub) && Files.isDirectory(n)) return new Found(n.getParent(), looked);
        }
        return new Found(null, looked);
    }

    private static Path codeLocation() {
        try {
            var src = CliDatasets.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
