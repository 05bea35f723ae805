package dev.convolve.ops;

/** How {@link Pad#padOuter} fills the border. */
public enum PadMode {
    /** A constant value (see {@link Pad#pad}). */
    CONSTANT,
    /** Mirror without repeating the edge: {@code [1,2,3]} padded by 2 on the left gives {@code 3,2,1,2,3} (numpy/ONNX {@code reflect}). */
    REFLECT,
    /** Mirror including the edge: {@code 2,1,1,2,3} (numpy {@code symmetric}). */
    MIRROR,
    /** Repeat the edge element: {@code 1,1,1,2,3} (numpy/ONNX {@code edge}). */
    REPLICATE,
    /** Wrap around: {@code 2,3,1,2,3} (numpy {@code wrap}, PyTorch {@code circular}). */
    CYCLIC;

    /** Parses {@code constant}, {@code reflect}, {@code mirror} (or {@code symmetric}), {@code replicate} (or {@code edge}), {@code cyclic} (or {@code wrap}, {@code circular}). */
    public static PadMode parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "constant", "zero", "zeros" -> CONSTANT;
            case "reflect" -> REFLECT;
            case "mirror", "symmetric" -> MIRROR;
            case "replicate", "edge" -> REPLICATE;
            case "cyclic", "wrap", "circular" -> CYCLIC;
            default -> throw new IllegalArgumentException("pad: unknown mode '" + s + "', expected constant, reflect, mirror, replicate or cyclic");
        };
    }

    /** Source index for padded position {@code j} (relative to the first input element) on an axis of length {@code n}. */
    int source(int j, int n) {
        if (j >= 0 && j < n) return j;
        return switch (this) {
            case REPLICATE -> j < 0 ? 0 : n - 1;
            case CYCLIC -> Math.floorMod(j, n);
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
            case CONSTANT -> throw new IllegalStateException("constant padding has no source");
        };
    }
}
