package dev.convolve.tensor;

/**
 * Typed access to the primitive arrays that back tensors. Integer types are read as longs
 * (unsigned ones zero-extended), every type can be read as a double.
 *
 * <p>Writing a long into an integer type wraps (two's complement), as Nx's integer arithmetic does.
 * Writing a double into an integer type truncates toward zero and saturates; NaN becomes 0. Writing into f16 or bf16
 * rounds once to nearest-even (no double rounding through f32).
 */
public final class Buffers {
    private Buffers() {}

    /** A zeroed array of {@code n} elements of the storage class of {@code t}. */
    public static Object allocate(DType t, int n) {
        return switch (t) {
            case U8, S8 -> new byte[n];
            case U16, S16, F16, BF16 -> new short[n];
            case U32, S32 -> new int[n];
            case U64, S64 -> new long[n];
            case F32 -> new float[n];
            case F64 -> new double[n];
        };
    }

    /** The Java array class used to store {@code t}. */
    public static Class<?> storageClass(DType t) {
        return allocate(t, 0).getClass();
    }

    public static int length(Object data) {
        return java.lang.reflect.Array.getLength(data);
    }

    public static double getDouble(DType t, Object data, int i) {
        return switch (t) {
            case U8 -> ((byte[]) data)[i] & 0xFF;
            case S8 -> ((byte[]) data)[i];
            case U16 -> ((short[]) data)[i] & 0xFFFF;
            case S16 -> ((short[]) data)[i];
            case F16 -> Float.float16ToFloat(((short[]) data)[i]);
            case BF16 -> Bf16.toFloat(((short[]) data)[i]);
            case U32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
            case S32 -> ((int[]) data)[i];
            case U64 -> unsignedToDouble(((long[]) data)[i]);
            case S64 -> ((long[]) data)[i];
            case F32 -> ((float[]) data)[i];
            case F64 -> ((double[]) data)[i];
        };
    }

    /** Reads an integer element as a long; float elements are truncated toward zero. */
    public static long getLong(DType t, Object data, int i) {
        return switch (t) {
            case U8 -> ((byte[]) data)[i] & 0xFFL;
            case S8 -> ((byte[]) data)[i];
            case U16 -> ((short[]) data)[i] & 0xFFFFL;
            case S16 -> ((short[]) data)[i];
            case U32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
            case S32 -> ((int[]) data)[i];
            case U64, S64 -> ((long[]) data)[i];
            default -> doubleToLong(t, getDouble(t, data, i));
        };
    }

    /** Stores a long: integer types wrap; float types round to their precision. */
    public static void setLong(DType t, Object data, int i, long v) {
        switch (t) {
            case U8, S8 -> ((byte[]) data)[i] = (byte) v;
            case U16, S16 -> ((short[]) data)[i] = (short) v;
            case U32, S32 -> ((int[]) data)[i] = (int) v;
            case U64, S64 -> ((long[]) data)[i] = v;
            case F16, BF16 -> setDouble(t, data, i, toDoubleOdd(v));
            case F32 -> ((float[]) data)[i] = (float) v;
            case F64 -> ((double[]) data)[i] = (double) v;
        }
    }

    /**
     * {@code v} rounded to float by round-to-odd: exact when representable, else the neighbour whose last bit is 1.
     * Rounding that float again to f16 or bf16 (at most 11 significant bits) gives the correctly rounded result,
     * which rounding to nearest twice does not (a value just above a midpoint can fall onto it).
     */
    static float toFloatOdd(double v) {
        float f = (float) v;
        if (Float.isInfinite(f) || Double.isNaN(v) || (double) f == v) return f;
        if ((Float.floatToRawIntBits(f) & 1) == 0) f = (double) f < v ? Math.nextUp(f) : Math.nextDown(f);
        return f;
    }

    /** {@code v} as a double by round-to-odd (exact up to 2^53), for a second rounding to f16 or bf16. */
    static double toDoubleOdd(long v) {
        double d = (double) v;
        if (d == 0x1p63 || (long) d != v) {
            boolean above = d == 0x1p63 || (long) d > v;
            if ((Double.doubleToRawLongBits(d) & 1) == 0) d = above ? Math.nextDown(d) : Math.nextUp(d);
        }
        return d;
    }

