package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * The kernel gradient with the BATCH in the vector lanes, for small planes and big batches (the MNIST CNN's layers):
 * {@code dW[o][(c, t)] = sum_{b, q} g[b][o][q] * x[b][c][q*s + t*kd - lo]} as dot products whose lanes are images. The input
 * is transposed once to {@link BatchConv}'s {@code [block][channel][padded position][L images]} (the forward pass's layout) and
 * the output gradient to {@code [o][block][position][L images]}, so that reduction step {@code (block, q)} of column
 * {@code (c, t)} is one vector at {@code xCol[(c, t)] + xStep[(block, q)]}, and of row {@code o} the next vector of its row: a
 * register tile of {@code mr} rows times {@code nc} columns loads {@code mr + nc} vectors for {@code mr * nc} multiply-adds per
 * step and sums across the lanes once at the end. No im2col is built (any stride, padding or kernel dilation is in the
 * offsets), and no lanes are spent on plane edges, unlike {@code dot} (positions in the lanes) and {@code gemm-dw} (which
 * gathers the input into a transposed im2col matrix element by element). Items are parts of the batch, one per thread: each
 * copies its own blocks and writes vector sums of its own, added in part order at the end, so the result does not depend on
 * scheduling.
 */
final class GradKernelBatch {
    private GradKernelBatch() {}

    /** The engine's name in {@link Planner}'s choices. */
    static final String NAME = "batch-lanes-dw";

    /** The largest register tile: rows (output channels) and columns (input channel, tap); smaller ones take the edges. */
    static final int MR = 4, NC = 6;

    /** Tests force this engine on every plan it can compute. */
    static volatile boolean force;

    /**
     * The register tiles: the vector {@code acc[accOff + (i*ldo + j)*L + l]} becomes
     * {@code sum_{s0 <= s < s1} g[gBase + i*gRow + s*L + l] * x[xBase + xCol[xco+j] + xStep[s] + l]}, for lanes {@code l < L}.
     */
    interface Tiles {
        int lanes();

        /** The sum of every lane of the {@code count} vectors at {@code acc[off + i*stride]}. */
        float sumLanes(float[] acc, int off, int count, int stride);

        void tile(int mr, int nc, float[] g, int gBase, int gRow, float[] x, int xBase, int[] xCol, int xco, int[] xStep, int s0, int s1, float[] acc, int accOff, int ldo);
    }

    private static final Tiles VECTOR = Simd.loadVector("dev.convolve.backend.fast.BatchLanesDwVector", Tiles.class);

    /** The tiles matching {@code k}: the Vector API tiles with {@link VectorKernels}, the scalar ones otherwise. */
    static Tiles tiles(Kernels k) {
        return k instanceof ScalarKernels || VECTOR == null || VECTOR.lanes() != k.lanes() ? new Scalar(k.lanes()) : VECTOR;
    }

    /** The most bytes of copied input and gradient per item (half the L2 cache). */
    static final long PART_BYTES = 1 << 20;

    /** Output positions per image up to which the engine is chosen. */
    static final int MAX_GRID = 1024;

    /** Computes the plan at all: no batch groups, no input dilation (one sub-problem: the output's grid). */
    static boolean supports(ConvPlan p) {
        if (!Planner.enabled(NAME) || p.batchGroups() > 1 || p.spatialRank() < 1) return false;
        for (int v : p.inputDilation()) if (v != 1) return false;
        return Canonical.product(p.outSize()) > 0 && SubProblem.of(p).size() == 1;
    }

