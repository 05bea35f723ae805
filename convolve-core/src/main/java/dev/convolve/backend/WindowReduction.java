package dev.convolve.backend;

import dev.convolve.tensor.DType;

/** The reductions a window operation can apply, each with the identity it pads with. */
public enum WindowReduction {
    SUM, PRODUCT, MAX, MIN;

    /** Nx's name, e.g. {@code window_max}. */
    public String opName() { return "window_" + name().toLowerCase(java.util.Locale.ROOT); }

    /** The padding value for floats: 0, 1, -Inf, +Inf. */
    public double floatIdentity() {
        return switch (this) {
            case SUM -> 0;
            case PRODUCT -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    /** The padding value for integers of type {@code t}: 0, 1, the type's minimum, its maximum. */
    public long integerIdentity(DType t) {
        return switch (this) {
            case SUM -> 0;
            case PRODUCT -> 1;
            case MAX -> t.minLong();
            case MIN -> t.maxLong();
        };
    }
}
