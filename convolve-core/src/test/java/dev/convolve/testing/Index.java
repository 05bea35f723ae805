package dev.convolve.testing;

/** Row-major index arithmetic for the oracles: strides, sizes and an odometer over all positions of a box. */
final class Index {
    private Index() {}

    static int[] strides(int[] dims) {
        int[] st = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= dims[i];
        }
        return st;
    }

    static int size(int[] dims) {
        int s = 1;
        for (int d : dims) s *= d;
        return s;
    }

    /** Advances {@code idx} to the next position of {@code dims} in row-major order; false after the last one. */
    static boolean next(int[] idx, int[] dims) {
        for (int i = dims.length - 1; i >= 0; i--) {
            if (++idx[i] < dims[i]) return true;
            idx[i] = 0;
        }
        return false;
    }

    static int offset(int[] idx, int[] strides) {
        int o = 0;
        for (int i = 0; i < idx.length; i++) o += idx[i] * strides[i];
        return o;
    }

    static int[] identity(int r) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = i;
        return p;
    }

    static int[] concat(int a, int b, int[] rest) {
        int[] r = new int[rest.length + 2];
        r[0] = a;
        r[1] = b;
        System.arraycopy(rest, 0, r, 2, rest.length);
        return r;
    }
}
