package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The kernel gradient for layers with many output channels, with the output channels in the vector lanes:
 * {@code dW^T[(c, t)][o] = sum_p src[p + off[c, t]] * gT[p][o]}, where {@code src} is the input in the forward pass's
 * phase planes and {@code gT} the output gradient transposed onto the same grid (zero at the extra positions).
 * Each step of the reduction is one broadcast of an input value and {@code nv} vector loads of gradient rows, so
 * no horizontal sums are needed and the accumulators stay in registers over a whole item; threads keep partial
 * sums of their own, added up at the end.
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
        final int n, o, opad, c, batch, taps, cols, rowsTile, nv, colBlocks, lanes;
        final int[] grid, dstAxis, kOff, colOff;
        final PhasePlanes planes;
        final int rows, cntMax, imageChunks, bands, xPlane, qTot, dstImg, dstFirst, kPlane, gSize;

        Job(Kernels kern, ConvPlan p, SubProblem sp, float[] x, float[] g) {
            this.kern = kern; this.sp = sp; this.x = x; this.g = g;
            n = sp.n;
            lanes = kern.lanes();
            o = p.outChannels();
            opad = (o + lanes - 1) / lanes * lanes;
            c = p.channels();
            batch = p.outBatch();
            taps = sp.tapCount();
            cols = c * taps;
            int vecs = opad / lanes;
            int best = 4;
            for (int cand = 4; cand >= 1; cand--) {
                if (vecs % cand == 0) { best = cand; break; }
            }
            nv = Math.min(best, vecs);
            rowsTile = kern.bcastRows(nv);
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
            gSize = (cnt * planes.planeSize + lanes) * opad;

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
            for (int col = 0; col < cols; col++) {
                int ci = col / taps, t = col % taps;
                for (int oc = 0; oc < o; oc++) {
                    float s = 0;
                    for (int wk = 0; wk < workers; wk++) s += partials[wk * part + col * opad + oc];
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
            int steps = runs.end();
            if (steps == 0) return;
            // gT[p][o]: the output gradient on the grid, zero elsewhere
            float[] gt = Scratch.floats(Scratch.GRAD, gSize);
            int last = dstAxis[n - 1];
            GemmKernels gk = GemmKernels.of(kern);
            int vl = gk.lanes(), covered = 0;
            // channels past o (padding lanes) are only ever zero: cleared here when there are any, never written below
            if (opad != o) java.util.Arrays.fill(gt, 0, steps * opad, 0f);
            for (int r = 0, nruns = runs.count(); r < nruns; r++) {
                int s = runs.start(r), l = runs.length(r), d = runs.dst(r);
                // the positions between runs are off the grid: zero (this also clears what the run before wrote past its end)
                if (s > covered) java.util.Arrays.fill(gt, covered * opad, s * opad, 0f);
                // 16x16 block transposes (16 positions by up to 16 channels), the last one reaching past the run's end: those
                // rows are the next gap or run, written after this; one scalar per channel and position where a block would
                // read past the gradient
                int span = last == 1 ? (l + vl - 1) / vl * vl : 0;
                if (span > 0 && d + (o - 1) * qTot + span > g.length) span = 0;
                for (int oc0 = 0; oc0 < o && span > 0; oc0 += vl) {
                    int rows = Math.min(vl, o - oc0);
                    for (int e = 0; e < span; e += vl) gk.transpose(g, d + oc0 * qTot + e, qTot, rows, gt, (s + e) * opad + oc0, opad, vl, 0);
                }
                for (int oc = 0; oc < o && span == 0; oc++) {
                    int gi = d + oc * qTot, ti = s * opad + oc;
                    for (int e = 0; e < l; e++, gi += last, ti += opad) gt[ti] = g[gi];
                }
                covered = s + l;
            }
            int vecs = opad / lanes;
            for (int ov = 0; ov < vecs; ov += nv) {
                for (int cb = 0; cb < colBlocks; cb++) {
                    kern.bcast(nv, src, colOff, cb * rowsTile, 0, steps, gt, ov * lanes, opad, partials,
                            partBase + cb * rowsTile * opad + ov * lanes, opad);
                }
            }
        }
    }
}
