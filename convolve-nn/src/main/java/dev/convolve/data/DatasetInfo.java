package dev.convolve.data;

import java.util.List;
import java.util.Locale;

/**
 * The datasets known by name: their files, class names, and where they are published. Every file is validated by
 * the MD5 of its decompressed bytes (the published {@code .gz} archives may be re-compressed copies).
 */
public enum DatasetInfo {
    MNIST("mnist", "MNIST handwritten digits",
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new String[] {"6bbc9ace898e44ae57da46a324031adb", "a25bea736e30d166cdddb491f175f624",
                    "2646ac647ad5339dbf082846283269ea", "27ae3e4e09519cfbb04c329615203637"},
            new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}),
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST (Zalando)",
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            new String[] {"f4a8712d7a061bf5bd6d2ca38dc4d50a", "9018921c3c673c538a1fc5bad174d6f9",
                    "8181f5470baa50b63fa0f6fddb340f0a", "15d484375f8d13e6eb1aabb0c3f46965"},
            new String[] {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});

    /** The four files, in the order train images, train labels, test images, test labels. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private final String id, title;
    private final List<String> mirrors;
    private final String[] md5;
    private final String[] classes;

    DatasetInfo(String id, String title, List<String> mirrors, String[] md5, String[] classes) {
        this.id = id;
        this.title = title;
        this.mirrors = mirrors;
        this.md5 = md5;
        this.classes = classes;
    }

    /** The name used on the command line and as the folder name, e.g. {@code fashion-mnist}. */
    public String id() { return id; }

    public String title() { return title; }

    /** Base URLs the files can be downloaded from ({@code <base><file>.gz}). */
    public List<String> mirrors() { return mirrors; }

    /** The MD5 of the decompressed bytes of file {@code i} of {@link #FILES}. */
    public String md5(int i) { return md5[i]; }

    public String[] classNames() { return classes.clone(); }

    /**
     * Looks a dataset up by name ({@code mnist}, {@code fashion-mnist}; case and underscores ignored).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static DatasetInfo byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals("fashion") || n.equals("fashionmnist")) n = "fashion-mnist";
        for (DatasetInfo d : values()) if (d.id.equals(n)) return d;
        throw new IllegalArgumentException("dataset: unknown dataset '" + name + "', expected mnist or fashion-mnist");
    }
}