    /**
     * Chosen for output planes of at most {@link #MAX_GRID} positions with a batch of two vectors or more (the batch fills the
     * lanes, the planes would not) and at most two vectors of output channels per group. Measured 2026-11-24 against the
     * engine chosen before, one thread (CPU time, median of 5-7, the two in one JVM): mnist-l3 (256x8x7x7 -> 16 3x3 s2) 198
     * against 362 µs ({@code gemm-dw}), mnist-l2 (256x4x14x14 -> 8) 196 / 396 ({@code dot}), its 5x5 form 332 / 1294, mnist-l1
     * (256x1x28x28 -> 4) 173 / 241, 128x8x10x10 -> 16 181 / 281, 256x16x14x14 -> 32 s2 1.90 / 2.36 ms, LeNet's 256x6x14x14 ->
     * 16 5x5 1.52 / 2.25 ms; after the vector sums (one part per thread), forced against the others: mnist-l4 134 / 182 µs
     * ({@code dense-matrix-dw}), mnist-l5 (one output position) 37 / 42 ({@code gemm-dw}), 64x8x7x7 -> 16 s2 46 / 84, 32x8x7x7
     * 24 / 46, 64x4x16x16 -> 8 182 / 250, 64x3x32x32 -> 16 1.15 / 1.92 ms; on two threads (wall clock, 9 samples) 64x3x32x32
     * -> 16 573 / 1198 µs, -> 32 1263 / 1529, 256x1x28x28 -> 8 522 / 554. Left to the others: 64 output channels
     * ({@code gemm-dw}: 128x32x8x8 -> 64 s2 1.08 against 1.12 ms on one thread, 0.59 / 0.67 on two) and planes above 1024
     * positions (32x3x64x64 -> 32: 1.05x on one thread, 0.74x on two).
     */
    static boolean suits(Kernels k, ConvPlan p) {
        if (!supports(p) || !fitsArrays(k, p)) return false;
        if (force) return true;
        long q = Canonical.product(p.outSize());
        int og = p.outChannels() / p.featureGroups();
        return q <= MAX_GRID && p.outBatch() >= 2 * k.lanes() && og <= 2 * k.lanes();
    }

    /**
     * The copies' sizes fit Java arrays: the input in blocks of images with its padding (at most the input, both paddings and
     * the kernel's reach per axis) and the gradient in blocks.
     */
    static boolean fitsArrays(Kernels k, ConvPlan p) {
        long batch = ((long) p.outBatch() + k.lanes() - 1) / k.lanes() * k.lanes(), padded = 1;
        int[] in = p.spatial(), ks = p.kernelSize(), kd = p.kernelDilation(), lo = p.padLow(), hi = p.padHigh();
        for (int i = 0; i < in.length; i++) padded *= in[i] + Math.abs((long) lo[i]) + Math.abs((long) hi[i]) + (ks[i] - 1L) * kd[i] + 1;
        long xb = batch * p.channels() * padded, gb = batch * p.outChannels() * Canonical.product(p.outSize());
        return Math.max(xb, gb) < Integer.MAX_VALUE / 2;
    }

