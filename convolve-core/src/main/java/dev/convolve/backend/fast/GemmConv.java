package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * Convolution as a packed GEMM ({@link Gemm}) over an implicit im2col matrix: for one sub-problem ({@link SubProblem}),
 * group {@code g} and image, {@code out[o][q(j)] = sum_{k=(c,t)} W[o][k] * B[k][j]} with
 * {@code B[(c, t)][j] = x[c][stride*j + offset(t)]} (zero outside the input). The weights are packed once per call; the
 * columns {@code j} (grid points of the image, last axis fastest) are cut into blocks, and each block of B is packed
 * straight from the input (the im2col matrix is never built whole): a contiguous copy per row segment when the last axis
 * has unit stride. When the input is read linearly (a 1x1 kernel with unit stride and no padding) a block is simply
 * {@code kc} row pieces of the input; when the output positions are dense the tiles are written in place.
 *
 * <p>Items (group x image x column block) run on {@link Threads}; each packs its own B block into a per-thread buffer
 * (sized for the L2 cache) and runs every row panel of the weights over it.
 */
final class GemmConv {
    private GemmConv() {}

    /** Floats of a packed B block: about a third of a 1 MB L2 cache. */
    static int blockFloats = Integer.getInteger("convolve.gemm.block", 96 * 1024);

    /** The longest reduction block. */
    static final int KC_MAX = 384;

    /** The largest packed B of one image (floats) for {@link Job#wholeImage}: about the L2 cache. */
    static final long WHOLE_IMAGE_FLOATS = 256 * 1024;

    /** Weights of at least this many elements are packed by all threads (here, in {@link ChannelLanesConv} and {@link GradInput#flip}). */
    static final long PARALLEL_PACK = 32 * 1024;

    /** For tests: columns across the batch always (true), never (false), or by the rule (null). */
    static volatile Boolean forceAcrossBatch;

    /** Whether {@link Job} runs the columns of one sub-problem across the images (see {@link Job#acrossBatch}). */
    static boolean acrossBatch(Kernels kern, ConvPlan p, SubProblem sp) {
        int og = p.outChannels() / p.featureGroups();
        return Job.acrossBatch(GemmKernels.of(kern), og, p.kernelChannels() * sp.tapCount(), (int) Math.min(Integer.MAX_VALUE, sp.gridSize()), p.outBatch());
    }

