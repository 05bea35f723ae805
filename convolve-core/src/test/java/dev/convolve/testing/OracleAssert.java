package dev.convolve.testing;

import dev.convolve.backend.Backends;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * Comparisons with the oracles. Exact results (integer convolutions, integer windows, pads) must match bit for bit;
 * float results may differ by one unit in the last place of the output type at the result plus the double-precision
 * summation error bound {@code 1e-12 * sum|terms|}, so that a different summation order passes but a wrong tap fails.
 */
public final class OracleAssert {
    private OracleAssert() {}

    /** Asserts type, shape and values against a conv oracle result. */
    public static void assertConv(Tensor actual, ConvOracle.Result expected, Object context) {
        assertClose(actual, expected.value(), expected.exact() ? null : expected.magnitude(), 1, context);
    }

    /** Asserts type, shape and values against a window oracle result; integer results exactly. */
    public static void assertWindow(Tensor actual, WindowOracle.Result expected, int ulps, Object context) {
        boolean exact = expected.value().dtype().isInteger();
        assertClose(actual, expected.value(), exact ? null : expected.magnitude(), ulps, context);
    }

    /**
     * Same type and shape, and every element within {@code ulps} units in the last place of the type plus
     * {@code 1e-12 * magnitude[i]}; bitwise equality when {@code magnitude} is null.
     */
    public static void assertClose(Tensor actual, Tensor expected, double[] magnitude, int ulps, Object context) {
        assertClose(actual, expected, magnitude, ulps, 1e-12, context);
    }

    /**
     * The relative summation tolerance of the backend that operations use now ({@code Backends.current()}) for sums of
     * up to {@code terms} terms: {@code 1e-12} for the reference (double-precision sums), else the float32 bound
     * {@code 4 * terms * 2^-24} (the fast backend sums f32, f16 and bf16 in float32).
     */
    public static double summationFactor(long terms) {
        return Backends.current() == Backends.reference() ? 1e-12 : 4.0 * Math.max(1, terms) * 0x1p-24;
    }

    /**
     * Same type and shape, and every element within {@code ulps} units in the last place of the type plus
     * {@code factor * magnitude[i]}; bitwise equality when {@code magnitude} is null.
     */
    public static void assertClose(Tensor actual, Tensor expected, double[] magnitude, int ulps, double factor, Object context) {
        if (actual.dtype() != expected.dtype() || !actual.shape().equals(expected.shape())) {
            throw new AssertionError("expected " + expected.describe() + " but got " + actual.describe() + " for " + context);
        }
        if (magnitude == null) {
            if (!actual.contentEquals(expected)) {
                int i = firstDifference(actual, expected);
                throw new AssertionError("element " + i + " differs: expected " + describe(expected, i) + " but got " + describe(actual, i)
                        + " (" + actual.describe() + ") for " + context);
            }
            return;
        }
        DType t = expected.dtype();
        for (int i = 0; i < expected.size(); i++) {
            double a = actual.getFlat(i), e = expected.getFlat(i);
            if (a == e || (Double.isNaN(a) && Double.isNaN(e))) continue;
            double tol = ulps * Values.ulp(t, e) + factor * magnitude[i];
            if (!(Math.abs(a - e) <= tol)) {
                throw new AssertionError("element " + i + " differs: expected " + e + " but got " + a + " (tolerance " + tol + ", "
                        + actual.describe() + ") for " + context);
            }
        }
    }

    private static int firstDifference(Tensor a, Tensor b) {
        for (int i = 0; i < a.size(); i++) {
            if (a.getFlatLong(i) != b.getFlatLong(i) || Double.doubleToLongBits(a.getFlat(i)) != Double.doubleToLongBits(b.getFlat(i))) return i;
        }
        return -1;
    }

    private static String describe(Tensor t, int i) {
        return t.dtype().isInteger() ? Long.toString(t.getFlatLong(i)) : Double.toString(t.getFlat(i));
    }

    /** The values of a small tensor for messages. */
    public static String values(Tensor t) {
        return t.size() <= 64 ? t.valuesString() : t.describe() + " " + Arrays.toString(Arrays.copyOf(t.toDoubleArray(), 64)) + "...";
    }
}
