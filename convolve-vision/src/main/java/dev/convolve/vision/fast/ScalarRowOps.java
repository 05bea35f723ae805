package dev.convolve.vision.fast;

/** The plain-Java inner loops (used when the Vector API is absent or disabled); C2 may still auto-vectorise some. */
final class ScalarRowOps implements RowOps {
    private final String why;

    ScalarRowOps(String why) { this.why = why; }

    @Override
    public void u8ToF32(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i] & 0xFF;
    }

    @Override
    public void f32ToU8(float[] src, int srcOff, byte[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = toU8(src[srcOff + i]);
        }
    }

    @Override
    public void vertical(float[][] rows, int[] offs, float[] w, int taps, float[] dst, int dstOff, int n) {
        float[] r0 = rows[0];
        int o0 = offs[0];
        float w0 = w[0];
        for (int i = 0; i < n; i++) dst[dstOff + i] = w0 * r0[o0 + i];
        for (int a = 1; a < taps; a++) {
            float[] r = rows[a];
            int o = offs[a];
            float wa = w[a];
            for (int i = 0; i < n; i++) dst[dstOff + i] = Math.fma(wa, r[o + i], dst[dstOff + i]);
        }
    }

    @Override
    public void vertical2(float[][] rows, float[] w, int taps, float[] dst0, float[] dst1, int n) {
        for (int i = 0; i < n; i++) {
            float a0 = 0, a1 = 0;
            for (int a = 0; a < taps; a++) {
                a0 = Math.fma(w[a], rows[a][i], a0);
                a1 = Math.fma(w[a], rows[a + 1][i], a1);
            }
            dst0[i] = a0;
            dst1[i] = a1;
        }
    }

    @Override
    public void vertical2Symmetric(float[][] rows, float[] w, int taps, float[] dst0, float[] dst1, int n) {
        int half = taps / 2;
        for (int i = 0; i < n; i++) {
            float p = 0, q = 0;
            for (int a = 0; a < half; a++) {
                p = Math.fma(rows[a][i] + rows[taps - 1 - a][i], w[a], p);
                q = Math.fma(rows[a + 1][i] + rows[taps - a][i], w[a], q);
            }
            if (taps % 2 == 1) {
                p = Math.fma(rows[half][i], w[half], p);
                q = Math.fma(rows[half + 1][i], w[half], q);
            }
            dst0[i] = p;
            dst1[i] = q;
        }
    }

    @Override
    public void vertical2SymmetricU8(byte[][] rows, int[] offs, float[] w, int taps, float[] dst0, float[] dst1, int dstOff, int n) {
        int half = taps / 2;
        for (int i = 0; i < n; i++) {
            float p = 0, q = 0;
            for (int a = 0; a < half; a++) {
                p = Math.fma((float) (rows[a][offs[a] + i] & 0xFF) + (rows[taps - 1 - a][offs[taps - 1 - a] + i] & 0xFF), w[a], p);
                q = Math.fma((float) (rows[a + 1][offs[a + 1] + i] & 0xFF) + (rows[taps - a][offs[taps - a] + i] & 0xFF), w[a], q);
            }
            if (taps % 2 == 1) {
                p = Math.fma(rows[half][offs[half] + i] & 0xFF, w[half], p);
                q = Math.fma(rows[half + 1][offs[half + 1] + i] & 0xFF, w[half], q);
            }
            dst0[dstOff + i] = p;
            dst1[dstOff + i] = q;
        }
    }

    @Override
    public void horizontal(float[] src, int srcOff, int tapStride, float[] w, int taps, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            float acc = 0;
            for (int b = 0, p = srcOff + i; b < taps; b++, p += tapStride) acc = Math.fma(w[b], src[p], acc);
            dst[dstOff + i] = acc;
        }
    }

    @Override
    public void horizontalSymmetric(float[] src, int srcOff, int tapStride, float[] w, int taps, float[] dst, int dstOff, int n) {
        int half = taps / 2, mid = taps - 1 - half;
        for (int i = 0; i < n; i++) {
            int o = srcOff + i;
            float acc = taps % 2 == 1 ? w[mid] * src[o + mid * tapStride] : 0;
            for (int b = 0; b < half; b++) acc = Math.fma(w[b], src[o + b * tapStride] + src[o + (taps - 1 - b) * tapStride], acc);
            dst[dstOff + i] = acc;
        }
    }

    @Override
    public void horizontalSymmetricU8(float[] src, int srcOff, int tapStride, float[] w, int taps, byte[] dst, int dstOff, int n, boolean clip) {
        int half = taps / 2, mid = taps - 1 - half;
        for (int i = 0; i < n; i++) {
            int o = srcOff + i;
            float acc = taps % 2 == 1 ? w[mid] * src[o + mid * tapStride] : 0;
            for (int b = 0; b < half; b++) acc = Math.fma(w[b], src[o + b * tapStride] + src[o + (taps - 1 - b) * tapStride], acc);
            dst[dstOff + i] = toU8(acc);
        }
    }

    @Override
    public void direct(float[][] rows, int[] offs, float[] k, int kh, int kw, int tapStride, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            float acc = 0;
            for (int a = 0; a < kh; a++) {
                float[] r = rows[a];
                for (int b = 0, p = offs[a] + i; b < kw; b++, p += tapStride) acc = Math.fma(k[a * kw + b], r[p], acc);
            }
            dst[dstOff + i] = acc;
        }
    }

    @Override
    public void direct2(float[][] rows, float[] k, int kh, int kw, int tapStride, float[] dst0, int off0, float[] dst1, int off1, int n) {
        int[] zeros = new int[kh + 1];
        float[][] second = java.util.Arrays.copyOfRange(rows, 1, kh + 1);
        direct(rows, zeros, k, kh, kw, tapStride, dst0, off0, n);
        direct(second, zeros, k, kh, kw, tapStride, dst1, off1, n);
    }

    @Override
    public void vertical4Symmetric(float[][] rows, float[] w, int taps, float[][] dst, int dstOff, int n) {
        vertical4SymmetricLoop(rows, w, taps, dst, dstOff, 0, n);
    }

    static void vertical4SymmetricLoop(float[][] rows, float[] w, int taps, float[][] dst, int dstOff, int from, int to) {
        int half = taps / 2;
        for (int j = 0; j < 4; j++) {
            float[] d = dst[j];
            for (int i = from; i < to; i++) {
                float acc = taps % 2 == 1 ? rows[j + half][i] * w[half] : 0;
                for (int a = half - 1; a >= 0; a--) acc = Math.fma(rows[j + a][i] + rows[j + taps - 1 - a][i], w[a], acc);
                d[dstOff + i] = acc;
            }
        }
    }

    @Override
    public void vertical4SymmetricRing(float[][] rows, byte[][] src, int[] srcOffs, float[] w, int taps, float[][] dst, int dstOff, int n) {
        for (int k = 0; k < 4; k++) u8ToF32(src[k], srcOffs[k], rows[taps - 1 + k], 0, n);
        vertical4SymmetricLoop(rows, w, taps, dst, dstOff, 0, n);
    }

    @Override
    public void vertical4SymmetricU8(byte[][] rows, int[] offs, float[] w, int taps, float[][] dst, int dstOff, int n) {
        vertical4SymmetricU8Loop(rows, offs, w, taps, dst, dstOff, 0, n);
    }

    static void vertical4SymmetricU8Loop(byte[][] rows, int[] offs, float[] w, int taps, float[][] dst, int dstOff, int from, int to) {
        int half = taps / 2;
        for (int j = 0; j < 4; j++) {
            float[] d = dst[j];
            for (int i = from; i < to; i++) {
                float acc = taps % 2 == 1 ? (rows[j + half][offs[j + half] + i] & 0xFF) * w[half] : 0;
                for (int a = half - 1; a >= 0; a--) {
                    int lo = j + a, hi = j + taps - 1 - a;
                    acc = Math.fma((float) ((rows[lo][offs[lo] + i] & 0xFF) + (rows[hi][offs[hi] + i] & 0xFF)), w[a], acc);
                }
                d[dstOff + i] = acc;
            }
        }
    }

    @Override
    public void direct4(float[][] rows, int[] offs, float[] k, int kh, int kw, int tapStride, float[][] dst, int[] dstOffs, int n) {
        direct4Loop(rows, offs, k, kh, kw, tapStride, dst, dstOffs, 0, n);
    }

    static void direct4Loop(float[][] rows, int[] offs, float[] k, int kh, int kw, int tapStride, float[][] dst, int[] dstOffs, int from, int to) {
        for (int j = 0; j < 4; j++) {
            float[] d = dst[j];
            for (int i = from; i < to; i++) {
                float acc = 0;
                for (int a = 0; a < kh; a++) {
                    float[] r = rows[j + a];
                    for (int b = 0, p = offs[j + a] + i; b < kw; b++, p += tapStride) acc = Math.fma(r[p], k[a * kw + b], acc);
                }
                d[dstOffs[j] + i] = acc;
            }
        }
    }

    /** Added before rounding to the nearest integer, so that halves (and values within 2^-16 below them) go up. */
    static final float TIE_UP = 0x1p-16f;
    /** 2^23: adding it to a float in [0, 2^22) leaves the nearest integer in the low bits of the mantissa. */
    static final float ROUND = 0x1p23f;
    /** The bits of {@link #ROUND} as an int: {@code ROUND + k} has the bits {@code ROUND_BITS + k}. */
    static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    /**
     * Clip to [0, 255] and round half up, as the vector loop does it (bit for bit): {@code (v + 2^-16) + 2^23} holds
     * the rounded value in its low bits; read as ints, such floats order like their values (negatives and -inf fall
     * below {@code ROUND_BITS}, large values and +inf above), so clipping is an int max and min. NaN, which u8 images
     * cannot produce (finite pixels times finite weights), would give 255.
     */
    static byte toU8(float v) {
        int bits = Float.floatToRawIntBits(v + TIE_UP + ROUND);
        return (byte) Math.min(Math.max(bits, ROUND_BITS), ROUND_BITS + 255);
    }

    @Override
    public String describe() { return "scalar (" + why + ")"; }
}
