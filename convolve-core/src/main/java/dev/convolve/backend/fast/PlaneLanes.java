package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * A 2-D conv with each image's whole output plane in the vector lanes, for small output planes (the MNIST CNN's 14x14 -> 7x7
 * and 7x7 -> 4x4 layers, grouped layers with few channels per group such as ResNeXt's stride-2 3x3). Per image, the input is gathered into one array per (input channel, row phase of
 * the stride, kernel column): row {@code i}, column {@code t} of array {@code (c, a, s)} holds the padded input at row
 * {@code i*strideH + a}, column {@code t*strideW + s*dilationW}, with exactly {@code OW} columns per row. Output position
 * {@code q = oh*OW + ow} read through tap {@code (r, s)} is then element {@code q + rowOff(r)*OW} of array
 * {@code (c, phase(r), s)}: every tap is a contiguous load across the whole plane, rows included, so
 * {@code out[o][q] = sum_{k = (c, r, s)} W[o][k] * buf[off[k] + q]} is the shifted GEMM tile of {@link Kernels#gemm} with
 * no lanes spent on padding columns (only the plane's last vector is partly empty). The gather reads each input row once
 * (two vectors) and permutes it once per kernel column ({@link PlaneLanesKernels}); the output plane of each channel is
 * copied out of a small tile. Against the batch-lanes engine (images in the lanes) this has no transposes in or out,
 * which were half of its time on these layers.
 *
 * <p>With input dilation (the input gradient of a strided conv) each output phase ({@link SubProblem}) is a plane of its own
 * over its own taps; phases that read the same columns with the same row stride share one gather (the gradient's row phases
 * differ only in the rows they read), and a block of output channels is computed for every phase before it is stored: two
 * phases of column step 2 interleaved by vectors into whole output rows ({@link PlaneLanesKernels#interleave}), others one
 * float at a time. ResNeXt's 8x256x28x28 -> 256 3x3 s2 in 32 groups, input gradient (2026-11-25, alternating JVMs, medians
 * of 3): two threads 1.13-1.30 against 2.0-2.1 ms ({@code shifted-gemm}), one thread 1.61 against 3.42 ms; about a quarter
 * of the time is the interleave's stores into the fresh 6.4 MB gradient.
 */
final class PlaneLanes {
    private PlaneLanes() {}

    static final String NAME = "plane-lanes";

    /**
     * Output planes of this many floats or more are brought into the cache ({@link Touch#lines}) block by block, before
     * the block's GEMMs: a fresh output is cold, and the lines then arrive while the block computes instead of one by one
     * under its stores. One JVM, two threads, both orders (geometric mean), touched against not (2026-11-26): ResNeXt's
     * 8x256x28x28 -> 256 s2 in 32 groups input gradient 0.95x the time, forward 0.98x; 8x128x14x14 -> 128 in 16 groups forward
     * 0.92-0.97x, input gradient 0.97x; 8x64x28x28 -> 64 s2 in 8 groups forward 0.94x. On 7x7 planes (49 floats) it cost:
     * `mnist-l2` forward 1.12x, its 5x5 form 1.10x. The same bound as the Winograd output's ({@link Winograd#TOUCH_MIN_FLOATS}).
     */
    static final int TOUCH_MIN_FLOATS = 128;

    /** The touch on (a switch for comparisons). */
    static boolean TOUCH = true;

    /** For tests: take this path for every plan it supports, not only the ones it is chosen for. */
    static volatile boolean force;

    /**
     * The geometry this engine computes: two spatial axes, no batch groups, input rows of less than two vectors (a zero lane
     * left for padding), and output rows of at most one vector in every output phase: with input dilation (the input gradient
     * of a strided conv) each phase of the output ({@link SubProblem}) is a plane of its own, computed over its own taps and
     * stored at its interleaved positions.
     */
    static boolean supports(Kernels k, ConvPlan p) {
        return p.spatialRank() == 2 && supports(k, p, SubProblem.of(p));
    }

    /**
     * Chosen (asked just before batch-lanes: after the 1x1, im2col and first channel-lanes rules) for kernels of two or more
     * taps: where batch-lanes would take the conv, with a batch of 16 or more and when {@link #cycles} is below batch-lanes'
     * estimate (images in the lanes: every lane useful, but the input and output transposed, about 15 cycles per vector of
     * floats moved), times {@link #FORWARD_MARGIN} without input dilation (the measurements below predate it); elsewhere
     * unless channel-lanes takes it (whole vectors of output channels: a 14x14 plane with 32 input and 64 output channels
     * runs as fast there), that is instead of shifted-gemm. Measured single-threaded (CPU time,
     * 2026-11-25, medians of 3, after batch-lanes' one-pass input transform), per image in cycles at 3.64 GHz, batch-lanes
     * against plane-lanes; the estimates pick the faster in each (before {@link #cycles} counted a tile step as one more plane
     * vector they gave mnist-l3 to plane-lanes; a batch-lanes coefficient of 22, fitted to the forwards, gave mnist-l1's
     * input gradient to plane-lanes, 399 against 275 µs):
     * <ul>
     * <li>mnist-l2 2505 against 2278 (and with a batch of 64, 4641 against 2423), mnist-l3 2063 against 2733 (also with
     * batches of 64 and 32: 2235 against 2918, 2423 against 3094), 128x8x10x10 -> 16 s2 3768 against 3705 (the estimates
     * pick batch-lanes: close), mnist-l2's 5x5 form 4139 against 5248, LeNet's second conv 19893 against 21794. On two
     * threads mnist-l3 ran 92-99 µs in batch-lanes against 104-108 in plane-lanes;</li>
     * <li>against shifted-gemm: ResNeXt's 8x256x28x28 -> 256 3x3 s2 in 32 groups 582 against 819 µs, 8x64x28x28 -> 64 s2
     * in 8 groups 164 against 237, 8x128x14x14 -> 128 unstrided in 16 groups 229 against 367, 16x4x14x14 -> 8 s2 11.3
     * against 22.5, and small batches: one 64x28x28 image in 8 groups 23 against 34, two
     * 4x14x14 images 2.7 against 5.1, 4x3x16x16 -> 8 5x5 11 against 16.</li>
     * </ul>
     */
    static boolean suits(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) {
        if (!supports(k, p, subs) || Canonical.product(p.kernelSize()) == 1) return false;
        if (force) return true;
        if (BatchConv.suits(k, p, subs)) {
            if (p.outBatch() < 16) return false;
            int lanes = k.lanes();
            double macs = 0;
            for (SubProblem sp : subs) macs += (double) sp.gridSize() * p.kernelChannels() * sp.tapCount();
            double batchLanes = p.outChannels() * macs / lanes
                    + 15.0 * (p.channels() * Canonical.product(p.spatial()) + p.outChannels() * Canonical.product(p.outSize())) / lanes;
            return cycles(k, p, subs) < (ChannelLanesConv.inputDilated(p) ? 1.0 : FORWARD_MARGIN) * batchLanes;
        }
        return !ChannelLanesConv.suits(k, p, subs);
    }

    /**
     * How much above batch-lanes' estimate {@link #cycles} may be for a conv without input dilation (a forward conv, or the
     * input gradient of an unstrided one) to run here. Measured 2026-11-26 on 2 threads (the two engines alternating in one
     * JVM, both orders, medians of 8 pairs), the time here against batch-lanes, with the estimates' ratio: 256x4x14x14 -> 8
     * 5x5 s2 (`mnist-l2-5x5`) 0.73-0.81x (1.36), the same unstrided 0.90x (1.00), 128x4x14x14 -> 8 5x5 s2 0.69-0.74x (1.36),
     * 256x2x14x14 -> 4 5x5 s2 0.84-0.89x (1.22), 512x4x7x7 -> 8 3x3 0.70-0.81x (1.18), 256x8x7x7 -> 8 3x3 0.82-0.84x (1.35),
     * the same s2 0.72-0.78x (1.56), 256x4x8x8 -> 8 3x3 s2 0.73-0.81x (1.33), `mnist-l3` (tap-list off) 0.71-0.75x (1.60);
     * one thread 0.77-0.93x on three of them; 256x8x8x8 -> 8 5x5 s2 1.03-1.09x (1.89). The estimates, fitted on
     * 2026-11-25 before this engine's later changes, now favour batch-lanes by about that much. Input gradients of strided
     * convs keep the plain comparison: with 256 images `mnist-l3`'s took 1.28x the time here.
     */
    static final double FORWARD_MARGIN = 1.7;

    /**
     * Whether a conv that {@code channel-lanes} would take runs here instead: a stride-2 forward conv or the input gradient
     * of one (input dilation 2, unit strides), undilated kernel, ungrouped, 8+ images, more than one tap, and no more output
     * channels than each image's output plane (of its smallest phase, with input dilation) has positions.
     * Here each weight is broadcast once per image and row tile, there each input value once per position and block of
     * output channels, so the output channels against the plane's positions is about the ratio of their broadcasts.
     * Measured 2026-11-26 on 2 threads (both engines forced, one JVM, both orders, geometric mean; forward into a kept
     * output / input gradient), the time here against channel-lanes' on 14x14 outputs of stride-2 3x3 convs: 16x128x28x28
     * -> 128 0.86x / 0.78x, 32x128x28x28 -> 128 0.91x / 0.89x, 32x64x28x28 -> 64 0.84x / 0.81x, 16x96x28x28 -> 96 0.96x /
     * 0.90x, 8x128x28x28 -> 128 1.00x / 0.87x; past the line, 8x128x28x28 -> 256 1.04x forward (256 channels, 196
     * positions; its input gradient, 128 onto 196 per phase, 0.94x), 8x256x28x28 -> 512 s2 1.10x / 1.10x, 8x256x14x14 ->
     * 512 s2 1.15x / 1.15x. Through the planner, this rule on against off (same A/B): 16x128x28x28 -> 128 forward 0.88x,
     * forward and both gradients 0.97x; 32x128x28x28 -> 128 forward into a kept output 0.95x, with fresh outputs level
     * (its input gradient stays on tap-list); 8x128x28x28 -> 256's input gradient 0.93x; 8x128x28x28 -> 128 forward level.
     */
    static boolean beforeChannelLanes(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) {
        if (!BEFORE_CHANNEL_LANES || p.featureGroups() != 1 || p.batchGroups() != 1 || p.outBatch() < 8) return false;
        if (Canonical.product(p.kernelSize()) == 1 || !strideTwo(p) || !supports(k, p, subs)) return false;
        long q = Long.MAX_VALUE;
        for (SubProblem sp : subs) q = Math.min(q, sp.gridSize());
        return p.outChannels() <= q;
    }

    /** Stride 2 on every axis without input dilation, or input dilation 2 with unit strides; kernel dilation 1. */
    private static boolean strideTwo(ConvPlan p) {
        int[] st = p.strides(), in = p.inputDilation(), kd = p.kernelDilation();
        boolean fwd = true, grad = true;
        for (int i = 0; i < st.length; i++) {
            if (kd[i] != 1) return false;
            fwd &= st[i] == 2 && in[i] == 1;
            grad &= st[i] == 1 && in[i] == 2;
        }
        return fwd || grad;
    }

    /**
     * Whether the input gradient of a stride-2 conv (input dilation 2) that {@code tap-list} would take runs here instead:
     * {@link #beforeChannelLanes}' rule, with two or more vectors of output channels (channel-lanes' own bound, kept where
     * nothing was measured below it). Measured 2026-11-26 on 2 threads (one JVM, both orders, geometric mean), the
     * time here against tap-list's: the input gradients of 32x128x28x28 -> 128 s2 0.80x and of `res-down-28` (64x32x28x28 ->
     * 64 s2) 0.92x; forward convs stay there (`res-down-28` 1.04x, `res-down-14` 1.24x here). Through the planner, rule on
     * against off: those input gradients 0.76x and 0.88x, `res-down-28`'s forward and both gradients 0.98x.
     */
    static boolean beforeTapList(Kernels k, ConvPlan p) {
        if (p.outChannels() < 2 * k.lanes()) return false;
        for (int d : p.inputDilation()) if (d != 2) return false;
        return beforeChannelLanes(k, p, SubProblem.of(p));
    }

    /** {@link #beforeChannelLanes} on (a switch for comparisons). */
    static boolean BEFORE_CHANNEL_LANES = true;

    /** Images, in vectors, below which {@link #beforeBatchLanesOnGradInput} takes input gradients from batch-lanes. */
    static final int GRAD_INPUT_BATCH_VECTORS = 16;

    /**
     * Whether an input-gradient conv {@code g} ({@link Planner#gradInputPlan}) that {@link Planner#choose} gives to
     * batch-lanes runs here instead: on two or more threads, with fewer than {@link #GRAD_INPUT_BATCH_VECTORS} vectors of
     * images. Batch-lanes splits its blocks of images over the threads, and with few blocks two threads gained nothing: the
     * input gradient of 64x8x7x7 -> 16 s2 took 43.7 µs there on one thread and 55.3 on two, against 63.0 and 44.3 here.
     * Measured 2026-11-26 on 2 threads (the two engines alternating in one JVM, both orders, medians of 9 pairs), the time
     * here against batch-lanes: the input gradients of 64x8x7x7 -> 16 s2 0.84x, 128x8x7x7 -> 16 s2 0.85x, LeNet's
     * 64x6x14x14 -> 16 5x5 0.61x, 64x4x14x14 -> 8 s2 0.84x, 32x16x14x14 -> 32 s2 0.96x, 128x8x10x10 -> 16 s2 1.00x; with 256
     * images (left to batch-lanes) mnist-l3's 1.28x, mnist-l2's 0.97x, its 5x5 form's 0.99x and LeNet's 0.87x. On one thread
     * batch-lanes stays: 64x8x7x7 -> 16 s2's 1.46x here (LeNet's 64 images 0.96x). Run as {@code ./convolve} runs, its fresh
     * outputs left unzeroed ({@link FreshArrays}), 64x8x7x7 -> 16 s2's input gradient took 0.65-0.68x the time here.
     */
    static boolean beforeBatchLanesOnGradInput(Kernels k, ConvPlan g) {
        return Threads.threads() > 1 && g.outBatch() < GRAD_INPUT_BATCH_VECTORS * k.lanes() && supports(k, g)
                && Canonical.product(g.kernelSize()) > 1;
    }

    /** {@link #supports(Kernels, ConvPlan)} with the plan's sub-problems already at hand. */
    static boolean supports(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) {
        if (p.spatialRank() != 2 || p.batchGroups() != 1 || !Planner.enabled(NAME) || subs.isEmpty()) return false;
        if (p.spatial()[1] > 2 * k.lanes() - 1) return false;
        for (SubProblem sp : subs) if (sp.grid[1] > k.lanes()) return false;
        return true;
    }

    /**
     * Estimated cycles per image, summed over the output phases: the multiply-adds ({@code O} channels x the phase plane's
     * vectors x {@code C*taps}, one vector a cycle) and as much again as one more vector of the plane would take (each step
     * of a tile broadcasts its weights and walks its offsets whatever its width: a one-vector plane ran at half the multiply-add
     * rate), the gather (a store of about three cycles per input row and kernel column), and for interleaved phases a cycle
     * per output stored.
     */
    static double cycles(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) {
        int lanes = k.lanes();
        int h = p.spatial()[0];
        double c = 0;
        for (SubProblem sp : subs) {
            long vecs = (sp.gridSize() + lanes - 1) / lanes + 1;
            c += (double) p.outChannels() * vecs * p.kernelChannels() * sp.tapCount() + 3.0 * p.channels() * h * sp.taps[1].length;
            if (!sp.coversOutput(p.outSize())) c += (double) p.outChannels() * sp.gridSize();
        }
        return c;
    }

    static void run(Kernels k, ConvPlan p, float[] x, float[] w, float[] out) {
        new Job(k, p, w).run(x, out);
    }

    /** The geometry for the planner's explanation. */
    static String describe(Kernels k, ConvPlan p) {
        Job j = new Job(k, p, null);
        StringBuilder sb = new StringBuilder();
        if (j.subs.length > 1) {
            sb.append(j.subs.length).append(" output phases (input dilation), each a plane of its own stored at its interleaved positions, ");
        }
        for (int i = 0; i < j.subs.length; i++) {
            Sub s = j.subs[i];
            if (i > 0 && s.q == j.subs[i - 1].q) continue;
            if (i > 0) sb.append(", ");
            sb.append(s.q).append(" outputs per image in ").append(s.nvTot).append(" vector").append(s.nvTot == 1 ? "" : "s");
        }
        for (int i = 0; i < j.gathers.length; i++) {
            Gather g = j.gathers[i];
            sb.append(i == 0 ? "; " : ", ").append(j.cg * g.nA * g.kw).append(" gathered arrays of ").append(g.pr).append("x").append(g.gw);
        }
        return sb.append(" per image, tile ").append(j.mr).append(" channels x up to ").append(j.subs[0].nvMax).append(" vectors").toString();
    }

    /** Tile rows (output channels) and the widest piece (vectors) for {@code og} channels and planes of {@code nvTot} vectors. */
    static int[] chooseTile(Kernels k, int og, int nvTot) {
        int bestMr = 1, bestNv = 1;
        double best = Double.MAX_VALUE;
        for (int mr = 1; mr <= 8; mr++) {
            int nvMax = Math.min(k.gemmVectors(mr), nvTot);
            if (nvMax < 1) continue;
            int pieces = (nvTot + nvMax - 1) / nvMax;
            int wide = (nvTot + pieces - 1) / pieces, narrow = nvTot / pieces;
            if (!k.hasGemm(mr, wide) || (narrow >= 1 && !k.hasGemm(mr, narrow))) continue;
            int blocks = (og + mr - 1) / mr;
            double cost = 0;
            for (int pc = 0; pc < pieces; pc++) {
                int v = narrow + (pc < nvTot % pieces ? 1 : 0);
                // per reduction step: the multiply-adds (a tile of fewer than 8 waits on their latency), then the loads
                cost += Math.max(mr * v, 8) + 0.5 * (mr + v);
            }
            cost *= blocks;
            if (cost < best) {
                best = cost;
                bestMr = mr;
                bestNv = wide;
            }
        }
        return new int[] {bestMr, bestNv};
    }

    /**
     * The widest piece (vectors) for a plane of {@code nvTot} vectors split evenly into pieces of tiles with {@code mr} rows:
     * the fewest pieces whose two widths both have a kernel.
     */
    static int pieceWidth(Kernels k, int mr, int nvTot) {
        for (int pieces = (nvTot + Math.min(k.gemmVectors(mr), nvTot) - 1) / Math.min(k.gemmVectors(mr), nvTot); ; pieces++) {
            int wide = (nvTot + pieces - 1) / pieces, narrow = nvTot / pieces;
            if (k.hasGemm(mr, wide) && (narrow < 1 || k.hasGemm(mr, narrow))) return wide;
        }
    }

    /**
     * One image's gathered arrays, shared by the output phases that read the same columns with the same row stride (the
     * input gradient's row phases differ only in which rows they read): per (channel, row phase of the stride, kernel
     * column), row {@code i} holds input row {@code (i + low) * sh + phases[phase]}, gathered by {@link #idx}.
     */
    static final class Gather {
        final int sh, low, pr, nA, kw, gw, arr, chan, bufOff;
        final int[] phases, rowDst, zeroRows;
        final float[] idx;
        /** For rows of at most half a vector: the pairs of rows stored together and their index vectors, else null. */
        final int[] pairs;
        final float[] pairIdx;

        Gather(Kernels kern, java.util.List<SubProblem> members, float[] idx, int cg, int h, int bufOff) {
            int lanes = kern.lanes();
            SubProblem first = members.get(0);
            this.idx = idx;
            this.bufOff = bufOff;
            sh = first.stride[0];
            gw = first.grid[1];
            kw = first.taps[1].length;
            int lo = Integer.MAX_VALUE, hiRow = 0;
            int[] ph = new int[sh];
            boolean[] used = new boolean[sh];
            for (SubProblem sp : members) {
                lo = Math.min(lo, sp.lowShift[0]);
                for (int v : sp.phases[0]) used[v] = true;
            }
            int na = 0;
            for (int v = 0; v < sh; v++) if (used[v]) ph[na++] = v;
            for (SubProblem sp : members) hiRow = Math.max(hiRow, sp.grid[0] + sp.span[0] + sp.lowShift[0] - lo);
            low = lo;
            pr = hiRow;
            nA = na;
            phases = java.util.Arrays.copyOf(ph, na);
            // a vector of room after each array: the gather stores whole vectors, zeros past a row's end
            arr = pr * gw + lanes;
            chan = nA * kw * arr;
            // source row y of channel ci lands in row i of its phase's arrays, or nowhere (a phase no kernel row reads, or
            // outside the rows read); the rows of all of a group's channels of an image, one gather call: they lie one after
            // another in the input
            rowDst = new int[cg * h];
            for (int y = 0; y < h; y++) {
                int i = Math.floorDiv(y, sh) - low, ai = phaseIndex(Math.floorMod(y, sh));
                for (int ci = 0; ci < cg; ci++) rowDst[ci * h + y] = ai < 0 || i < 0 || i >= pr ? -1 : ci * chan + ai * kw * arr + i * gw;
            }
            // the rows that hold padding: zero, written once per buffer
            int[] zr = new int[nA * kw * pr];
            int nz = 0;
            for (int ai = 0; ai < nA; ai++) {
                for (int i = 0; i < pr; i++) {
                    int y = (i + low) * sh + phases[ai];
                    if (y >= 0 && y < h) continue;
                    for (int c = 0; c < kw; c++) zr[nz++] = (ai * kw + c) * arr + i * gw;
                }
            }
            zeroRows = java.util.Arrays.copyOf(zr, nz);
            // two destination rows per store when they fit one vector and a source row leaves a zero lane: per (channel, phase,
            // pair of rows i, i+1) the source rows (-1: padding, read as zeros) and the destination
            int w = first.inSize[1];
            if (2 * gw <= lanes && w < lanes) {
                int np = (pr + 1) / 2;
                int[] pp = new int[3 * cg * nA * np];
                int n = 0;
                for (int ci = 0; ci < cg; ci++) {
                    for (int ai = 0; ai < nA; ai++) {
                        for (int i = 0; i < pr; i += 2) {
                            int y0 = (i + low) * sh + phases[ai], y1 = y0 + sh;
                            boolean has0 = y0 >= 0 && y0 < h, has1 = i + 1 < pr && y1 >= 0 && y1 < h;
                            if (!has0 && !has1) continue;
                            pp[3 * n] = has0 ? ci * h + y0 : -1;
                            pp[3 * n + 1] = has1 ? ci * h + y1 : -1;
                            pp[3 * n + 2] = ci * chan + ai * kw * arr + i * gw;
                            n++;
                        }
                    }
                }
                pairs = java.util.Arrays.copyOf(pp, 3 * n);
                pairIdx = new float[kw * lanes];
                for (int c = 0; c < kw; c++) {
                    for (int t = 0; t < lanes; t++) {
                        int half = t < gw ? 0 : t < 2 * gw ? 1 : -1;
                        int v = (int) idx[c * lanes + (half < 0 ? 0 : t - half * gw)];
                        pairIdx[c * lanes + t] = half < 0 || v >= 2 * lanes - 1 ? lanes - 1 : half * lanes + v;
                    }
                }
            } else {
                pairs = null;
                pairIdx = null;
            }
        }

        /** Zeroes the rows of padding of one image's arrays at {@code base} ({@code cg} channels): once per buffer, the gather never writes them. */
        void zeroPadding(float[] buf, int base, int cg) {
            for (int ci = 0; ci < cg; ci++) {
                int b = base + ci * chan;
                for (int z : zeroRows) java.util.Arrays.fill(buf, b + z, b + z + gw, 0f);
            }
        }

        /** Gathers one image's rows of a group ({@code rows} source rows from {@code src}) into {@code buf} at {@code base}. */
        void run(PlaneLanesKernels gk, float[] x, int src, int wIn, int rows, float[] buf, int base) {
            if (pairs != null) gk.gatherPairs(pairIdx, kw, x, src, wIn, pairs, pairs.length / 3, arr, buf, base);
            else gk.gather(idx, kw, x, src, wIn, rows, rowDst, arr, buf, base, gw);
        }

        int phaseIndex(int phase) {
            for (int a = 0; a < nA; a++) if (phases[a] == phase) return a;
            return -1;
        }

        /** Per kernel column of {@code sp}: the source column of each output column (the zero lane {@code 2L-1} for padding). */
        static float[] columns(int lanes, SubProblem sp) {
            int kw = sp.taps[1].length, gw = sp.grid[1];
            float[] idx = new float[kw * lanes];
            for (int c = 0; c < kw; c++) {
                for (int t = 0; t < lanes; t++) {
                    int col = t * sp.stride[1] + sp.offset[1][c];
                    idx[c * lanes + t] = t < gw && col >= 0 && col < sp.inSize[1] ? col : 2 * lanes - 1;
                }
            }
            return idx;
        }
    }

    /** One output phase ({@link SubProblem}): its taps into its gathered arrays, its tile, and where its outputs go. */
    static final class Sub {
        final Gather gt;
        final int gh, gw, q, nvTot, mr, nvMax, kc, aOff, tileOff;
        /** Output position of grid point (jy, jx): {@code (first0 + step0*jy) * OW + first1 + step1*jx}. */
        final int first0, step0, first1, step1;
        /** Whether the grid is the whole output (no input dilation): the tile is copied out row by row. */
        final boolean direct;
        final int[] off, pieceV0, pieceNv, kOff;

        Sub(Kernels kern, SubProblem sp, Gather gt, int cg, int kwFull, boolean direct, int mr, int aOff, int tileOff) {
            int lanes = kern.lanes();
            this.gt = gt;
            this.direct = direct;
            this.aOff = aOff;
            this.mr = mr;
            this.tileOff = tileOff;
            gh = sp.grid[0];
            gw = sp.grid[1];
            q = gh * gw;
            first0 = sp.first[0]; step0 = sp.step[0]; first1 = sp.first[1]; step1 = sp.step[1];
            nvTot = (q + lanes - 1) / lanes;
            int nu = sp.taps[0].length, kw = sp.taps[1].length;
            kc = cg * nu * kw;
            off = new int[kc];
            kOff = new int[nu * kw];
            for (int u = 0; u < nu; u++) for (int c = 0; c < kw; c++) kOff[u * kw + c] = sp.taps[0][u] * kwFull + sp.taps[1][c];
            for (int ci = 0; ci < cg; ci++) {
                for (int u = 0; u < nu; u++) {
                    int ai = gt.phaseIndex(sp.phases[0][sp.tapPhase[0][u]]), row = sp.shift[0][u] + sp.lowShift[0] - gt.low;
                    for (int c = 0; c < kw; c++) off[(ci * nu + u) * kw + c] = ci * gt.chan + (ai * kw + c) * gt.arr + row * gw;
                }
            }
            nvMax = pieceWidth(kern, mr, nvTot);
            int pieces = (nvTot + nvMax - 1) / nvMax;
            pieceV0 = new int[pieces];
            pieceNv = new int[pieces];
            for (int pc = 0, v0 = 0; pc < pieces; pc++) {
                pieceNv[pc] = nvTot / pieces + (pc < nvTot % pieces ? 1 : 0);
                pieceV0[pc] = v0;
                v0 += pieceNv[pc];
            }
        }
    }

    static final class Job {
        final Kernels kern;
        final PlaneLanesKernels gk;
        final int batch, c, h, wIn, o, groups, og, cg, oh, ow, mr, oblocks, img, tileSize, packSize;
        final long macs;
        final Sub[] subs;
        final Gather[] gathers;
        /**
         * The phases' outputs in groups of one axis-0 phase (rows {@code first0 + step0*jy}): {@code rowGroups[i]} lists the
         * indices into {@link #subs}, by first column; {@code interleaved[i]} when the group is two phases of column step 2 that
         * fill the rows between them (interleaved by vectors), {@code rowCopy[i]} when it is one phase of whole rows.
         */
        final int[][] rowGroups;
        final boolean[] interleaved, rowCopy;
        final float[] a;

        Job(Kernels kern, ConvPlan p, float[] w) {
            this.kern = kern;
            gk = PlaneLanesKernels.of(kern);
            int lanes = kern.lanes();
            batch = p.outBatch();
            c = p.channels();
            o = p.outChannels();
            groups = p.featureGroups();
            og = o / groups;
            cg = p.kernelChannels();
            int[] in = p.spatial(), qs = p.outSize();
            h = in[0];
            wIn = in[1];
            oh = qs[0];
            ow = qs[1];
            java.util.List<SubProblem> sps = SubProblem.of(p);
            int maxNv = 1;
            for (SubProblem sp : sps) maxNv = Math.max(maxNv, (int) ((sp.gridSize() + lanes - 1) / lanes));
            // one tile height for every phase: a block of output channels is computed for all phases, then stored
            mr = chooseTile(kern, og, maxNv)[0];
            oblocks = (og + mr - 1) / mr;
            // the gathers: output phases with the same row stride, row length and columns share one
            java.util.List<java.util.List<SubProblem>> members = new java.util.ArrayList<>();
            java.util.List<float[]> columns = new java.util.ArrayList<>();
            int[] gatherOf = new int[sps.size()];
            for (int i = 0; i < sps.size(); i++) {
                SubProblem sp = sps.get(i);
                float[] cols = Gather.columns(lanes, sp);
                int gi = 0;
                while (gi < members.size() && !(members.get(gi).get(0).stride[0] == sp.stride[0] && members.get(gi).get(0).grid[1] == sp.grid[1]
                        && java.util.Arrays.equals(columns.get(gi), cols))) gi++;
                if (gi == members.size()) {
                    members.add(new java.util.ArrayList<>());
                    columns.add(cols);
                }
                members.get(gi).add(sp);
                gatherOf[i] = gi;
            }
            gathers = new Gather[members.size()];
            int bufOff = 0;
            for (int gi = 0; gi < gathers.length; gi++) {
                gathers[gi] = new Gather(kern, members.get(gi), columns.get(gi), cg, h, bufOff);
                bufOff += cg * gathers[gi].chan;
            }
            subs = new Sub[sps.size()];
            int aOff = 0, tileOff = 0;
            long m = 0;
            for (int i = 0; i < subs.length; i++) {
                SubProblem sp = sps.get(i);
                Sub s = subs[i] = new Sub(kern, sp, gathers[gatherOf[i]], cg, p.kernelSize()[1], sp.coversOutput(qs), mr, aOff, tileOff);
                aOff += groups * oblocks * s.kc * mr;
                tileOff += mr * s.nvTot * lanes;
                m += s.q * (long) s.kc;
            }
            // slack past the last array: the last tile's loads run to the end of its last vector
            img = bufOff + 2 * lanes * (maxNv + 1);
            // and past the tiles: the interleave loads whole vectors from a tile's last row
            tileSize = tileOff + lanes;
            packSize = aOff;
            macs = m;
            // row groups: the sub-problems come with the last axis fastest, so one axis-0 phase's are consecutive
            java.util.List<int[]> groupsOf = new java.util.ArrayList<>();
            for (int i = 0; i < subs.length; ) {
                int j = i;
                while (j < subs.length && subs[j].first0 == subs[i].first0) j++;
                int[] g = new int[j - i];
                for (int t = 0; t < g.length; t++) g[t] = i + t;
                groupsOf.add(g);
                i = j;
            }
            rowGroups = groupsOf.toArray(new int[0][]);
            interleaved = new boolean[rowGroups.length];
            rowCopy = new boolean[rowGroups.length];
            for (int i = 0; i < rowGroups.length; i++) {
                int[] g = rowGroups[i];
                Sub s0 = subs[g[0]];
                rowCopy[i] = g.length == 1 && s0.step1 == 1 && s0.first1 == 0 && s0.gw == ow;
                if (g.length == 2) {
                    Sub s1 = subs[g[1]];
                    interleaved[i] = s0.step1 == 2 && s1.step1 == 2 && s0.first1 == 0 && s1.first1 == 1 && s0.gw == (ow + 1) / 2 && s1.gw == ow / 2
                            && s0.gh == s1.gh && ow <= 2 * lanes;
                }
            }
            a = w == null ? null : pack(w, p);
        }

        /** Per output phase, the kernel as {@code [group][block of mr channels][k][mr]} ({@link ShiftedConv#packKernel}) over its taps. */
        private float[] pack(float[] w, ConvPlan p) {
            float[] pk = Scratch.floats(Scratch.PACK, packSize);
            int kPlane = (int) Canonical.product(p.kernelSize());
            for (Sub s : subs) ShiftedConv.packKernel(w, groups, og, cg, kPlane, s.kOff, mr, pk, s.aOff);
            return pk;
        }

        void run(float[] x, float[] out) {
            if (batch == 0) return;
            long work = (long) batch * o * macs;
            int threads = ShiftedConv.threadsFor(work);
            // items: group x chunk of images, a few per thread
            int chunks = Math.max(1, Math.min(batch, (4 * threads + groups - 1) / groups));
            int per = (batch + chunks - 1) / chunks;
            int nChunks = (batch + per - 1) / per;
            Threads.parallelFor(groups * nChunks, threads, idx -> item(x, out, idx / nChunks, idx % nChunks * per, Math.min(batch, (idx % nChunks + 1) * per)));
        }

        private void item(float[] x, float[] out, int g, int b0, int b1) {
            float[] buf = Scratch.floats(Scratch.SRC, img);
            for (Gather gt : gathers) gt.zeroPadding(buf, gt.bufOff, cg);
            float[] tile = Scratch.floats(Scratch.TILE, tileSize);
            int plane = h * wIn, lanes = kern.lanes(), q = oh * ow;
            for (int b = b0; b < b1; b++) {
                int src = (b * c + g * cg) * plane;
                for (Gather gt : gathers) gt.run(gk, x, src, wIn, cg * h, buf, gt.bufOff);
                for (int ob = 0; ob < oblocks; ob++) {
                    if (TOUCH && q >= TOUCH_MIN_FLOATS) {
                        int at = (b * o + g * og + ob * mr) * q;
                        Touch.lines(out, at, at + Math.min(mr, og - ob * mr) * q);
                    }
                    for (Sub s : subs) {
                        int aOff = s.aOff + (g * oblocks + ob) * s.kc * mr, ld = s.nvTot * lanes;
                        for (int pc = 0; pc < s.pieceV0.length; pc++) {
                            kern.gemm(mr, s.pieceNv[pc], a, aOff, mr, s.kc, buf, s.gt.bufOff + s.pieceV0[pc] * lanes, s.off, 0, tile,
                                    s.tileOff + s.pieceV0[pc] * lanes, ld);
                        }
                    }
                    store(tile, out, (b * o + g * og + ob * mr) * q, Math.min(mr, og - ob * mr));
                }
            }
        }

        /** A block of {@code rows} output channels, every phase's tile, to the output at {@code dst}. */
        private void store(float[] tile, float[] out, int dst, int rows) {
            int q = oh * ow, lanes = kern.lanes();
            for (int i = 0; i < rowGroups.length; i++) {
                int[] grp = rowGroups[i];
                Sub s0 = subs[grp[0]];
                int ld0 = s0.nvTot * lanes;
                if (s0.direct) {
                    kern.copyRows(tile, s0.tileOff, ld0, out, dst, q, rows, q);
                } else if (rowCopy[i]) {
                    for (int m = 0; m < rows; m++) {
                        kern.copyRows(tile, s0.tileOff + m * ld0, ow, out, dst + m * q + s0.first0 * ow, s0.step0 * ow, s0.gh, ow);
                    }
                } else if (interleaved[i]) {
                    Sub s1 = subs[grp[1]];
                    int ld1 = s1.nvTot * lanes;
                    for (int m = 0; m < rows; m++) {
                        gk.interleave(tile, s0.tileOff + m * ld0, s0.gw, tile, s1.tileOff + m * ld1, s1.gw, s0.gh, out,
                                dst + m * q + s0.first0 * ow, s0.step0 * ow, ow);
                    }
                } else {
                    for (int si : grp) scatter(subs[si], tile, out, dst, rows);
                }
            }
        }

        /** An output phase's tile rows ({@code rows} channels) to their interleaved output positions, one by one. */
        private void scatter(Sub s, float[] tile, float[] out, int dst, int rows) {
            int q = oh * ow, ld = s.nvTot * kern.lanes();
            for (int m = 0; m < rows; m++) {
                for (int jy = 0; jy < s.gh; jy++) {
                    int t = s.tileOff + m * ld + jy * s.gw, d = dst + m * q + (s.first0 + s.step0 * jy) * ow + s.first1;
                    for (int jx = 0; jx < s.gw; jx++) out[d + s.step1 * jx] = tile[t + jx];
                }
            }
        }
    }
}
