package dev.convolve.vision.fast;

/**
 * The inner loops of the fast filters, over rows of interleaved f32 samples. Two implementations: {@link ScalarRowOps}
 * (plain Java) and {@code VectorRowOps} (the Vector API). Arrays are read at the given offsets; callers guarantee the
 * ranges are in bounds.
 */
interface RowOps {
    /** {@code dst[dstOff + i] = src[srcOff + i] & 0xFF} for i in [0, n). */
    void u8ToF32(byte[] src, int srcOff, float[] dst, int dstOff, int n);

    /**
     * {@code dst[dstOff + i] = round half up of clip(src[srcOff + i], 0, 255)} for i in [0, n). (Values within 2^-16
     * below a half also go up: far below the error of f32 sums. NaN, which u8 images cannot produce, gives 255.)
     */
    void f32ToU8(float[] src, int srcOff, byte[] dst, int dstOff, int n);

    /** Vertical 1-D pass: {@code dst[dstOff + i] = sum over a < taps of w[a] * rows[a][offs[a] + i]}. */
    void vertical(float[][] rows, int[] offs, float[] w, int taps, float[] dst, int dstOff, int n);

    /**
     * Two consecutive output rows of the vertical pass at once ({@code rows} holds {@code taps + 1} rows, read from
     * offset 0): {@code dst0[i] = sum over a < taps of w[a] * rows[a][i]} and {@code dst1[i] = sum of w[a] * rows[a + 1][i]}.
     * Each source row is loaded once for both.
     */
    void vertical2(float[][] rows, float[] w, int taps, float[] dst0, float[] dst1, int n);

    /**
     * {@link #vertical2} for a symmetric kernel ({@code w[a] == w[taps - 1 - a]}): mirrored rows are added first,
     * halving the multiplications, while each row is still loaded once for both outputs.
     */
    void vertical2Symmetric(float[][] rows, float[] w, int taps, float[] dst0, float[] dst1, int n);

    /**
     * {@link #vertical2Symmetric} reading u8 rows in place ({@code rows[a]} from {@code offs[a]}, converted while
     * loaded), writing {@code n} floats to {@code dst0} and {@code dst1} from {@code dstOff}.
     */
    void vertical2SymmetricU8(byte[][] rows, int[] offs, float[] w, int taps, float[] dst0, float[] dst1, int dstOff, int n);

    /** Horizontal 1-D pass: {@code dst[dstOff + i] = sum over b < taps of w[b] * src[srcOff + i + b * tapStride]}. */
    void horizontal(float[] src, int srcOff, int tapStride, float[] w, int taps, float[] dst, int dstOff, int n);

    /**
     * {@link #horizontal} for a symmetric kernel ({@code w[b] == w[taps - 1 - b]}): mirrored taps are added first,
     * halving the multiplications.
     */
    void horizontalSymmetric(float[] src, int srcOff, int tapStride, float[] w, int taps, float[] dst, int dstOff, int n);

    /** {@link #horizontalSymmetric} rounded to u8 as {@link #f32ToU8} does, in the same loop. */
    default void horizontalSymmetricU8(float[] src, int srcOff, int tapStride, float[] w, int taps, byte[] dst, int dstOff, int n) {
        horizontalSymmetricU8(src, srcOff, tapStride, w, taps, dst, dstOff, n, true);
    }

    /**
     * {@link #horizontalSymmetricU8}; with {@code clip = false} the sums must lie in [0, 255.5) (callers check that the
     * weights are non-negative and sum to at most 1), and the clip to [0, 255] is skipped.
     */
    void horizontalSymmetricU8(float[] src, int srcOff, int tapStride, float[] w, int taps, byte[] dst, int dstOff, int n, boolean clip);

    /**
     * Four consecutive output rows of the vertical pass for a symmetric kernel ({@code w[a] == w[taps - 1 - a]}), from
     * f32 rows read from offset 0 ({@code rows} holds {@code taps + 3} rows):
     * {@code dst[j][dstOff + i] = sum over a < taps of w[a] * rows[j + a][i]} for j in [0, 4), i in [0, n).
     */
    void vertical4Symmetric(float[][] rows, float[] w, int taps, float[][] dst, int dstOff, int n);

    /**
     * {@link #vertical4Symmetric} for a u8 image through a ring of f32 rows ({@code rows} holds {@code taps + 3} rows,
     * read from offset 0): rows {@code taps - 1 .. taps + 2} are first filled with {@code n} values of the u8 rows
     * {@code src[k]} from {@code srcOffs[k]} (k < 4) converted to f32; then all are used. The next four output rows
     * need only four new rows: the rest of their window is already in the ring.
     */
    void vertical4SymmetricRing(float[][] rows, byte[][] src, int[] srcOffs, float[] w, int taps, float[][] dst, int dstOff, int n);

    /** {@link #vertical4Symmetric} reading u8 rows in place: row {@code r} from {@code rows[r]} at {@code offs[r]}. */
    void vertical4SymmetricU8(byte[][] rows, int[] offs, float[] w, int taps, float[][] dst, int dstOff, int n);

    /**
     * Four consecutive output rows of the direct 2-D pass ({@code rows} holds {@code kh + 3} rows, row {@code r} read
     * from {@code offs[r]}): {@code dst[j][dstOffs[j] + i] = sum over a < kh, b < kw of k[a * kw + b] *
     * rows[j + a][offs[j + a] + i + b * tapStride]}. Each source row is loaded once for the output rows it feeds.
     */
    void direct4(float[][] rows, int[] offs, float[] k, int kh, int kw, int tapStride, float[][] dst, int[] dstOffs, int n);

    /** Tap counts for which the vector implementation has unrolled vertical and horizontal symmetric passes. */
    static boolean unrolledTaps(int taps) { return taps >= 3 && taps <= 15 && (taps & 1) == 1; }

    /** Tap counts for which {@link #vertical4SymmetricU8} is unrolled (more conversions per loop exceed C2's budget). */
    static boolean unrolledTapsU8(int taps) { return taps == 3 || taps == 5; }

    /** Kernel sizes for which {@link #direct4} is unrolled. */
    static boolean unrolledDirect(int kh, int kw) { return kh == kw && (kh == 3 || kh == 5); }

    /**
     * Direct 2-D pass: {@code dst[dstOff + i] = sum over a < kh, b < kw of k[a * kw + b] * rows[a][offs[a] + i + b * tapStride]}.
     */
    void direct(float[][] rows, int[] offs, float[] k, int kh, int kw, int tapStride, float[] dst, int dstOff, int n);

    /**
     * Two consecutive output rows of the direct pass at once ({@code rows} holds {@code kh + 1} rows read from offset
     * 0): {@code dst0} from rows 0..kh-1 and {@code dst1} from rows 1..kh, each source row loaded once for both.
     */
    void direct2(float[][] rows, float[] k, int kh, int kw, int tapStride, float[] dst0, int off0, float[] dst1, int off1, int n);

    /** Human-readable name, e.g. {@code vector (16 x f32)}. */
    String describe();
}
