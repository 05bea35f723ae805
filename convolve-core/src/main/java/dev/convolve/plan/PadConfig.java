package dev.convolve.plan;

import dev.convolve.tensor.Shape;
import java.util.Arrays;

/**
 * Nx's padding configuration: one {@code {low, high, interior}} per axis. Low and high may be negative (crop);
 * interior must be non-negative.
 */
public record PadConfig(int[] low, int[] high, int[] interior) {
    public PadConfig {
        if (low.length != high.length || low.length != interior.length) {
            throw new IllegalArgumentException("pad: low, high and interior must have one entry per axis, got "
                    + Arrays.toString(low) + ", " + Arrays.toString(high) + ", " + Arrays.toString(interior));
        }
        low = low.clone(); high = high.clone(); interior = interior.clone();
    }

    @Override public int[] low() { return low.clone(); }

    @Override public int[] high() { return high.clone(); }

    @Override public int[] interior() { return interior.clone(); }

    public int rank() { return low.length; }

    /** From triples {@code lo0, hi0, in0, lo1, hi1, in1, ...}. */
    public static PadConfig triples(int... v) {
        if (v.length % 3 != 0) throw new IllegalArgumentException("pad: expected {low, high, interior} triples, got " + v.length + " numbers " + Arrays.toString(v));
        int n = v.length / 3;
        int[] lo = new int[n], hi = new int[n], in = new int[n];
        for (int i = 0; i < n; i++) { lo[i] = v[3 * i]; hi[i] = v[3 * i + 1]; in[i] = v[3 * i + 2]; }
        return new PadConfig(lo, hi, in);
    }

    /** From pairs {@code lo0, hi0, lo1, hi1, ...} with no interior padding. */
    public static PadConfig pairs(int... v) {
        if (v.length % 2 != 0) throw new IllegalArgumentException("pad: expected {low, high} pairs, got " + v.length + " numbers " + Arrays.toString(v));
        int n = v.length / 2;
        int[] lo = new int[n], hi = new int[n];
        for (int i = 0; i < n; i++) { lo[i] = v[2 * i]; hi[i] = v[2 * i + 1]; }
        return new PadConfig(lo, hi, new int[n]);
    }

    /**
     * Parses {@code lo:hi:interior} (or {@code lo:hi}) per axis, separated by commas, e.g. {@code 1:1:0,0:2:1}.
     */
    public static PadConfig parse(String text) {
        String[] parts = text.trim().split(",");
        int n = parts.length;
        int[] lo = new int[n], hi = new int[n], in = new int[n];
        for (int i = 0; i < n; i++) {
            String[] p = parts[i].trim().split(":");
            try {
                if (p.length < 2 || p.length > 3) throw new NumberFormatException();
                lo[i] = Integer.parseInt(p[0].trim());
                hi[i] = Integer.parseInt(p[1].trim());
                in[i] = p.length == 3 ? Integer.parseInt(p[2].trim()) : 0;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pad: invalid padding configuration '" + text + "', expected low:high or low:high:interior integers per axis separated by commas, such as 1:1:0,0:2:1");
            }
        }
        return new PadConfig(lo, hi, in);
    }

    /**
     * The padded shape, {@code lo + hi + len + max(len - 1, 0) * interior} per axis.
     *
     * @throws IllegalArgumentException when the rank differs, interior is negative or an axis would be negative
     */
    public Shape outputShape(Shape input) {
        String ctx = "for shape " + input.toTuple() + " and padding configuration " + this;
        if (low.length != input.rank()) {
            throw new IllegalArgumentException("pad: invalid padding configuration, rank of padding configuration and shape must match, but "
                    + low.length + " != " + input.rank() + ", " + ctx);
        }
        int[] out = new int[low.length];
        for (int i = 0; i < low.length; i++) {
            if (interior[i] < 0) throw new IllegalArgumentException("pad: invalid padding configuration, interior padding must be non-negative, " + ctx);
            int len = input.dim(i);
            long size = (long) low[i] + high[i] + len + (long) Math.max(len - 1, 0) * interior[i];
            if (size < 0) {
                throw new IllegalArgumentException("pad: invalid padding configuration, axis " + i + " would have negative size " + size + ", " + ctx);
            }
            out[i] = (int) size;
        }
        return Shape.of(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < low.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append('{').append(low[i]).append(", ").append(high[i]).append(", ").append(interior[i]).append('}');
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PadConfig p && Arrays.equals(p.low, low) && Arrays.equals(p.high, high) && Arrays.equals(p.interior, interior);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(Arrays.hashCode(low), Arrays.hashCode(high), Arrays.hashCode(interior)); }
}
