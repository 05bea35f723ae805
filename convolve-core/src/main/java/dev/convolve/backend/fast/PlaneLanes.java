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
 */
final class PlaneLanes {
    private PlaneLanes() {}

    static final String NAME = "plane-lanes";

    /** For tests: take this path for every plan it supports, not only the ones it is chosen for. */
    static volatile boolean force;

    /**
     * The geometry this engine computes: two spatial axes, no input dilation or batch groups, output rows of at most one
     * vector and input rows of less than two (a zero lane left for padding).
     */
    static boolean supports(Kernels k, ConvPlan p) {
        if (p.spatialRank() != 2 || p.batchGroups() != 1 || !Planner.enabled(NAME)) return false;
        for (int v : p.inputDilation()) if (v != 1) return false;
        int[] q = p.outSize(), in = p.spatial();
        int lanes = k.lanes();
        return q[0] > 0 && q[1] > 0 && q[1] <= lanes && in[1] <= 2 * lanes - 1;
    }

    /**
     * Chosen (asked just before batch-lanes: after the 1x1, im2col and first channel-lanes rules) for kernels of two or more
     * taps: where batch-lanes would take the conv, with a batch of 16 or more and when {@link #cycles} is below batch-lanes'
     * estimate (images in the lanes: every lane useful, but the input and output transposed, about 15 cycles per vector of
     * floats moved); elsewhere unless channel-lanes takes it (whole vectors of output channels: a 14x14 plane with 32 input
     * and 64 output channels runs as fast there), that is instead of shifted-gemm. Measured (2026-11-25, alternating JVMs,
     * medians of 3-5; two threads, then one in CPU time; with the first, eight-lane gather, see {@link PlaneLanesVector}):
     * <ul>
     * <li>against batch-lanes: mnist-l2 94 against 160 µs (163 against 204), mnist-l3 104 against 110 (184 against 170: one
     * image's 16 x 16 tile broadcasts a weight per multiply-add); by the estimates batch-lanes keeps the 5x5 form of mnist-l2
     * (189 against 214 here), LeNet's second conv (822 against 827) and 256x16x14x14 -> 32 s2 (935 against 904), and
     * 128x8x10x10 -> 16 s2 (84 against 73 here: the estimate is close);</li>
     * <li>against shifted-gemm: ResNeXt's 8x256x28x28 -> 256 3x3 s2 in 32 groups 582 against 819 µs, 8x64x28x28 -> 64 s2
     * in 8 groups 164 against 237, 8x128x14x14 -> 128 unstrided in 16 groups 229 against 367, 64x8x7x7 -> 16 s2 31 against
     * 50, 16x4x14x14 -> 8 s2 11.3 against 22.5, and small batches: one 64x28x28 image in 8 groups 23 against 34, two
     * 4x14x14 images 2.7 against 5.1, 4x3x16x16 -> 8 5x5 11 against 16.</li>
     * </ul>
     */
    static boolean suits(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) {
        if (!supports(k, p) || Canonical.product(p.kernelSize()) == 1) return false;
        if (force) return true;
        if (BatchConv.suits(k, p, subs)) {
            if (p.outBatch() < 16) return false;
            int lanes = k.lanes();
            long q = Canonical.product(p.outSize()), kc = (long) p.kernelChannels() * Canonical.product(p.kernelSize());
            double batchLanes = (double) p.outChannels() * q * kc / lanes
                    + 15.0 * (p.channels() * Canonical.product(p.spatial()) + p.outChannels() * q) / lanes;
            return cycles(k, p) < batchLanes;
        }
        return !ChannelLanesConv.suits(k, p, subs);
    }

    /**
     * Estimated cycles per image: the multiply-adds ({@code O} channels x the plane's vectors x {@code C*taps}, one vector
     * a cycle) and the gather (a store of about three cycles per input row and kernel column).
     */
    static double cycles(Kernels k, ConvPlan p) {
        int lanes = k.lanes();
        long q = Canonical.product(p.outSize()), kc = (long) p.kernelChannels() * Canonical.product(p.kernelSize());
        long vecs = (q + lanes - 1) / lanes;
        int[] in = p.spatial(), ks = p.kernelSize();
        return (double) p.outChannels() * vecs * kc + 3.0 * p.channels() * in[0] * ks[1];
    }

