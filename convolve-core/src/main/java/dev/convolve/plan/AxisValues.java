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

    /**
     * The values for {@code n} axes. A list of the wrong length or a value below 1 is reported with
     * {@code what} (e.g. "strides") in an error that ends with {@code context}.
     */
    public int[] resolve(String op, String what, int n, String context) {
        int[] r = expand(op, what, n, context);
        for (int v : r) {
            if (v < 1) {
                throw new IllegalArgumentException(op + ": " + what + " must be positive integers, got " + (list == null ? Integer.toString(scalar) : Arrays.toString(list)) + ", " + context);
            }
        }
        return r;
    }

    /** The values for {@code n} axes without a range check; a list must have exactly {@code n} entries. */
    public int[] expand(String op, String what, int n, String context) {
        if (list == null) {
            int[] r = new int[n];
            Arrays.fill(r, scalar);
            return r;
        }
        if (list.length != n) {
            throw new IllegalArgumentException(op + ": " + what + " must have one entry per spatial axis or be a single number, but got "
                    + list.length + " entries " + Arrays.toString(list) + " for " + n + " spatial axes, " + context);
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
