package dev.convolve.testing;

import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.math.BigInteger;

/**
 * The numbers of a tensor as the oracles see them, read straight from its storage array: every element as a
 * double, and integer elements also exactly (u64 above 2^63 as a {@link BigInteger}). Plus the one correctly
 * rounded conversion from an exact value into a float type (no double rounding through f32).
 */
public final class Values {
    private Values() {}

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** The exact value of integer element {@code i}. */
    static BigInteger exact(Tensor t, int i) {
        long v = t.getFlatLong(i);
        BigInteger b = BigInteger.valueOf(v);
        return t.dtype() == DType.U64 && v < 0 ? b.add(TWO_64) : b;
    }

    /** Element {@code i} as a long when it fits (all integer types but u64 at or above 2^63). */
    static boolean fitsLong(Tensor t, int i) {
        return t.dtype() != DType.U64 || t.getFlatLong(i) >= 0;
    }

    /** {@code v} rounded to nearest-even into float type {@code t}, once. */
    public static double roundOnce(double v, DType t) {
        return switch (t) {
            case F64 -> v;
            case F32 -> (float) v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(roundToOdd(v)));
            case BF16 -> bf16ToFloat(floatToBf16(roundToOdd(v)));
            default -> throw new IllegalArgumentException(t + " is not a float type");
        };
    }

    /**
     * A float with the round-to-odd rule: exact when representable, else the neighbour of {@code v} whose last bit is
     * 1. Rounding that float again to a format with at most 22 significand bits gives the correctly rounded result.
     */
    static float roundToOdd(double v) {
        float f = (float) v;
        if (Float.isInfinite(f) || Double.isNaN(v) || (double) f == v) return f;
        if ((Float.floatToRawIntBits(f) & 1) == 0) f = (double) f < v ? Math.nextUp(f) : Math.nextDown(f);
        return f;
    }

    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) 0x7FC0;
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    static float bf16ToFloat(short b) { return Float.intBitsToFloat((b & 0xFFFF) << 16); }

    /** A tensor of float type {@code t} holding {@code values}, each rounded once (see {@link #roundOnce}). */
    public static Tensor floats(DType t, Shape shape, double[] values) {
        Object d = Buffers.allocate(t, values.length);
        for (int i = 0; i < values.length; i++) {
            switch (t) {
                case F64 -> ((double[]) d)[i] = values[i];
                case F32 -> ((float[]) d)[i] = (float) values[i];
                case F16 -> ((short[]) d)[i] = Float.floatToFloat16(roundToOdd(values[i]));
                case BF16 -> ((short[]) d)[i] = floatToBf16(roundToOdd(values[i]));
                default -> throw new IllegalArgumentException(t + " is not a float type");
            }
        }
        return Tensor.wrap(t, shape, d);
    }

    /** A tensor of integer type {@code t} holding {@code values} wrapped into the type (two's complement). */
    public static Tensor integers(DType t, Shape shape, long[] values) {
        Object d = Buffers.allocate(t, values.length);
        for (int i = 0; i < values.length; i++) Buffers.setLong(t, d, i, values[i]);
        return Tensor.wrap(t, shape, d);
    }

    /** One unit in the last place of type {@code t} at magnitude {@code v} (the spacing of floats of that type near v). */
    public static double ulp(DType t, double v) {
        double a = Math.abs(v);
        return switch (t) {
            case F64 -> Math.ulp(a);
            case F32 -> Math.ulp((float) a);
            case F16 -> Math.max(Math.scalb(1.0, Math.getExponent(Math.max(a, 6.103515625e-5)) - 10), Math.scalb(1.0, -24));
            case BF16 -> Math.scalb(1.0, Math.max(Math.getExponent(Math.max(a, Float.MIN_NORMAL)), -126) - 7);
            default -> 0;
        };
    }
}
