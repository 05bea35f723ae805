package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The kernel gradient as one packed GEMM ({@link Gemm}) per feature group over the whole batch:
 * {@code dW[o][(c, t)] = sum_{r = (b, q)} A[o][r] * B[r][(c, t)]} with {@code A[o][(b, q)] = g[b][o][q]} (the output gradient,
 * read along its rows) and {@code B[(b, q)][(c, t)] = x[b][c][q*s + t*kd - lo]} (the transposed im2col matrix, zero in the
 * padding and between dilated input elements). The reduction runs over every image and output position at once, so small
 * planes with a big batch make one long GEMM instead of many tiny ones. Blocks of {@code kc} reduction steps (crossing image
 * boundaries) are packed straight from {@code g} and {@code x}; columns are cut into blocks whose packed B stays in the L2
 * cache. The reduction is split into a fixed number of chunks (from the thread count and the groups); each chunk writes its own
 * partial result (the first straight into {@code dW}), and the partials are added in chunk order, so the result does not depend
 * on scheduling. With fewer groups than threads and enough columns, the items are blocks of columns instead, each over the
 * whole reduction ({@link Job#byColumns}): no partial results to write and add up on one thread. Measured 2026-11-26 on two
 * threads (one JVM, both orders), against the reduction chunks: 8x256x14x14 -> 512 3x3 s2 0.91x the time, 8x512x14x14 ->
 * 1024 s2 0.89x, 8x256x28x28 -> 512 s2 0.95x; unstrided 1x1 kernels (B read in place: 32x512x7x7 -> 512) measured 1.02x and keep the chunks.
 */
final class GradKernelGemm {
    private GradKernelGemm() {}

    /**
     * The register tiles tried, heights that divide the lanes first (A is packed by block transposes of whole panels), 8 x 3
     * vectors before 4 x 6: a step reads half the packed B (from the L2 cache: {@link Gemm#multiply} runs each row panel
     * across all of B's column panels). Measured 2026-11-26 on two threads (one JVM, both orders): 8x256x14x14 -> 512 3x3 s2
     * 0.91x the time, 8x256x28x28 -> 256 1x1 0.92x, 32x512x7x7 -> 512 1x1 0.87x; with the tile forced in separate JVMs
     * 64x128x7x7 -> 128 1x1 0.86x, 8x256x28x28 -> 512 s2 0.90x. (The forward GEMM's tile of 6 x 4 measured level against
     * 8 x 3 into kept outputs.)
     */
    private static final int[][] TILES = {{8, 3}, {4, 6}, {6, 4}, {12, 2}};

    /** The longest reduction block. */
    static final int KC_MAX = 384;

    /** For tests: take this path for every plan it can compute (no batch groups), not only the ones it is chosen for. */
    static volatile boolean force;

    /** Computes the plan at all: no batch groups. */
    static boolean supports(ConvPlan p) {
        return p.batchGroups() == 1 && Planner.enabled("gemm-dw");
    }

    /**
     * Chosen for 1x1 kernels (B is the transposed input) with enough output channels per group for the tile, and for small
     * output planes (at most {@link #SMALL_PLANE} positions) with a big batch, at least 8 rows and 64 columns (mnist-l2, 8 x 36,
     * measured 1.7x slower than {@code dot}; mnist-l3 and l4, 16 x 72 and 16 x 144, 1.5-2x faster than {@code bcast-o}).
     *
     * <p>Grouped convs (not depthwise) with a vector of output channels per group or more take the GEMM only for 1x1 kernels
     * and from {@link #WIDE_OUT} channels per group on planes of up to {@link #MID_PLANE} positions: {@code bcast-o} runs the
     * others one group at a time. Measured 2026-11-24 on one thread (CPU time, the two alternating in one JVM), 3x3 kernel
     * gradients against the GEMM (the stride-1 ones are {@code winograd-dw}'s since, {@link GradKernelWinograd#suits}):
     * 8x256x28x28 in 4 groups 20.2 against 30.8 ms (two threads 11.0 / 16.4), 8x128x28x28 in 2 groups 10.0 / 15.2,
     * 8x512x14x14 in 8 groups 11.2 / 15.0, 8x128x28x28 -> 256 in 4 groups 11.3 / 15.1, 8x256x56x56 in 4 groups 81 / 184,
     * small planes 32x512x7x7 in 8 groups 13.5 / 15.7 and 64x256x8x8 in 4 groups 14.9 / 19.7; against {@code dot} (which
     * narrower groups took before): 8x128x56x56 in 4 and 8 groups 23.6 / 40.0 and 15.1 / 20.2, 8x64x28x28 in 2 groups 3.0 /
     * 6.1, 8x64x56x56 in 2 groups 11.6 / 21.4, 8x256x28x28 in 16 groups 7.9 / 9.8, 8x256x28x28 -> 512 s2 in 16 groups 4.6 /
     * 7.4, 5x5 8x32x56x56 in 2 groups 9.4 / 12.3. The GEMM stays ahead on grouped 1x1 kernels (8x1024x14x14 in 32 groups 3.4
     * against 5.3 ms).
     */
    static boolean suits(Kernels k, ConvPlan p) {
        if (!supports(p)) return false;
        if (force) return true;
        int og = p.outChannels() / p.featureGroups(), cols = p.kernelChannels() * (int) Canonical.product(p.kernelSize());
        long q = Canonical.product(p.outSize());
        boolean pointwise = Canonical.product(p.kernelSize()) == 1 && og >= 8 && p.kernelChannels() >= 8;
        boolean smallPlanes = q <= SMALL_PLANE && (long) p.outBatch() * q >= 256 && og >= 8 && cols >= 64
                && (p.featureGroups() == 1 || og < k.lanes());
        boolean wideMidPlanes = q <= MID_PLANE && og >= WIDE_OUT && cols >= 64;
        return pointwise || smallPlanes || wideMidPlanes;
    }

    /** Probes and comparisons turn {@link Job#byColumns} off with this. */
    static volatile boolean BY_COLUMNS = true;

    /** Output planes up to this many positions count as small. */
    static final int SMALL_PLANE = 64;

    /**
     * Planes up to this many positions with {@link #WIDE_OUT}+ output channels per group also take the GEMM: {@code bcast-o}
     * holds a few vectors of output channels in registers and reads the input again for every block of them. Measured (one
     * thread, CPU time, 2026-11-24, after {@code bcast-o} moved to the channel-lanes tiles over the grid points only) on
     * stride-2 3x3 layers with 196 outputs per image: 8x256x28x28 -> 512 38.9 against 40.4 ms ({@code bcast-o}); with 256
     * output channels {@code bcast-o} is ahead (8x128x28x28 -> 256 9.6-10.0 against 10.4 ms, 16x128x28x28 -> 256 19.2-19.4
     * against 20.4-20.7 ms), and at 784 outputs per image it stays ahead.
     */
    static final int MID_PLANE = 256, WIDE_OUT = 512;

    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        new Job(kern, p, x, g).run(dw);
    }

    static final class Job {
        final Kernels kern;
        final Gemm gemm;
        final float[] x, g;
        final int batch, c, o, groups, og, cg, taps, q, xPlane, cols, kBlocks, kc, chunks, nc, r;
        /**
         * Items are (group, block of columns), each over the whole reduction, instead of (group, chunk of the reduction): B not
         * read in place ({@link #identity}), fewer groups than threads, more than one chunk, and four tiles' widths of columns per
         * thread or more; the blocks rounded up to a multiple of the threads, so each thread gets as many.
         */
        final boolean byColumns;
        /** {@code map[t*q + j]}: the input offset in a channel plane read by tap t at output position j, or -1 for a zero. */
        final int[] map;
        /** One tap, read in place: B's rows are the input's columns. */
        final boolean identity;
        /** Without {@link #identity}: {@code idx[j*cols + (c, t)]}, the offset read from the group's first channel plane, or -1. */
        final int[] idx;

        Job(Kernels kern, ConvPlan p, float[] x, float[] g) {
            this.kern = kern; this.x = x; this.g = g;
            batch = p.outBatch();
            c = p.channels();
            o = p.outChannels();
            groups = p.featureGroups();
            og = o / groups;
            cg = p.kernelChannels();
            int[] in = p.spatial(), qs = p.outSize(), ks = p.kernelSize(), s = p.strides(), lo = p.padLow(),
                    ld = p.inputDilation(), kd = p.kernelDilation();
            int n = in.length;
            taps = (int) Canonical.product(ks);
            q = (int) Canonical.product(qs);
            xPlane = (int) Canonical.product(in);
            cols = cg * taps;
            int[] xst = ShiftedConv.rowMajorStrides(in);
            map = new int[taps * q];
            int[] tc = new int[n], qc = new int[n];
            boolean id = taps == 1 && q == xPlane;
            for (int t = 0; t < taps; t++) {
                java.util.Arrays.fill(qc, 0);
                for (int j = 0; j < q; j++) {
                    int off = 0;
                    for (int i = 0; i < n && off >= 0; i++) {
                        int pos = qc[i] * s[i] + tc[i] * kd[i] - lo[i];
                        int di = ConvPlan.dilate(in[i], ld[i]);
                        if (pos < 0 || pos >= di || pos % ld[i] != 0) off = -1;
                        else off += pos / ld[i] * xst[i];
                    }
                    map[t * q + j] = off;
                    id &= off == j;
                    for (int i = n - 1; i >= 0 && ++qc[i] == qs[i]; i--) qc[i] = 0;
                }
                for (int i = n - 1; i >= 0 && ++tc[i] == ks[i]; i--) tc[i] = 0;
            }
            identity = id;
            // per output position j and column (c, t): the input offset from the group's first channel plane, or -1
            idx = identity ? null : new int[q * cols];
            if (!identity) {
                for (int j = 0; j < q; j++) {
                    for (int col = 0; col < cols; col++) {
                        int ch = col / taps, m = map[(col - ch * taps) * q + j];
                        idx[j * cols + col] = m < 0 ? -1 : ch * xPlane + m;
                    }
                }
            }
            r = batch * q;
            gemm = Gemm.choose(GemmKernels.of(kern), og, cols, TILES);
            int blocks0 = Math.max(1, (r + KC_MAX - 1) / KC_MAX);
            long work = (long) groups * og * cols * r;
            int t = ShiftedConv.threadsFor(work);
            // a few chunks per thread so that a thread slowed by other work does not hold up the rest
            chunks = t <= 1 ? 1 : Math.max(1, Math.min(blocks0, (2 * t + groups - 1) / groups));
            // the same number of reduction blocks in every chunk (17 blocks in 4 chunks left one thread 9 blocks, the other 8)
            kBlocks = Math.min(r, (blocks0 + chunks - 1) / chunks * chunks);
            kc = (r + kBlocks - 1) / kBlocks;
            int nr = gemm.nr;
            int want = Math.max(nr, GemmConv.blockFloats / Math.max(1, kc) / nr * nr);
            int colBlocks = (cols + want - 1) / want;
            byColumns = BY_COLUMNS && !identity && t > 1 && groups < t && chunks > 1 && cols >= t * nr * 4;
            if (byColumns) {
                // every thread the same number of column blocks
                colBlocks = (colBlocks + t - 1) / t * t;
            }
            nc = ((cols + colBlocks - 1) / colBlocks + nr - 1) / nr * nr;
        }

        void run(float[] dw) {
            if (byColumns) {
                int colBlocks = (cols + nc - 1) / nc;
                long work = (long) groups * og * cols * r;
                Threads.parallelFor(groups * colBlocks, ShiftedConv.threadsFor(work), idx -> columns(idx / colBlocks, idx % colBlocks * nc, dw));
                return;
            }
            int size = groups * og * cols;
            float[] part = chunks > 1 ? Scratch.floats(Scratch.PART, (chunks - 1) * size) : null;
            long work = (long) groups * og * cols * r;
            Threads.parallelFor(groups * chunks, ShiftedConv.threadsFor(work), idx -> item(idx, dw, part));
            // the chunks' partial results in chunk order
            PartialSums.addInOrder(dw, part, 0, size, chunks - 1, size);
        }

        /** Group {@code gi}'s columns {@code [j0, j0 + nc)} over the whole reduction, into {@code dw}. */
        void columns(int gi, int j0, float[] dw) {
            int ncA = Math.min(nc, cols - j0);
            float[] buf = Scratch.floats(Scratch.PACK, og * kc + gemm.bSize(kc, ncA));
            int bOff = og * kc;
            for (int kb = 0; kb < kBlocks; kb++) {
                int r0 = (int) ((long) kb * r / kBlocks), kcA = (int) ((long) (kb + 1) * r / kBlocks) - r0;
                packA(gi, r0, kcA, buf);
                packB(gi, r0, kcA, j0, ncA, buf, bOff);
                gemm.multiply(buf, 0, og, kcA, buf, bOff, ncA, dw, gi * og * cols + j0, cols, kb > 0);
            }
        }

        void item(int idx, float[] dw, float[] part) {
            int ch = idx % chunks, gi = idx / chunks;
            int kb0 = (int) ((long) ch * kBlocks / chunks), kb1 = (int) ((long) (ch + 1) * kBlocks / chunks);
            float[] dst = ch == 0 ? dw : part;
            int dOff = (ch == 0 ? 0 : (ch - 1) * groups * og * cols) + gi * og * cols;
            int ncMax = Math.min(nc, cols);
            float[] buf = Scratch.floats(Scratch.PACK, og * kc + gemm.bSize(kc, ncMax));
            int bOff = og * kc;
            for (int kb = kb0; kb < kb1; kb++) {
                // block kb: steps [kb*r/kBlocks, (kb+1)*r/kBlocks), at most kc and never empty
                int r0 = (int) ((long) kb * r / kBlocks), kcA = (int) ((long) (kb + 1) * r / kBlocks) - r0;
                packA(gi, r0, kcA, buf);
                boolean add = kb != kb0;
                for (int j0 = 0; j0 < cols; j0 += nc) {
                    int ncA = Math.min(nc, cols - j0);
                    packB(gi, r0, kcA, j0, ncA, buf, bOff);
                    gemm.multiply(buf, 0, og, kcA, buf, bOff, ncA, dst, dOff + j0, cols, add);
                }
            }
        }

        /**
         * {@code A[i][kk] = g[b][gi*og + i][j]} for the reduction steps {@code r0 + kk = b*q + j}, in row panels. Whole blocks of
         * {@code lanes} steps of the whole panels are {@link GemmKernels#transpose}d ({@code lanes} rows at a time, when the
         * tile height divides the lanes); the rest is copied element by element.
         */
        void packA(int gi, int r0, int kcA, float[] ap) {
            int mr = gemm.mr, lanes = gemm.lanes;
            int full = lanes % mr == 0 ? og / mr * mr : 0;
            int b0 = r0 / q, j00 = r0 - b0 * q;
            // lanes rows at a time, each walked along the reduction (a few streams the prefetcher follows)
            for (int p0 = 0; p0 < full; p0 += lanes) {
                int rows = Math.min(lanes, full - p0);
                for (int kk = 0, b = b0, j = j00; kk < kcA; ) {
                    int len = Math.min(lanes, Math.min(q - j, kcA - kk));
                    int s = (b * o + gi * og + p0) * q + j;
                    if (len == lanes) {
                        gemm.k.transpose(g, s, q, rows, ap, p0 * kcA + kk * mr, mr, mr, mr * kcA);
                    } else {
                        for (int i = 0; i < rows; i++) {
                            int d = (p0 + i / mr * mr) * kcA + kk * mr + i % mr;
                            for (int u = 0; u < len; u++) ap[d + u * mr] = g[s + i * q + u];
                        }
                    }
                    kk += len;
                    j += len;
                    if (j == q) { j = 0; b++; }
                }
            }
            for (int p0 = full; p0 < og; p0 += mr) {
                int h = Math.min(mr, og - p0), base = p0 * kcA;
                for (int kk = 0, b = b0, j = j00; kk < kcA; ) {
                    int len = Math.min(lanes, Math.min(q - j, kcA - kk));
                    int s = (b * o + gi * og + p0) * q + j, d = base + kk * h;
                    for (int i = 0; i < h; i++, s += q) {
                        for (int u = 0, di = d + i; u < len; u++, di += h) ap[di] = g[s + u];
                    }
                    kk += len;
                    j += len;
                    if (j == q) { j = 0; b++; }
                }
            }
        }

        /**
         * {@code B[kk][jj] = x[b][gi*cg + ch][map[t*q + j]]} for columns {@code j0 + jj = ch*taps + t}, {@code jj < ncA}, into
         * panels at {@code bp[bOff ..]}, zero past {@code ncA}. With {@link #identity}, whole blocks of {@code lanes} positions are
         * {@link GemmKernels#transpose}d ({@code lanes} channel rows at a time; measured 3x faster than element copies for 1x1
         * kernels); otherwise panel row by panel row, the offsets from {@link #idx}, one image's positions at a time.
         */
        void packB(int gi, int r0, int kcA, int j0, int ncA, float[] bp, int bOff) {
            int nr = gemm.nr;
            if (identity) {
                packRows(r0, kcA, j0, ncA, bp, bOff, (gi * cg + j0) * xPlane);
                return;
            }
            int b = r0 / q, j = r0 - b * q;
            for (int kk = 0; kk < kcA; ) {
                int len = Math.min(gemm.lanes, Math.min(q - j, kcA - kk));
                int xb = (b * c + gi * cg) * xPlane;
                for (int pj = 0; pj < ncA; pj += nr) {
                    int w = gemm.panelWidth(pj, ncA), valid = Math.min(nr, ncA - pj), d = bOff + pj * kcA + kk * w;
                    for (int u = 0; u < len; u++) {
                        int ib = (j + u) * cols + j0 + pj, du = d + u * w;
                        for (int e = 0; e < valid; e++) {
                            int m = idx[ib + e];
                            bp[du + e] = m < 0 ? 0f : x[xb + m];
                        }
                    }
                    for (int u = 0; u < len; u++) {
                        for (int e = valid; e < w; e++) bp[d + u * w + e] = 0f;
                    }
                }
                kk += len;
                j += len;
                if (j == q) { j = 0; b++; }
            }
        }

        /**
         * {@link #packB} of a 1x1 kernel: {@code B[kk][jj] = x[b][gi*cg + j0 + jj][j]} ({@code x0} the offset of channel
         * {@code gi*cg + j0} in image 0), {@code lanes} channels at a time, each walked along the reduction; whole blocks of
         * {@code lanes} positions are {@link GemmKernels#transpose}d.
         */
        private void packRows(int r0, int kcA, int j0, int ncA, float[] bp, int bOff, int x0) {
            int nr = gemm.nr, lanes = gemm.lanes, b0 = r0 / q, j00 = r0 - b0 * q;
            for (int pj = 0; pj < ncA; pj += nr) {
                int w = gemm.panelWidth(pj, ncA), valid = Math.min(nr, ncA - pj), d0 = bOff + pj * kcA;
                for (int e = 0; e < valid; e += lanes) {
                    int rows = Math.min(lanes, valid - e), xe = x0 + (pj + e) * xPlane;
                    for (int kk = 0, b = b0, j = j00; kk < kcA; ) {
                        int len = Math.min(lanes, Math.min(q - j, kcA - kk));
                        int xi = xe + b * c * xPlane + j, d = d0 + kk * w + e;
                        if (len == lanes) {
                            gemm.k.transpose(x, xi, xPlane, rows, bp, d, w, lanes, 0);
                        } else {
                            for (int i = 0; i < rows; i++) {
                                for (int u = 0; u < len; u++) bp[d + u * w + i] = x[xi + i * xPlane + u];
                            }
                        }
                        kk += len;
                        j += len;
                        if (j == q) { j = 0; b++; }
                    }
                }
                for (int kk = 0; kk < kcA; kk++) {
                    for (int e = valid; e < w; e++) bp[d0 + kk * w + e] = 0f;
                }
            }
        }
    }
}
