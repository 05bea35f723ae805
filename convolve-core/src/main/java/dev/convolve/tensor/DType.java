package dev.convolve.tensor;

import java.util.Locale;

/**
 * Element types, named and merged the way Elixir Nx does ({@code u8}, {@code s32}, {@code f32}, ...).
 *
 * <p>Storage: u8/s8 in {@code byte[]}, u16/s16/f16/bf16 in {@code short[]}, u32/s32 in {@code int[]},
 * u64/s64 in {@code long[]}, f32 in {@code float[]}, f64 in {@code double[]}.
 */
public enum DType {
    U8(Kind.UNSIGNED, 8),
    U16(Kind.UNSIGNED, 16),
    U32(Kind.UNSIGNED, 32),
    U64(Kind.UNSIGNED, 64),
    S8(Kind.SIGNED, 8),
    S16(Kind.SIGNED, 16),
    S32(Kind.SIGNED, 32),
    S64(Kind.SIGNED, 64),
    BF16(Kind.BFLOAT, 16),
    F16(Kind.FLOAT, 16),
    F32(Kind.FLOAT, 32),
    F64(Kind.FLOAT, 64);

    /** The families, ordered as Nx orders them when merging (unsigned < signed < bfloat < float). */
    public enum Kind { UNSIGNED, SIGNED, BFLOAT, FLOAT }

    private final Kind kind;
    private final int bits;

    DType(Kind kind, int bits) {
        this.kind = kind;
        this.bits = bits;
    }

    public Kind kind() { return kind; }

    public int bits() { return bits; }

    public int bytes() { return bits / 8; }

    public boolean isInteger() { return kind == Kind.UNSIGNED || kind == Kind.SIGNED; }

    public boolean isFloat() { return !isInteger(); }

    public boolean isUnsigned() { return kind == Kind.UNSIGNED; }

    /** Nx's name: {@code u8}, {@code s32}, {@code bf16}, {@code f32}. */
    public String nxName() { return name().toLowerCase(Locale.ROOT); }

    @Override
    public String toString() { return nxName(); }

    /** Parses an Nx-style name ({@code f32}, {@code s64}, ...); also accepts numpy names such as {@code float32}. */
    public static DType parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "float32", "float": return F32;
            case "float64", "double": return F64;
            case "float16", "half": return F16;
            case "bfloat16": return BF16;
            case "int8": return S8;
            case "int16": return S16;
            case "int32", "int": return S32;
            case "int64", "long": return S64;
            case "uint8": return U8;
            case "uint16": return U16;
            case "uint32": return U32;
            case "uint64": return U64;
            default:
                for (DType t : values()) {
                    if (t.nxName().equals(n)) return t;
                }
                throw new IllegalArgumentException("unknown type '" + name + "', expected one of u8, u16, u32, u64, s8, s16, s32, s64, bf16, f16, f32, f64");
        }
    }

    static DType of(Kind kind, int bits) {
        for (DType t : values()) {
            if (t.kind == kind && t.bits == bits) return t;
        }
        throw new IllegalArgumentException("no " + kind + " type of " + bits + " bits");
    }

    /**
     * Nx's {@code Nx.Type.merge}: the type of a binary operation on two tensors.
     * Same family: the wider. Unsigned with signed: a signed type wide enough for both (at most 64 bits).
     * Otherwise the higher family wins as it is (s64 with f32 is f32; bf16 with f16 is f16).
     */
    public static DType merge(DType a, DType b) {
        if (a.kind == b.kind) return a.bits >= b.bits ? a : b;
        DType lo = a.kind.ordinal() < b.kind.ordinal() ? a : b;
        DType hi = lo == a ? b : a;
        if (lo.kind == Kind.UNSIGNED && hi.kind == Kind.SIGNED) {
            return of(Kind.SIGNED, Math.max(Math.min(lo.bits * 2, 64), hi.bits));
        }
        return hi;
    }

    /** Nx's {@code merge_number} for an integer constant: keep the type, widening only if the value does not fit. */
    public static DType mergeNumber(DType t, long value) {
        switch (t.kind) {
            case UNSIGNED:
                if (value >= 0) return of(Kind.UNSIGNED, Math.max(unsignedSize(value), t.bits));
                return mergeNumber(of(Kind.SIGNED, Math.min(t.bits * 2, 64)), value);
            case SIGNED:
                return of(Kind.SIGNED, Math.max(signedSize(value), t.bits));
            default:
                return t;
        }
    }

    /** Nx's {@code merge_number} for a float constant: float types are kept, integer types become f32. */
    public static DType mergeNumber(DType t, double value) {
        return t.isFloat() ? t : F32;
    }

    /** Nx's {@code to_floating}: integers become f32, floats stay as they are. */
    public DType toFloating() { return isFloat() ? this : F32; }

    private static int unsignedSize(long v) {
        if (v <= 0xFFL) return 8;
        if (v <= 0xFFFFL) return 16;
        if (v <= 0xFFFFFFFFL) return 32;
        return 64;
    }

    private static int signedSize(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) return 8;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 16;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 32;
        return 64;
    }

    /** Smallest value of an integer type, as a long (u64 is 0). */
    public long minLong() {
        return switch (this) {
            case U8, U16, U32, U64 -> 0L;
            case S8 -> Byte.MIN_VALUE;
            case S16 -> Short.MIN_VALUE;
            case S32 -> Integer.MIN_VALUE;
            case S64 -> Long.MIN_VALUE;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    /** Largest value of an integer type, as a long (u64's maximum is returned as -1, its bit pattern). */
    public long maxLong() {
        return switch (this) {
            case U8 -> 0xFFL;
            case U16 -> 0xFFFFL;
            case U32 -> 0xFFFFFFFFL;
            case U64 -> -1L;
            case S8 -> Byte.MAX_VALUE;
            case S16 -> Short.MAX_VALUE;
            case S32 -> Integer.MAX_VALUE;
            case S64 -> Long.MAX_VALUE;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    /** Largest finite value of a float type. */
    public double maxFinite() {
        return switch (this) {
            case F16 -> 65504.0;
            case BF16 -> 3.3895313892515355e38;
            case F32 -> Float.MAX_VALUE;
            case F64 -> Double.MAX_VALUE;
            default -> (double) maxLong();
        };
    }

    /** Wraps a long into this integer type's range (two's complement), as Nx/XLA integer arithmetic does. */
    public long wrap(long v) {
        return switch (this) {
            case U8 -> v & 0xFFL;
            case U16 -> v & 0xFFFFL;
            case U32 -> v & 0xFFFFFFFFL;
            case S8 -> (byte) v;
            case S16 -> (short) v;
            case S32 -> (int) v;
            case U64, S64 -> v;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    /** Rounds a double to this float type's precision (identity for f64). */
    public double roundFloat(double v) {
        return switch (this) {
            case F64 -> v;
            case F32 -> (float) v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(Buffers.toFloatOdd(v)));
            case BF16 -> Bf16.toFloat(Bf16.fromFloat(Buffers.toFloatOdd(v)));
            default -> throw new IllegalStateException(this + " is not a float type");
        };
    }
}
