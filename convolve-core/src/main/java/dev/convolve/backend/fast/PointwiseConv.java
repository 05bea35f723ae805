package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * A 1x1 conv (stride 1, no padding, no groups) with the input and output read and written where they lie, in their own
 * {@code [image][channel][position]} layout: no transposes, no copies of the input.
 *
 * <p>Each image's output is the product {@code out[n] = W [O x C] x x[n] [C x Q]}. Its positions, by whole tiles of
 * {@code nr} (three vectors), are the columns of the shifted GEMM tile over rows a fixed stride apart
 * ({@link GemmKernels#gemmLinear}): eight output channels as the rows (their weights broadcast from the kernel packed as
 * {@code [block of 8][C][8]}), a step per input channel, the input's row of that channel loaded in place ({@code Q} floats
 * apart), the sums stored straight into the output's rows. The
 * positions past the last whole tile ({@code Q mod nr}: 1 of 7x7's 49, 4 of 10x10's 100) are the rows of a broadcast tile
 * instead ({@link GemmKernels#bcastIdx}): (image, position) pairs as the rows, the output channels in the lanes, stored
 * through a small buffer.
 *
 * <p>Work items are (block of output channels, run of images); inside one, by chunks of {@link #KC} input channels: the
 * chunk's weights for the block stay in the L2 cache over the images, a tile's input (one chunk by {@code nr} positions) in
 * the L1 cache over the block's output channels, and the sums of later chunks are added to the output.
 *
 * <p>Why: {@code channel-lanes} moved each image into and out of a channels-last layout (a fifth of 64x128x7x7 -> 128's
 * time in block transposes), and {@code gemm} padded 49 positions to 64 columns.
 */
final class PointwiseConv {
    private PointwiseConv() {}

    static final String NAME = "pointwise-in-place";

    /** For tests and measurements: take this path for every plan it supports. */
    static volatile boolean force;

    /** Output channels per tile row block: the shifted GEMM tile's rows. */
    static final int MR = 8;

    /**
     * Input channels per chunk: fewer sums stored and added back than with 128 (32x256x10x10 -> 512 0.95x the time, 64x128x7x7
     * -> 128 level; 64 was 1.12x there; one JVM, both orders, 2026-11-26).
     */
    static final int KC = 256;

    /** Output channels per work item at most: their weights for a chunk, {@code KC x 256} floats (256 KB), stay in the L2 cache. */
    static volatile int blockOutMax = 256;

    /**
     * 1x1 kernels with unit strides, no padding and no dilation, without groups, 8 output channels or a multiple of 8, and
     * at least 16 input channels; a vector tile of {@link #MR} rows.
     */
    static boolean supports(Kernels k, ConvPlan p) {
        if (!Planner.enabled(NAME) || p.featureGroups() != 1 || p.batchGroups() != 1 || p.channels() < 16) return false;
        if (p.outChannels() % MR != 0 || !GemmKernels.of(k).hasGemmLinear(MR, k.gemmVectors(MR))) return false;
        int n = p.spatialRank();
        for (int a = 0; a < n; a++) {
            if (p.kernelSize()[a] != 1 || p.strides()[a] != 1 || p.inputDilation()[a] != 1 || p.padLow()[a] != 0 || p.padHigh()[a] != 0) return false;
        }
        long q = Canonical.product(p.outSize()), c = p.channels();
        return c * q * p.outBatch() < Integer.MAX_VALUE && (long) p.outChannels() * q * p.outBatch() < Integer.MAX_VALUE
                && c * (p.outChannels() + k.lanes()) + 16 < Integer.MAX_VALUE;
    }

    /** The most positions per image, the most weights ({@code C x O}) and the fewest columns (images x positions) of {@link #suits}. */
    static final int MAX_POSITIONS = 196, MAX_WEIGHTS = 256 * 1024, MIN_COLUMNS = 1024;

    /**
     * Where the planner takes this path, before {@code channel-lanes} and {@code gemm}: planes of at least one whole tile
     * of positions, less than a quarter of them in the rest, and at most {@link #MAX_POSITIONS} (14x14); weights within
     * {@link #MAX_WEIGHTS} (their transpose, made per call, is paid back); at least {@link #MIN_COLUMNS} columns. Measured
     * 2026-11-26 on 2 threads (one JVM, the planner with and without this engine, both orders), forward, the time against
     * the engine chosen before: 64x128x7x7 -> 128 0.75x (channel-lanes), 64x64x7x7 -> 256 0.68x, 32x128x10x10 -> 128 0.78x,
     * 32x256x10x10 -> 512 0.82x, 64x64x14x14 -> 64 0.86x, 8x256x14x14 -> 256 0.98x, 64x128x11x11 -> 64 (25 of 121
     * positions in the rest) 0.90x, 64x64x7x7 -> 32 0.33x (gemm); input gradients 0.79-0.88x. Left to the others: 8x8
     * planes (16 of 64 positions in the rest: 64x128x8x8 -> 128 1.12x, 64x32x8x8 -> 128 1.10x), 28x28 planes and larger
     * (8x256x28x28 -> 256 1.19x against gemm, 8x64x56x56 -> 256 1.45x), 4x4 planes (all positions in the rest: 1.40x),
     * one image (1x512x7x7 -> 512 2.0x), 8x256x7x7 -> 64 (1.11x), and bigger weights (8x2048x7x7 -> 512 1.03x). With
     * the linear tile ({@link GemmKernels#gemmLinear}) the weights' limit went from 128K to 256K: forced against the
     * engine chosen before, 32x512x7x7 -> 512 0.90-0.92x the time (gemm) and its input gradient 0.91x, 32x1024x7x7 -> 256
     * 0.90x and 64x256x7x7 -> 1024 0.92x (channel-lanes), 32x256x14x14 -> 1024 1.01x and its input gradient 0.96x.
     */
    static boolean suits(Kernels k, ConvPlan p) {
        if (!supports(k, p)) return false;
        if (force) return true;
        long q = Canonical.product(p.outSize()), nr = (long) k.gemmVectors(MR) * k.lanes();
        return q >= nr && 4 * (q % nr) < q && q <= MAX_POSITIONS && (long) p.channels() * p.outChannels() <= MAX_WEIGHTS
                && q * p.outBatch() >= MIN_COLUMNS;
    }

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        GemmKernels gk = GemmKernels.of(kern);
        int lanes = kern.lanes(), o = p.outChannels(), c = p.channels(), batch = p.outBatch();
        int q = (int) Canonical.product(p.outSize());
        int opad = TapListConv.padded(o, lanes);
        int nvMain = kern.gemmVectors(MR), nr = nvMain * lanes, whole = q / nr * nr, rest = q - whole;
        // W^T [c][opad]: the rest tile's vectors
        float[] wt = rest > 0 ? Scratch.floats(Scratch.PACK, c * opad + 16) : null;
        if (wt != null) Threads.parallelFor((o + lanes - 1) / lanes, (long) c * opad >= GemmConv.PARALLEL_PACK ? Threads.threads() : 1, i -> {
            int rows = Math.min(lanes, o - i * lanes);
            TapListConv.transposeMatrix(gk, w, i * lanes * c, c, rows, c, wt, i * lanes, opad);
            if (rows < lanes) for (int r = 0; r < c; r++) java.util.Arrays.fill(wt, r * opad + o, r * opad + i * lanes + lanes, 0f);
        });
        // the GEMM tile's weights as [block of 8 output channels][c][8] (lda = 8: a step's broadcasts in one cache line), for
        // the tile over the input's channel rows a fixed q floats apart (no offset table: its reads checked once per call)
        float[] ap = Scratch.floats(Scratch.GRAD, o * c + 16);
        Threads.parallelFor(o / MR, (long) c * o >= GemmConv.PARALLEL_PACK ? Threads.threads() : 1, b ->
                TapListConv.transposeMatrix(gk, w, b * MR * c, c, MR, c, ap, b * MR * c, MR));
        int kc = Math.min(c, KC);
        // the rest tile's steps (input channel c: input at c*q, weights at c*opad), in the calling thread's scratch (the
        // workers only read them): no garbage per call
        int[] idx = rest > 0 ? Scratch.ints(Scratch.PART, 2 * c) : null;
        if (idx != null) for (int ci = 0; ci < c; ci++) { idx[2 * ci] = ci * q; idx[2 * ci + 1] = ci * opad; }
        int blockOut = Math.min(o, blockOutMax), groups = (o + blockOut - 1) / blockOut;
        long work = (long) batch * q * c * o;
        int threads = ShiftedConv.threadsFor(work);
        int chunks = Math.max(1, Math.min(batch, (4 * threads + groups - 1) / groups));
        int per = (batch + chunks - 1) / chunks;
        chunks = (batch + per - 1) / per;
        int items = groups * chunks, bo = blockOut;
        Threads.parallelFor(items, threads, item -> {
            int g = item % groups, n0 = item / groups * per, n1 = Math.min(batch, n0 + per);
            int o0 = g * bo, o1 = Math.min(o, o0 + bo);
            Rest r = rest > 0 ? new Rest(gk, c, q, whole, n0, n1, o0, o1) : null;
            for (int k0 = 0; k0 < c; k0 += kc) {
                int kk = Math.min(kc, c - k0);
                for (int n = n0; n < n1; n++) {
                    int xb = (n * c + k0) * q;
                    for (int p0 = 0; p0 < whole; p0 += nr) {
                        for (int oc = o0; oc < o1; oc += MR) {
                            int cOff = (n * o + oc) * q + p0;
                            gk.gemmLinear(MR, nvMain, ap, oc * c + k0 * MR, MR, kk, x, xb + p0, q, out, cOff, q, k0 > 0);
                        }
                    }
                }
                // the rest of the positions over the same chunk, while its weights are in the cache
                if (r != null) r.chunk(x, wt, idx, k0, kk);
            }
            if (r != null) r.store(o, out);
        });
    }

    /**
     * Positions {@code [whole, q)} of images {@code [n0, n1)}, output channels {@code [o0, o1)} of one work item: rows of
     * (image, position) pairs, the channels in the lanes, by tiles of {@code mr} rows into a buffer {@code [pair][o1 - o0]}
     * (chunk by chunk of input channels, adding after the first), then copied out.
     */
    private static final class Rest {
        final GemmKernels gk;
        final int q, whole, rest, n0, o0, o1, ld, pairs, mr, nv, nr;
        final int[] rowOff;
        final float[] sums;

        Rest(GemmKernels gk, int c, int q, int whole, int n0, int n1, int o0, int o1) {
            this.gk = gk; this.q = q; this.whole = whole; this.n0 = n0; this.o0 = o0; this.o1 = o1;
            int lanes = gk.lanes(), vecs = (o1 - o0 + lanes - 1) / lanes;
            rest = q - whole;
            pairs = (n1 - n0) * rest;
            nv = TapListConv.vectors(vecs);
            mr = restRows(gk, nv);
            nr = nv * lanes;
            ld = vecs * lanes;
            int padded = (pairs + mr - 1) / mr * mr;
            rowOff = Scratch.ints(Scratch.AUX, padded);
            // rows past the last pair repeat it: computed, never stored
            for (int pr = 0; pr < padded; pr++) {
                int pp = Math.min(pr, pairs - 1), n = n0 + pp / rest, pos = whole + pp % rest;
                rowOff[pr] = n * c * q + pos;
            }
            sums = Scratch.floats(Scratch.TILE, padded * ld);
        }

        /** Input channels {@code [k0, k0 + kk)}: stored into the sums for the first chunk, added after. */
        void chunk(float[] x, float[] wt, int[] idx, int k0, int kk) {
            for (int r0 = 0; r0 < pairs; r0 += mr) {
                for (int v0 = o0; v0 < o1; v0 += nr) gk.bcastIdx(mr, nv, x, rowOff, r0, 0, idx, 2 * k0, kk, wt, v0, sums, r0 * ld + v0 - o0, ld, k0 > 0);
            }
        }

        void store(int o, float[] out) {
            for (int pr = 0; pr < pairs; pr++) {
                int n = n0 + pr / rest, pos = whole + pr % rest, d = (n * o + o0) * q + pos, s = pr * ld;
                for (int j = 0; j < o1 - o0; j++) out[d + j * q] = sums[s + j];
            }
        }
    }

    /** The broadcast tile's rows for {@code nv} vectors: its tallest tile with that many. */
    private static int restRows(GemmKernels gk, int nv) {
        for (int mr = 24; mr >= 1; mr--) if (gk.hasBcastIdx(mr, nv)) return mr;
        throw new IllegalStateException("pointwise-in-place: no broadcast tile with " + nv + " vectors");
    }
}
