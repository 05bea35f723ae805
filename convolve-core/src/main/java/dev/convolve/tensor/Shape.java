package dev.convolve.tensor;

import java.util.Arrays;

/**
 * An immutable list of axis sizes. Row-major: the last axis varies fastest.
 * {@code toString()} prints Nx style, e.g. {@code [2][3]}; a scalar prints as the empty string.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long s = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("shape: axis sizes must be non-negative, got " + Arrays.toString(dims));
            }
            s *= dims[i];
            if (s > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(dims) + " has more than 2^31 elements");
            }
        }
        this.dims = dims;
        this.size = (int) s;
    }

    /** A shape with the given sizes (copied). */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public static Shape scalar() {
        return new Shape(new int[0]);
    }

    public int rank() { return dims.length; }

    /** Number of elements (1 for a scalar). */
    public int size() { return size; }

    /** Size of axis {@code axis}; negative axes count from the end. */
    public int dim(int axis) { return dims[normalizeAxis(axis)]; }

    /** A copy of the sizes. */
    public int[] dims() { return dims.clone(); }

    /** Row-major strides in elements. */
    public int[] strides() {
        int[] st = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= dims[i];
        }
        return st;
    }

    /** Resolves a possibly negative axis, failing with a message that names the shape. */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("given axis (" + axis + ") invalid for shape with rank " + dims.length + " (shape " + this + ")");
        }
        return a;
    }

    /** The sizes in Nx's written form, {@code {2, 3}} (useful inside error messages). */
    public String toTuple() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int d : dims) sb.append('[').append(d).append(']');
        return sb.toString();
    }
}
