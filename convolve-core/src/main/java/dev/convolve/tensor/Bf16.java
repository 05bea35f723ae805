package dev.convolve.tensor;

/** bfloat16 bit conversions: the upper half of an IEEE float32, rounded to nearest even. */
final class Bf16 {
    private Bf16() {}

    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static float toFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }
}
