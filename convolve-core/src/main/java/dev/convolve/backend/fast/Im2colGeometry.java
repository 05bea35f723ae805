package dev.convolve.backend.fast;

import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * The tables of {@link Im2colGemm} for one plan, built once and kept for the latest few plans (a training step alternates
 * between a few layers' forward and gradient convs): per output phase ({@link SubProblem}; one without input dilation), the
 * kernel taps it uses, the im2col offset table in the form {@link Im2colPack} reads, and where each of its grid points lies in
 * the output plane.
 */
final class Im2colGeometry {
    /** One output phase: an ordinary conv over the taps that are real in it. */
    static final class Phase {
        /** Grid points per image, taps, reduction length {@code kernelChannels * taps}, width of an {@code ext} row. */
        final int q, taps, k, extLen;
        /** Per tap, its index in the full kernel's taps. */
        final int[] kernelTap;
        /** {@code ext[r*extLen + j]}, {@code zmask[r*q + j]} for reduction rows {@code r = ch*taps + u}: see {@link Im2colPack}. */
        final int[] ext;
        final long[] zmask;
        /** Output plane index of each grid point, or null when grid point {@code j} is output position {@code j}. */
        final int[] outPos;

        Phase(int q, int taps, int k, int extLen, int[] kernelTap, int[] ext, long[] zmask, int[] outPos) {
            this.q = q; this.taps = taps; this.k = k; this.extLen = extLen;
            this.kernelTap = kernelTap; this.ext = ext; this.zmask = zmask; this.outPos = outPos;
        }
    }

    final int[] key;
    final Phase[] phases;
    /** Floats per input channel plane, per output plane, per input image. */
    final int xPlane, outPlane, imgStride;

    private Im2colGeometry(int[] key, ConvPlan p, List<SubProblem> subs, int lanes) {
        this.key = key;
        int n = p.spatialRank(), cg = p.kernelChannels();
        int[] in = p.spatial(), ks = p.kernelSize(), qs = p.outSize();
        xPlane = (int) Canonical.product(in);
        outPlane = (int) Canonical.product(qs);
        imgStride = p.channels() * xPlane;
        int[] xst = ShiftedConv.rowMajorStrides(in), kst = ShiftedConv.rowMajorStrides(ks), ost = ShiftedConv.rowMajorStrides(qs);
        phases = new Phase[subs.size()];
        for (int si = 0; si < subs.size(); si++) {
            SubProblem sp = subs.get(si);
            int q = (int) sp.gridSize(), taps = sp.tapCount(), k = cg * taps, extLen = q + lanes;
            int[] kernelTap = new int[taps], base = new int[taps * q];
            int[] u = new int[n], jc = new int[n];
            for (int t = 0; t < taps; t++) {
                int kt = 0;
                for (int i = 0; i < n; i++) kt += sp.taps[i][u[i]] * kst[i];
                kernelTap[t] = kt;
                java.util.Arrays.fill(jc, 0);
                for (int j = 0; j < q; j++) {
                    int off = 0;
                    for (int i = 0; i < n && off >= 0; i++) {
                        int pos = jc[i] * sp.stride[i] + sp.offset[i][u[i]];
                        off = pos < 0 || pos >= sp.inSize[i] ? -1 : off + pos * xst[i];
                    }
                    base[t * q + j] = off;
                    for (int i = n - 1; i >= 0 && ++jc[i] == sp.grid[i]; i--) jc[i] = 0;
                }
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
            int[] ext = new int[k * extLen];
            long[] zmask = new long[k * q];
            for (int ch = 0; ch < cg; ch++) {
                for (int t = 0; t < taps; t++) {
                    int r = ch * taps + t;
                    for (int jj = 0; jj < extLen; jj++) {
                        int j = jj % q, img = jj / q, off = base[t * q + j];
                        ext[r * extLen + jj] = off < 0 ? 0 : ch * xPlane + off + img * imgStride;
                    }
                    for (int j = 0; j < q; j++) {
                        long m = 0;
                        for (int e = 0; e < lanes && e < 64; e++) if (base[t * q + (j + e) % q] < 0) m |= 1L << e;
                        zmask[r * q + j] = m;
                    }
                }
            }
            int[] outPos = new int[q];
            boolean identity = subs.size() == 1;
            java.util.Arrays.fill(jc, 0);
            for (int j = 0; j < q; j++) {
                int o = 0;
                for (int i = 0; i < n; i++) o += (sp.first[i] + sp.step[i] * jc[i]) * ost[i];
                outPos[j] = o;
                identity &= o == j;
                for (int i = n - 1; i >= 0 && ++jc[i] == sp.grid[i]; i--) jc[i] = 0;
            }
            phases[si] = new Phase(q, taps, k, extLen, kernelTap, ext, zmask, identity ? null : outPos);
        }
    }

    /** Entries of the tables {@code ext} of a plan (to keep them small): the reduction length times the grid, per phase. */
    static long tableSize(ConvPlan p, List<SubProblem> subs, int lanes) {
        long s = 0;
        for (SubProblem sp : subs) s += (long) p.kernelChannels() * sp.tapCount() * (sp.gridSize() + lanes);
        return s;
    }

    private static final int KEEP = 8;
    private static final Im2colGeometry[] RECENT = new Im2colGeometry[KEEP];

    /** The geometry of {@code p} (its sub-problems {@code subs}) for vectors of {@code lanes} floats. */
    static Im2colGeometry of(ConvPlan p, List<SubProblem> subs, int lanes) {
        int[] key = key(p, lanes);
        synchronized (RECENT) {
            for (int i = 0; i < KEEP; i++) {
                Im2colGeometry g = RECENT[i];
                if (g != null && java.util.Arrays.equals(g.key, key)) {
                    // move to the front
                    System.arraycopy(RECENT, 0, RECENT, 1, i);
                    RECENT[0] = g;
                    return g;
                }
            }
        }
        Im2colGeometry g = new Im2colGeometry(key, p, subs, lanes);
        synchronized (RECENT) {
            System.arraycopy(RECENT, 0, RECENT, 1, KEEP - 1);
            RECENT[0] = g;
        }
        return g;
    }

    /** Everything the tables depend on. */
    private static int[] key(ConvPlan p, int lanes) {
        int n = p.spatialRank();
        int[] key = new int[4 + 8 * n];
        key[0] = lanes; key[1] = p.channels(); key[2] = p.kernelChannels(); key[3] = n;
        int[][] parts = {p.spatial(), p.kernelSize(), p.outSize(), p.strides(), p.padLow(), p.padHigh(), p.inputDilation(), p.kernelDilation()};
        for (int a = 0; a < parts.length; a++) System.arraycopy(parts[a], 0, key, 4 + a * n, n);
        return key;
    }
}
