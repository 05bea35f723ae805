package dev.convolve.vision.fast;

import dev.convolve.backend.Threads;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.Filters;
import dev.convolve.vision.Kernel;

/**
 * The fast filters behind {@link Filters#apply}: f32 arithmetic on interleaved rows (the taps of a row are
 * {@code channels} floats apart, so RGB(A) is never de-interleaved), parallel over bands of output rows (and, for very
 * wide images, strips of columns).
 * <ul>
 *   <li>separable kernels: a vertical pass over the source rows, two output rows at a time (each source row is loaded
 *       once for both), then a horizontal pass (mirrored taps added first when the kernel is symmetric);</li>
 *   <li>other kernels: a direct 2-D pass, also two output rows at a time;</li>
 *   <li>u8 results are rounded from an f32 row that stays in L1.</li>
 * </ul>
 * Each source row is converted to f32 and extended by the border once (a small cache of {@code kh + 1} rows).
 * Callers validate the arguments ({@link Filters#apply} does).
 */
public final class FastFilter {
    private FastFilter() {}

    private static final RowOps OPS = choose();

    /**
     * Floats of one cached row strip. Measured on 1080p: whole rows beat L1-sized strips (per-strip overhead and halo
     * outweigh the cache misses), so only very wide images (rows over 32768 floats) are cut into strips.
     */
    private static final int STRIP_BUDGET_FLOATS = 1 << 15;

    private static RowOps choose() {
        String want = System.getProperty("convolve.vision.simd", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        if (want.equals("false") || want.equals("off") || want.equals("scalar")) return new ScalarRowOps("disabled by -Dconvolve.vision.simd=" + want);
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new ScalarRowOps("jdk.incubator.vector is not enabled; run java with --add-modules jdk.incubator.vector");
        }
        try {
            Class<?> c = Class.forName("dev.convolve.vision.fast.VectorRowOps");
            int lanes = (int) c.getDeclaredMethod("lanes").invoke(null);
            if (lanes < 4) return new ScalarRowOps("the CPU's preferred vector holds " + lanes + " floats");
            return (RowOps) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            return new ScalarRowOps("the Vector API failed to start: " + t);
        }
    }

    /** Which inner loops run here. */
    public static String implementation() { return OPS.describe(); }

    /** Scalar inner loops, for tests that compare both implementations. */
    static RowOps scalar() { return new ScalarRowOps("test"); }

    /** The chosen inner loops. */
    static RowOps ops() { return OPS; }

    /**
     * Filters {@code image} (u8 or f32, {@code [h][w][c]} or {@code [h][w]}) with {@code kernel}; the result has the
     * image's type, see {@link Filters} for the exact definition. Alpha (c = 4) is copied, not filtered.
     */
    public static Tensor apply(Tensor image, Kernel kernel, FilterOptions o) {
        return apply(image, kernel, o, OPS);
    }

    static Tensor apply(Tensor image, Kernel kernel, FilterOptions o, RowOps ops) {
        return apply(image, kernel, o, ops, STRIP_BUDGET_FLOATS);
    }

    static Tensor apply(Tensor image, Kernel kernel, FilterOptions o, RowOps ops, int stripBudget) {
        int h = image.dim(0), w = image.dim(1), c = image.rank() == 2 ? 1 : image.dim(2);
        int kh = kernel.rows(), kw = kernel.cols();
        int oh = o.outputSize(h, kh), ow = o.outputSize(w, kw);
        boolean u8 = image.dtype() == DType.U8;
        Object out = u8 ? new byte[oh * ow * c] : new float[oh * ow * c];
        Geometry g = new Geometry(image.data(), u8, h, w, c, kernel, o, oh, ow, out, stripBudget);
        long work = (long) oh * ow * c * (kernel.separable().isPresent() ? kh + kw : (long) kh * kw);
        // Bands of whole blocks of four rows (the unrolled passes make four rows at a time), a few per thread.
        int blocks = (oh + 3) / 4;
        int bands = work < (1 << 18) ? 1 : Math.min(blocks, Threads.threads() * 4);
        Threads.parallelFor(bands, b -> g.band(Math.min(oh, 4 * (blocks * b / bands)), Math.min(oh, 4 * (blocks * (b + 1) / bands)), ops));
        if (c == 4) Filters.copyAlpha(image, out, oh, ow, kernel, o);
        return Filters.wrapLike(image, oh, ow, out);
    }

