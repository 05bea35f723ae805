package dev.convolve.tensor;

/**
 * The one gather loop behind transpose, slice, reverse and broadcast: walks {@code dims} in row-major order
 * and copies {@code src[offset + sum(i_k * strides[k])]} to consecutive positions of a new array.
 * Strides may be zero (broadcast) or negative (reverse).
 */
final class StridedCopy {
    private StridedCopy() {}

    static Object gather(Object src, int offset, int[] strides, int[] dims) {
        int rank = dims.length;
        int n = 1;
        for (int d : dims) n *= d;
        Object dst = java.lang.reflect.Array.newInstance(src.getClass().getComponentType(), n);
        if (n == 0) return dst;
        if (rank == 0) {
            System.arraycopy(src, offset, dst, 0, 1);
            return dst;
        }
        int inner = dims[rank - 1];
        int innerStride = strides[rank - 1];
        int[] idx = new int[rank];
        int base = offset;
        int out = 0;
        while (true) {
            copyRun(src, base, innerStride, dst, out, inner);
            out += inner;
            // advance the odometer over axes 0..rank-2
            int k = rank - 2;
            while (k >= 0) {
                idx[k]++;
                base += strides[k];
                if (idx[k] < dims[k]) break;
                base -= strides[k] * dims[k];
                idx[k] = 0;
                k--;
            }
            if (k < 0) return dst;
        }
    }

    private static void copyRun(Object src, int base, int stride, Object dst, int out, int len) {
        if (stride == 1) {
            System.arraycopy(src, base, dst, out, len);
            return;
        }
        switch (src) {
            case float[] s -> { float[] d = (float[]) dst; for (int i = 0, p = base; i < len; i++, p += stride) d[out + i] = s[p]; }
            case double[] s -> { double[] d = (double[]) dst; for (int i = 0, p = base; i < len; i++, p += stride) d[out + i] = s[p]; }
            case int[] s -> { int[] d = (int[]) dst; for (int i = 0, p = base; i < len; i++, p += stride) d[out + i] = s[p]; }
            case long[] s -> { long[] d = (long[]) dst; for (int i = 0, p = base; i < len; i++, p += stride) d[out + i] = s[p]; }
            case short[] s -> { short[] d = (short[]) dst; for (int i = 0, p = base; i < len; i++, p += stride) d[out + i] = s[p]; }
            case byte[] s -> { byte[] d = (byte[]) dst; for (int i = 0, p = base; i < len; i++, p += stride) d[out + i] = s[p]; }
            default -> throw new IllegalStateException("storage " + src.getClass());
        }
    }
}
