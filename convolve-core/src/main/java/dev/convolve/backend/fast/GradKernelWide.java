package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The kernel gradient for layers with many output channels, with the output channels in the vector lanes:
 * {@code dW^T[(c, t)][o] = sum_k src[pos[k] + off[c, t]] * gT[k][o]} over the grid points {@code k}, where {@code src}
 * is the input in the forward pass's phase planes, {@code pos[k]} grid point {@code k}'s place in them, and {@code gT}
 * the output gradient transposed, one row per grid point, in blocks of {@code kb} channels. Each step of the reduction
 * is {@code nv} vector loads of a gradient row and one broadcast input value per (channel, tap) of the tile: the register
 * tiles of {@link ChannelLanesConv} ({@link ChannelLanesConv.Tiles#tile}), with the (channel, tap) pairs in the place of
 * its positions and the grid points in the place of its reduction steps. So no horizontal sums are needed and the
 * accumulators stay in registers over a whole item; threads keep partial sums of their own, added up at the end.
 * The steps are the grid points only: walking the plane positions between them (the padding columns) instead, with the
 * gradient zero there, took 37 ms against 24 for 5x5 16x128x14x14 -> 128 on one thread (196 grid points, 252 positions
 * per image).
 */
final class GradKernelWide {
    private GradKernelWide() {}

    /** Without groups, and with enough output channels to fill the lanes. */
    static boolean suits(Kernels k, ConvPlan p) {
        return p.featureGroups() == 1 && p.batchGroups() == 1 && p.outChannels() >= k.lanes() && Planner.enabled("bcast-o");
    }

    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        for (SubProblem sp : SubProblem.of(p)) new Job(kern, p, sp, x, g).run(dw);
    }

    static final class Job {
        final Kernels kern;
        final SubProblem sp;
        final float[] x, g;
        final ChannelLanesConv.Tiles tiles;
        final int n, o, opad, c, batch, taps, cols, rowsTile, nv, kb, blocks, colBlocks, lanes;
        final int[] grid, dstAxis, kOff, colOff;
        final PhasePlanes planes;
        final int rows, cntMax, imageChunks, bands, xPlane, qTot, dstImg, dstFirst, kPlane;

        Job(Kernels kern, ConvPlan p, SubProblem sp, float[] x, float[] g) {
            this.kern = kern; this.sp = sp; this.x = x; this.g = g;
            n = sp.n;
            tiles = ChannelLanesConv.tiles(kern);
            lanes = tiles.lanes();
            o = p.outChannels();
            c = p.channels();
            batch = p.outBatch();
            taps = sp.tapCount();
            cols = c * taps;
            nv = ChannelLanesConv.vectors(o, lanes);
            kb = nv * lanes;
            blocks = (o + kb - 1) / kb;
            opad = blocks * kb;
            rowsTile = ChannelLanesConv.rows(nv);
            colBlocks = (cols + rowsTile - 1) / rowsTile;
            grid = sp.grid.clone();
            int[] in = p.spatial(), q = p.outSize(), ks = p.kernelSize();
            int[] xst = ShiftedConv.rowMajorStrides(in);
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
            dstFirst = first;
            dstImg = o * qTot;

            int threads = Threads.threads();
            int combos = sp.combos();
            int rowFloats = 1;
            for (int i = 1; i < n; i++) rowFloats *= grid[i] + sp.span[i];
            long perImage = (long) (c * combos + opad) * (grid[0] + sp.span[0]) * rowFloats;
            int budget = 2 * ShiftedConv.itemBudgetFloats;
            int cnt, r;
            if (perImage <= budget) {
                r = grid[0];
                cnt = (int) Math.max(1, Math.min(batch, budget / perImage));
                cnt = Math.max(1, Math.min(cnt, (batch + 2 * threads - 1) / (2 * threads)));
            } else {
                cnt = 1;
                long perRow = (long) (c * combos + opad) * rowFloats;
                r = (int) Math.max(1, Math.min(grid[0], budget / perRow - sp.span[0]));
            }
            rows = r;
            bands = (grid[0] + r - 1) / r;
            cntMax = cnt;
            imageChunks = (batch + cnt - 1) / cnt;
            planes = new PhasePlanes(n, sp.stride, sp.lowShift, sp.span, sp.inSize, sp.phases, grid, xst, r, cnt, c, lanes);

            kOff = new int[taps];
            int[] combo = new int[taps], shiftOff = new int[taps];
            int[] u = new int[n];
            for (int t = 0; t < taps; t++) {
                int ko = 0, cb = 0, so = 0;
                for (int i = 0; i < n; i++) {
                    ko += sp.taps[i][u[i]] * kst[i];
                    cb = cb * sp.phases[i].length + sp.tapPhase[i][u[i]];
                    so += sp.shift[i][u[i]] * planes.pitch[i];
                }
                kOff[t] = ko;
                combo[t] = cb;
                shiftOff[t] = so;
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
            colOff = new int[colBlocks * rowsTile];
            for (int k = 0; k < colOff.length; k++) {
                int col = Math.min(k, cols - 1);
                int ci = col / taps, t = col % taps;
                colOff[k] = ci * planes.chanStride + combo[t] * planes.comboStride + shiftOff[t];
            }
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
            // partials: [block][col][kb] per worker
            int colsPad = colBlocks * rowsTile;
            for (int col = 0; col < cols; col++) {
                int ci = col / taps, t = col % taps;
                for (int oc = 0; oc < o; oc++) {
                    int at = ((oc / kb) * colsPad + col) * kb + oc % kb;
                    float s = 0;
                    for (int wk = 0; wk < workers; wk++) s += partials[wk * part + at];
                    dw[(oc * c + ci) * kPlane + kOff[t]] += s;
                }
            }
        }

        private void item(int idx, float[] partials, int partBase) {
            int band = idx % bands, chunk = idx / bands;
            int b0 = chunk * cntMax, cnt = Math.min(cntMax, batch - b0);
            int j0 = band * rows, rowsA = Math.min(rows, grid[0] - j0);
            float[] src = Scratch.floats(Scratch.SRC, planes.size);
            planes.fill(kern, x, b0 * c * xPlane, c * xPlane, xPlane, c, cnt, j0, rowsA, 0f, src);
            Runs runs = Runs.of(n, cnt, planes.planeSize, planes.pitch, grid, rowsA, dstAxis, dstImg, b0 * dstImg + dstFirst + j0 * dstAxis[0]);
            int nruns = runs.count(), steps = 0;
            for (int r = 0; r < nruns; r++) steps += runs.length(r);
            if (steps == 0) return;
            // pos[k]: grid point k's place in the planes
            int[] pos = Scratch.ints(Scratch.AUX, steps);
            for (int r = 0, k = 0; r < nruns; r++) for (int e = 0, s = runs.start(r), l = runs.length(r); e < l; e++) pos[k++] = s + e;
            // gT[block][k][kb]: the output gradient at the grid points, blocks bs rows apart (room for the transposes below to
            // reach past the last step); the lanes of channels past o are left as they are: they only reach partial sums of
            // those channels, which are never read
            GemmKernels gk = GemmKernels.of(kern);
            int vl = gk.lanes(), bs = steps + vl;
            float[] gt = Scratch.floats(Scratch.GRAD, blocks * bs * kb);
            int last = dstAxis[n - 1];
            for (int r = 0, k0 = 0; r < nruns; r++) {
                int l = runs.length(r), d = runs.dst(r);
                // 16x16 block transposes (16 grid points by up to 16 channels), the last one reaching past the run's end: those
                // rows are the next run's, written after this (or past the last step); one scalar per channel and point where a
                // block would read past the gradient, or the points are not adjacent in it
                int span = last == 1 && vl == lanes ? (l + vl - 1) / vl * vl : 0;
                if (span > 0 && d + (o - 1) * qTot + span > g.length) span = 0;
                for (int oc0 = 0; oc0 < o && span > 0; oc0 += vl) {
                    int rows = Math.min(vl, o - oc0), to = (oc0 / kb * bs + k0) * kb + oc0 % kb;
                    for (int e = 0; e < span; e += vl) gk.transpose(g, d + oc0 * qTot + e, qTot, rows, gt, to + e * kb, kb, vl, 0);
                }
                for (int oc = 0; oc < o && span == 0; oc++) {
                    int gi = d + oc * qTot, ti = (oc / kb * bs + k0) * kb + oc % kb;
                    for (int e = 0; e < l; e++, gi += last, ti += kb) gt[ti] = g[gi];
                }
                k0 += l;
            }
            int colsPad = colBlocks * rowsTile;
            for (int b = 0; b < blocks; b++) {
                for (int cb = 0; cb < colBlocks; cb++) {
                    tiles.tile(nv, rowsTile, src, 0, colOff, cb * rowsTile, pos, 0, steps, gt, b * bs * kb, partials,
                            partBase + (b * colsPad + cb * rowsTile) * kb, true);
                }
            }
        }
    }
}
