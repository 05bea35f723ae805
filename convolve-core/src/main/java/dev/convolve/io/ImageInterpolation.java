package dev.convolve.io;

import java.util.Locale;

/**
 * How {@link Images#resize} computes a pixel of the new image. Both use pixel centres at half-integer coordinates
 * (OpenCV, PyTorch {@code align_corners=False}): output pixel {@code d} of an axis resized from {@code n} to
 * {@code m} looks at input coordinate {@code (d + 0.5) * n / m - 0.5}.
 */
public enum ImageInterpolation {
    /** The input pixel {@code floor(d * n / m)} (OpenCV's {@code INTER_NEAREST}, PyTorch's {@code nearest}). */
    NEAREST,
    /**
     * Linear in each axis between the two nearest input pixels, clamped at the edges (OpenCV's {@code INTER_LINEAR},
     * PyTorch's {@code bilinear} with {@code align_corners=False}); no anti-aliasing when shrinking.
     */
    BILINEAR;

    /** Parses {@code nearest} or {@code bilinear} (also {@code linear}). */
    public static ImageInterpolation parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "nearest" -> NEAREST;
            case "bilinear", "linear" -> BILINEAR;
            default -> throw new IllegalArgumentException("resize: unknown interpolation '" + s + "', expected nearest or bilinear");
        };
    }
}
