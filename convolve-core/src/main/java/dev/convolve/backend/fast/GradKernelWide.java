package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The kernel gradient for layers with many output channels, with the output channels in the vector lanes:
 * {@code dW^T[(c, t)][o] = sum_k src[pos[k] + off[c, t]] * gT[k][o]} over the grid points {@code k}, where {@code src}
 * is the input copied with its padding (the rows that a band of grid rows reads), {@code pos[k]} the place where grid
 * point {@code k}'s window starts (strides included), and {@code gT}
 * the output gradient transposed, one row per grid point, in blocks of {@code kb} channels. Each step of the reduction
 * is {@code nv} vector loads of a gradient row and one broadcast input value per (channel, tap) of the tile: the register
 * tiles of {@link ChannelLanesConv} ({@link ChannelLanesConv.Tiles#tile}), with the (channel, tap) pairs in the place of
 * its positions and the grid points in the place of its reduction steps. So no horizontal sums are needed and the
 * accumulators stay in registers over a whole item; threads keep partial sums of their own, added up at the end (over all
 * threads, in worker order).
 * The steps are the grid points only: walking the plane positions between them (the padding columns) instead, with the
 * gradient zero there, took 37 ms against 24 for 5x5 16x128x14x14 -> 128 on one thread (196 grid points, 252 positions
 * per image). The strides are in {@code pos}, so the input is copied as it is with its padding: deinterleaving it into
 * stride phases was a quarter of 64x32x28x28 -> 64 s2's samples, the plain copy is 14% (one thread: 5.9 against 6.1-6.2
 * ms). Feature groups run one after another, each over all threads, as a conv of their own channels.
 *
 * <p>With a stride of 1 or 2 along the last axis the steps go a grid row at a time ({@link Job#runs}): one start per run
 * instead of one offset per step, tiles of 6 pairs instead of 7. One JVM, two threads, both orders (geometric mean,
 * 2026-11-26): 2x16x32x64x64 -> 32 3x3x3 0.91x the time, 32x128x28x28 -> 128 s2 0.95x, 8x128x28x28 -> 256 s2 0.95x,
 * 32x3x64x64 -> 32 0.95x (one order), the 7x7 s2 stem 0.97x. Runs of 14 points leave the tile at about the speed of the
 * offset table's: the gradient rows, 4 vectors a step for 6 pairs, come from the L2 cache either way.
 */
final class GradKernelWide {
    private GradKernelWide() {}

    /** Tests and probes turn {@link Job#runs} off with this. */
    static volatile boolean runsOn = true;

    /** Without batch groups, and with enough output channels per feature group to fill the lanes. */
    static boolean suits(Kernels k, ConvPlan p) {
        return p.batchGroups() == 1 && p.outChannels() / p.featureGroups() >= k.lanes() && Planner.enabled("bcast-o");
    }

    /** Each feature group in turn (its input channels, output gradient channels and rows of {@code dw}), each over all threads. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        for (SubProblem sp : SubProblem.of(p)) {
            for (int gi = 0; gi < p.featureGroups(); gi++) new Job(kern, p, sp, gi, x, g).run(dw);
        }
    }

    static final class Job {
        final Kernels kern;
        final SubProblem sp;
        final float[] x, g;
        final ChannelLanesConv.Tiles tiles;
        /** {@code o} and {@code c}: all output and input channels; {@code og} and {@code cg} those of group {@code group}. */
        final int n, o, og, opad, c, cg, group, batch, taps, cols, rowsTile, nv, kb, blocks, colBlocks, lanes;
        final int[] grid, dstAxis, kOff, colOff, in, xst, low, bd, bst;
        final int rows, cntMax, imageChunks, bands, xPlane, qTot, dstImg, dstFirst, kPlane, planeSize;
        /**
         * The steps taken a grid row at a time: with a stride of 1 or 2 along the last axis, each run of grid points reads every
         * (or every other) float of a row of the copy, so the tiles take the run's start and step instead of one offset per
         * step from {@code pos} ({@link ChannelLanesConv.Tiles#tileLast}, {@link ChannelLanesConv.Tiles#tileLast2}): C2 then
         * checks the bounds once per run, not once per broadcast, and the tiles are 6 (channel, tap) pairs for 4 vectors.
         */
        final boolean runs;

        Job(Kernels kern, ConvPlan p, SubProblem sp, int group, float[] x, float[] g) {
            this.kern = kern; this.sp = sp; this.x = x; this.g = g; this.group = group;
            n = sp.n;
            tiles = ChannelLanesConv.tiles(kern);
            lanes = tiles.lanes();
            o = p.outChannels();
            c = p.channels();
            og = o / p.featureGroups();
            cg = p.kernelChannels();
            batch = p.outBatch();
            taps = sp.tapCount();
            cols = cg * taps;
            nv = ChannelLanesConv.vectors(og, lanes);
            kb = nv * lanes;
            blocks = (og + kb - 1) / kb;
            opad = blocks * kb;
            runs = runsOn && (sp.stride[n - 1] == 1 || sp.stride[n - 1] == 2);
            rowsTile = ChannelLanesConv.rows(nv, runs);
            colBlocks = (cols + rowsTile - 1) / rowsTile;
            grid = sp.grid.clone();
            in = p.spatial();
            int[] q = p.outSize(), ks = p.kernelSize();
            xst = ShiftedConv.rowMajorStrides(in);
            xPlane = ShiftedConv.product(in);
            int[] qst = ShiftedConv.rowMajorStrides(q);
            qTot = ShiftedConv.product(q);
            int[] kst = ShiftedConv.rowMajorStrides(ks);
            kPlane = ShiftedConv.product(ks);
            dstAxis = new int[n];
            int first = 0;
            for (int i = 0; i < n; i++) {
                dstAxis[i] = sp.step[i] * qst[i];
                first += sp.first[i] * qst[i];
            }
            dstFirst = first + group * og * qTot;
            dstImg = o * qTot;

            // the copied input: per axis from the smallest offset any tap reads, over what a band of r grid rows reads
            low = new int[n];
            int[] ext = new int[n];
            for (int i = 0; i < n; i++) {
                low[i] = ChannelLanesConv.lowOffset(sp, i);
                ext[i] = ChannelLanesConv.planeEnd(sp, i) - (grid[i] - 1) * sp.stride[i] - low[i];
            }
            int threads = Threads.threads();
            long others = 1, gridOthers = 1;
            for (int i = 1; i < n; i++) {
                others *= (long) (grid[i] - 1) * sp.stride[i] + ext[i];
                gridOthers *= grid[i];
            }
            int budget = 2 * ShiftedConv.itemBudgetFloats, r = grid[0];
            while (r > 1 && bandFloats(r, ext[0], sp.stride[0], others, gridOthers) > budget) r--;
            long perImage = bandFloats(grid[0], ext[0], sp.stride[0], others, gridOthers);
            int cnt = 1;
            if (r == grid[0]) {
                cnt = (int) Math.max(1, Math.min(batch, budget / perImage));
                cnt = Math.max(1, Math.min(cnt, (batch + 2 * threads - 1) / (2 * threads)));
            }
            rows = r;
            bands = (grid[0] + r - 1) / r;
            cntMax = cnt;
            imageChunks = (batch + cnt - 1) / cnt;
            bd = new int[n];
            for (int i = 0; i < n; i++) bd[i] = ((i == 0 ? r : grid[i]) - 1) * sp.stride[i] + ext[i];
            bst = ShiftedConv.rowMajorStrides(bd);
            planeSize = ShiftedConv.product(bd);

            kOff = new int[taps];
            int[] tapOff = new int[taps];
            int[] u = new int[n];
            for (int t = 0; t < taps; t++) {
                int ko = 0, so = 0;
                for (int i = 0; i < n; i++) {
                    ko += sp.taps[i][u[i]] * kst[i];
                    so += (sp.offset[i][u[i]] - low[i]) * bst[i];
                }
                kOff[t] = ko;
                tapOff[t] = so;
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
            colOff = new int[colBlocks * rowsTile];
            for (int k = 0; k < colOff.length; k++) {
                int col = Math.min(k, cols - 1);
                colOff[k] = col / taps * planeSize + tapOff[col % taps];
            }
        }

        /** Floats an item copies for one image and a band of {@code r} grid rows: its input (the group's channels) and its gradient. */
        private long bandFloats(int r, int ext0, int stride0, long others, long gridOthers) {
            return (long) cg * ((long) (r - 1) * stride0 + ext0) * others + (long) opad * r * gridOthers;
        }

        int items() { return imageChunks * bands; }

        void run(float[] dw) {
            int items = items();
            long work = (long) cols * opad * batch * sp.gridSize();
            int workers = Math.max(1, Math.min(ShiftedConv.threadsFor(work), items));
            int part = colBlocks * rowsTile * opad;
            float[] partials = Scratch.floats(Scratch.PART, workers * part);
            java.util.Arrays.fill(partials, 0, workers * part, 0f);
            Threads.parallelFor(workers, workers, wk -> {
                for (int it = wk; it < items; it += workers) item(it, partials, wk * part);
            });
            // partials: [block][col][kb] per worker. The workers' sums are added into the first, in worker order; then into dw
            // by rows of output channels, each thread its own rows, written along them. On one thread, one channel at a time
            // across all rows (a cache line of dw per sum), this was 14% of 8x128x28x28 -> 256 3x3 s2's kernel gradient: now
            // 0.90x its time on two threads, 32x128x28x28 -> 128 s2 0.95x (2026-11-26).
            PartialSums.addInOrder(partials, partials, part, part, workers - 1, part);
            int colsPad = colBlocks * rowsTile, pieces = Math.min(workers, og);
            Threads.parallelFor(pieces, pieces, pc -> {
                for (int oc = og * pc / pieces, oe = og * (pc + 1) / pieces; oc < oe; oc++) {
                    int base = (oc / kb) * colsPad * kb + oc % kb, d = (group * og + oc) * cg * kPlane;
                    for (int col = 0; col < cols; col++) dw[d + col / taps * kPlane + kOff[col % taps]] += partials[base + col * kb];
                }
            });
        }

        private void item(int idx, float[] partials, int partBase) {
            int band = idx % bands, chunk = idx / bands;
            int b0 = chunk * cntMax, cnt = Math.min(cntMax, batch - b0);
            int j0 = band * rows, rowsA = Math.min(rows, grid[0] - j0);
            float[] src = Scratch.floats(Scratch.SRC, cnt * cg * planeSize);
            copyBand(b0, cnt, j0, src);
            // the grid points in order, a run along the last axis at a time
            int lastAxis = n - 1, runLen = n == 1 ? rowsA : grid[lastAxis], perImage = n == 1 ? 1 : rowsA;
            for (int i = 1; i < lastAxis; i++) perImage *= grid[i];
            int nruns = cnt * perImage, steps = nruns * runLen;
            if (steps == 0) return;
            // pos[k]: where grid point k's window starts in src; gT[block][k][kb]: the output gradient at the grid points,
            // blocks bs rows apart (room for the transposes below to reach past the last step); the lanes of channels past o
            // are left as they are: they only reach partial sums of those channels, which are never read
            GemmKernels gk = GemmKernels.of(kern);
            int vl = gk.lanes(), bs = steps + vl, last = dstAxis[lastAxis], step = sp.stride[lastAxis] * bst[lastAxis];
            // pos[k] per step, or with runs pos[rn]: run rn's first step
            int[] pos = Scratch.ints(Scratch.AUX, runs ? nruns : steps);
            float[] gt = Scratch.floats(Scratch.GRAD, blocks * bs * kb);
            for (int rn = 0, k0 = 0; rn < nruns; rn++, k0 += runLen) {
                // the run's image and leading coordinates: its first point's place in src (at) and in the gradient (d)
                int li = rn / perImage, rest = rn % perImage, at = li * cg * planeSize, d = (b0 + li) * dstImg + dstFirst + j0 * dstAxis[0];
                for (int i = lastAxis - 1; i >= 0; i--) {
                    int ext = i == 0 ? rowsA : grid[i], v = rest % ext;
                    rest /= ext;
                    at += v * sp.stride[i] * bst[i];
                    d += v * dstAxis[i];
                }
                if (runs) pos[rn] = at;
                else for (int e = 0; e < runLen; e++) pos[k0 + e] = at + e * step;
                // 16x16 block transposes (16 grid points by up to 16 channels), the last one reaching past the run's end: those
                // rows are the next run's, written after this (or past the last step); one scalar per channel and point where a
                // block would read past the gradient, or the points are not adjacent in it
                int span = last == 1 && vl == lanes ? (runLen + vl - 1) / vl * vl : 0;
                if (span > 0 && d + (og - 1) * qTot + span > g.length) span = 0;
                for (int oc0 = 0; oc0 < og && span > 0; oc0 += vl) {
                    int rows = Math.min(vl, og - oc0), to = (oc0 / kb * bs + k0) * kb + oc0 % kb;
                    for (int e = 0; e < span; e += vl) gk.transpose(g, d + oc0 * qTot + e, qTot, rows, gt, to + e * kb, kb, vl, 0);
                }
                for (int oc = 0; oc < og && span == 0; oc++) {
                    int gi = d + oc * qTot, ti = (oc / kb * bs + k0) * kb + oc % kb;
                    for (int e = 0; e < runLen; e++, gi += last, ti += kb) gt[ti] = g[gi];
                }
            }
            int colsPad = colBlocks * rowsTile;
            for (int b = 0; b < blocks; b++) {
                for (int cb = 0; cb < colBlocks; cb++) {
                    int cOff = partBase + (b * colsPad + cb * rowsTile) * kb;
                    if (!runs) {
                        tiles.tile(nv, rowsTile, src, 0, colOff, cb * rowsTile, pos, 0, steps, gt, b * bs * kb, partials, cOff, true);
                        continue;
                    }
                    // run rn's gradient rows start at (b*bs + rn*runLen)*kb
                    int wt = runLen * kb, w0 = b * bs * kb;
                    if (step == 1) tiles.tileLast(nv, rowsTile, src, 0, colOff, cb * rowsTile, pos, 0, nruns, 1, runLen, gt, w0, wt, partials, cOff, true);
                    else tiles.tileLast2(nv, rowsTile, src, 0, colOff, cb * rowsTile, pos, 0, nruns, runLen, gt, w0, wt, partials, cOff, true);
                }
            }
        }

        /**
         * Images {@code [b0, b0 + cnt)} of the input into {@code src} ({@code [image][channel][bd]}): the indices that grid rows
         * {@code [j0, j0 + rows)} read, from {@link #low} per axis, zero outside the input.
         */
        private void copyBand(int b0, int cnt, int j0, float[] src) {
            int last = n - 1, rowLen = bd[last], rowCount = planeSize / rowLen;
            // the input index of a row's first float, and the floats [a, e) of a row that lie in the input
            int lo = low[last] + (n == 1 ? j0 * sp.stride[0] : 0);
            int a = Math.min(rowLen, Math.max(0, -lo)), e = Math.max(a, Math.min(rowLen, in[last] - lo));
            if (n == 2) {
                copyBand2(b0, cnt, j0, src, rowLen, rowCount, lo, a, e);
                return;
            }
            int[] t = new int[n];
            for (int li = 0; li < cnt; li++) {
                for (int ci = 0; ci < cg; ci++) {
                    int from = ((b0 + li) * c + group * cg + ci) * xPlane, to = (li * cg + ci) * planeSize;
                    java.util.Arrays.fill(t, 0);
                    for (int row = 0; row < rowCount; row++, to += rowLen) {
                        // the input row of this row's leading coordinates t, if any
                        int at = from;
                        boolean inside = true;
                        for (int i = 0; i < last && inside; i++) {
                            int xi = (i == 0 ? j0 * sp.stride[0] : 0) + low[i] + t[i];
                            inside = xi >= 0 && xi < in[i];
                            at += xi * xst[i];
                        }
                        if (!inside || e == a) {
                            // no input here: a row of padding only (a band of a 1-D signal may lie wholly in its padding, where
                            // the copy's source index would lie outside the input even with nothing to copy)
                            java.util.Arrays.fill(src, to, to + rowLen, 0f);
                        } else {
                            java.util.Arrays.fill(src, to, to + a, 0f);
                            System.arraycopy(x, at + lo + a, src, to + a, e - a);
                            java.util.Arrays.fill(src, to + e, to + rowLen, 0f);
                        }
                        for (int i = last - 1; i >= 0 && ++t[i] == bd[i]; i--) t[i] = 0;
                    }
                }
            }
        }

        /**
         * {@link #copyBand} for planes: per channel, the rows that read the input are one {@link Kernels#copyRows} call (their
         * padding columns zeroed after), the others zeroed whole ({@link ChannelLanesConv#padRows}, as channel-lanes fills its
         * padded planes). One {@code System.arraycopy} per row before: 13% of 64x64x14x14 -> 128 3x3 s2's kernel gradient on
         * one thread.
         */
        private void copyBand2(int b0, int cnt, int j0, float[] src, int rowLen, int rowCount, int lo, int a, int e) {
            int first = j0 * sp.stride[0] + low[0];
            int ra = Math.min(rowCount, Math.max(0, -first)), rb = Math.max(ra, Math.min(rowCount, in[0] - first));
            if (e == a) ra = rb = rowCount;
            for (int li = 0; li < cnt; li++) {
                for (int ci = 0; ci < cg; ci++) {
                    int from = ((b0 + li) * c + group * cg + ci) * xPlane + (first + ra) * xst[0] + lo + a;
                    ChannelLanesConv.padRows(kern, x, from, xst[0], src, (li * cg + ci) * planeSize, rowLen, 0, ra, rb, rowCount, a, e);
                }
            }
        }
    }
}
