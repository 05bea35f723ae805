package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/** Float32 tolerance for results of long sums: error bounded by a multiple of eps times the sum of magnitudes. */
final class Close {
    private Close() {}

    /**
     * Checks {@code actual} against {@code expected} element by element: {@code |a - e| <= tol * magnitude + tiny}, where
     * {@code magnitude} is the sum of the absolute values of the terms of each result (same shape).
     */
    static void check(Tensor expected, Tensor actual, Tensor magnitude, double tol, String ctx) {
        check(expected, actual, magnitude, tol, ctx, false);
    }

    /**
     * As above; with {@code meanFloor}, each element's magnitude is taken as at least the mean magnitude of the result. For
     * Winograd's transforms: they mix the elements of a tile (and a kernel gradient's taps of one channel pair), so the
     * rounding of a tile's large elements reaches its small ones, even elements with no terms at all (input positions that
     * no output reads, with negative padding, measured about 1e-6 where the reference has an exact 0). Against their own
     * magnitude F(5x5, 2x2)'s edge taps measured 5.5x the direct bound; against the mean floor every Winograd engine (3x3,
     * 5x5, 7x7; forward, input and kernel gradients) stayed under 0.9x of the direct bound (100-150 random cases each,
     * 2026-11-25), the worst the 5x5 kernel gradient.
     */
    static void check(Tensor expected, Tensor actual, Tensor magnitude, double tol, String ctx, boolean meanFloor) {
        assertEquals(expected.shape(), actual.shape(), () -> "shape, " + ctx);
        assertEquals(expected.dtype(), actual.dtype(), () -> "type, " + ctx);
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray(), m = magnitude.toDoubleArray();
        double floor = 0;
        if (meanFloor) {
            for (double v : m) floor += v;
            floor /= Math.max(1, m.length);
        }
        for (int i = 0; i < e.length; i++) {
            double bound = tol * Math.max(m[i], floor) + 1e-30;
            if (Double.isNaN(e[i]) != Double.isNaN(a[i]) || !(Math.abs(a[i] - e[i]) <= bound || a[i] == e[i])) {
                fail("element " + i + ": expected " + e[i] + ", got " + a[i] + " (bound " + bound + ", magnitude " + m[i] + "), " + ctx);
            }
        }
    }

    /** Exact equality of values, shape and type. */
    static void exact(Tensor expected, Tensor actual, String ctx) {
        assertEquals(expected.shape(), actual.shape(), () -> "shape, " + ctx);
        assertEquals(expected.dtype(), actual.dtype(), () -> "type, " + ctx);
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), () -> ctx);
    }

    /**
     * The extra error an algorithm's arithmetic allows beyond a direct sum's: Winograd F(4x4, 3x3) and F(3x3, 4x4)
     * transform tiles with the points 0, +-1, +-2 (coefficients up to 5 in the data transform, 8 in the output
     * transform), so their rounding errors are larger than the direct sum's bound by a small factor (a random case
     * of winograd-dw measured 1.1x the direct bound); 4x still rejects any wrong term, whose error is O(1). The transforms' own
     * error does not shrink with the reduction, so a reduction of fewer than 36 terms (one 6x6 tile) is counted as 36: a
     * kernel gradient over a single 4x4 output (16 terms, seed 2970 of {@code WinogradTest}) measured 4.0x its direct bound.
     */
    static double algorithmFactor(String algorithm, long terms) {
        return mixesTiles(algorithm) ? 4.0 * Math.max(1.0, 36.0 / Math.max(1, terms)) : 1.0;
    }

    /** True for the Winograd engines, whose error is bounded by their tiles' magnitudes ({@code meanFloor} of {@link #check}). */
    static boolean mixesTiles(String algorithm) {
        return algorithm.startsWith("winograd");
    }

    /** Tolerance factor for a result type and a reduction of {@code terms} products computed in f32. */
    static double tolerance(DType t, long terms) {
        double f32 = 4.0 * Math.max(1, terms) * 0x1p-24;
        return switch (t) {
            case F16 -> f32 + 0x1p-10;
            case BF16 -> f32 + 0x1p-7;
            default -> f32;
        };
    }
}