    /** Everything a band needs; the per-band buffers are allocated in {@link #band}. */
    private static final class Geometry {
        final Object src;
        final boolean u8;
        final int h, w, c, kh, kw, oh, ow, stride, padTop, padLeft, padRight, stripOut;
        final BorderMode border;
        final Object out;
        final float[] column, row, weights;
        final boolean symmetricRow, symmetricColumn;
        /** Whether u8 results of the separable passes need clipping (not when all weights are >= 0 and sum to <= 1). */
        final boolean clipU8;

        Geometry(Object src, boolean u8, int h, int w, int c, Kernel k, FilterOptions o, int oh, int ow, Object out, int stripBudget) {
            this.src = src;
            this.u8 = u8;
            this.h = h;
            this.w = w;
            this.c = c;
            this.kh = k.rows();
            this.kw = k.cols();
            this.oh = oh;
            this.ow = ow;
            this.stride = o.stride();
            this.padTop = o.padBefore(kh);
            this.padLeft = o.padBefore(kw);
            this.padRight = o.padAfter(kw);
            this.border = o.border();
            this.out = out;
            var sep = k.separable();
            if (sep.isPresent()) {
                column = floats(sep.get().column());
                row = floats(sep.get().row());
                weights = null;
            } else {
                column = row = null;
                weights = k.toFloats();
            }
            // Tests pass tiny budgets to exercise many strips; real ones keep at least 64 floats of output per strip.
            symmetricRow = row != null && symmetric(row);
            symmetricColumn = column != null && symmetric(column);
            clipU8 = row == null || !averaging(column, row);
            int inPixels = Math.max(1, stripBudget / c);
            int strip = Math.max(stripBudget >= 1024 ? 64 / c + 1 : 1, (inPixels - kw) / stride + 1);
            this.stripOut = Math.min(ow, strip);
        }

        private static boolean symmetric(float[] w) {
            for (int b = 0; b < w.length / 2; b++) if (w[b] != w[w.length - 1 - b]) return false;
            return w.length > 2;
        }

        /**
         * Non-negative weights whose products sum to at most 1 (+ 1e-3): every sum of u8 samples then lies in [0, 255.3]
         * (f32 rounding adds far less than 0.2), which rounds into [0, 255] without a clip.
         */
        private static boolean averaging(float[] column, float[] row) {
            double sc = 0, sr = 0;
            for (float v : column) {
                if (!(v >= 0)) return false;
                sc += v;
            }
            for (float v : row) {
                if (!(v >= 0)) return false;
                sr += v;
            }
            return sc * sr <= 1 + 1e-3;
        }

        private static float[] floats(double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            return f;
        }

        /** Input pixels that output pixels [j0, j1) read. */
        int inputWidth(int j0, int j1) { return (j1 - j0 - 1) * stride + kw; }

