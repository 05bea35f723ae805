package dev.convolve.vision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The library of kernels: blurs, derivatives and the edge kernels of the seed documents, by name, plus custom
 * kernels written as text.
 *
 * {@snippet :
 * Kernel blur = Kernels.gaussian(5, 1.0);                 // the Nx seed's gaussian_blur_kernel(sigma: 1)
 * Kernel sobel = Kernels.named("sobel-x");
 * Kernel mine = Kernels.parse("1,0,-1;2,0,-2;1,0,-1");    // rows separated by ';'
 * Kernel big = Kernels.spec("gaussian:size=15,sigma=3", KernelParams.DEFAULT);
 * }
 */
public final class Kernels {
    private Kernels() {}

    /**
     * Parameters of the kernels that take them: {@code size} (gaussian, box; 0 = the default) and {@code sigma}
     * (gaussian; 0 = the default 1).
     */
    public record KernelParams(int size, double sigma) {
        public static final KernelParams DEFAULT = new KernelParams(0, 0);

        public KernelParams {
            if (size < 0 || size > Kernel.MAX_SIDE) throw new IllegalArgumentException("kernel: size must be between 1 and " + Kernel.MAX_SIDE + ", got " + size);
            if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("kernel: sigma must be a positive number, got " + sigma);
        }

        /** The sigma to use: the given one, else 1. */
        public double sigmaOr1() { return sigma == 0 ? 1 : sigma; }
    }

    /** One entry of the catalogue. */
    public record Entry(String name, String description, boolean takesSize, boolean takesSigma, BiFunction<String, KernelParams, Kernel> make) {
        /** The kernel with the given parameters. */
        public Kernel kernel(KernelParams p) { return make.apply(name, p); }
    }

    private static final Map<String, Entry> CATALOGUE = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    private static void add(String name, String description, double[][] m) {
        CATALOGUE.put(name, new Entry(name, description, false, false, (n, p) -> Kernel.of(n, m)));
    }

