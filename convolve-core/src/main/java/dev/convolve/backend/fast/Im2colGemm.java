package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * A conv as one packed GEMM ({@link Gemm}) per feature group and output phase over the whole batch:
 * {@code out[b][o][pos(j)] = sum_{k = (c, t)} W[o][c][t] * B[k][(b, j)]} with {@code B[(c, t)][(b, j)]} the input element tap
 * {@code t} reads for grid point {@code j} (im2col; zero in the padding). Without input dilation there is one phase, the whole
 * output plane; with it (the input gradient of a strided conv) the output splits into {@link SubProblem} phases, each an
 * ordinary conv over the taps that are real in it, so no product by an inserted zero is computed. The columns are every
 * image's grid points, so small planes with a big batch make one wide GEMM instead of many tiny ones. Column blocks (sized
 * for the L2 cache) are packed straight from the input by {@link Im2colPack} (a vector gather per vector of columns, tables
 * from {@link Im2colGeometry}), computed into a small buffer and copied to the {@code [b][o][pos]} output. Items are phase x
 * group x column block.
 */
final class Im2colGemm {
    private Im2colGemm() {}

    /** For tests: take this path for every plan it can compute, not only the ones it is chosen for. */
    static volatile boolean force;

    /** The longest reduction block. */
    static final int KC_MAX = 384;

    /** Output planes up to this many positions count as small. */
    static final int SMALL_PLANE = 4;

    /** Offset tables above this many entries are not built. */
    static final long MAX_TABLE = 1 << 21;

    static boolean supports(ConvPlan p, List<SubProblem> subs, int lanes) {
        return p.batchGroups() == 1 && Planner.enabled("im2col-gemm") && !subs.isEmpty()
                && Im2colGeometry.tableSize(p, subs, lanes) <= MAX_TABLE;
    }