        /** Output rows [y0, y1), strip by strip. */
        void band(int y0, int y1, RowOps ops) {
            if (y0 >= y1) return;
            if (u8 && weights == null && symmetricColumn && stride == 1 && RowOps.unrolledTaps(kh)) {
                bandSymmetricU8(y0, y1, ops);
                return;
            }
            if (u8 && weights == null && symmetricColumn && stride == 1 && kh > 1) {
                bandFromBytes(y0, y1, ops);
                return;
            }
            if (!u8 && weights != null && stride == 1 && RowOps.unrolledDirect(kh, kw)) {
                bandDirectF32(y0, y1, ops);
                return;
            }
            if (u8 && weights != null && stride == 1 && RowOps.unrolledDirect(kh, kw)) {
                bandDirectU8(y0, y1, ops);
                return;
            }
            boolean separable = weights == null;
            boolean pairs = stride == 1 && kh > 1;   // two output rows per vertical (or direct) pass
            int slotLen = inputWidth(0, stripOut) * c;
            RowCache cache = new RowCache(this, new float[kh + 1][slotLen], ops);
            float[][] rows = new float[kh + 1][];
            int fullMax = ((stripOut - 1) * stride + 1) * c;
            int[] offs = new int[kh + 1];
            float[] zero = new float[slotLen];
            float[] tmp = separable ? new float[slotLen] : null;
            float[] tmp2 = pairs && separable ? new float[slotLen] : null;
            float[] full2 = pairs && !separable ? new float[fullMax] : null;
            float[] full = new float[fullMax];
            float[] gathered = stride > 1 ? new float[fullMax] : null;
            for (int j0 = 0; j0 < ow; j0 += stripOut) {
                int j1 = Math.min(ow, j0 + stripOut);
                int pixels = inputWidth(j0, j1);
                cache.startStrip(j0 * stride - padLeft, pixels);
                int outN = (j1 - j0) * c;
                int fullN = ((j1 - j0 - 1) * stride + 1) * c;
                for (int oy = y0; oy < y1; oy++) {
                    boolean two = pairs && oy + 1 < y1;
                    int need = two ? kh + 1 : kh;
                    for (int a = 0; a < need; a++) {
                        int sy = border.index(oy * stride - padTop + a, h);
                        rows[a] = sy < 0 ? zero : cache.row(sy, oy);
                    }
                    if (two && !separable) {
                        int outOff = (oy * ow + j0) * c;
                        if (u8) {
                            ops.direct2(rows, weights, kh, kw, c, full, 0, full2, 0, outN);
                            ops.f32ToU8(full, 0, (byte[]) out, outOff, outN);
                            ops.f32ToU8(full2, 0, (byte[]) out, outOff + ow * c, outN);
                        } else {
                            ops.direct2(rows, weights, kh, kw, c, (float[]) out, outOff, (float[]) out, outOff + ow * c, outN);
                        }
                        oy++;
                    } else if (two) {
                        if (symmetricColumn) ops.vertical2Symmetric(rows, column, kh, tmp, tmp2, pixels * c);
                        else ops.vertical2(rows, column, kh, tmp, tmp2, pixels * c);
                        finishRow(ops, tmp, rows, offs, oy, j0, outN, fullN, full, gathered);
                        finishRow(ops, tmp2, rows, offs, ++oy, j0, outN, fullN, full, gathered);
                    } else {
                        if (separable) ops.vertical(rows, offs, column, kh, tmp, 0, pixels * c);
                        finishRow(ops, tmp, rows, offs, oy, j0, outN, fullN, full, gathered);
                    }
                }
            }
        }

        /**
         * u8 image, separable kernel with a symmetric column of 3 to 15 taps (Gaussians, boxes), stride 1: four output
         * rows per vertical pass (unrolled; the 3- and 5-tap passes read the image's bytes in place, longer ones a ring
         * of f32 rows, each image row converted once), then the border columns, then the horizontal pass rounding to u8.
         */
        void bandSymmetricU8(int y0, int y1, RowOps ops) {
            byte[] img = (byte[]) src;
            int rowLen = w * c, need = kh + 3;
            Scratch s = Scratch.get();
            // (64 floats of slack: the horizontal pass may load a vector past its last tap.)
            float[][] t = s.rows(Scratch.OUTPUT_ROWS, 4, (w + padLeft + padRight) * c + 64);
            float[] full = symmetricRow ? null : s.rows(Scratch.SPARE_ROWS, 1, ow * c)[0];
            byte[] zeroBytes = s.zeroBytes(rowLen);
            if (RowOps.unrolledTapsU8(kh)) {
                byte[][] rows = new byte[need][];
                int[] offs = new int[need];
                for (int oy = y0; oy < y1; oy += 4) {
                    for (int a = 0; a < need; a++) {
                        int sy = border.index(oy - padTop + a, h);
                        rows[a] = sy < 0 ? zeroBytes : img;
                        offs[a] = sy < 0 ? 0 : sy * rowLen;
                    }
                    ops.vertical4SymmetricU8(rows, offs, column, kh, t, padLeft * c, rowLen);
                    for (int j = 0; j < 4 && oy + j < y1; j++) horizontalToU8(ops, t[j], oy + j, full);
                }
                return;
            }
            // A ring of f32 rows, slot = window position modulo its size: each block of four output rows converts the four
            // rows that enter its window (inside the vertical pass), the others are there from the blocks before.
            float[][] ring = s.rows(Scratch.SOURCE_ROWS, need, rowLen);
            float[][] window = new float[need][];
            byte[][] fresh = new byte[4][];
            int[] freshOffs = new int[4];
            for (int oy = y0; oy < y1; oy += 4) {
                int p0 = oy - padTop;   // the image row (before the border rule) of the window's first row
                if (oy == y0) {
                    for (int a = 0; a < kh - 1; a++) {
                        int sy = border.index(p0 + a, h);
                        ops.u8ToF32(sy < 0 ? zeroBytes : img, sy < 0 ? 0 : sy * rowLen, ring[Math.floorMod(p0 + a, need)], 0, rowLen);
                    }
                }
                for (int a = 0; a < need; a++) window[a] = ring[Math.floorMod(p0 + a, need)];
                for (int k = 0; k < 4; k++) {
                    int sy = border.index(p0 + kh - 1 + k, h);
                    fresh[k] = sy < 0 ? zeroBytes : img;
                    freshOffs[k] = sy < 0 ? 0 : sy * rowLen;
                }
                ops.vertical4SymmetricRing(window, fresh, freshOffs, column, kh, t, padLeft * c, rowLen);
                for (int j = 0; j < 4 && oy + j < y1; j++) horizontalToU8(ops, t[j], oy + j, full);
            }
        }

