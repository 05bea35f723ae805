package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The input gradient of a strided conv as a GEMM and a fold (col2im), instead of the gradient conv with its input dilation:
 * per image and feature group, {@code cols = W^T . dY} ({@code [cg*taps x og] x [og x positions]}, the packed {@link Gemm})
 * gives every tap's contribution at every output position, and the fold adds column {@code j} of row {@code (c, t)} to the
 * input element that tap {@code t} read for output position {@code j} ({@code j*s + t*kd - lo}, skipped in the padding).
 * No product by an inserted zero is computed, and the GEMM's rows are {@code cg*taps} long (many more than the gradient conv's
 * {@code cg} output channels). Items are image x group (the folds of one image overlap, so one item owns it); positions are
 * cut into column blocks that keep the packed operand and the columns in the L2 cache.
 */
final class Col2imGradInput {
    private Col2imGradInput() {}

    /** For tests: take this path for every plan it can compute. */
    static volatile boolean force;

    /** Columns of a block at most (positions of one image). */
    static volatile int maxBlock = 512;

    /** The longest reduction block. */
    static final int KC_MAX = 384;

    /** Plans it can compute: no input dilation, no batch groups. */
    static boolean supports(ConvPlan p) {
        if (p.batchGroups() != 1 || !Planner.enabled("col2im-gemm")) return false;
        for (int v : p.inputDilation()) if (v != 1) return false;
        return true;
    }

    /**
     * Chosen for strided convs with a batch that keeps both threads busy, enough rows ({@code cg*taps}) and channels, and output
     * planes of at least {@link #MIN_PLANE} positions (measured: on mnist-l4's 2x2 planes the gradient conv with the batch in
     * the lanes is faster; on mnist-l2 and res-down this is).
     */
    static boolean suits(ConvPlan p) {
        if (!supports(p)) return false;
        if (force) return true;
        boolean strided = false;
        for (int v : p.strides()) strided |= v > 1;
        int og = p.outChannels() / p.featureGroups();
        long rows = p.kernelChannels() * Canonical.product(p.kernelSize());
        return strided && p.batch() * p.featureGroups() >= 2 * Threads.threads() && og >= MIN_CHANNELS && rows >= 32
                && Canonical.product(p.outSize()) >= MIN_PLANE;
    }

    /** Output channels per group (the GEMM's reduction) below which the gradient conv wins. */
    static final int MIN_CHANNELS = 8;

    /** Output positions per image below which the gradient conv wins. */
    static final int MIN_PLANE = 32;

