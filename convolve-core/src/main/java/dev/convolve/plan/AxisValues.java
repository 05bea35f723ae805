package dev.convolve.plan;

import java.util.Arrays;

/**
 * A per-axis integer option (strides, dilations) given either as one number for every axis or as a list
 * with one entry per axis, as Nx accepts both.
 */
public final class AxisValues {
    private final int scalar;
    private final int[] list;

    private AxisValues(int scalar, int[] list) {
        this.scalar = scalar;
        this.list = list;
    }

    /** The same value on every axis. */
    public static AxisValues all(int value) { return new AxisValues(value, null); }

    /** One value per axis (copied). */
    public static AxisValues of(int... values) { return new AxisValues(0, values.clone()); }

    public boolean isScalar() { return list == null; }

    /** How many values were listed: 0 for a single value that applies to every axis. */
    public int size() { return list == null ? 0 : list.length; }

    /**
     * The values for {@code n} spatial axes, each at least 1. A list of the wrong length or a value below 1 is
     * reported with {@code what} (e.g. "strides") in Nx's words, in an error that ends with {@code context}.
     */
    public int[] resolve(String op, String what, int n, String context) {
        int[] r = expand(op, what, n, context);
        for (int v : r) {
            if (v < 1) {
                throw new IllegalArgumentException(op + ": " + what + " of each dimension must be a positive integer, got "
                        + (list == null ? Integer.toString(scalar) : Arrays.toString(list)) + ", " + context);
            }
        }
        return r;
    }

    /** The values for {@code n} spatial axes without a range check; a list must have exactly {@code n} entries. */
    public int[] expand(String op, String what, int n, String context) {
        if (list == null) {
            int[] r = new int[n];
            Arrays.fill(r, scalar);
            return r;
        }
        if (list.length != n) {
            String dims = n + (n == 1 ? " spatial dimension" : " spatial dimensions");
            if (what.contains("dilation")) {
                throw new IllegalArgumentException(op + ": must specify " + what + " for each spatial dimension or specify an integer " + what
                        + " factor, got " + Arrays.toString(list) + " (" + list.length + " entries) for " + dims + ", " + context);
            }
            throw new IllegalArgumentException(op + ": rank of " + what + " must match rank of spatial dimensions, got " + what + " "
                    + Arrays.toString(list) + " with rank " + list.length + " for " + dims + ", " + context);
        }
        return list.clone();
    }

    @Override
    public String toString() { return list == null ? Integer.toString(scalar) : Arrays.toString(list); }

    @Override
    public boolean equals(Object o) {
        return o instanceof AxisValues a && a.scalar == scalar && Arrays.equals(a.list, list);
    }

    @Override
    public int hashCode() { return 31 * scalar + Arrays.hashCode(list); }
}