        /**
         * f32 image, non-separable 3x3 or 5x5 kernel, stride 1: four output rows per pass (unrolled, weights in
         * registers), the image's rows read in place for the output columns whose window lies inside the image, written
         * straight to the output; the few columns at the left and right borders by the same loop on short rows gathered
         * with the border rule.
         */
        void bandDirectF32(int y0, int y1, RowOps ops) {
            float[] img = (float[]) src, o = (float[]) out;
            int rowLen = w * c, need = kh + 3;
            // Output columns [x0, x1) read input columns inside [0, w); the others reach over the border.
            int x0 = Math.min(padLeft, ow), x1 = Math.max(x0, Math.min(ow, w - kw + 1 + padLeft));
            int n = (x1 - x0) * c;
            Scratch s = Scratch.get();
            float[] zeros = s.zeros(rowLen);
            float[][] spare = s.rows(Scratch.SPARE_ROWS, 4, Math.max(1, n));
            float[][] rows = new float[need][], dst = new float[4][];
            int[] offs = new int[need], sys = new int[need], dstOffs = new int[4];
            BorderStrip left = x0 > 0 ? new BorderStrip(0, x0) : null, right = x1 < ow ? new BorderStrip(x1, ow) : null;
            for (int oy = y0; oy < y1; oy += 4) {
                for (int a = 0; a < need; a++) {
                    int sy = border.index(oy - padTop + a, h);
                    sys[a] = sy;
                    rows[a] = sy < 0 ? zeros : img;
                    offs[a] = (sy < 0 ? 0 : sy * rowLen) + (x0 - padLeft) * c;
                }
                for (int j = 0; j < 4; j++) {
                    boolean mine = oy + j < y1;   // rows past the band are computed into spare rows and dropped
                    dst[j] = mine ? o : spare[j];
                    dstOffs[j] = mine ? ((oy + j) * ow + x0) * c : 0;
                }
                if (n > 0) ops.direct4(rows, offs, weights, kh, kw, c, dst, dstOffs, n);
                if (left != null) left.run(img, sys, oy, y1, o, ops);
                if (right != null) right.run(img, sys, oy, y1, o, ops);
            }
        }

        /**
         * u8 image, non-separable 3x3 or 5x5 kernel (sharpen, Laplacians, emboss, ...), stride 1: the rows converted to
         * f32 and extended by the border once each (a cache of {@code kh + 3} rows), four output rows per unrolled pass,
         * each rounded to u8 from a row that stays in cache.
         */
        void bandDirectU8(int y0, int y1, RowOps ops) {
            int need = kh + 3, rowLen = (w + padLeft + padRight) * c, outN = ow * c;
            Scratch s = Scratch.get();
            RowCache cache = new RowCache(this, s.rows(Scratch.SOURCE_ROWS, need, rowLen), ops);
            cache.startStrip(-padLeft, w + padLeft + padRight);
            float[] zeros = s.zeros(rowLen);
            float[][] rows = new float[need][], dst = s.rows(Scratch.OUTPUT_ROWS, 4, outN);
            int[] offs = new int[need], dstOffs = new int[4];
            for (int oy = y0; oy < y1; oy += 4) {
                for (int a = 0; a < need; a++) {
                    int sy = border.index(oy - padTop + a, h);
                    rows[a] = sy < 0 ? zeros : cache.row(sy, oy);
                }
                ops.direct4(rows, offs, weights, kh, kw, c, dst, dstOffs, outN);
                for (int j = 0; j < 4 && oy + j < y1; j++) ops.f32ToU8(dst[j], 0, (byte[]) out, (oy + j) * outN, outN);
            }
        }

