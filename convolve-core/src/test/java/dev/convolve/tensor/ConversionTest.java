package dev.convolve.tensor;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Conversions into narrow float types round once (no double rounding through f32 or f64). */
class ConversionTest {

    @Test
    void doubleToF16RoundsOnceAboveTheMidpoint() {
        double v = 1 + Math.scalb(1.0, -11) + Math.scalb(1.0, -40); // above the midpoint of 1 and 1 + 2^-10
        assertEquals(1 + Math.scalb(1.0, -10), Tensor.fromDoubles(new double[] {v}, 1).asType(DType.F16).getFlat(0));
        assertEquals(1.0, Tensor.fromDoubles(new double[] {1 + Math.scalb(1.0, -11)}, 1).asType(DType.F16).getFlat(0)); // a true tie: even
    }

    @Test
    void doubleToBf16RoundsOnceAboveTheMidpoint() {
        double v = 1 + Math.scalb(1.0, -8) + Math.scalb(1.0, -40);
        assertEquals(1 + Math.scalb(1.0, -7), Tensor.fromDoubles(new double[] {v}, 1).asType(DType.BF16).getFlat(0));
    }

    @Test
    void s64AndU64ToF32RoundOnce() {
        long v = (1L << 60) + (1L << 36) + 1; // above the f32 midpoint between 2^60 and 2^60 + 2^37
        assertEquals((float) v, (float) Tensor.fromLongs(new long[] {v}, 1).asType(DType.F32).getFlat(0));
        assertEquals(Math.scalb(1.0, 60) + Math.scalb(1.0, 37), Tensor.fromLongs(new long[] {v}, 1).asType(DType.F32).getFlat(0));
        long u = 0x8000_0080_0000_0001L; // 2^63 + 2^39 + 1 as u64: just above the f32 midpoint of 2^63 and 2^63 + 2^40
        assertEquals(Math.scalb(1.0, 63) + Math.scalb(1.0, 40), Tensor.fromLongs(new long[] {u}, 1).asType(DType.U64).asType(DType.F32).getFlat(0));
        assertEquals(Math.scalb(1.0, 63) + Math.scalb(1.0, 39), Tensor.fromLongs(new long[] {u}, 1).asType(DType.U64).getFlat(0), Math.scalb(1.0, 11));
    }

    @Property(tries = 500)
    void longToAnyFloatTypeIsTheCorrectlyRoundedValue(@ForAll long v) {
        for (DType t : new DType[] {DType.F64, DType.F32, DType.F16, DType.BF16}) {
            double got = Tensor.fromLongs(new long[] {v}, 1).asType(t).getFlat(0);
            assertEquals(nearest(new BigDecimal(v), t), got, 0.0, () -> v + " to " + t);
            double gotU = Tensor.fromLongs(new long[] {v}, 1).asType(DType.U64).asType(t).getFlat(0);
            BigInteger unsigned = new BigInteger(Long.toUnsignedString(v));
            assertEquals(nearest(new BigDecimal(unsigned), t), gotU, 0.0, () -> Long.toUnsignedString(v) + " (u64) to " + t);
        }
    }

    @Property(tries = 500)
    void doubleToF16AndBf16IsTheCorrectlyRoundedValue(@ForAll double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return;
        for (DType t : new DType[] {DType.F16, DType.BF16}) {
            double got = Tensor.fromDoubles(new double[] {v}, 1).asType(t).getFlat(0);
            assertEquals(nearest(new BigDecimal(v), t), got, 0.0, () -> v + " to " + t);
        }
    }

    /**
     * The value of type {@code t} nearest to {@code x}, ties to even, overflow to infinity at max + ulp/2 (IEEE): a
     * binary search over the bit patterns of the type's non-negative finite values (they are ordered like their values),
     * then an exact comparison with the midpoint.
     */
    static double nearest(BigDecimal x, DType t) {
        if (t == DType.F64) return x.doubleValue(); // correctly rounded
        BigDecimal a = x.abs();
        long maxBits = switch (t) { case F32 -> 0x7F7FFFFFL; case F16 -> 0x7BFFL; default -> 0x7F7FL; };
        long lo = 0, hi = maxBits; // invariant: value(lo) <= a
        if (new BigDecimal(value(hi, t)).compareTo(a) <= 0) {
            lo = hi;
        } else {
            while (hi - lo > 1) {
                long mid = (lo + hi) >>> 1;
                if (new BigDecimal(value(mid, t)).compareTo(a) <= 0) lo = mid; else hi = mid;
            }
        }
        double below = value(lo, t);
        BigDecimal step = lo == maxBits ? new BigDecimal(value(maxBits, t) - value(maxBits - 1, t)) : new BigDecimal(value(lo + 1, t) - below);
        int c = a.subtract(new BigDecimal(below)).multiply(BigDecimal.valueOf(2)).compareTo(step);
        double r;
        if (c < 0 || (c == 0 && (lo & 1) == 0)) r = below;
        else r = lo == maxBits ? Double.POSITIVE_INFINITY : value(lo + 1, t);
        return x.signum() < 0 ? -r : r;
    }

    private static double value(long bits, DType t) {
        return switch (t) {
            case F32 -> Float.intBitsToFloat((int) bits);
            case F16 -> Float.float16ToFloat((short) bits);
            default -> Float.intBitsToFloat((int) (bits << 16));
        };
    }

    @Test
    void nearestHelperAgreesWithJavaWhereJavaIsExact() {
        assertEquals(1.0f, nearest(new BigDecimal("1.00000001"), DType.F32), 0.0);
        assertEquals(Float.float16ToFloat(Float.floatToFloat16(0.1f)), nearest(new BigDecimal("0.1"), DType.F16), 0.0);
        assertEquals(65504.0, nearest(new BigDecimal("65519"), DType.F16), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, nearest(new BigDecimal("65520"), DType.F16), 0.0);
        assertEquals(Float.float16ToFloat((short) 0x3C02), nearest(new BigDecimal("1.00146484375"), DType.F16), 0.0); // 1 + 1.5 ulp: a tie, to even
    }
}
