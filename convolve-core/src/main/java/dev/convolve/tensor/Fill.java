package dev.convolve.tensor;

import java.util.Arrays;

/** Fills a storage array with the single element held in a one-element array of the same class. */
final class Fill {
    private Fill() {}

    static void fill(DType t, Object data, Object one) {
        switch (data) {
            case byte[] a -> Arrays.fill(a, ((byte[]) one)[0]);
            case short[] a -> Arrays.fill(a, ((short[]) one)[0]);
            case int[] a -> Arrays.fill(a, ((int[]) one)[0]);
            case long[] a -> Arrays.fill(a, ((long[]) one)[0]);
            case float[] a -> Arrays.fill(a, ((float[]) one)[0]);
            case double[] a -> Arrays.fill(a, ((double[]) one)[0]);
            default -> throw new IllegalStateException("storage of " + t);
        }
    }
}