        /**
         * Output columns [e0, e1) at a border, four rows at a time, computed by {@link RowOps#direct4} on short rows
         * gathered with the border rule. The strip is widened to at least 16 floats (a vector) when the image allows;
         * the extra columns are computed and dropped.
         */
        private final class BorderStrip {
            final int e0, e1, s0, cols;
            final int[] inputColumns;
            final float[][] rows, dst;
            final int[] zeroOffs, dstOffs = new int[4];

            BorderStrip(int e0, int e1) {
                this.e0 = e0;
                this.e1 = e1;
                cols = Math.min(ow, Math.max(e1 - e0, (16 + c - 1) / c));
                s0 = e0 == 0 ? 0 : ow - cols;
                int width = cols + kw - 1;
                inputColumns = new int[width];
                for (int q = 0; q < width; q++) inputColumns[q] = border.index(s0 - padLeft + q, w);
                rows = new float[kh + 3][width * c];
                dst = new float[4][cols * c];
                zeroOffs = new int[kh + 3];
            }

            void run(float[] img, int[] sys, int oy, int y1, float[] o, RowOps ops) {
                for (int a = 0; a < rows.length; a++) {
                    float[] r = rows[a];
                    int sy = sys[a];
                    for (int q = 0; q < inputColumns.length; q++) {
                        int sx = inputColumns[q];
                        if (sy < 0 || sx < 0) java.util.Arrays.fill(r, q * c, q * c + c, 0f);
                        else System.arraycopy(img, (sy * w + sx) * c, r, q * c, c);
                    }
                }
                ops.direct4(rows, zeroOffs, weights, kh, kw, c, dst, dstOffs, cols * c);
                for (int j = 0; j < 4 && oy + j < y1; j++) {
                    System.arraycopy(dst[j], (e0 - s0) * c, o, ((oy + j) * ow + e0) * c, (e1 - e0) * c);
                }
            }
        }

        /**
         * u8 image, separable kernel with a symmetric column (Gaussians, boxes), stride 1: the vertical pass reads the
         * image's rows in place, two output rows at a time, widening bytes to floats as it loads them (no f32 copy of
         * the rows, no cache); the border columns are then filled in the f32 row, and the horizontal pass rounds to u8.
         */
        void bandFromBytes(int y0, int y1, RowOps ops) {
            byte[] img = (byte[]) src;
            int rowLen = w * c, outN = ow * c;
            byte[][] rows = new byte[kh + 1][];
            int[] offs = new int[kh + 1];
            byte[] zero = new byte[rowLen];
            float[] t0 = new float[(w + padLeft + padRight) * c], t1 = new float[t0.length], full = new float[outN];
            for (int oy = y0; oy < y1; oy += 2) {
                for (int a = 0; a <= kh; a++) {
                    int sy = border.index(oy - padTop + a, h);
                    rows[a] = sy < 0 ? zero : img;
                    offs[a] = sy < 0 ? 0 : sy * rowLen;
                }
                ops.vertical2SymmetricU8(rows, offs, column, kh, t0, t1, padLeft * c, rowLen);
                horizontalToU8(ops, t0, oy, full);
                if (oy + 1 < y1) horizontalToU8(ops, t1, oy + 1, full);
            }
        }

        private void horizontalToU8(RowOps ops, float[] t, int oy, float[] full) {
            padColumns(t);
            int outOff = oy * ow * c, outN = ow * c;
            if (symmetricRow) {
                ops.horizontalSymmetricU8(t, 0, c, row, kw, (byte[]) out, outOff, outN, clipU8);
            } else {
                ops.horizontal(t, 0, c, row, kw, full, 0, outN);
                ops.f32ToU8(full, 0, (byte[]) out, outOff, outN);
            }
        }

        /** Fills the border columns of a row holding pixels [-padLeft, w + padRight) from its inner pixels. */
        private void padColumns(float[] r) {
            for (int x = -padLeft; x < 0; x++) padColumn(r, x);
            for (int x = w; x < w + padRight; x++) padColumn(r, x);
        }

        private void padColumn(float[] r, int x) {
            int s = border.index(x, w), to = (x + padLeft) * c;
            if (s < 0) java.util.Arrays.fill(r, to, to + c, 0f);
            else System.arraycopy(r, (s + padLeft) * c, r, to, c);
        }

