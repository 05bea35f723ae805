package dev.convolve.cli;

import dev.convolve.data.DatasetInfo;
import dev.convolve.data.DatasetLocator;
import dev.convolve.io.Idx;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the MNIST images for {@code convolve show}: in {@code --data-dir} (the folder itself or its {@code mnist}
 * subfolder) when given, else where {@code train} looks ({@link DatasetLocator}: {@code $CONVOLVE_DATA}, the cache,
 * {@code /usr/share/datasets/mnist}, {@code ../shared/datasets/mnist} beside the repository).
 */
final class ShowData {
    private ShowData() {}

    /** The folders searched, in order: {@code --data-dir} alone when given, else the training data's search order. */
    static List<Path> candidates(Path dataDir) {
        if (dataDir != null) return List.of(dataDir, dataDir.resolve("mnist"));
        return new DatasetLocator(null).candidates(DatasetInfo.MNIST);
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