    /** 1x1 kernels (one tap per sub-problem) without batch groups, with enough channels for a GEMM. */
    static boolean suits(ConvPlan p, List<SubProblem> subs) {
        if (!Planner.enabled("gemm") || subs.isEmpty() || p.batchGroups() != 1) return false;
        for (int v : p.kernelSize()) if (v != 1) return false;
        int og = p.outChannels() / p.featureGroups();
        return p.kernelChannels() >= 8 && og >= 8;
    }

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        for (SubProblem sp : SubProblem.of(p)) new Job(kern, p, sp, x, w, out).run();
    }

    /** One sub-problem, ready to run: packed weights, geometry, block sizes. Shared read-only by the workers. */
    static final class Job {
        final Kernels kern;
        final Gemm gemm;
        final float[] x, out;
        final int n, groups, og, cg, c, o, outBatch, taps, kTot, jTot, xPlane, qTot, kPlane;
        final boolean featureGroups, linear;
        /**
         * Linear path with enough images for the threads: an item is a whole image, whose B is packed in one sequential pass
         * per reduction block (rows of the plane one after the other, which the hardware prefetchers follow; a column block's
         * row pieces are too short for them) and then multiplied block by block.
         */
        final boolean wholeImage;
        /** Column blocks run across images (columns are batch x grid points): for planes smaller than one block. */
        final boolean batched;
        /** Columns of one group's product: the grid, or batch x grid when {@link #batched}. */
        final int cols;
        final int[] grid, gridSt, st, in, xst, dstAxis, kOff;
        final int[][] tapA;
        final int dstFirst, kc, kBlocks, nc, jBlocks;
        final float[] ap;

        Job(Kernels kern, ConvPlan p, SubProblem sp, float[] x, float[] w, float[] out) {
            this.kern = kern; this.x = x; this.out = out;
            n = sp.n;
            featureGroups = p.featureGroups() > 1;
            groups = p.featureGroups();
            o = p.outChannels();
            og = o / groups;
            cg = p.kernelChannels();
            c = p.channels();
            outBatch = p.outBatch();
            taps = sp.tapCount();
            kTot = cg * taps;
            grid = sp.grid.clone();
            gridSt = ShiftedConv.rowMajorStrides(grid);
            jTot = ShiftedConv.product(grid);
            st = sp.stride.clone();
            in = p.spatial();
            xst = ShiftedConv.rowMajorStrides(in);
            xPlane = ShiftedConv.product(in);
            int[] q = p.outSize(), ks = p.kernelSize();
            int[] qst = ShiftedConv.rowMajorStrides(q);
            qTot = ShiftedConv.product(q);
            int[] kst = ShiftedConv.rowMajorStrides(ks);
            kPlane = ShiftedConv.product(ks);
            dstAxis = new int[n];
            int first = 0;
            boolean dense = sp.coversOutput(q), lin = true;
            for (int i = 0; i < n; i++) {
                dstAxis[i] = sp.step[i] * qst[i];
                first += sp.first[i] * qst[i];
            }
            dstFirst = first;
            kOff = new int[taps];
            tapA = new int[taps][n];
            int[] u = new int[n];
            for (int t = 0; t < taps; t++) {
                int ko = 0;
                for (int i = 0; i < n; i++) {
                    ko += sp.taps[i][u[i]] * kst[i];
                    tapA[t][i] = sp.offset[i][u[i]];
                }
                kOff[t] = ko;
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
            for (int i = 0; i < n; i++) lin &= taps == 1 && st[i] == 1 && tapA[0][i] == 0 && grid[i] == in[i];
            // Grid point j reads x[j] and writes out[j]: blocks of columns need no row structure at all (set below).

            kBlocks = (kTot + KC_MAX - 1) / KC_MAX;
            kc = Gemm.reductionBlock(kTot, KC_MAX);
            batched = acrossBatch(GemmKernels.of(kern), og, kTot, jTot, outBatch);
            cols = batched ? outBatch * jTot : jTot;
            linear = lin && dense && !batched;
            gemm = Gemm.choose(GemmKernels.of(kern), og, cols);
            int nr = gemm.nr, threads = Threads.threads();
            // the row-segment path packs every reduction block of a column block before it multiplies (one store per output)
            int want = Math.max(nr, blockFloats / Math.max(1, linear ? kc : kTot) / nr * nr);
            int blocks = (cols + want - 1) / want;
            int per = batched ? groups : groups * outBatch;
            if ((long) per * blocks < 4L * threads) blocks = Math.min((cols + nr - 1) / nr, (4 * threads + per - 1) / per);
            nc = ((cols + blocks - 1) / blocks + nr - 1) / nr * nr;
            jBlocks = (cols + nc - 1) / nc;
            // as many images per thread (or enough that one more does not matter), so no thread waits for another
            long images = (long) groups * outBatch;
            wholeImage = linear && images >= 2L * threads && (images % threads == 0 || images >= 4L * threads)
                    && (long) kc * jTot <= WHOLE_IMAGE_FLOATS;

            // weights: per group, per reduction block, row panels of the output channels
            ap = Scratch.floats(Scratch.PACK, groups * og * kTot);
            int[] colOff = new int[kTot];
            for (int k = 0; k < kTot; k++) colOff[k] = (k / taps) * kPlane + kOff[k % taps];
            // one item per (group, reduction block, row panel); both threads take part when the weights are big
            int panels = (og + gemm.mr - 1) / gemm.mr;
            long elements = (long) groups * og * kTot;
            Threads.parallelFor(groups * kBlocks * panels, elements >= PARALLEL_PACK ? Threads.threads() : 1, item -> {
                int pi = item % panels, rest = item / panels, kb = rest % kBlocks, g = rest / kBlocks;
                int k0 = kb * kc, kcA = Math.min(kc, kTot - k0);
                packWeights(w, g * og * cg * kPlane, cg * kPlane, colOff, k0, kcA, pi * gemm.mr, ap, g * og * kTot + og * k0);
            });
        }

        /**
         * Whether the columns of a block should run across images (planes smaller than a block): when the weights are big
         * (a quarter of the L2 cache) and an image's plane is a quarter of a block or less, so every image would read them
         * all again for a few columns; or when the plane leaves so many lanes of the last vectors empty that one product over
         * the whole batch is estimated at least 10% cheaper, the cost of cutting the block into per-image segments aside.
         * Measured (2026-11-24, one thread, CPU time): 32x512x7x7 -> 512 1x1 79 against 72 GFLOP/s; 8x256x14x14 -> 256
         * stays per image (no faster batched).
         */
        static boolean acrossBatch(GemmKernels k, int og, int kTot, int jTot, int outBatch) {
            Boolean f = forceAcrossBatch;
            if (f != null) return f && outBatch > 1 && (long) outBatch * jTot <= Integer.MAX_VALUE / 2;
            int kc = Gemm.reductionBlock(kTot, KC_MAX);
            int blockCols = Math.max(k.lanes(), blockFloats / Math.max(1, kc) / k.lanes() * k.lanes());
            if (outBatch <= 1 || jTot >= blockCols || (long) outBatch * jTot > Integer.MAX_VALUE / 2) return false;
            if (4L * jTot <= blockCols && (long) og * kTot >= 64 * 1024) return true;
            Gemm one = Gemm.choose(k, og, jTot), all = Gemm.choose(k, og, outBatch * jTot);
            double perImage = outBatch * Gemm.cost(k.lanes(), one.mr, one.nv, og, jTot);
            double whole = Gemm.cost(k.lanes(), all.mr, all.nv, og, outBatch * jTot);
            return whole < 0.9 * perImage;
        }

        /** A(i, kk) = w[base + i*rowStride + colOff[k0 + kk]] into the row panel (of the tile height) starting at row p0. */
        private void packWeights(float[] w, int base, int rowStride, int[] colOff, int k0, int kcA, int p0, float[] dst, int d) {
            int h = Math.min(gemm.mr, og - p0), pb = d + p0 * kcA;
            for (int kk = 0; kk < kcA; kk++) {
                int s = base + p0 * rowStride + colOff[k0 + kk], di = pb + kk * h;
                for (int i = 0; i < h; i++) dst[di + i] = w[s + i * rowStride];
            }
        }

        void run() {
            long work = (long) groups * og * kTot * outBatch * jTot;
            if (wholeImage) Threads.parallelFor(groups * outBatch, ShiftedConv.threadsFor(work), this::image);
            else Threads.parallelFor(groups * (batched ? 1 : outBatch) * jBlocks, ShiftedConv.threadsFor(work), this::item);
        }

        /** Item {@code idx} = (group, image) of the whole-image form: per reduction block, one packing pass, then the column blocks. */
        void image(int idx) {
            int b = idx % outBatch, g = idx / outBatch;
            int xBase = (b * c + (featureGroups ? g * cg : 0)) * xPlane, oBase = (b * o + g * og) * qTot;
            float[] bp = Scratch.floats(Scratch.SRC, gemm.bSize(kc, jTot) + 16);
            for (int k0 = 0; k0 < kTot; k0 += kc) {
                int kcA = Math.min(kc, kTot - k0), a0 = g * og * kTot + og * k0;
                gemm.packB(kern, x, xBase + k0 * xPlane, xPlane, 1, kcA, jTot, bp, 0);
                for (int j0 = 0; j0 < jTot; j0 += nc) {
                    gemm.multiply(ap, a0, og, kcA, bp, j0 * kcA, Math.min(nc, jTot - j0), out, oBase + j0, qTot, k0 > 0);
                }
            }
        }

        void item(int idx) {
            int jb = idx % jBlocks, rest = idx / jBlocks;
            int b = batched ? 0 : rest % outBatch, g = batched ? rest : rest / outBatch;
            int j0 = jb * nc, ncA = Math.min(nc, cols - j0);
            int inImg = b, inChan = featureGroups ? g * cg : 0;
            // batched: the image offsets are in the segments
            int xBase = (inImg * c + inChan) * xPlane;
            int oBase = (b * o + g * og) * qTot;
            if (linear) {
                float[] bp = Scratch.floats(Scratch.SRC, gemm.bSize(kc, ncA) + 16);
                for (int k0 = 0; k0 < kTot; k0 += kc) {
                    int kcA = Math.min(kc, kTot - k0);
                    gemm.packB(kern, x, xBase + k0 * xPlane + j0, xPlane, 1, kcA, ncA, bp, 0);
                    gemm.multiply(ap, g * og * kTot + og * k0, og, kcA, bp, 0, ncA, out, oBase + j0, qTot, k0 > 0);
                }
                return;
            }
            // every reduction block packed first, so each row panel of the output is summed in a small buffer and stored once
            int bBlock = gemm.bSize(kc, ncA);
            float[] bp = Scratch.floats(Scratch.SRC, bBlock * kBlocks + 16);
            Segments segs = Segments.of(this, j0, ncA);
            int ldt = (ncA + 15) / 16 * 16;
            float[] rowTmp = Scratch.floats(Scratch.TILE, gemm.mr * ldt);
            for (int k0 = 0, kb = 0; k0 < kTot; k0 += kc, kb++) segs.pack(this, xBase, k0, Math.min(kc, kTot - k0), bp, kb * bBlock);
            for (int p0 = 0; p0 < og; p0 += gemm.mr) {
                int h = Math.min(gemm.mr, og - p0);
                for (int k0 = 0, kb = 0; k0 < kTot; k0 += kc, kb++) {
                    int kcA = Math.min(kc, kTot - k0);
                    gemm.multiply(ap, g * og * kTot + og * k0 + p0 * kcA, h, kcA, bp, kb * bBlock, ncA, rowTmp, 0, ldt, k0 > 0);
                }
                segs.store(kern, rowTmp, ldt, h, out, oBase + p0 * qTot, qTot, dstAxis[n - 1]);
            }
        }
    }

    /**
     * The columns {@code [j0, j0 + count)} of one image's grid (or, when the job's columns run across the batch, of the
     * batch's grids one after the other) as row segments, each inside one image and one packed panel: where its elements
     * come from for every tap, and where its outputs go.
     */
    static final class Segments {
        int count;
        /** Per segment: column in the block, length, output offset; per segment and tap: input offset, valid range. */
        int[] col, len, dst, src, lo, hi;
        private int[] coord = new int[4];
        private int taps;

        private static final ThreadLocal<Segments> LOCAL = ThreadLocal.withInitial(Segments::new);

        static Segments of(Job jb, int j0, int cnt) {
            Segments s = LOCAL.get();
            s.build(jb, j0, cnt);
            return s;
        }

        private void ensure(int segs, int taps) {
            if (col == null || col.length < segs) {
                int cap = segs + segs / 4 + 16;
                col = new int[cap];
                len = new int[cap];
                dst = new int[cap];
            }
            if (src == null || src.length < segs * taps) {
                int cap = segs * taps + segs * taps / 4 + 16;
                src = new int[cap];
                lo = new int[cap];
                hi = new int[cap];
            }
        }

        private void build(Job jb, int j0, int cnt) {
            int n = jb.n, last = n - 1, nr = jb.gemm.nr, rowLen = jb.grid[last];
            taps = jb.taps;
            // an upper bound of the segments: one per row piece, plus one per panel boundary (rows end at image ends)
            int maxSegs = cnt / rowLen + 2 + cnt / nr + 2;
            ensure(maxSegs, taps);
            if (coord.length < n) coord = new int[n];
            int k = 0;
            int j = j0, end = j0 + cnt;
            while (j < end) {
                // image (when the columns run across images) and coordinates of grid point j
                int img = jb.batched ? j / jb.jTot : 0;
                int r = j - img * jb.jTot;
                for (int i = 0; i < n; i++) {
                    coord[i] = r / jb.gridSt[i];
                    r -= coord[i] * jb.gridSt[i];
                }
                int colIn = j - j0;
                int rowRest = rowLen - coord[last];
                int panelRest = nr - colIn % nr;
                int l = Math.min(Math.min(rowRest, panelRest), end - j);
                col[k] = colIn;
                len[k] = l;
                int d = jb.dstFirst + img * jb.o * jb.qTot;
                for (int i = 0; i < n; i++) d += coord[i] * jb.dstAxis[i];
                dst[k] = d;
                for (int t = 0; t < taps; t++) {
                    int[] a = jb.tapA[t];
                    int off = 0;
                    boolean ok = true;
                    for (int i = 0; i < last; i++) {
                        int xi = coord[i] * jb.st[i] + a[i];
                        ok &= xi >= 0 && xi < jb.in[i];
                        off += xi * jb.xst[i];
                    }
                    int sl = jb.st[last], x0 = coord[last] * sl + a[last];
                    int eLo = 0, eHi = 0;
                    if (ok) {
                        // 0 <= x0 + sl*e < in  for e in [eLo, eHi)
                        eLo = x0 >= 0 ? 0 : (-x0 + sl - 1) / sl;
                        eHi = x0 >= jb.in[last] ? 0 : Math.min(l, (jb.in[last] - 1 - x0) / sl + 1);
                        if (eHi < eLo) eHi = eLo;
                    }
                    int si = k * taps + t;
                    src[si] = img * jb.c * jb.xPlane + off + x0;
                    lo[si] = Math.min(eLo, l);
                    hi[si] = Math.max(Math.min(eHi, l), lo[si]);
                }
                k++;
                j += l;
            }
            count = k;
        }

        /** Packs rows {@code [k0, k0 + kcA)} of the block's B into panels at {@code bp[b0 ..]}. */
        void pack(Job jb, int xBase, int k0, int kcA, float[] bp, int b0) {
            Gemm gm = jb.gemm;
            int nr = gm.nr, ncA = count == 0 ? 0 : col[count - 1] + len[count - 1];
            int sl = jb.st[jb.n - 1];
            float[] x = jb.x;
            if (taps == 1 && sl == 1) {
                // one strided copy per segment over all rows of the block (reduction step kk reads channel k0 + kk)
                for (int s = 0; s < count; s++) {
                    int cs = col[s], p0 = cs / nr * nr, w = gm.panelWidth(p0, ncA);
                    int d = b0 + p0 * kcA + (cs - p0), l = len[s], a = lo[s], e = hi[s];
                    int xi = xBase + k0 * jb.xPlane + src[s];
                    if (a > 0) zeroRows(bp, d, w, kcA, a);
                    if (e > a) jb.kern.copyRows(x, xi + a, jb.xPlane, bp, d + a, w, kcA, e - a);
                    if (l > e) zeroRows(bp, d + e, w, kcA, l - e);
                }
                padLastPanel(gm, ncA, kcA, bp, b0);
                return;
            }
            for (int kk = 0; kk < kcA; kk++) {
                int kAbs = k0 + kk, ch = kAbs / taps, t = kAbs - ch * taps;
                int xc = xBase + ch * jb.xPlane;
                for (int s = 0; s < count; s++) {
                    int cs = col[s], p0 = cs / nr * nr, w = gm.panelWidth(p0, ncA);
                    int d = b0 + p0 * kcA + kk * w + (cs - p0);
                    int si = s * taps + t, l = len[s], a = lo[si], b = hi[si];
                    for (int e = 0; e < a; e++) bp[d + e] = 0f;
                    int xi = xc + src[si];
                    if (sl == 1) {
                        if (b > a) jb.kern.copy(x, xi + a, bp, d + a, b - a);
                    } else {
                        for (int e = a; e < b; e++) bp[d + e] = x[xi + e * sl];
                    }
                    for (int e = b; e < l; e++) bp[d + e] = 0f;
                }
            }
            padLastPanel(gm, ncA, kcA, bp, b0);
        }

        /** Zeros the padding columns of the last panel of a packed block of {@code ncA} columns and {@code kcA} rows. */
        private static void padLastPanel(Gemm gm, int ncA, int kcA, float[] bp, int b0) {
            int nr = gm.nr, pl = (ncA - 1) / nr * nr, wl = gm.panelWidth(pl, ncA), valid = ncA - pl;
            if (valid == wl) return;
            for (int kk = 0; kk < kcA; kk++) java.util.Arrays.fill(bp, b0 + pl * kcA + kk * wl + valid, b0 + pl * kcA + kk * wl + wl, 0f);
        }

        private static void zeroRows(float[] bp, int d, int step, int rows, int len) {
            for (int r = 0; r < rows; r++) java.util.Arrays.fill(bp, d + r * step, d + r * step + len, 0f);
        }

        /** Stores {@code rows} rows of a computed block ({@code tmp}, rows {@code ldt} apart) at their output positions. */
        void store(Kernels kern, float[] tmp, int ldt, int rows, float[] out, int oOff, int oStride, int last) {
            for (int s = 0; s < count; s++) {
                int cs = col[s], l = len[s], d0 = oOff + dst[s];
                if (last == 1) {
                    kern.copyRows(tmp, cs, ldt, out, d0, oStride, rows, l);
                    continue;
                }
                for (int m = 0; m < rows; m++) {
                    int ti = m * ldt + cs, di = d0 + m * oStride;
                    for (int e = 0; e < l; e++) out[di + e * last] = tmp[ti + e];
                }
            }
        }
    }
}