    /** {@code dx} (canonical, zeroed) from the kernel {@code w} and the output gradient {@code g}. */
    static void run(Kernels kern, ConvPlan p, float[] w, float[] g, float[] dx) {
        int n = p.spatialRank(), groups = p.featureGroups(), o = p.outChannels(), og = o / groups, cg = p.kernelChannels(), c = p.channels();
        int[] in = p.spatial(), ks = p.kernelSize(), qs = p.outSize(), s = p.strides(), kd = p.kernelDilation(), lo = p.padLow();
        int taps = (int) Canonical.product(ks), q = (int) Canonical.product(qs), xPlane = (int) Canonical.product(in), m = cg * taps;
        int batch = p.batch();
        // the input offset each tap reads for each output position, or -1 in the padding
        int[] pos = Scratch.ints(Scratch.AUX, taps * q);
        int[] xst = ShiftedConv.rowMajorStrides(in), tc = new int[n], qc = new int[n];
        for (int t = 0; t < taps; t++) {
            java.util.Arrays.fill(qc, 0);
            for (int j = 0; j < q; j++) {
                int off = 0;
                for (int i = 0; i < n && off >= 0; i++) {
                    int v = qc[i] * s[i] + tc[i] * kd[i] - lo[i];
                    off = v < 0 || v >= in[i] ? -1 : off + v * xst[i];
                }
                pos[t * q + j] = off;
                for (int i = n - 1; i >= 0 && ++qc[i] == qs[i]; i--) qc[i] = 0;
            }
            for (int i = n - 1; i >= 0 && ++tc[i] == ks[i]; i--) tc[i] = 0;
        }
        // items: runs of whole images (the folds of different images never overlap) x groups; columns = (image, position)
        int threads = Threads.threads();
        int perItem = Math.max(1, Math.min(Math.max(1, maxBlock / q), batch * groups / Math.max(1, 4 * threads)));
        int itemsPerGroup = (batch + perItem - 1) / perItem;
        int colsMax = perItem * q, blocks = (colsMax + maxBlock - 1) / maxBlock, nc = (colsMax + blocks - 1) / blocks;
        Gemm gemm = Gemm.choose(GemmKernels.of(kern), m, nc);
        int kBlocks = Math.max(1, (og + KC_MAX - 1) / KC_MAX), kc = (og + kBlocks - 1) / kBlocks;
        // A = W^T per group: A(i = (c, t), kk = o') = w[(g*og + o')*m + i], packed per reduction block
        float[] ap = Scratch.floats(Scratch.AUX, groups * m * og);
        for (int gi = 0; gi < groups; gi++) {
            for (int k0 = 0; k0 < og; k0 += kc) {
                int kcA = Math.min(kc, og - k0);
                gemm.packA(w, (gi * og + k0) * m, 1, m, m, kcA, ap, gi * m * og + m * k0);
            }
        }
        long work = (long) batch * groups * m * og * q;
        int nc0 = nc;
        Threads.parallelFor(itemsPerGroup * groups, ShiftedConv.threadsFor(work), item -> {
            int gi = item / itemsPerGroup, b0 = item % itemsPerGroup * perItem, b1 = Math.min(batch, b0 + perItem);
            int cols = (b1 - b0) * q, nr = gemm.nr;
            int bsz = gemm.bSize(Math.min(kc, og), nc0);
            float[] buf = Scratch.floats(Scratch.PACK, bsz + m * nc0);
            int cOff = bsz;
            for (int c0 = 0; c0 < cols; c0 += nc0) {
                int ncA = Math.min(nc0, cols - c0);
                for (int k0 = 0; k0 < og; k0 += kc) {
                    int kcA = Math.min(kc, og - k0);
                    // B(kk, col) = g[b][gi*og + k0 + kk][j] for col = (b - b0)*q + j, in the panels Gemm reads
                    for (int pj = 0; pj < ncA; pj += nr) {
                        int wd = gemm.panelWidth(pj, ncA), valid = Math.min(nr, ncA - pj), base = pj * kcA;
                        for (int kk = 0; kk < kcA; kk++) {
                            int d = base + kk * wd;
                            for (int e = 0; e < valid; ) {
                                int col = c0 + pj + e, b = b0 + col / q, j = col % q, len = Math.min(valid - e, q - j);
                                kern.copy(g, (b * o + gi * og + k0 + kk) * q + j, buf, d + e, len);
                                e += len;
                            }
                            for (int e = valid; e < wd; e++) buf[d + e] = 0f;
                        }
                    }
                    gemm.multiply(ap, gi * m * og + m * k0, m, kcA, buf, 0, ncA, buf, cOff, ncA, k0 > 0);
                }
                // fold: row (ch, t) of the columns into channel ch of dx, image by image
                for (int e = 0; e < ncA; ) {
                    int col = c0 + e, b = b0 + col / q, j = col % q, len = Math.min(ncA - e, q - j);
                    int dBase = (b * c + gi * cg) * xPlane;
                    for (int ch = 0; ch < cg; ch++) {
                        int d = dBase + ch * xPlane;
                        for (int t = 0; t < taps; t++) {
                            int src = cOff + (ch * taps + t) * ncA + e, pt = t * q + j;
                            for (int i = 0; i < len; i++) {
                                int at = pos[pt + i];
                                if (at >= 0) dx[d + at] += buf[src + i];
                            }
                        }
                    }
                    e += len;
                }
            }
        });
    }
}