    static void run(Kernels k, ConvPlan p, float[] x, float[] w, float[] out) {
        new Job(k, p, w).run(x, out);
    }

    /** The geometry for the planner's explanation. */
    static String describe(Kernels k, ConvPlan p) {
        Job j = new Job(k, p, null);
        return j.q + " outputs per image in " + j.nvTot + " vector" + (j.nvTot == 1 ? "" : "s") + ", " + j.cg * j.nA * j.kw
                + " gathered arrays of " + j.pr + "x" + j.ow + " per image, tile " + j.mr + " channels x up to " + j.nvMax + " vectors";
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

    static final class Job {
        final Kernels kern;
        final PlaneLanesKernels gk;
        final int batch, c, h, wIn, o, groups, og, cg, kh, kw, ow, q, pr, nA, arr, chan, img, nvTot, mr, nvMax, oblocks, kc, lanes;
        final int[] off, rowDst, zeroRows, pieceV0, pieceNv;
        final float[] idx, a;

        Job(Kernels kern, ConvPlan p, float[] w) {
            this.kern = kern;
            gk = PlaneLanesKernels.of(kern);
            lanes = kern.lanes();
            batch = p.outBatch();
            c = p.channels();
            o = p.outChannels();
            groups = p.featureGroups();
            og = o / groups;
            cg = p.kernelChannels();
            int[] in = p.spatial(), ks = p.kernelSize(), st = p.strides(), kd = p.kernelDilation(), pad = p.padLow(), qs = p.outSize();
            h = in[0];
            wIn = in[1];
            kh = ks[0];
            kw = ks[1];
            int oh = qs[0];
            ow = qs[1];
            q = oh * ow;
            int sh = st[0], sw = st[1];
            // row phases of the stride that some kernel row reads, and each kernel row's phase index and row offset
            int[] phaseIdx = new int[sh];
            java.util.Arrays.fill(phaseIdx, -1);
            int[] phases = new int[sh];
            int na = 0, maxOff = 0;
            int[] tapPhase = new int[kh], tapRow = new int[kh];
            for (int r = 0; r < kh; r++) {
                int shift = r * kd[0], ph = shift % sh;
                if (phaseIdx[ph] < 0) {
                    phaseIdx[ph] = na;
                    phases[na++] = ph;
                }
                tapPhase[r] = phaseIdx[ph];
                tapRow[r] = shift / sh;
                maxOff = Math.max(maxOff, tapRow[r]);
            }
            nA = na;
            pr = oh + maxOff;
            // a vector of room after each array: the gather stores whole vectors, zeros past a row's end
            arr = pr * ow + lanes;
            chan = nA * kw * arr;
            nvTot = (q + lanes - 1) / lanes;
            img = cg * chan + nvTot * lanes + lanes;
            // source row y of channel ci lands in row i of its phase's arrays, or nowhere (a phase no kernel row reads, or past the last row)
            // (the rows of all of a group's channels of an image, one gather call: they lie one after another in the input)
            rowDst = new int[cg * h];
            for (int y = 0; y < h; y++) {
                int pp = y + pad[0];
                int ai = pp < 0 ? -1 : phaseIdx[pp % sh], i = pp < 0 ? -1 : pp / sh;
                for (int ci = 0; ci < cg; ci++) rowDst[ci * h + y] = ai < 0 || i >= pr ? -1 : ci * chan + ai * kw * arr + i * ow;
            }
            // the rows that hold padding: zero, written once per buffer
            int[] zr = new int[nA * kw * pr];
            int nz = 0;
            for (int ai = 0; ai < nA; ai++) {
                for (int i = 0; i < pr; i++) {
                    int y = i * sh + phases[ai] - pad[0];
                    if (y >= 0 && y < h) continue;
                    for (int s = 0; s < kw; s++) zr[nz++] = (ai * kw + s) * arr + i * ow;
                }
            }
            zeroRows = java.util.Arrays.copyOf(zr, nz);
            // per kernel column: the source column of each output column (the zero lane 2L-1 for padding)
            idx = new float[kw * lanes];
            for (int s = 0; s < kw; s++) {
                for (int t = 0; t < lanes; t++) {
                    int col = t * sw + s * kd[1] - pad[1];
                    idx[s * lanes + t] = t < ow && col >= 0 && col < wIn ? col : 2 * lanes - 1;
                }
            }
            kc = cg * kh * kw;
            off = new int[kc];
            for (int ci = 0; ci < cg; ci++) {
                for (int r = 0; r < kh; r++) {
                    for (int s = 0; s < kw; s++) off[(ci * kh + r) * kw + s] = ci * chan + (tapPhase[r] * kw + s) * arr + tapRow[r] * ow;
                }
            }
            int[] t = chooseTile(kern, og, nvTot);
            mr = t[0];
            nvMax = t[1];
            oblocks = (og + mr - 1) / mr;
            int pieces = (nvTot + nvMax - 1) / nvMax;
            pieceV0 = new int[pieces];
            pieceNv = new int[pieces];
            for (int pc = 0, v0 = 0; pc < pieces; pc++) {
                pieceNv[pc] = nvTot / pieces + (pc < nvTot % pieces ? 1 : 0);
                pieceV0[pc] = v0;
                v0 += pieceNv[pc];
            }
            a = w == null ? null : pack(w);
        }

        /** The kernel as {@code [group][block of mr channels][k][mr]} ({@link ShiftedConv#packKernel}, taps in kernel order). */
        private float[] pack(float[] w) {
            float[] pk = Scratch.floats(Scratch.PACK, groups * oblocks * kc * mr);
            int[] taps = new int[kh * kw];
            for (int t = 0; t < taps.length; t++) taps[t] = t;
            ShiftedConv.packKernel(w, groups, og, cg, kh * kw, taps, mr, pk, 0);
            return pk;
        }

        void run(float[] x, float[] out) {
            if (batch == 0) return;
            long work = (long) batch * o * q * kc;
            int threads = ShiftedConv.threadsFor(work);
            // items: group x chunk of images, a few per thread
            int chunks = Math.max(1, Math.min(batch, (4 * threads + groups - 1) / groups));
            int per = (batch + chunks - 1) / chunks;
            int nChunks = (batch + per - 1) / per;
            Threads.parallelFor(groups * nChunks, threads, idx -> item(x, out, idx / nChunks, idx % nChunks * per, Math.min(batch, (idx % nChunks + 1) * per)));
        }

        private void item(float[] x, float[] out, int g, int b0, int b1) {
            float[] buf = Scratch.floats(Scratch.SRC, img);
            for (int ci = 0; ci < cg; ci++) for (int z : zeroRows) java.util.Arrays.fill(buf, ci * chan + z, ci * chan + z + ow, 0f);
            int ld = nvTot * lanes;
            float[] tile = Scratch.floats(Scratch.TILE, mr * ld);
            int plane = h * wIn;
            for (int b = b0; b < b1; b++) {
                gk.gather(idx, kw, x, (b * c + g * cg) * plane, wIn, cg * h, rowDst, arr, buf, 0, ow);
                for (int ob = 0; ob < oblocks; ob++) {
                    int aOff = (g * oblocks + ob) * kc * mr;
                    for (int pc = 0; pc < pieceV0.length; pc++) {
                        kern.gemm(mr, pieceNv[pc], a, aOff, mr, kc, buf, pieceV0[pc] * lanes, off, 0, tile, pieceV0[pc] * lanes, ld);
                    }
                    int rows = Math.min(mr, og - ob * mr);
                    kern.copyRows(tile, 0, ld, out, (b * o + g * og + ob * mr) * q, q, rows, q);
                }
            }
        }
    }
}
