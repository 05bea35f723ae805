package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * The conv with the batch in the vector lanes, for small planes and large batches (the MNIST CNN's 14x14 to 1x1
 * layers, a residual network's 7x7 stage): the flat walk of {@link ShiftedConv} would spend most lanes on plane
 * padding there. The input is transposed once to {@code [channel][padded position][image]} blocks of {@code nr}
 * images, so that tap {@code (c, t)} of output position {@code j} is the contiguous vector block at
 * {@code ((c * P + pos(j, t)) * nr}: the same shifted GEMM tile, with images instead of positions in the lanes.
 * Strides and input-dilation phases need no copies here, only one padding that covers every sub-problem; the
 * result is moved back to {@code [N][O][Q...]} by block transposes (output phases through per-thread slabs of the output).
 */
final class BatchConv {
    private BatchConv() {}

    /** Flat positions per image above which the flat engine wins. */
    static final int MAX_GRID = 256;

    /** Positions per image up to which strided forward convs with a big batch take this engine. */
    static final int STRIDED_GRID = 64;

    /** True when this engine should run the plan: batch groups are not supported, and the batch must fill vectors. */
    static boolean suits(Kernels k, ConvPlan p, List<SubProblem> subs) {
        if (p.batchGroups() > 1 || subs.isEmpty() || !Planner.enabled("batch-lanes")) return false;
        if (p.outBatch() < 2 * k.lanes()) return false;
        long grid = 0;
        for (SubProblem sp : subs) grid = Math.max(grid, sp.gridSize());
        if (grid > MAX_GRID) return false;
        if (grid <= 32) return true;
        // Larger planes, measured: the input gradient of a strided conv (input dilation: several output phases) is better here;
        // the flat walk wins for one input channel and for strided forward convs with larger planes or smaller batches.
        boolean dilated = false, strided = false;
        for (int v : p.inputDilation()) dilated |= v > 1;
        for (int v : p.strides()) strided |= v > 1;
        if (dilated) return true;
        // Measured after the gather transform (single-threaded CPU time, 2026-11-24): strided forward convs with planes up to
        // 64 positions and a batch of 8+ vectors are faster here (mnist-l2 260 vs 316 us, its 5x5 form 416 vs 557 us, 128x8x10x10
        // 167 vs 257 us); with a batch of 64 or less the flat walk still wins (64x64x14x14 -> 128: 6.8 vs 6.5 ms).
        if (strided) return grid <= STRIDED_GRID && p.outBatch() >= 8 * k.lanes() && p.kernelChannels() > 1;
        return p.kernelChannels() > 1;
    }

    /** {@link #chooseTile(Kernels, int, int, int, int)} for plan {@code p} on the user's threads. */
    static int[] chooseTile(Kernels k, ConvPlan p, List<SubProblem> subs) {
        long grid = 0;
        for (SubProblem sp : subs) grid = Math.max(grid, sp.gridSize());
        int units = (int) Math.min(1 << 20, p.featureGroups() * Math.max(1, grid / 16));
        return chooseTile(k, p.outChannels() / p.featureGroups(), p.outBatch(), units, Threads.threads());
    }

    /**
     * The tile {@code (mr, nv)} with the least padded work for {@code og} rows and {@code batch} lanes on the busiest of
     * {@code threads} threads, where each block of {@code nv} vectors of images splits into {@code units} parallel items
     * (groups, times slices of 16+ grid points: {@link Job#run}). One block of 64 images and 16 grid points is one item, so
     * a 64x8x7x7 -> 16 3x3 s2 forward ran on one thread with blocks of 64 (and slower on two before slices kept to 16
     * points: 60 against 51 µs on one, as slices of 4 points shared the output's cache lines); in blocks of 32 it runs
     * two items.
     */
    static int[] chooseTile(Kernels k, int og, int batch, int units, int threads) {
        int bestMr = 1, bestNv = 1;
        double best = Double.MAX_VALUE;
        for (int mr = 1; mr <= 8; mr++) {
            for (int nv = 1; nv <= 8; nv++) {
                if (!k.hasGemm(mr, nv)) continue;
                int lanes = nv * k.lanes();
                long blocks = (batch + lanes - 1) / lanes, items = blocks * units;
                double work = (double) ((og + mr - 1) / mr * mr) * blocks * lanes;
                double busiest = (double) ((items + threads - 1) / threads) * threads / items;
                double cost = work * busiest * (1.0 + (double) (mr + nv) / (mr * nv));
                if (cost < best) { best = cost; bestMr = mr; bestNv = nv; }
            }
        }
        return new int[] {bestMr, bestNv};
    }

    static void run(Kernels kern, ConvPlan p, List<SubProblem> subs, float[] x, float[] w, float[] out) {
        new Job(kern, p, subs, x, w, out).run();
    }

    static final class Job {
        final Kernels kern;
        final ConvPlan p;
        final List<SubProblem> subs;
        final float[] x, w, out;
        final int n, groups, og, cg, c, o, outBatch, mr, nv, nr, oblocks, blocks, pTot, xPlane, qTot, kPlane;
        final int[] lowPad, padded, pst, in, qst, kst;
        final boolean featureGroups;
        float[] xb;

        Job(Kernels kern, ConvPlan p, List<SubProblem> subs, float[] x, float[] w, float[] out) {
            this(kern, p, subs, x, w, out, 0);
        }

        /** {@code nvForced > 0}: blocks of {@code nvForced} vectors of images, whatever tile the output channels would pick. */
        Job(Kernels kern, ConvPlan p, List<SubProblem> subs, float[] x, float[] w, float[] out, int nvForced) {
            this.kern = kern; this.p = p; this.subs = subs; this.x = x; this.w = w; this.out = out;
            n = p.spatialRank();
            featureGroups = p.featureGroups() > 1;
            groups = p.featureGroups();
            o = p.outChannels();
            og = o / groups;
            cg = p.kernelChannels();
            c = p.channels();
            outBatch = p.outBatch();
            int[] t = nvForced > 0 ? new int[] {1, nvForced} : chooseTile(kern, p, subs);
            mr = t[0];
            nv = t[1];
            nr = nv * kern.lanes();
            oblocks = (og + mr - 1) / mr;
            blocks = (outBatch + nr - 1) / nr;
            in = p.spatial();
            xPlane = ShiftedConv.product(in);
            qst = ShiftedConv.rowMajorStrides(p.outSize());
            qTot = ShiftedConv.product(p.outSize());
            kst = ShiftedConv.rowMajorStrides(p.kernelSize());
            kPlane = ShiftedConv.product(p.kernelSize());
            // one padding for every sub-problem: the lowest and highest input index any tap reads
            lowPad = new int[n];
            padded = new int[n];
            for (int i = 0; i < n; i++) {
                int lo = 0, hi = in[i] - 1;
                for (SubProblem sp : subs) {
                    for (int a : sp.offset[i]) {
                        lo = Math.min(lo, a);
                        hi = Math.max(hi, (sp.grid[i] - 1) * sp.stride[i] + a);
                    }
                }
                lowPad[i] = -lo;
                padded[i] = hi - lo + 1;
            }
            pst = ShiftedConv.rowMajorStrides(padded);
            pTot = ShiftedConv.product(padded);
        }

        void run() {
            long work = 0;
            for (SubProblem sp : subs) work += sp.gridSize() * sp.tapCount();
            work *= (long) groups * oblocks * mr * cg * blocks * nr;
            int threads = ShiftedConv.threadsFor(work);
            transformInput(threads);
            // 2. every sub-problem, items = (group, block, slice of grid points); output phases go through slabs of the output
            boolean phases = false;
            for (SubProblem sp : subs) phases |= !sp.coversOutput(p.outSize());
            // the packed kernels of all sub-problems, rows padded with zeros: a[g][ob][k][mr] each
            int[][] offs = new int[subs.size()][];
            int[] aOff = new int[subs.size()];
            int aTot = 0;
            for (int si = 0; si < subs.size(); si++) {
                aOff[si] = aTot;
                aTot += groups * oblocks * cg * subs.get(si).tapCount() * mr;
            }
            float[] a = Scratch.floats(Scratch.PACK, aTot);
            for (int si = 0; si < subs.size(); si++) offs[si] = pack(subs.get(si), a, aOff[si]);
            if (phases) {
                runSlabs(threads, a, aOff, offs, !SubProblem.coverEveryOutput(subs, p.outSize()));
                return;
            }
            for (int si = 0; si < subs.size(); si++) {
                SubProblem sp = subs.get(si);
                int[] off = offs[si];
                int a0 = aOff[si];
                int grid = (int) sp.gridSize();
                int slices = slices(grid, threads);
                int even = (grid + slices - 1) / slices;
                int perSlice = slices > 1 && grid >= 16 * slices ? (even + 15) / 16 * 16 : even;
                int items = groups * blocks * ((grid + perSlice - 1) / perSlice);
                int slicesReal = (grid + perSlice - 1) / perSlice;
                Threads.parallelFor(items, threads, idx -> item(sp, a, a0, off, idx, slicesReal, perSlice));
            }
        }

        /**
         * Step 1, the input as {@code xb = [group][block][channel][padded position][nr images]} (images past the batch zero), in
         * this thread's {@link Scratch#AUX} buffer, on up to {@code threads} threads: items of whole channels of one block,
         * about 256 input positions each (see {@link #transformChannels}), fewer channels when that leaves a thread idle.
         */
        void transformInput(int threads) {
            allocateInput();
            int per = Math.max(1, Math.min(cg, (255 + xPlane) / xPlane)), pairs = groups * blocks;
            while (per > 1 && pairs * ((cg + per - 1) / per) < 2 * threads) per = (per + 1) / 2;
            int chans = per, chunks = (cg + per - 1) / per;
            Threads.parallelFor(pairs * chunks, threads, idx -> {
                int c0 = idx % chunks * chans, pair = idx / chunks;
                transformChannels(pair / blocks, pair % blocks, c0, Math.min(cg, c0 + chans));
            });
        }

        /**
         * {@link #xb}, its contents undefined until {@link #transformChannels} has run for every (group, block, channel), and
         * the offsets that transform uses.
         */
        void allocateInput() {
            xb = Scratch.floats(Scratch.AUX, groups * blocks * cg * pTot * nr + nr);
            // per input column (channel, position) of a group: its place in a block of xb; the runs of padded positions that no
            // input position fills
            colOff = Scratch.ints(Scratch.SRC, cg * xPlane);
            boolean[] filled = new boolean[pTot];
            int[] ix = new int[n];
            for (int e = 0; e < xPlane; e++) {
                int pp = 0;
                for (int i = 0; i < n; i++) pp += (ix[i] + lowPad[i]) * pst[i];
                filled[pp] = true;
                for (int ci = 0; ci < cg; ci++) colOff[ci * xPlane + e] = (ci * pTot + pp) * nr;
                for (int i = n - 1; i >= 0 && ++ix[i] == in[i]; i--) ix[i] = 0;
            }
            int[] runs = new int[pTot + 1];
            int r = 0;
            for (int q = 0; q < pTot; ) {
                if (filled[q]) { q++; continue; }
                int e = q;
                while (e < pTot && !filled[e]) e++;
                runs[r++] = q;
                runs[r++] = e;
                q = e;
            }
            padRuns = java.util.Arrays.copyOf(runs, r);
        }

        /**
         * Per input column {@code (channel, position)} of a group, its offset in a block of {@link #xb} (set by
         * {@link #allocateInput}, in the calling thread's scratch: the workers only read it).
         */
        private int[] colOff;

        /** The padded positions no input position fills, as runs {@code [start, end)} (set by {@link #allocateInput}). */
        private int[] padRuns;

        /**
         * Slices of the grid per (group, block of images): as few as give each thread two items. Slices of one block write
         * the same output lines (an image's row of 16 points is one cache line, or two, as the array lies), so two threads
         * on two slices of one block fight over them: `mnist-l3` (4 blocks) was cut into 2 slices to reach 8 items and ran
         * at 130-240 µs on two threads, against 107-125 µs (and once 173) with whole blocks (2026-11-24, alternating JVMs).
         * Slices hold 16+ points and start at multiples of 16 (a 4x4 plane is one slice: 64x8x7x7 -> 16 3x3 s2 in slices of 4
         * points took 60 µs on two threads against 51 µs on one).
         */
        private int slices(int grid, int threads) {
            int pairs = groups * blocks;
            return Math.max(1, Math.min(grid / 16, (2 * threads + pairs - 1) / pairs));
        }

        /**
         * Per tap of {@code sp}: its offset in a padded plane of {@link #xb} (in positions, returned) and its index in a kernel
         * plane (into {@code kOff}).
         */
        int[] tapPositions(SubProblem sp, int[] kOff) {
            int taps = sp.tapCount();
            int[] po = new int[taps];
            int[] u = new int[n];
            for (int tp = 0; tp < taps; tp++) {
                int ko = 0, pp = 0;
                for (int i = 0; i < n; i++) {
                    ko += sp.taps[i][u[i]] * kst[i];
                    pp += (sp.offset[i][u[i]] + lowPad[i]) * pst[i];
                }
                kOff[tp] = ko;
                po[tp] = pp;
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
            return po;
        }

        /**
         * Packs the kernel of {@code sp} into {@code a[a0 ..]} as {@code [g][ob][k][mr]} (rows past {@code og} zero) and returns
         * the input offset of each reduction step {@code k = (c, tap)} in a block of {@link #xb}.
         */
        private int[] pack(SubProblem sp, float[] a, int a0) {
            int taps = sp.tapCount(), kc = cg * taps;
            int[] off = new int[kc];
            int[] kOff = new int[taps];
            int[] po = tapPositions(sp, kOff);
            for (int tp = 0; tp < taps; tp++) for (int ci = 0; ci < cg; ci++) off[ci * taps + tp] = (ci * pTot + po[tp]) * nr;
            ShiftedConv.packKernel(w, groups, og, cg, kPlane, kOff, mr, a, a0);
            return off;
        }

        /**
         * Output phases (input dilation): items are (group, block, slab of output rows along the first axis). Each item runs
         * every phase's grid points that land in its slab, into a per-thread copy of the slab {@code [row][position][image]},
         * and moves the slab to the output by block transposes while it is still in the cache. Before, every phase stored into
         * one staging copy of the whole output, moved out at the end. Measured single-threaded (CPU time, 2026-11-24, the two
         * builds alternating, a noisy machine): the input gradients of 64x32x28x28 -> 64 3x3 s2 7287/7572/8735 against
         * 6772/7099/8835 µs, of 64x64x14x14 -> 128 6536/6548/6923 against 6492/6881/6428 µs, mnist-l1 355/297/308 against
         * 298/300/294 µs: as fast or a few percent faster, and the working copy is 256 KB per thread instead of the output's
         * size (which the thread then kept).
         */
        private void runSlabs(int threads, float[] a, int[] aOff, int[][] offs, boolean gaps) {
            int[] q = p.outSize();
            int rowFloats = qst[0] * nr * oblocks * mr;
            int rows = Math.max(1, Math.min(q[0], SLAB_FLOATS / Math.max(1, rowFloats)));
            int pairs = groups * blocks;
            int want = (2 * threads + pairs - 1) / pairs;
            if ((q[0] + rows - 1) / rows < want) rows = Math.max(1, q[0] / want);
            int slabRows = rows, slabs = (q[0] + rows - 1) / rows;
            Threads.parallelFor(pairs * slabs, threads, idx -> slab(idx % slabs, idx / slabs, slabRows, a, aOff, offs, gaps));
        }

        /** Floats of one slab of the output in [row][position][image] form: about a quarter of the L2 cache. */
        static final int SLAB_FLOATS = 64 * 1024;

        private void slab(int sIdx, int pair, int slabRows, float[] a, int[] aOff, int[][] offs, boolean gaps) {
            int blk = pair % blocks, g = pair / blocks;
            int q0 = p.outSize()[0], r0 = sIdx * slabRows, r1 = Math.min(q0, r0 + slabRows);
            int span = (r1 - r0) * qst[0], ldc = span * nr, lanes = Math.min(nr, outBatch - blk * nr);
            float[] buf = Scratch.floats(Scratch.PART, oblocks * mr * ldc);
            // outputs that no phase reaches (input dilation beyond the kernel's reach) are zero
            if (gaps) java.util.Arrays.fill(buf, 0, oblocks * mr * ldc, 0f);
            int xBase = (g * blocks + blk) * cg * pTot * nr;
            for (int si = 0; si < subs.size(); si++) {
                SubProblem sp = subs.get(si);
                // grid rows j0 with r0 <= step*j0 + first < r1
                int lo = Math.max(0, Math.ceilDiv(r0 - sp.first[0], sp.step[0])), hi = Math.min(sp.grid[0], Math.ceilDiv(r1 - sp.first[0], sp.step[0]));
                if (lo >= hi) continue;
                int inner = 1;
                for (int i = 1; i < n; i++) inner *= sp.grid[i];
                tiles(sp, a, aOff[si], offs[si], g, xBase, lo * inner, hi * inner, buf, span, r0 * qst[0]);
            }
            int imgStride = o * qTot;
            for (int r = 0; r < og; r++) rowOut(buf, r * ldc, span, lanes, blk * nr * imgStride + (g * og + r) * qTot + r0 * qst[0]);
        }

        /**
         * One channel row of {@code span} points of {@code lanes} images, {@code src[sRow + point*nr + image]}, to
         * {@code out[dRow + image*O*Q + point]}: 16x16 block transposes (16 points of one image are one vector store), scalars
         * for a partial vector of images. A row of 16 points or more ends with a whole block that overlaps the one before (its
         * first points written twice, with the same values) instead of a partial one, which goes through a buffer and masked
         * stores. One thread, CPU time, against the partial blocks: 256x16x14x14 -> 32 3x3 s2 (49 points a channel: a last
         * block of one point) 1510 against 1579 µs; 64x32x28x28 -> 64 s2's input gradient (slabs of one 28-point row, its
         * masked stores 2% of the profile) within the noise.
         */
        private void rowOut(float[] src, int sRow, int span, int lanes, int dRow) {
            GemmKernels gk = GemmKernels.of(kern);
            int vl = gk.lanes(), imgStride = o * qTot;
            for (int v = 0; v * vl < lanes; v++) {
                int imgs = Math.min(vl, lanes - v * vl), d = dRow + v * vl * imgStride;
                for (int j = 0; j < span; j += vl) {
                    int jj = span >= vl ? Math.min(j, span - vl) : j, pts = Math.min(vl, span - jj), s0 = sRow + jj * nr + v * vl;
                    if (imgs == vl) {
                        gk.transpose(src, s0, nr, pts, out, d + jj, imgStride, vl, 0);
                    } else {
                        for (int l = 0; l < imgs; l++) for (int q = 0; q < pts; q++) out[d + l * imgStride + jj + q] = src[s0 + q * nr + l];
                    }
                }
            }
        }

        /**
         * Channels {@code [c0, c1)} of block {@code blk} (of {@code nr} images) of group {@code g} into {@link #xb}: the images'
         * rows of those channels (contiguous in each image) read as one {@code [image][channel*position]} matrix, whose
         * 16x16 blocks are transposed straight to their padded positions ({@link GemmKernels#transposeTo}); a block may span two
         * channels, so a 7x7 plane takes 25 blocks for 8 channels instead of 32. Before, each channel's plane went to a buffer
         * by block transposes and from there row by row to its padded place.
         */
        void transformChannels(int g, int blk, int c0, int c1) {
            GemmKernels gk = GemmKernels.of(kern);
            int vl = gk.lanes(), lanes = Math.min(nr, outBatch - blk * nr), d0 = (g * blocks + blk) * cg * pTot * nr;
            // zeros where no input lands: the padding; in a partial block, every lane past the batch as well
            // (GradKernelBatch multiplies them by a zero gradient: no NaN from old contents)
            if (lanes < nr) {
                java.util.Arrays.fill(xb, d0 + c0 * pTot * nr, d0 + c1 * pTot * nr, 0f);
            } else {
                for (int ci = c0; ci < c1; ci++) {
                    for (int r = 0; r < padRuns.length; r += 2) {
                        java.util.Arrays.fill(xb, d0 + (ci * pTot + padRuns[r]) * nr, d0 + (ci * pTot + padRuns[r + 1]) * nr, 0f);
                    }
                }
            }
            int sStride = c * xPlane, e1 = c1 * xPlane, inChan = featureGroups ? g * cg : 0;
            for (int v = 0; v * vl < lanes; v++) {
                int rows = Math.min(vl, lanes - v * vl), s0 = ((blk * nr + v * vl) * c + inChan) * xPlane, d = d0 + v * vl;
                for (int e = c0 * xPlane; e < e1; e += vl) {
                    int cols = Math.min(vl, e1 - e);
                    if (rows == vl && s0 + (vl - 1) * sStride + e + vl <= x.length) {
                        gk.transposeTo(x, s0 + e, sStride, cols, xb, d, colOff, e);
                    } else {
                        // a partial vector of images, or whole rows that would read past the input
                        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) xb[d + colOff[e + j] + i] = x[s0 + i * sStride + e + j];
                    }
                }
            }
        }

        private void item(SubProblem sp, float[] a, int a0, int[] off, int idx, int slices, int perSlice) {
            // the slice is the slowest index: items taken at the same time belong to different blocks of images, so two threads
            // never write the same output lines (slices of one block share them: 16 positions are one cache line)
            int slice = idx / (groups * blocks), rest = idx % (groups * blocks);
            int blk = rest % blocks, g = rest / blocks;
            int j0 = slice * perSlice, j1 = Math.min((int) sp.gridSize(), j0 + perSlice);
            int lanes = Math.min(nr, outBatch - blk * nr);
            int xBase = (g * blocks + blk) * cg * pTot * nr;
            storeTransposed(sp, a, a0, off, g, blk, lanes, xBase, j0, j1);
        }

        /**
         * The grid points {@code [j0, j1)} of a contiguous sub-problem: every tile stored into {@code [row][point][image]}, then
         * each row's points moved to the images' output rows by 16x16 block transposes (16 points of one image and channel are
         * one vector store), instead of one scalar store per (row, image, point).
         */
        private void storeTransposed(SubProblem sp, float[] a, int a0, int[] off, int g, int blk, int lanes, int xBase, int j0, int j1) {
            int span = j1 - j0, ldc = span * nr, imgStride = o * qTot;
            float[] buf = Scratch.floats(Scratch.PART, oblocks * mr * ldc);
            // grid point j is output position j here
            tiles(sp, a, a0, off, g, xBase, j0, j1, buf, span, j0);
            for (int r = 0; r < og; r++) rowOut(buf, r * ldc, span, lanes, blk * nr * imgStride + (g * og + r) * qTot + j0);
        }

        /**
         * The tiles of grid points {@code [jf0, jf1)} of {@code sp} into {@code buf} as {@code [row][point][image]} with
         * {@code span} points per row: each point at its output position (flat, {@code [Q...]}) minus {@code base}.
         */
        private void tiles(SubProblem sp, float[] a, int a0, int[] off, int g, int xBase, int jf0, int jf1, float[] buf, int span, int base) {
            int kc = off.length, ldc = span * nr;
            int[] j = new int[n];
            for (int i = n - 1, r = jf0; i >= 0; i--) {
                j[i] = r % sp.grid[i];
                r /= sp.grid[i];
            }
            for (int jf = jf0; jf < jf1; jf++) {
                int pos = 0, dq = -base;
                for (int i = 0; i < n; i++) {
                    pos += j[i] * sp.stride[i] * pst[i];
                    dq += (sp.step[i] * j[i] + sp.first[i]) * qst[i];
                }
                for (int ob = 0; ob < oblocks; ob++) {
                    kern.gemm(mr, nv, a, a0 + (g * oblocks + ob) * kc * mr, mr, kc, xb, xBase + pos * nr, off, 0, buf, (ob * mr * span + dq) * nr, ldc);
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (++j[i] < sp.grid[i]) break;
                    j[i] = 0;
                }
            }
        }
    }
}