    /** Stores a double: float types round to nearest; integer types truncate and saturate (NaN to 0). */
    public static void setDouble(DType t, Object data, int i, double v) {
        switch (t) {
            case F16 -> ((short[]) data)[i] = Float.floatToFloat16(toFloatOdd(v));
            case BF16 -> ((short[]) data)[i] = Bf16.fromFloat(toFloatOdd(v));
            case F32 -> ((float[]) data)[i] = (float) v;
            case F64 -> ((double[]) data)[i] = v;
            default -> setLong(t, data, i, doubleToLong(t, v));
        }
    }

    /** Truncates toward zero and saturates into the range of integer type {@code t}; NaN becomes 0. */
    public static long doubleToLong(DType t, double v) {
        if (Double.isNaN(v)) return 0;
        if (!t.isInteger()) return (long) v;
        if (t == DType.U64) {
            if (v <= 0) return 0;
            if (v >= 18446744073709551615.0) return -1L;
            if (v < 9223372036854775808.0) return (long) v;
            return (long) (v - 9223372036854775808.0) + Long.MIN_VALUE;
        }
        double lo = t.minLong(), hi = t.maxLong();
        if (v <= lo) return t.minLong();
        if (v >= hi) return t.maxLong();
        return (long) v;
    }

    /** A u64 bit pattern as the nearest double (halving keeps the lost bit as a sticky bit, so it rounds once). */
    public static double unsignedToDouble(long v) {
        if (v >= 0) return v;
        return (double) ((v >>> 1) | (v & 1)) * 2.0;
    }

    /** Stores a u64 bit pattern into float type {@code t}, rounding once. */
    private static void setUnsigned64(DType t, Object data, int i, long v) {
        if (v >= 0) {
            setLong(t, data, i, v);
            return;
        }
        long half = (v >>> 1) | (v & 1); // v / 2 with a sticky bit: rounds like v, and scaling by 2 is exact
        switch (t) {
            case F32 -> ((float[]) data)[i] = (float) half * 2f;
            case F64 -> ((double[]) data)[i] = (double) half * 2.0;
            default -> setDouble(t, data, i, toDoubleOdd(half) * 2.0);
        }
    }

    /** Converts a whole array from one type to another with the rules above. */
    public static Object convert(DType from, Object data, DType to) {
        int n = length(data);
        if (from == to) return copy(data);
        if (from == DType.F32 && to == DType.F64) {
            float[] a = (float[]) data; double[] r = new double[n];
            for (int i = 0; i < n; i++) r[i] = a[i];
            return r;
        }
        if (from == DType.F64 && to == DType.F32) {
            double[] a = (double[]) data; float[] r = new float[n];
            for (int i = 0; i < n; i++) r[i] = (float) a[i];
            return r;
        }
        if (from == DType.U8 && to == DType.F32) {
            byte[] a = (byte[]) data; float[] r = new float[n];
            for (int i = 0; i < n; i++) r[i] = a[i] & 0xFF;
            return r;
        }
        Object r = allocate(to, n);
        if (from.isInteger() && to.isInteger()) {
            for (int i = 0; i < n; i++) setLong(to, r, i, getLong(from, data, i));
        } else if (from == DType.U64 || from == DType.S64) {
            // 64-bit integers to a float type: one rounding (through double would round twice above 2^53)
            for (int i = 0; i < n; i++) {
                long v = getLong(from, data, i);
                if (from == DType.U64) setUnsigned64(to, r, i, v);
                else setLong(to, r, i, v);
            }
        } else {
            for (int i = 0; i < n; i++) setDouble(to, r, i, getDouble(from, data, i));
        }
        return r;
    }

    public static Object copy(Object data) {
        return switch (data) {
            case byte[] a -> a.clone();
            case short[] a -> a.clone();
            case int[] a -> a.clone();
            case long[] a -> a.clone();
            case float[] a -> a.clone();
            case double[] a -> a.clone();
            default -> throw new IllegalArgumentException("not a tensor storage array: " + data.getClass());
        };
    }
}
