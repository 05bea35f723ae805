package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * A conv as one packed GEMM ({@link Gemm}) per feature group over the whole batch:
 * {@code out[b][o][j] = sum_{k = (c, t)} W[o][k] * B[k][(b, j)]} with {@code B[(c, t)][(b, j)] = x[b][c][j*s + t*kd - lo]}
 * (im2col, zero in the padding and between dilated input elements). The columns are every image's output positions, so
 * small planes with a big batch make one wide GEMM instead of many tiny ones. Column blocks (sized for the L2 cache) are
 * packed straight from the input through a per-position offset table, computed into a small buffer and scattered to the
 * {@code [b][o][j]} output. Items are group x column block.
 */
final class Im2colGemm {
    private Im2colGemm() {}

    /** For tests: take this path for every plan it can compute, not only the ones it is chosen for. */
    static volatile boolean force;

    /** The longest reduction block. */
    static final int KC_MAX = 384;

    /** Output planes up to this many positions count as small. */
    static final int SMALL_PLANE = 4;

    static boolean supports(ConvPlan p) {
        return p.batchGroups() == 1 && Planner.enabled("im2col-gemm");
    }

    /**
     * Chosen for small output planes (at most {@link #SMALL_PLANE} positions) with a big batch and enough channels, without
     * input dilation (the input gradient of a strided conv would multiply mostly zeros: batch-lanes splits it into phases).
     */
    static boolean suits(ConvPlan p) {
        if (!supports(p)) return false;
        if (force) return true;
        for (int v : p.inputDilation()) if (v != 1) return false;
        int og = p.outChannels() / p.featureGroups();
        long q = Canonical.product(p.outSize()), cols = p.kernelChannels() * Canonical.product(p.kernelSize());
        return q <= SMALL_PLANE && p.outBatch() * q >= 256 && og >= 8 && cols >= 16;
    }

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        new Job(kern, p, x, w).run(out);
    }

    static final class Job {
        final Kernels kern;
        final Gemm gemm;
        final float[] x;
        final int batch, c, o, groups, og, cg, taps, q, xPlane, k, kBlocks, kc, nc, jBlocks, cols;
        /** {@code idx[(c, t)*q + j]}: the offset read from the group's first channel plane, or -1 for a zero. */
        final int[] idx;
        final float[] ap;

        Job(Kernels kern, ConvPlan p, float[] x, float[] w) {
            this.kern = kern; this.x = x;
            batch = p.outBatch();
            c = p.channels();
            o = p.outChannels();
            groups = p.featureGroups();
            og = o / groups;
            cg = p.kernelChannels();
            int[] in = p.spatial(), qs = p.outSize(), ks = p.kernelSize(), s = p.strides(), lo = p.padLow(),
                    ld = p.inputDilation(), kd = p.kernelDilation();
            int n = in.length;
            taps = (int) Canonical.product(ks);
            q = (int) Canonical.product(qs);
            xPlane = (int) Canonical.product(in);
            k = cg * taps;
            cols = batch * q;
            int[] xst = ShiftedConv.rowMajorStrides(in);
            idx = new int[k * q];
            int[] tc = new int[n], qc = new int[n];
            for (int t = 0; t < taps; t++) {
                java.util.Arrays.fill(qc, 0);
                for (int j = 0; j < q; j++) {
                    int off = 0;
                    for (int i = 0; i < n && off >= 0; i++) {
                        int pos = qc[i] * s[i] + tc[i] * kd[i] - lo[i];
                        int di = ConvPlan.dilate(in[i], ld[i]);
                        if (pos < 0 || pos >= di || pos % ld[i] != 0) off = -1;
                        else off += pos / ld[i] * xst[i];
                    }
                    for (int ch = 0; ch < cg; ch++) idx[(ch * taps + t) * q + j] = off < 0 ? -1 : ch * xPlane + off;
                    for (int i = n - 1; i >= 0 && ++qc[i] == qs[i]; i--) qc[i] = 0;
                }
                for (int i = n - 1; i >= 0 && ++tc[i] == ks[i]; i--) tc[i] = 0;
            }
            gemm = Gemm.choose(GemmKernels.of(kern), og, cols);
            kBlocks = Math.max(1, (k + KC_MAX - 1) / KC_MAX);
            kc = (k + kBlocks - 1) / kBlocks;
            int nr = gemm.nr, threads = Threads.threads();
            int want = Math.max(nr, GemmConv.blockFloats / Math.max(1, kc) / nr * nr);
            int blocks = (cols + want - 1) / want;
            if ((long) groups * blocks < 4L * threads) blocks = Math.min((cols + nr - 1) / nr, (4 * threads + groups - 1) / groups);
            blocks = Math.max(1, blocks);
            nc = ((cols + blocks - 1) / blocks + nr - 1) / nr * nr;
            jBlocks = cols == 0 ? 0 : (cols + nc - 1) / nc;
            // weights: per group, per reduction block, row panels
            ap = new float[groups * og * k];
            for (int g = 0; g < groups; g++) {
                for (int k0 = 0; k0 < k; k0 += kc) {
                    int kcA = Math.min(kc, k - k0);
                    gemm.packA(w, g * og * k + k0, k, 1, og, kcA, ap, g * og * k + og * k0);
                }
            }
        }

        void run(float[] out) {
            long work = (long) groups * og * k * cols;
            Threads.parallelFor(groups * jBlocks, ShiftedConv.threadsFor(work), i -> item(i, out));
        }

        void item(int idx0, float[] out) {
            int jb = idx0 % jBlocks, gi = idx0 / jBlocks;
            int j0 = jb * nc, ncA = Math.min(nc, cols - j0);
            int bsz = gemm.bSize(Math.min(kc, k), nc);
            float[] buf = Scratch.floats(Scratch.PACK, bsz + og * ncA);
            int cOff = bsz;
            if (k == 0) java.util.Arrays.fill(buf, cOff, cOff + og * ncA, 0f);
            for (int k0 = 0; k0 < k; k0 += kc) {
                int kcA = Math.min(kc, k - k0);
                packB(gi, k0, kcA, j0, ncA, buf);
                gemm.multiply(ap, gi * og * k + og * k0, og, kcA, buf, 0, ncA, buf, cOff, ncA, k0 > 0);
            }
            // scatter C[i][(b, j)] to out[b][gi*og + i][j]
            int b = j0 / q, j = j0 - b * q;
            for (int col = 0; col < ncA; ) {
                int len = Math.min(q - j, ncA - col);
                int ob = (b * o + gi * og) * q + j;
                for (int i = 0; i < og; i++) {
                    int src = cOff + i * ncA + col, dst = ob + i * q;
                    for (int e = 0; e < len; e++) out[dst + e] = buf[src + e];
                }
                col += len;
                j += len;
                if (j == q) { j = 0; b++; }
            }
        }

        /** {@code B[kk][jj] = x[b][gi*cg + ...][idx[(k0 + kk)*q + j]]} for columns {@code j0 + jj = b*q + j}, in panels. */
        void packB(int gi, int k0, int kcA, int j0, int ncA, float[] bp) {
            int nr = gemm.nr;
            for (int pj = 0; pj < ncA; pj += nr) {
                int w = gemm.panelWidth(pj, ncA), valid = Math.min(nr, ncA - pj), base = pj * kcA;
                for (int kk = 0; kk < kcA; kk++) {
                    int row = (k0 + kk) * q, d = base + kk * w;
                    int jc = j0 + pj, b = jc / q, j = jc - b * q, xb = (b * c + gi * cg) * xPlane;
                    for (int e = 0; e < valid; e++) {
                        int m = idx[row + j];
                        bp[d + e] = m < 0 ? 0f : x[xb + m];
                        if (++j == q) { j = 0; xb += c * xPlane; }
                    }
                    for (int e = valid; e < w; e++) bp[d + e] = 0f;
                }
            }
        }
    }
}
