package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * The kernel gradient {@code dW[o][c][t] = sum_{b, q} g[b][o][q] * x[b][c][q*s + t*kd - lo]} as dot products with the
 * reduction (positions) in the vector lanes. Per item (a chunk of images, or a band of one image) the input is
 * copied into the same phase planes the forward pass uses, and the output gradient is scattered onto the same
 * grid (zeros at the extra positions), so that column {@code (c, t)} of the result is
 * {@code sum_p gPlane[o][p] * src[p + off[c, t]]} over one contiguous range. Threads take whole items and keep
 * partial sums of their own, added up at the end; input dilation is handled per output phase as in the forward pass.
 */
final class GradKernel {
    private GradKernel() {}

    /** Computes {@code dw} (canonical {@code [O][I][K...]}, zeroed) from canonical {@code x} and {@code g}. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        List<SubProblem> subs = SubProblem.of(p);
        for (SubProblem sp : subs) new Job(kern, p, sp, x, g).run(dw);
    }

    static final class Job {
        final Kernels kern;
        final SubProblem sp;
        final float[] x, g;
        final int n, groups, og, cg, c, o, outBatch, taps, cols, mr, nr, lanes;
        final boolean featureGroups;
        final int[] grid, dstAxis, kOff, colOff, rowOff;
        final PhasePlanes planes;
        final int rows, cntMax, imageChunks, bands, xPlane, qTot, dstImg, dstFirst, kPlane, gStride, gSize;

        Job(Kernels kern, ConvPlan p, SubProblem sp, float[] x, float[] g) {
            this.kern = kern; this.sp = sp; this.x = x; this.g = g;
            n = sp.n;
            lanes = kern.lanes();
            featureGroups = p.featureGroups() > 1;
            groups = Math.max(p.featureGroups(), p.batchGroups());
            o = p.outChannels();
            og = o / groups;
            cg = p.kernelChannels();
            c = p.channels();
            outBatch = p.outBatch();
            taps = sp.tapCount();
            cols = cg * taps;
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

            int[] tile = chooseTile(kern.dotTiles(), og, cols);
            mr = tile[0];
            nr = tile[1];

            // item split: as the forward pass, but the output gradient of the item is held too
            int threads = Threads.threads();
            int combos = sp.combos();
            int rowFloats = 1;
            for (int i = 1; i < n; i++) rowFloats *= grid[i] + sp.span[i];
            long perImage = (long) (cg * combos + og) * (grid[0] + sp.span[0]) * rowFloats;
            int budget = ShiftedConv.itemBudgetFloats;
            int cnt, r;
            if (perImage <= budget) {
                r = grid[0];
                cnt = (int) Math.max(1, Math.min(outBatch, budget / perImage));
                int chunksWanted = Math.max(1, (4 * threads + groups - 1) / groups);
                cnt = Math.max(1, Math.min(cnt, (outBatch + chunksWanted - 1) / chunksWanted));
            } else {
                cnt = 1;
                long perRow = (long) (cg * combos + og) * rowFloats;
                r = (int) Math.max(1, Math.min(grid[0], budget / perRow - sp.span[0]));
            }
            rows = r;
            bands = (grid[0] + r - 1) / r;
            cntMax = cnt;
            imageChunks = (outBatch + cnt - 1) / cnt;
            planes = new PhasePlanes(n, sp.stride, sp.lowShift, sp.span, sp.inSize, sp.phases, grid, xst, r, cnt, cg, lanes);
            gStride = cnt * planes.planeSize + lanes;
            gSize = og * gStride + lanes;

            // tap u: kernel offset, phase combination, shift offset in the planes
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
            int colBlocks = (cols + nr - 1) / nr, rowBlocks = (og + mr - 1) / mr;
            colOff = new int[colBlocks * nr];
            for (int k = 0; k < colOff.length; k++) {
                int col = Math.min(k, cols - 1);
                int ci = col / taps, t = col % taps;
                colOff[k] = ci * planes.chanStride + combo[t] * planes.comboStride + shiftOff[t];
            }
            rowOff = new int[rowBlocks * mr];
            for (int k = 0; k < rowOff.length; k++) rowOff[k] = Math.min(k, og - 1) * gStride;
        }

        /** The tile with the fewest wasted rows and columns among those the kernels offer. */
        static int[] chooseTile(int[] tiles, int rows, int cols) {
            int best = 0;
            double bestCost = Double.MAX_VALUE;
            for (int i = 0; i < tiles.length; i += 2) {
                int mr = tiles[i], nr = tiles[i + 1];
                double work = (double) ((rows + mr - 1) / mr * mr) * ((cols + nr - 1) / nr * nr);
                // loads per multiply-add: (mr + nr) / (mr * nr)
                double cost = work * (1.0 + (double) (mr + nr) / (mr * nr));
                if (cost < bestCost) { bestCost = cost; best = i; }
            }
            return new int[] {tiles[best], tiles[best + 1]};
        }

