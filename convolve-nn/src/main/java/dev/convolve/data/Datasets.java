package dev.convolve.data;

import dev.convolve.io.Idx;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads MNIST or Fashion-MNIST by name: finds the four IDX files ({@link DatasetLocator}), downloads and verifies
 * them into the cache when they are missing and the machine is online ({@link Downloader}), and validates what it
 * reads: IDX magic numbers, u8 images of rank 3 and labels of rank 1, matching counts, labels within the classes.
 */
public final class Datasets {
    private Datasets() {}

    /** The training and test splits. */
    public record Split(DatasetInfo info, Path folder, LabeledImages train, LabeledImages test) {}

    /**
     * Loads {@code name}.
     *
     * @param dataDir  {@code --data-dir}, or null
     * @param download whether to try the mirrors when the files are not found
     * @param log      where to report downloads (may be null)
     * @throws IllegalArgumentException for an unknown name, invalid files, or (one line) when the files are nowhere
     *         and cannot be downloaded, saying where it looked and what to do
     * @throws IOException when a file cannot be read
     */
    public static Split load(String name, Path dataDir, boolean download, PrintStream log) throws IOException {
        DatasetInfo info = DatasetInfo.byName(name);
        DatasetLocator locator = new DatasetLocator(dataDir);
        Path folder = locator.find(info);
        if (folder == null) {
            Path cache = locator.cacheDir(info);
            String failure = "downloads are disabled";
            if (download) {
                Downloader dl = new Downloader(info);
                try {
                    dl.fetchInto(info, cache, log);
                    folder = cache;
                } catch (IOException e) {
                    failure = "downloading failed: " + e.getMessage();
                }
            }
            if (folder == null) {
                List<Path> looked = locator.candidates(info);
                throw new IllegalArgumentException("dataset: " + info.title() + " not found (looked in " + join(looked) + ") and " + failure
                        + "; put " + String.join(".gz, ", DatasetInfo.FILES) + ".gz in one of those folders, or pass --data-dir DIR or set CONVOLVE_DATA"
                        + (info == DatasetInfo.FASHION_MNIST ? " (on Debian or Ubuntu: apt-get install dataset-fashion-mnist)" : "")
                        + ", or run once with internet access");
            }
        }
        LabeledImages train = read(folder, info, 0, 1);
        LabeledImages test = read(folder, info, 2, 3);
        return new Split(info, folder, train, test);
    }

    private static String join(List<Path> ps) {
        StringBuilder sb = new StringBuilder();
        for (Path p : ps) sb.append(sb.length() == 0 ? "" : ", ").append(p);
        return sb.toString();
    }

    /** Reads and cross-checks one images/labels pair. */
    static LabeledImages read(Path folder, DatasetInfo info, int imagesIndex, int labelsIndex) throws IOException {
        Path ip = DatasetLocator.file(folder, DatasetInfo.FILES.get(imagesIndex));
        Path lp = DatasetLocator.file(folder, DatasetInfo.FILES.get(labelsIndex));
        Tensor images = Idx.read(ip);
        Tensor labels = Idx.read(lp);
        if (images.dtype() != DType.U8 || images.rank() != 3) {
            throw new IllegalArgumentException("dataset: " + ip + " should hold u8 images [count][rows][columns], but holds " + images.describe());
        }
        if (labels.dtype() != DType.U8 || labels.rank() != 1) {
            throw new IllegalArgumentException("dataset: " + lp + " should hold u8 labels [count], but holds " + labels.describe()
                    + (labels.rank() == 3 ? " (an images file where the labels should be?)" : ""));
        }
        if (images.dim(0) != labels.dim(0)) {
            throw new IllegalArgumentException("dataset: " + ip + " holds " + images.dim(0) + " images but " + lp + " holds " + labels.dim(0)
                    + " labels; the files do not belong together");
        }
        int classes = info.classNames().length;
        byte[] lb = (byte[]) labels.data();
        int[] y = new int[lb.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = lb[i] & 0xFF;
            if (y[i] >= classes) {
                throw new IllegalArgumentException("dataset: " + lp + " has label " + y[i] + " at position " + i + ", outside 0.." + (classes - 1));
            }
        }
        return new LabeledImages((byte[]) images.data(), y, images.dim(0), images.dim(1), images.dim(2), classes);
    }
}