    /** Computes {@code dw} (canonical {@code [O][I][K...]}, zeroed) from canonical {@code x} and {@code g}. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        List<SubProblem> subs = SubProblem.of(p);
        SubProblem sp = subs.get(0);
        Tiles tl = tiles(kern);
        int lanes = kern.lanes();
        BatchConv.Job in = new BatchConv.Job(kern, p, subs, x, null, null, 1);
        int groups = in.groups, og = in.og, cg = in.cg, o = in.o, blocks = in.blocks, n = in.n, pTot = in.pTot;
        int qTot = in.qTot, taps = sp.tapCount(), cols = cg * taps, steps = blocks * qTot;
        long work = (long) groups * og * cols * steps * lanes;
        int threads = ShiftedConv.threadsFor(work);
        in.allocateInput();
        float[] gb = Scratch.floats(Scratch.PACK, o * steps * lanes + lanes);
        // the offsets: column (c, t) and step (block, q) in a group's part of xb
        int[] xCol = new int[cols];
        int[] kIdx = new int[taps];
        int[] po = in.tapPositions(sp, kIdx);
        for (int tp = 0; tp < taps; tp++) for (int ci = 0; ci < cg; ci++) xCol[ci * taps + tp] = (ci * pTot + po[tp]) * lanes;
        int[] xStep = Scratch.ints(Scratch.AUX, steps);
        int[] j = new int[n];
        for (int q = 0; q < qTot; q++) {
            int pos = 0;
            for (int i = 0; i < n; i++) pos += j[i] * sp.stride[i] * in.pst[i];
            for (int b = 0; b < blocks; b++) xStep[b * qTot + q] = (b * cg * pTot + pos) * lanes;
            for (int i = n - 1; i >= 0; i--) {
                if (++j[i] < sp.grid[i]) break;
                j[i] = 0;
            }
        }
        // items are parts of the batch (whole blocks of images): each transforms its blocks of the input and the gradient, then
        // runs every tile over them into vector sums of its own, so a thread reads what it wrote (one hand-off, no sharing). One
        // part per thread (mnist-l3 on two threads: 96-111 µs, against 107-150 with two parts per thread), more when a part's
        // copies would take more than PART_BYTES.
        long bytesPerBlock = 4L * (groups * cg * pTot + o * qTot) * lanes;
        int parts = (int) Math.min(blocks, Math.max(threads, (bytesPerBlock * blocks + PART_BYTES - 1) / PART_BYTES));
        int perPart = (blocks + parts - 1) / parts;
        int nParts = (blocks + perPart - 1) / perPart, sums = o * cols;
        // per part, the vector sums [O][cols][L], added up across parts and lanes at the end
        float[] part = Scratch.floats(Scratch.PART, nParts * sums * lanes);
        Threads.parallelFor(nParts, threads, pi -> {
            int b0 = pi * perPart, b1 = Math.min(blocks, b0 + perPart);
            for (int grp = 0; grp < groups; grp++) for (int blk = b0; blk < b1; blk++) in.transformChannels(grp, blk, 0, cg);
            for (int blk = b0; blk < b1; blk++) for (int oc = 0; oc < o; oc++) transformGrad(kern, g, gb, oc * blocks + blk, blocks, o, qTot, p.outBatch());
            int s0 = b0 * qTot, s1 = b1 * qTot;
            float[] xb = in.xb;
            for (int grp = 0; grp < groups; grp++) {
                for (int o0 = 0; o0 < og; o0 += MR) {
                    int mr = Math.min(MR, og - o0), oc = grp * og + o0;
                    for (int c0 = 0; c0 < cols; c0 += NC) {
                        tl.tile(mr, Math.min(NC, cols - c0), gb, oc * steps * lanes, steps * lanes, xb, grp * blocks * cg * pTot * lanes, xCol, c0,
                                xStep, s0, s1, part, (pi * sums + oc * cols + c0) * lanes, cols);
                    }
                }
            }
        });
        int kPlane = in.kPlane;
        for (int oc = 0; oc < o; oc++) {
            for (int col = 0; col < cols; col++) {
                dw[oc * cg * kPlane + (col / taps) * kPlane + kIdx[col % taps]] = tl.sumLanes(part, (oc * cols + col) * lanes, nParts, sums * lanes);
            }
        }
    }

    /**
     * Item {@code idx = (channel, block)}: the output gradient of one channel and block of images, {@code g[b][o][q]} to
     * {@code gb[((o*blocks + block)*Q + q)*L + image]}, by 16x16 block transposes (scalars for a tail of positions), the lanes
     * past the batch zero.
     */
    private static void transformGrad(Kernels kern, float[] g, float[] gb, int idx, int blocks, int o, int qTot, int batch) {
        int oc = idx / blocks, blk = idx % blocks;
        GemmKernels gk = GemmKernels.of(kern);
        int lanes = gk.lanes(), imgs = Math.min(lanes, batch - blk * lanes), sStride = o * qTot;
        int d0 = (oc * blocks + blk) * qTot * lanes, s0 = (blk * lanes * o + oc) * qTot;
        if (imgs < lanes) java.util.Arrays.fill(gb, d0, d0 + qTot * lanes, 0f);
        int e = 0;
        for (; e + lanes <= qTot; e += lanes) gk.transpose(g, s0 + e, sStride, imgs, gb, d0 + e * lanes, lanes, lanes, 0);
        for (; e < qTot; e++) for (int i = 0; i < imgs; i++) gb[d0 + e * lanes + i] = g[s0 + i * sStride + e];
    }

    /** The tiles in plain Java. */
    static final class Scalar implements Tiles {
        private final int lanes;

        Scalar(int lanes) { this.lanes = lanes; }

        @Override
        public int lanes() { return lanes; }

        @Override
        public float sumLanes(float[] acc, int off, int count, int stride) {
            float s = 0;
            for (int i = 0; i < count; i++) for (int l = 0; l < lanes; l++) s += acc[off + i * stride + l];
            return s;
        }

        @Override
        public void tile(int mr, int nc, float[] g, int gBase, int gRow, float[] x, int xBase, int[] xCol, int xco, int[] xStep, int s0, int s1, float[] acc, int accOff, int ldo) {
            for (int i = 0; i < mr; i++) {
                for (int jc = 0; jc < nc; jc++) {
                    int a = accOff + (i * ldo + jc) * lanes, xo = xBase + xCol[xco + jc];
                    java.util.Arrays.fill(acc, a, a + lanes, 0f);
                    for (int st = s0; st < s1; st++) {
                        int gp = gBase + i * gRow + st * lanes, xp = xo + xStep[st];
                        for (int l = 0; l < lanes; l++) acc[a + l] += g[gp + l] * x[xp + l];
                    }
                }
            }
        }
    }
}