        int items() { return groups * imageChunks * bands; }

        void run(float[] dw) {
            int items = items();
            long work = (long) groups * og * cols * outBatch * sp.gridSize();
            int workers = Math.max(1, Math.min(ShiftedConv.threadsFor(work), items));
            int part = groups * og * cols;
            float[] partials = Scratch.floats(Scratch.PART, workers * part);
            java.util.Arrays.fill(partials, 0, workers * part, 0f);
            Threads.parallelFor(workers, workers, wk -> {
                for (int it = wk; it < items; it += workers) item(it, partials, wk * part);
            });
            // the workers' sums in worker order into dw, by rows of output channels over the threads when there are many
            int rowsAll = groups * og, pieces = part >= PartialSums.PARALLEL ? Math.min(workers, rowsAll) : 1;
            Threads.parallelFor(pieces, pieces, pc -> {
                for (int row = rowsAll * pc / pieces, end = rowsAll * (pc + 1) / pieces; row < end; row++) {
                    for (int col = 0; col < cols; col++) {
                        float s = 0;
                        int pi = row * cols + col;
                        for (int wk = 0; wk < workers; wk++) s += partials[wk * part + pi];
                        int ci = col / taps, t = col % taps;
                        dw[(row * cg + ci) * kPlane + kOff[t]] += s;
                    }
                }
            });
        }

        private void item(int idx, float[] partials, int partBase) {
            int band = idx % bands;
            int rest = idx / bands;
            int chunk = rest % imageChunks;
            int gi = rest / imageChunks;
            int b0 = chunk * cntMax;
            int cnt = Math.min(cntMax, outBatch - b0);
            int j0 = band * rows;
            int rowsA = Math.min(rows, grid[0] - j0);
            int inChan = featureGroups ? gi * cg : 0;
            int inImg = (featureGroups ? 0 : gi * outBatch) + b0;

            float[] src = Scratch.floats(Scratch.SRC, planes.size);
            planes.fill(kern, x, (inImg * c + inChan) * xPlane, c * xPlane, xPlane, cg, cnt, j0, rowsA, 0f, src);
            Runs runs = Runs.of(n, cnt, planes.planeSize, planes.pitch, grid, rowsA, dstAxis, dstImg, b0 * dstImg + dstFirst + j0 * dstAxis[0]);
            int len = (runs.end() + lanes - 1) / lanes * lanes;
            if (len == 0) return;
            // scatter the output gradient of this item's output channels onto the grid
            float[] gp = Scratch.floats(Scratch.GRAD, gSize);
            java.util.Arrays.fill(gp, 0, gSize, 0f);
            int last = dstAxis[n - 1];
            int oBase = gi * og;
            for (int oc = 0; oc < og; oc++) {
                int gRow = oc * gStride, gSrc = (oBase + oc) * qTot;
                for (int r = 0, nruns = runs.count(); r < nruns; r++) {
                    int s = runs.start(r), l = runs.length(r), d = runs.dst(r) + gSrc;
                    if (last == 1) {
                        System.arraycopy(g, d, gp, gRow + s, l);
                    } else {
                        for (int e = 0; e < l; e++) gp[gRow + s + e] = g[d + e * last];
                    }
                }
            }
            float[] tile = Scratch.floats(Scratch.TILE, mr * nr);
            int pBase = partBase + gi * og * cols;
            for (int rb = 0; rb * mr < og; rb++) {
                int rowsValid = Math.min(mr, og - rb * mr);
                for (int cb = 0; cb * nr < cols; cb++) {
                    int colsValid = Math.min(nr, cols - cb * nr);
                    kern.dot(mr, nr, gp, rowOff, rb * mr, 0, src, colOff, cb * nr, 0, len, tile, 0, nr);
                    for (int m = 0; m < rowsValid; m++) {
                        int pr = pBase + (rb * mr + m) * cols + cb * nr;
                        for (int j = 0; j < colsValid; j++) partials[pr + j] += tile[m * nr + j];
                    }
                }
            }
        }
    }
}
