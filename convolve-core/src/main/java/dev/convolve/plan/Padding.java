package dev.convolve.plan;

import java.util.Arrays;

/**
 * How a conv or window operation pads its spatial axes.
 *
 * <ul>
 *   <li>{@link #valid()}: no padding.</li>
 *   <li>{@link #same()}: Nx's {@code :same}: total {@code dilatedKernel - 1} per axis, the extra unit at the
 *       end, <em>independent of the stride</em>.</li>
 *   <li>{@link #sameUpper()} / {@link #sameLower()}: JAX/TensorFlow/ONNX {@code SAME}: stride-aware, output
 *       size {@code ceil(size / stride)}, the odd unit at the end (upper) or start (lower).</li>
 *   <li>{@link #explicit(int[], int[])}: low and high padding per axis; negative values crop.</li>
 * </ul>
 */
public sealed interface Padding {
    record Valid() implements Padding {
        @Override public String toString() { return "valid"; }
    }

    record Same() implements Padding {
        @Override public String toString() { return "same"; }
    }

    record SameUpper() implements Padding {
        @Override public String toString() { return "same-upper"; }
    }

    record SameLower() implements Padding {
        @Override public String toString() { return "same-lower"; }
    }

    /** Low and high padding per axis (copied on the way in and out). */
    record Explicit(int[] low, int[] high) implements Padding {
        public Explicit {
            if (low.length != high.length) {
                throw new IllegalArgumentException("padding: low " + Arrays.toString(low) + " and high " + Arrays.toString(high) + " must have the same length");
            }
            low = low.clone();
            high = high.clone();
        }

        @Override public int[] low() { return low.clone(); }

        @Override public int[] high() { return high.clone(); }

        @Override public boolean equals(Object o) {
            return o instanceof Explicit e && Arrays.equals(e.low, low) && Arrays.equals(e.high, high);
        }

        @Override public int hashCode() { return 31 * Arrays.hashCode(low) + Arrays.hashCode(high); }

        @Override public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < low.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(low[i]).append(':').append(high[i]);
            }
            return sb.toString();
        }
    }

    static Padding valid() { return new Valid(); }

    static Padding same() { return new Same(); }

    static Padding sameUpper() { return new SameUpper(); }

    static Padding sameLower() { return new SameLower(); }

    static Padding explicit(int[] low, int[] high) { return new Explicit(low, high); }

    /** The same {@code p} on both sides of each of {@code n} axes (PyTorch's {@code padding=p}). */
    static Padding symmetric(int n, int p) {
        int[] a = new int[n];
        Arrays.fill(a, p);
        return new Explicit(a, a);
    }

    /** Pairs {@code lo0, hi0, lo1, hi1, ...}. */
    static Padding pairs(int... loHi) {
        if (loHi.length % 2 != 0) throw new IllegalArgumentException("padding: expected low/high pairs, got an odd count " + Arrays.toString(loHi));
        int n = loHi.length / 2;
        int[] lo = new int[n], hi = new int[n];
        for (int i = 0; i < n; i++) {
            lo[i] = loHi[2 * i];
            hi[i] = loHi[2 * i + 1];
        }
        return new Explicit(lo, hi);
    }

    /**
     * Parses {@code valid}, {@code same}, {@code same-upper}, {@code same-lower}, or {@code lo:hi,lo:hi,...}
     * (for example {@code 1:1,0:2}; a bare {@code p} means {@code p:p}).
     */
    static Padding parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "valid": return valid();
            case "same": return same();
            case "same-upper", "same_upper": return sameUpper();
            case "same-lower", "same_lower": return sameLower();
            default:
        }
        String[] parts = s.split(",");
        int[] lo = new int[parts.length], hi = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] p = parts[i].trim().split(":");
            try {
                if (p.length == 1) {
                    lo[i] = hi[i] = Integer.parseInt(p[0].trim());
                } else if (p.length == 2) {
                    lo[i] = Integer.parseInt(p[0].trim());
                    hi[i] = Integer.parseInt(p[1].trim());
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("padding: invalid padding '" + text + "', expected valid, same, same-upper, same-lower or low:high pairs of integers separated by commas such as 1:1,0:2");
            }
        }
        return new Explicit(lo, hi);
    }
}
