package dev.convolve.vision;

import java.util.Locale;

/**
 * How much of the image a filter's output covers.
 * <ul>
 *   <li>{@link #SAME}: one output pixel per input pixel (per {@code stride}): the kernel is centred on each pixel,
 *       {@code (k - 1) / 2} pixels of border before and the rest after (Nx's {@code :same}); the output of an axis
 *       of {@code n} pixels has {@code ceil(n / stride)} pixels.</li>
 *   <li>{@link #VALID}: only where the kernel fits inside the image: {@code (n - k) / stride + 1} pixels.</li>
 * </ul>
 */
public enum FilterPadding {
    SAME, VALID;

    public static FilterPadding parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "same" -> SAME;
            case "valid" -> VALID;
            default -> throw new IllegalArgumentException("filter: unknown padding '" + s + "', expected same or valid");
        };
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