        /** The horizontal (or direct) pass of output row {@code oy}, strip from output pixel {@code j0}, and its store. */
        private void finishRow(RowOps ops, float[] tmp, float[][] rows, int[] offs, int oy, int j0, int outN, int fullN,
                               float[] full, float[] gathered) {
            boolean separable = weights == null;
            int outOff = (oy * ow + j0) * c;
            if (stride == 1) {
                // f32 results go straight to the output; u8 ones through a row that stays in L1.
                if (u8 && separable && symmetricRow) {
                    ops.horizontalSymmetricU8(tmp, 0, c, row, kw, (byte[]) out, outOff, outN);
                    return;
                }
                float[] dst = u8 ? full : (float[]) out;
                int dstOff = u8 ? 0 : outOff;
                if (separable && symmetricRow) ops.horizontalSymmetric(tmp, 0, c, row, kw, dst, dstOff, outN);
                else if (separable) ops.horizontal(tmp, 0, c, row, kw, dst, dstOff, outN);
                else ops.direct(rows, offs, weights, kh, kw, c, dst, dstOff, outN);
                if (u8) ops.f32ToU8(full, 0, (byte[]) out, outOff, outN);
            } else {
                if (separable && symmetricRow) ops.horizontalSymmetric(tmp, 0, c, row, kw, full, 0, fullN);
                else if (separable) ops.horizontal(tmp, 0, c, row, kw, full, 0, fullN);
                else ops.direct(rows, offs, weights, kh, kw, c, full, 0, fullN);
                for (int x = 0; x < outN / c; x++) System.arraycopy(full, x * stride * c, gathered, x * c, c);
                if (u8) ops.f32ToU8(gathered, 0, (byte[]) out, outOff, outN);
                else System.arraycopy(gathered, 0, (float[]) out, outOff, outN);
            }
        }
    }

    /**
     * The f32 source rows the current output row needs, for the current strip of input pixels [q0, q0 + pixels),
     * each converted and extended by the border once: {@code kh + 1} slots (two output rows at a time need that many),
     * a slot reused when the current output rows do not need it.
     */
    private static final class RowCache {
        final Geometry g;
        final RowOps ops;
        final int[] index, stamp;
        final float[][] slots;
        int q0, pixels;

        /** A cache over {@code slots} (each at least as long as a strip's row). */
        RowCache(Geometry g, float[][] slots, RowOps ops) {
            this.g = g;
            this.ops = ops;
            index = new int[slots.length];
            stamp = new int[slots.length];
            this.slots = slots;
        }

        void startStrip(int q0, int pixels) {
            this.q0 = q0;
            this.pixels = pixels;
            java.util.Arrays.fill(index, -1);
            java.util.Arrays.fill(stamp, Integer.MIN_VALUE);
        }

        /** The strip of source row {@code sy}, marked as used by output row {@code oy}. */
        float[] row(int sy, int oy) {
            for (int i = 0; i < index.length; i++) {
                if (index[i] == sy) {
                    stamp[i] = oy;
                    return slots[i];
                }
            }
            int victim = 0;
            for (int i = 1; i < index.length; i++) if (stamp[i] < stamp[victim]) victim = i;
            fill(slots[victim], sy);
            index[victim] = sy;
            stamp[victim] = oy;
            return slots[victim];
        }

        private void fill(float[] r, int sy) {
            int c = g.c, w = g.w;
            int base = sy * w * c;
            int in0 = Math.max(q0, 0), in1 = Math.min(q0 + pixels, w);
            if (in1 > in0) convert(base + in0 * c, r, (in0 - q0) * c, (in1 - in0) * c);
            for (int x = q0; x < in0; x++) edge(r, base, x);
            for (int x = Math.max(in1, q0); x < q0 + pixels; x++) edge(r, base, x);
        }

        private void edge(float[] r, int base, int x) {
            int c = g.c;
            int s = g.border.index(x, g.w);
            int to = (x - q0) * c;
            if (s < 0) {
                for (int k = 0; k < c; k++) r[to + k] = 0;
            } else {
                convert(base + s * c, r, to, c);
            }
        }

        private void convert(int from, float[] r, int to, int n) {
            if (g.u8) ops.u8ToF32((byte[]) g.src, from, r, to, n);
            else System.arraycopy((float[]) g.src, from, r, to, n);
        }
    }
}
