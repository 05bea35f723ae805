package dev.convolve.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a dataset's files are looked for, in order:
 * <ol>
 *   <li>the folder given explicitly ({@code --data-dir}), either the dataset folder itself or its parent;</li>
 *   <li>{@code $CONVOLVE_DATA} (the dataset folder's parent, or the folder itself);</li>
 *   <li>the cache, {@code ~/.cache/convolve/datasets/<name>} (downloads go here);</li>
 *   <li>{@code /usr/share/datasets/<name>} (Debian's {@code dataset-fashion-mnist} package installs there);</li>
 *   <li>{@code ../shared/datasets/<name>} next to the repository, or further up for a nested worktree (tests and benchmarks).</li>
 * </ol>
 * A folder counts when it holds the four files, each plain or {@code .gz}.
 */
public final class DatasetLocator {
    private final Path explicitDir;
    private final String env;
    private final Path home;

    /** @param explicitDir {@code --data-dir} or null */
    public DatasetLocator(Path explicitDir) {
        this(explicitDir, System.getenv("CONVOLVE_DATA"), Path.of(System.getProperty("user.home")));
    }

    DatasetLocator(Path explicitDir, String env, Path home) {
        this.explicitDir = explicitDir;
        this.env = env == null || env.isBlank() ? null : env;
        this.home = home;
    }

    /** The cache folder downloads go to: {@code ~/.cache/convolve/datasets/<name>}. */
    public Path cacheDir(DatasetInfo d) {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("convolve").resolve("datasets").resolve(d.id());
    }

    /** Every folder that will be checked, in order. */
    public List<Path> candidates(DatasetInfo d) {
        Set<Path> out = new LinkedHashSet<>();
        if (explicitDir != null) {
            out.add(explicitDir);
            out.add(explicitDir.resolve(d.id()));
        }
        if (env != null) {
            Path e = Path.of(env);
            out.add(e.resolve(d.id()));
            out.add(e);
        }
        out.add(cacheDir(d));
        out.add(Path.of("/usr/share/datasets").resolve(d.id()));
        Path root = repositoryRoot();
        if (root != null) {
            // ../shared/datasets/<name> beside the checkout; a git worktree nested deeper finds it further up.
            Path shared = null;
            for (Path a = root.getParent(); a != null && shared == null; a = a.getParent()) {
                Path c = a.resolve("shared").resolve("datasets").resolve(d.id());
                if (Files.isDirectory(c)) shared = c;
            }
            out.add(shared != null ? shared : root.resolve("..").resolve("shared").resolve("datasets").resolve(d.id()).normalize());
        }
        return new ArrayList<>(out);
    }

    /** The first candidate folder that holds all four files, or null. */
    public Path find(DatasetInfo d) {
        for (Path p : candidates(d)) if (holdsAll(p)) return p;
        return null;
    }

    /** True when {@code dir} has every file (plain or gzip). */
    public static boolean holdsAll(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        for (String f : DatasetInfo.FILES) if (file(dir, f) == null) return false;
        return true;
    }

    /** The file {@code name} in {@code dir}, plain or with {@code .gz}, or null. */
    public static Path file(Path dir, String name) {
        Path plain = dir.resolve(name), gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(plain)) return plain;
        if (Files.isRegularFile(gz)) return gz;
        return null;
    }

    /**
     * The repository root (the folder with the {@code convolve} launcher and {@code convolve-core}), searched upward
     * from the working directory and from where this class was loaded; null when not inside a checkout.
     */
    static Path repositoryRoot() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            var src = DatasetLocator.class.getProtectionDomain().getCodeSource();
            if (src != null) starts.add(Path.of(src.getLocation().toURI()).toAbsolutePath());
        } catch (Exception ignored) {
            // not loaded from a file: only the working directory is searched
        }
        for (Path s : starts) {
            for (Path p = s; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("convolve-core")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
            }
        }
        return null;
    }
}
