package dev.convolve.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.FilterPadding;
import dev.convolve.vision.Kernel;
import dev.convolve.vision.Kernels;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The filter one connection of the studio applies to its frames: kernel (name, parameters or a matrix), sigma, size,
 * stride, border and JPEG quality. Immutable; {@link #with} applies a settings message, validating everything first so
 * a bad message leaves the settings unchanged.
 *
 * @param kernelSpec as {@code convolve filter --kernel}: a name, {@code name:size=..,sigma=..}, or a matrix
 * @param sigma      gaussian sigma (0 = default 1)
 * @param size       gaussian/box size (0 = default)
 * @param stride     1 to 8
 * @param border     beyond the edges
 * @param quality    JPEG quality of the replies, 1 to 100
 * @param kernel     the resolved kernel
 */
public record StudioSettings(String kernelSpec, double sigma, int size, int stride, BorderMode border, int quality, Kernel kernel) {
    /** Largest kernel side the live page accepts (a 63x63 direct filter on 640x480 is already slow). */
    public static final int MAX_KERNEL_SIDE = 63;

    /** Gaussian blur 5x5, sigma 1, stride 1, reflect border, JPEG quality 80. */
    public static StudioSettings defaults() {
        return new StudioSettings("gaussian", 1, 5, 1, BorderMode.REFLECT, 80, Kernels.gaussian(5, 1));
    }

    private static final Set<String> KEYS = Set.of("type", "kernel", "sigma", "size", "stride", "border", "quality");

    /**
     * These settings changed by the fields present in {@code msg} (a {@code {"type": "settings", ...}} message).
     *
     * @throws IllegalArgumentException for an unknown field, a value of the wrong type or out of range, or an unknown kernel
     */
    public StudioSettings with(JsonNode msg) {
        for (Iterator<String> it = msg.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw new IllegalArgumentException("settings: unknown field '" + k + "' (known: kernel, sigma, size, stride, border, quality)");
        }
        String spec = msg.has("kernel") ? text(msg, "kernel") : kernelSpec;
        double sg = msg.has("sigma") ? number(msg, "sigma", 0, 100) : sigma;
        int sz = msg.has("size") ? (int) integer(msg, "size", 0, MAX_KERNEL_SIDE) : size;
        int st = msg.has("stride") ? (int) integer(msg, "stride", 1, 8) : stride;
        BorderMode b = msg.has("border") ? BorderMode.parse(text(msg, "border")) : border;
        int q = msg.has("quality") ? (int) integer(msg, "quality", 1, 100) : quality;
        if (msg.has("sigma") && sg <= 0) throw new IllegalArgumentException("settings: sigma must be positive, got " + sg);
        Kernel k = Kernels.spec(spec, new Kernels.KernelParams(sz, sg));
        if (k.rows() > MAX_KERNEL_SIDE || k.cols() > MAX_KERNEL_SIDE) {
            throw new IllegalArgumentException("settings: the live page takes kernels up to " + MAX_KERNEL_SIDE + "x" + MAX_KERNEL_SIDE + ", got " + k.rows() + "x" + k.cols());
        }
        return new StudioSettings(spec, sg, sz, st, b, q, k);
    }

    /** The filter options (same padding, this stride and border). */
    public FilterOptions options() {
        return new FilterOptions(stride, FilterPadding.SAME, border);
    }

    /** These settings as the JSON the server sends back ({@code type: "settings"}). */
    public ObjectNode toJson(ObjectNode o) {
        o.put("type", "settings");
        o.put("kernel", kernelSpec);
        o.put("sigma", sigma);
        o.put("size", size);
        o.put("stride", stride);
        o.put("border", border.toString());
        o.put("quality", quality);
        o.put("name", kernel.name());
        o.put("rows", kernel.rows());
        o.put("cols", kernel.cols());
        o.put("separable", kernel.separable().isPresent());
        return o;
    }

    private static String text(JsonNode msg, String key) {
        JsonNode v = msg.get(key);
        if (!v.isTextual()) throw new IllegalArgumentException("settings: " + key + " must be a string, got " + v);
        return v.asText();
    }

    private static double number(JsonNode msg, String key, double lo, double hi) {
        JsonNode v = msg.get(key);
        if (v.isNull()) return 0;
        if (!v.isNumber()) throw new IllegalArgumentException("settings: " + key + " must be a number, got " + v);
        double d = v.asDouble();
        if (!(d >= lo && d <= hi)) throw new IllegalArgumentException(String.format(Locale.ROOT, "settings: %s must be between %s and %s, got %s", key, lo, hi, v));
        return d;
    }

    private static long integer(JsonNode msg, String key, long lo, long hi) {
        JsonNode v = msg.get(key);
        if (v.isNull()) return 0;
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw new IllegalArgumentException("settings: " + key + " must be a whole number, got " + v);
        }
        long l = v.asLong();
        if (l < lo || l > hi) throw new IllegalArgumentException("settings: " + key + " must be between " + lo + " and " + hi + ", got " + v);
        return l;
    }
}
