package dev.convolve.backend.fast;

/**
 * Packs a panel of an im2col matrix straight into the layout {@link Gemm#multiply} reads (rows of {@code w} floats, {@code w}
 * a whole number of vectors): element {@code (kk, e)} is column {@code col0 + e} of reduction row {@code k0 + kk}, where column
 * {@code col = b*q + j} is output position {@code j} of image {@code b}, read as {@code x[b*imgStride + xOff + ext[r*extLen + j]]}
 * for row {@code r}, or zero when bit 0 of {@code zmask[r*q + j]} is set. {@code ext} holds, for every row, the offsets of
 * positions {@code j in [0, q + lanes)} (past {@code q}: the next images' positions, {@code imgStride} further per image, so one
 * vector starting at any position reads its columns from one table slice); {@code zmask[r*q + j]} has bit {@code e} set when
 * column {@code j + e} of that slice is zero (padding, or a read between dilated input elements), its {@code ext} entry then 0.
 * Two implementations: {@link VectorIm2colPack} (a vector gather per vector of columns) and {@link #SCALAR}.
 */
interface Im2colPack {
    /**
     * Packs rows {@code k0 .. k0+kc} and columns {@code col0 .. col0+valid} into {@code dst[d + kk*w + e]}, zero for
     * {@code e in [valid, w)}.
     */
    void panel(float[] x, int imgStride, int xOff, int[] ext, int extLen, long[] zmask, int q,
               int k0, int kc, int col0, int valid, int w, float[] dst, int d);

    /**
     * A transpose into lanes: {@code dst[d + k*dStep + l] = x[base[l] + src + k]} for {@code k < count}, {@code l < lanes}
     * (element {@code src + k} of {@code lanes} images at once).
     */
    void lanes(float[] x, int[] base, int lanes, int src, int count, float[] dst, int d, int dStep);

    /** The packing that goes with {@code k}: a vector gather when {@code k} is the Vector API's kernels. */
    static Im2colPack of(Kernels k) {
        return k instanceof ScalarKernels ? SCALAR : VectorIm2colPack.INSTANCE;
    }

    /** Plain Java: one element at a time. */
    Im2colPack SCALAR = new Im2colPack() {
        @Override
        public void lanes(float[] x, int[] base, int lanes, int src, int count, float[] dst, int d, int dStep) {
            for (int k = 0; k < count; k++, d += dStep) {
                for (int l = 0; l < lanes; l++) dst[d + l] = x[base[l] + src + k];
            }
        }

        @Override
        public void panel(float[] x, int imgStride, int xOff, int[] ext, int extLen, long[] zmask, int q,
                          int k0, int kc, int col0, int valid, int w, float[] dst, int d) {
        for (int e = 0; e < w; ) {
            int col = col0 + e, b = col / q, j = col - b * q, xb = b * imgStride + xOff;
            int len = Math.min(Math.min(valid - e, q - j), 64);
            if (len <= 0) {
                for (int kk = 0; kk < kc; kk++) java.util.Arrays.fill(dst, d + kk * w + e, d + kk * w + w, 0f);
                break;
            }
            for (int kk = 0; kk < kc; kk++) {
                int r = k0 + kk, t = r * extLen + j, o = d + kk * w + e;
                int zr = r * q + j;
                for (int i = 0; i < len; i++) dst[o + i] = (zmask[zr + i] & 1) != 0 ? 0f : x[xb + ext[t + i]];
            }
            e += len;
        }
        }
    };
}
