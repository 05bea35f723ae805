package dev.convolve.vision;

import dev.convolve.ops.PadMode;
import java.util.Locale;

/**
 * What a filter sees beyond the image's edges (with {@link FilterPadding#SAME}). For a row {@code a b c d}:
 * <ul>
 *   <li>{@link #ZERO}: {@code 0 0 | a b c d | 0 0} (the Nx seed's {@code padding: :same});</li>
 *   <li>{@link #REFLECT}: {@code c b | a b c d | c b}, mirrored without repeating the edge (OpenCV's default
 *       {@code BORDER_REFLECT_101}, NumPy and PyTorch {@code reflect});</li>
 *   <li>{@link #REPLICATE}: {@code a a | a b c d | d d} (OpenCV {@code BORDER_REPLICATE}, NumPy {@code edge});</li>
 *   <li>{@link #MIRROR}: {@code b a | a b c d | d c}, mirrored with the edge (OpenCV {@code BORDER_REFLECT},
 *       SciPy's {@code reflect}, NumPy {@code symmetric}).</li>
 * </ul>
 */
public enum BorderMode {
    ZERO(PadMode.CONSTANT),
    REFLECT(PadMode.REFLECT),
    REPLICATE(PadMode.REPLICATE),
    MIRROR(PadMode.MIRROR);

    private final PadMode padMode;

    BorderMode(PadMode padMode) { this.padMode = padMode; }

    /** The core {@link PadMode} with the same rule ({@code CONSTANT} with 0 for {@link #ZERO}). */
    public PadMode padMode() { return padMode; }

    /** Parses {@code zero} (or {@code constant}), {@code reflect}, {@code replicate} (or {@code edge}), {@code mirror} (or {@code symmetric}). */
    public static BorderMode parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "zero", "zeros", "constant" -> ZERO;
            case "reflect", "reflect101", "reflect-101" -> REFLECT;
            case "replicate", "edge" -> REPLICATE;
            case "mirror", "symmetric" -> MIRROR;
            default -> throw new IllegalArgumentException("filter: unknown border '" + s + "', expected zero, reflect, replicate or mirror");
        };
    }

    /**
     * The index inside {@code [0, n)} that position {@code j} reads, or -1 for a zero ({@link #ZERO} outside).
     * {@code n} must be positive.
     */
    public int index(int j, int n) {
        if (j >= 0 && j < n) return j;
        return switch (this) {
            case ZERO -> -1;
            case REPLICATE -> j < 0 ? 0 : n - 1;
            case REFLECT -> {
                if (n == 1) yield 0;
                int period = 2 * (n - 1);
                int m = Math.floorMod(j, period);
                yield m < n ? m : period - m;
            }
            case MIRROR -> {
                int period = 2 * n;
                int m = Math.floorMod(j, period);
                yield m < n ? m : period - 1 - m;
            }
        };
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