    /**
     * Chosen for small output planes (at most {@link #SMALL_PLANE} positions) with a big batch and enough channels, without
     * input dilation. Measured against batch-lanes (2026-11-24, under load): strided convs with larger planes (mnist-l2, l3,
     * res-down) and the phases of their input gradients were no faster here, the gather of the packing costing about two
     * cycles per element; those stay on batch-lanes / shifted-gemm, or take {@link Col2imGradInput}.
     */
    static boolean suits(Kernels kern, ConvPlan p, List<SubProblem> subs) {
        if (!supports(p, subs, kern.lanes())) return false;
        if (force) return true;
        for (int v : p.inputDilation()) if (v != 1) return false;
        int og = p.outChannels() / p.featureGroups();
        long q = Canonical.product(p.outSize()), cols = p.kernelChannels() * Canonical.product(p.kernelSize());
        return q <= SMALL_PLANE && p.outBatch() * q >= 256 && og >= 8 && cols >= 16;
    }

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        new Job(kern, p, SubProblem.of(p), x, w).run(out);
    }

    static final class Job {
        final Kernels kern;
        final Im2colPack pack;
        final Im2colGeometry geo;
        final float[] x;
        final int batch, o, groups, og, cg, kTaps;
        final Gemm[] gemm;
        /** Per phase: reduction block, column block, column blocks, offset of its packed weights in {@code ap}. */
        final int[] kc, nc, jBlocks, apOff;
        /** Item {@code i} is phase {@code itemPhase[i]}, items of a phase group-major then column block. */
        final int[] itemStart;
        final float[] ap;
        /**
         * Per phase: one output position per image whose reduction rows are consecutive floats of the image (an output plane
         * of 1x1 over the whole input, such as MNIST's last conv), so a panel is a 16x16 block transpose of 16 images' rows
         * ({@link #packRows}) instead of one gather per 16 columns.
         */
        final boolean[] rowsOfImages;

        Job(Kernels kern, ConvPlan p, List<SubProblem> subs, float[] x, float[] w) {
            this.kern = kern; this.x = x;
            pack = Im2colPack.of(kern);
            geo = Im2colGeometry.of(p, subs, kern.lanes());
            batch = p.outBatch();
            o = p.outChannels();
            groups = p.featureGroups();
            og = o / groups;
            cg = p.kernelChannels();
            kTaps = (int) Canonical.product(p.kernelSize());
            int ph = geo.phases.length, threads = Threads.threads();
            gemm = new Gemm[ph];
            kc = new int[ph]; nc = new int[ph]; jBlocks = new int[ph]; apOff = new int[ph]; itemStart = new int[ph + 1];
            int apSize = 0;
            rowsOfImages = new boolean[ph];
            for (int s = 0; s < ph; s++) {
                Im2colGeometry.Phase f = geo.phases[s];
                boolean rows = f.q == 1;
                for (int r = 0; r < f.k && rows; r++) rows = f.zmask[r] == 0 && f.ext[r * f.extLen] == f.ext[0] + r;
                rowsOfImages[s] = rows;
                int cols = batch * f.q;
                gemm[s] = Gemm.choose(GemmKernels.of(kern), og, cols);
                kc[s] = Gemm.reductionBlock(f.k, KC_MAX);
                int nr = gemm[s].nr;
                int want = Math.max(nr, GemmConv.blockFloats / Math.max(1, kc[s]) / nr * nr);
                int blocks = (cols + want - 1) / want;
                int perPhase = (4 * threads + ph - 1) / ph;
                if ((long) groups * blocks < perPhase) blocks = Math.min((cols + nr - 1) / nr, (perPhase + groups - 1) / groups);
                blocks = Math.max(1, blocks);
                nc[s] = ((cols + blocks - 1) / blocks + nr - 1) / nr * nr;
                jBlocks[s] = cols == 0 ? 0 : (cols + nc[s] - 1) / nc[s];
                itemStart[s + 1] = itemStart[s] + groups * jBlocks[s];
                apOff[s] = apSize;
                apSize += groups * og * f.k;
            }
            // weights: per phase and group, the phase's taps as a dense [og x k] matrix, packed per reduction block
            ap = Scratch.floats(Scratch.AUX, apSize);
            for (int s = 0; s < ph; s++) {
                Im2colGeometry.Phase f = geo.phases[s];
                int k = f.k;
                float[] dense = Scratch.floats(Scratch.TILE, og * k);
                for (int g = 0; g < groups; g++) {
                    for (int i = 0; i < og; i++) {
                        for (int ch = 0; ch < cg; ch++) {
                            int src = ((g * og + i) * cg + ch) * kTaps, dst = i * k + ch * f.taps;
                            for (int t = 0; t < f.taps; t++) dense[dst + t] = w[src + f.kernelTap[t]];
                        }
                    }
                    for (int k0 = 0; k0 < k; k0 += kc[s]) {
                        int kcA = Math.min(kc[s], k - k0);
                        gemm[s].packA(dense, k0, k, 1, og, kcA, ap, apOff[s] + g * og * k + og * k0);
                    }
                }
            }
        }

        /**
         * A panel of {@link #rowsOfImages}: column {@code col0 + e} is image {@code col0 + e}, reduction row {@code kk} its float
         * at {@code from + kk}; {@code dst[d + kk*w + e]} for {@code kk < kc}, {@code e < w}, zero past {@code valid}. Whole blocks
         * of 16 images by 16 rows are block transposes, the rest single floats.
         */
        private void packRows(int from, int kc, int col0, int valid, int w, float[] dst, int d) {
            GemmKernels gk = GemmKernels.of(kern);
            int vl = gk.lanes(), stride = geo.imgStride, kFull = kc / vl * vl;
            for (int e0 = 0; e0 < w; e0 += vl) {
                int imgs = Math.max(0, Math.min(vl, valid - e0)), src = (col0 + e0) * stride + from, kk = 0;
                if (imgs == vl) for (; kk < kFull; kk += vl) gk.transpose(x, src + kk, stride, vl, dst, d + kk * w + e0, w, vl, 0);
                for (; kk < kc; kk++) {
                    int o = d + kk * w + e0;
                    for (int l = 0; l < vl; l++) dst[o + l] = l < imgs ? x[src + l * stride + kk] : 0f;
                }
            }
        }

        void run(float[] out) {
            long work = 0;
            for (Im2colGeometry.Phase f : geo.phases) work += (long) o * f.k * batch * f.q;
            Threads.parallelFor(itemStart[geo.phases.length], ShiftedConv.threadsFor(work), i -> item(i, out));
        }

        void item(int item, float[] out) {
            int s = 0;
            while (item >= itemStart[s + 1]) s++;
            Im2colGeometry.Phase f = geo.phases[s];
            Gemm gm = gemm[s];
            int local = item - itemStart[s], jb = local % jBlocks[s], gi = local / jBlocks[s];
            int q = f.q, k = f.k, kcs = kc[s], cols = batch * q;
            int j0 = jb * nc[s], ncA = Math.min(nc[s], cols - j0);
            int bsz = gm.bSize(Math.min(kcs, k), ncA);
            float[] buf = Scratch.floats(Scratch.PACK, bsz + og * ncA);
            int cOff = bsz, nr = gm.nr, xOff = gi * cg * geo.xPlane;
            for (int k0 = 0; k0 < k; k0 += kcs) {
                int kcA = Math.min(kcs, k - k0);
                for (int pj = 0; pj < ncA; pj += nr) {
                    if (rowsOfImages[s]) packRows(xOff + f.ext[0] + k0, kcA, j0 + pj, Math.min(nr, ncA - pj), gm.panelWidth(pj, ncA), buf, pj * kcA);
                    else pack.panel(x, geo.imgStride, xOff, f.ext, f.extLen, f.zmask, q, k0, kcA, j0 + pj, Math.min(nr, ncA - pj),
                            gm.panelWidth(pj, ncA), buf, pj * kcA);
                }
                gm.multiply(ap, apOff[s] + gi * og * k + og * k0, og, kcA, buf, 0, ncA, buf, cOff, ncA, k0 > 0);
            }
            // copy C[i][(b, j)] to out[b][gi*og + i][pos(j)]
            int plane = geo.outPlane;
            int b = j0 / q, j = j0 - b * q;
            int[] pos = f.outPos;
            for (int col = 0; col < ncA; ) {
                int len = Math.min(q - j, ncA - col);
                int ob = (b * o + gi * og) * plane;
                for (int i = 0; i < og; i++) {
                    int src = cOff + i * ncA + col, dst = ob + i * plane;
                    if (pos == null) kern.copy(buf, src, out, dst + j, len);
                    else for (int e = 0; e < len; e++) out[dst + pos[j + e]] = buf[src + e];
                }
                col += len;
                j += len;
                if (j == q) { j = 0; b++; }
            }
        }
    }
}
