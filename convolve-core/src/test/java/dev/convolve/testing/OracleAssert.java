package dev.convolve.testing;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * Comparisons with the oracles. Exact results (integer convolutions, integer windows, pads) must match bit for bit;
 * float results may differ by a few units in the last place of the output type at the result plus a summation error
 * bound {@code eps * sum|terms|}: {@code eps = 1e-12} when the backend under test is the reference (it sums in double
 * precision), {@code 1e-5} (about 170 float32 epsilons) when it is the fast backend, which sums in float32. A wrong or
 * missing tap moves a result by at least one term, far more than either bound unless thousands of terms are summed.
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
            double tol = ulps * Values.ulp(t, e) + summationEpsilon() * magnitude[i];
            if (!(Math.abs(a - e) <= tol)) {
                throw new AssertionError("element " + i + " differs: expected " + e + " but got " + a + " (tolerance " + tol + ", "
                        + actual.describe() + ") for " + context);
            }
        }
    }

    /** Relative summation error allowed for the backend operations use now (see the class comment). */
    public static double summationEpsilon() {
        return dev.convolve.backend.Backends.current() == dev.convolve.backend.Backends.reference() ? 1e-12 : 1e-5;
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