    static {
        CATALOGUE.put("gaussian", new Entry("gaussian",
                "Gaussian blur exp(-(x^2+y^2)/(2 sigma^2)) normalised to sum 1, as the Nx seed builds it; --sigma (default 1), --size (default 2*ceil(2*sigma)+1)",
                true, true, (n, p) -> {
                    double s = p.sigmaOr1();
                    return gaussian(p.size() == 0 ? defaultGaussianSize(s) : p.size(), s);
                }));
        CATALOGUE.put("box", new Entry("box", "mean of a size x size window (--size, default 3)", true, false,
                (n, p) -> box(p.size() == 0 ? 3 : p.size())));
        add("sobel-x", "Sobel derivative along x (responds to vertical edges)", new double[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}});
        add("sobel-y", "Sobel derivative along y (responds to horizontal edges)", new double[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}});
        add("scharr-x", "Scharr derivative along x", new double[][] {{-3, 0, 3}, {-10, 0, 10}, {-3, 0, 3}});
        add("scharr-y", "Scharr derivative along y", new double[][] {{-3, -10, -3}, {0, 0, 0}, {3, 10, 3}});
        add("prewitt-x", "Prewitt derivative along x", new double[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
        add("prewitt-y", "Prewitt derivative along y", new double[][] {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}});
        add("laplacian", "Laplacian, 4 neighbours", new double[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}});
        add("laplacian8", "Laplacian, 8 neighbours", new double[][] {{1, 1, 1}, {1, -8, 1}, {1, 1, 1}});
        add("sharpen", "sharpen: 5 times the centre minus the 4 neighbours", new double[][] {{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}});
        add("emboss", "emboss (light from the top left)", new double[][] {{-2, -1, 0}, {-1, 1, 1}, {0, 1, 2}});
        add("identity", "the identity (copies the image)", new double[][] {{1}});
        add("top-edge", "fast.ai's top_edge: bottom row minus top row", new double[][] {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}});
        add("left-edge", "fast.ai's left_edge: right column minus left column", new double[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
        add("diag1-edge", "fast.ai's diag1_edge", new double[][] {{0, -1, 1}, {-1, 1, 0}, {1, 0, 0}});
        add("diag2-edge", "fast.ai's diag2_edge", new double[][] {{1, -1, 0}, {0, 1, -1}, {0, 0, 1}});
        add("nx-edge", "the Nx seed's edge kernel [-1, 0, 1] along x (1x3: vertical edges)", new double[][] {{-1, 0, 1}});
        add("nx-edge-v", "the Nx seed's edge kernel [-1, 0, 1] along y (3x1: horizontal edges)", new double[][] {{-1}, {0}, {1}});
        add("d2l-edge", "d2l's edge kernel [1, -1] (1x2)", new double[][] {{1, -1}});
        ALIASES.put("blur", "gaussian");
        ALIASES.put("mean", "box");
        ALIASES.put("laplacian4", "laplacian");
        ALIASES.put("top", "top-edge");
        ALIASES.put("left", "left-edge");
        ALIASES.put("diag1", "diag1-edge");
        ALIASES.put("diag2", "diag2-edge");
    }

    /** The catalogue, in the order {@code convolve kernels} lists it. */
    public static List<Entry> catalogue() { return List.copyOf(CATALOGUE.values()); }

    /** Other names accepted for catalogue entries (alias to name). */
    public static Map<String, String> aliases() { return Map.copyOf(ALIASES); }

    /**
     * The Gaussian kernel of the Nx seed: {@code exp(-(x^2 + y^2) / (2 sigma^2)) / (2 pi sigma^2)} at the offsets
     * {@code x, y = i - (size - 1) / 2}, normalised to sum 1. Equal to the outer product of OpenCV's
     * {@code getGaussianKernel(size, sigma)} with itself.
     *
     * @throws IllegalArgumentException when size is not in 1..255 or sigma is not positive
     */
    public static Kernel gaussian(int size, double sigma) {
        if (size < 1 || size > Kernel.MAX_SIDE) throw new IllegalArgumentException("gaussian: size must be between 1 and " + Kernel.MAX_SIDE + ", got " + size);
        if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("gaussian: sigma must be positive, got " + sigma);
        double[] w = new double[size * size];
        double c = (size - 1) / 2.0, sum = 0;
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                double y = a - c, x = b - c;
                double v = Math.exp(-(x * x + y * y) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
                w[a * size + b] = v;
                sum += v;
            }
        }
        for (int i = 0; i < w.length; i++) w[i] /= sum;
        return new Kernel("gaussian", size, size, w);
    }

    /** The size {@code gaussian} takes when only sigma is given: {@code 2 * ceil(2 sigma) + 1} (5 for sigma 1). */
    public static int defaultGaussianSize(double sigma) {
        return (int) Math.min(Kernel.MAX_SIDE, 2 * Math.ceil(2 * sigma) + 1);
    }

    /** The mean over a {@code size x size} window. */
    public static Kernel box(int size) {
        if (size < 1 || size > Kernel.MAX_SIDE) throw new IllegalArgumentException("box: size must be between 1 and " + Kernel.MAX_SIDE + ", got " + size);
        double[] w = new double[size * size];
        java.util.Arrays.fill(w, 1.0 / (size * size));
        return new Kernel("box", size, size, w);
    }

    /** A catalogue kernel with its default parameters. */
    public static Kernel named(String name) { return named(name, KernelParams.DEFAULT); }

    /**
     * A catalogue kernel (or alias) with parameters.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Kernel named(String name, KernelParams params) {
        return entry(name).kernel(params);
    }

    /** The catalogue entry of a name or alias. */
    public static Entry entry(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        n = ALIASES.getOrDefault(n, n);
        Entry e = CATALOGUE.get(n);
        if (e == null) {
            throw new IllegalArgumentException("kernel: unknown kernel '" + name + "'; known: " + String.join(", ", CATALOGUE.keySet())
                    + " (or a matrix such as \"1,0,-1;2,0,-2;1,0,-1\")");
        }
        return e;
    }

    /**
     * A kernel from a specification: a catalogue name ({@code sobel-x}), a name with parameters
     * ({@code gaussian:size=15,sigma=3}; they override {@code defaults}), or a matrix as text ({@link #parse}).
     *
     * @throws IllegalArgumentException for an unknown name or parameter, or a malformed matrix
     */
    public static Kernel spec(String spec, KernelParams defaults) {
        String s = spec.trim();
        if (s.isEmpty()) throw new IllegalArgumentException("kernel: empty kernel name");
        if (!Character.isLetter(s.charAt(0))) return parse(s);
        int colon = s.indexOf(':');
        if (colon < 0) return named(s, defaults);
        String name = s.substring(0, colon);
        int size = defaults.size();
        double sigma = defaults.sigma();
        for (String kv : s.substring(colon + 1).split(",")) {
            String[] p = kv.split("=", 2);
            if (p.length != 2) throw new IllegalArgumentException("kernel: expected key=value in '" + spec + "', got '" + kv + "'");
            String key = p[0].trim().toLowerCase(Locale.ROOT);
            try {
                switch (key) {
                    case "size" -> size = Integer.parseInt(p[1].trim());
                    case "sigma" -> sigma = Double.parseDouble(p[1].trim());
                    default -> throw new IllegalArgumentException("kernel: unknown parameter '" + p[0].trim() + "' in '" + spec + "' (expected size or sigma)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("kernel: " + key + " must be a number in '" + spec + "', got '" + p[1].trim() + "'");
            }
        }
        Entry e = entry(name);
        if (size != defaults.size() && !e.takesSize()) throw new IllegalArgumentException("kernel: " + e.name() + " has a fixed size; only gaussian and box take size=");
        if (sigma != defaults.sigma() && !e.takesSigma()) throw new IllegalArgumentException("kernel: only gaussian takes sigma=, not " + e.name());
        return e.kernel(new KernelParams(size, sigma));
    }

    /**
     * A custom kernel written as text: rows separated by {@code ;} (or new lines), weights by {@code ,} or spaces;
     * a weight may be a fraction ({@code 1/16}). Example: {@code "1,0,-1;2,0,-2;1,0,-1"} (Sobel x). The nested-list
     * form {@code "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]"} is accepted too.
     *
     * @throws IllegalArgumentException when the text is empty, a weight is not a number, or rows differ in length
     */
    public static Kernel parse(String text) {
        // Also the nested-list form of NumPy, PyTorch and Nx: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
        String t = text.trim().replaceAll("\\]\\s*,\\s*\\[", ";").replace("[", "").replace("]", "");
        List<double[]> rows = new ArrayList<>();
        for (String line : t.split("[;\\n]")) {
            String l = line.trim();
            if (l.isEmpty()) continue;
            String[] cells = l.split("[,\\s]+");
            double[] r = new double[cells.length];
            for (int i = 0; i < cells.length; i++) r[i] = number(cells[i], text);
            rows.add(r);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("kernel: '" + text + "' has no weights; write rows separated by ';', e.g. \"1,0,-1;2,0,-2;1,0,-1\"");
        int c = rows.get(0).length;
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).length != c) {
                throw new IllegalArgumentException("kernel: every row must have the same length, but row 0 has " + c + " weights and row " + i
                        + " has " + rows.get(i).length + " in '" + text + "'");
            }
        }
        return Kernel.of("custom", rows.toArray(new double[0][]));
    }

    private static double number(String cell, String text) {
        try {
            int slash = cell.indexOf('/');
            double v = slash < 0 ? Double.parseDouble(cell) : Double.parseDouble(cell.substring(0, slash)) / Double.parseDouble(cell.substring(slash + 1));
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel: '" + cell + "' is not a number in '" + text + "'");
        }
    }
}
