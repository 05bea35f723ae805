package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The direct conv with the OUTPUT CHANNELS in the vector lanes (oneDNN's layout), for strided layers with many
 * channels and small output planes (ResNet's downsampling 3x3 convs), where the flat walk of {@link ShiftedConv}
 * (positions in the lanes) suffers from short rows and tails. The weights are packed once per call as
 * {@code [group][channel block of nv*L][c][tap][nv*L]}; each image's channels of a group are copied into zero-padded
 * planes, so that reduction step {@code k = (c, tap)} of output position {@code j} reads the scalar at
 * {@code rowOff[j] + koff[k]} (any stride and kernel dilation, no bounds checks). A register tile of {@code m} positions
 * times {@code nv} vectors of output channels broadcasts the {@code m} input values and loads the {@code nv} weight
 * vectors per step. The reduction runs in chunks of whole channels whose weights fit half the L1 cache, over every tile
 * of the image, into a {@code [position][channel]} block that is finally transposed into {@code [N][O][Q...]}.
 * Items are (image, group).
 */
final class ChannelLanesConv {
    private ChannelLanesConv() {}

    /** Tests force this engine on every plan it can compute. */
    static volatile boolean force;

    /** The register tiles: {@code c[i*nv*L + j] = sum_{k < kc} x[xBase + rowOff[ro+i] + koff[k]] * w[wOff + k*nv*L + j]}. */
    interface Tiles {
        int lanes();

        void tile(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] koff, int k0, int k1, float[] w, int wOff, float[] c, int cOff, boolean add);
    }

    /** Positions per tile for {@code nv} vectors (the accumulators fill 24 of 32 registers). */
    static int rows(int nv) { return nv == 1 ? 24 : nv == 2 ? 12 : nv == 3 ? 8 : 7; }

    private static final Tiles VECTOR = loadVector();

    private static Tiles loadVector() {
        try {
            return (Tiles) Class.forName("dev.convolve.backend.fast.ChannelLanesVector").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The tiles matching {@code k}: the Vector API tiles with {@link VectorKernels}, the scalar ones otherwise. */
    static Tiles tiles(Kernels k) {
        return k instanceof ScalarKernels || VECTOR == null || VECTOR.lanes() != k.lanes() ? new Scalar(k.lanes()) : VECTOR;
    }

    /**
     * Strided forward convs (no input dilation, no batch groups) with at least 64 output channels per group (whole vectors),
     * output planes of at most {@link #MAX_GRID} positions, a reduction of 64+ steps and enough (image, group) items for every
     * thread. Measured single-threaded in CPU time against shifted-gemm (2026-11-24, load 5-7): 64x64x14x14 -> 128 s2 5.9 vs
     * 6.4-6.8 ms, 16x128x14x14 -> 256 5.8 vs 6.4 ms, batch 8 0.73 vs 0.93 ms; even at 20x20 -> 10x10 and 64 -> 32 channels, and
     * slower for ResNet's 28x28 -> 14x14 (6.6-7.1 vs 6.4-7.0 ms), so those stay on the flat walk.
     */
    static boolean suits(Kernels k, ConvPlan p) {
        if (!Planner.enabled("channel-lanes") || p.batchGroups() > 1 || p.spatialRank() < 1) return false;
        for (int v : p.inputDilation()) if (v != 1) return false;
        long q = Canonical.product(p.outSize());
        if (q == 0) return false;
        if (force) return true;
        boolean strided = false;
        for (int v : p.strides()) strided |= v > 1;
        int og = p.outChannels() / p.featureGroups();
        return strided && og >= 64 && og % k.lanes() == 0 && q <= MAX_GRID && p.kernelChannels() * Canonical.product(p.kernelSize()) >= 64
                && (long) p.outBatch() * p.featureGroups() >= 2L * Threads.threads();
    }

    /** Output positions per image above which the flat walk wins (measured: 49 wins, 100 is even, 196 loses). */
    static final int MAX_GRID = 64;

    /** Floats of packed weights per reduction chunk: 16 KB, half the L1 data cache (tests make it tiny: one channel per chunk). */
    static volatile int chunkFloats = 4096;

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        new Job(kern, p, w).run(x, out);
    }

    static final class Job {
        final Tiles tiles;
        final int n, groups, og, cg, c, o, batch, lanes, nv, kb, m, blocks, taps, kc, qTot, xPlane, pTot, tileRows;
        final int[] in, pd, first, rowOff, koff, xst, pst, lo, hi;
        final float[] wp;
        final int kChunk;

        Job(Kernels kern, ConvPlan p, float[] w) {
            tiles = tiles(kern);
            n = p.spatialRank();
            groups = p.featureGroups();
            o = p.outChannels();
            og = o / groups;
            cg = p.kernelChannels();
            c = p.channels();
            batch = p.outBatch();
            lanes = tiles.lanes();
            int vecs = (og + lanes - 1) / lanes;
            nv = Math.min(4, vecs);
            kb = nv * lanes;
            blocks = (og + kb - 1) / kb;
            m = rows(nv);
            in = p.spatial();
            int[] q = p.outSize(), ks = p.kernelSize(), s = p.strides(), kd = p.kernelDilation(), padLo = p.padLow();
            xPlane = ShiftedConv.product(in);
            qTot = ShiftedConv.product(q);
            taps = ShiftedConv.product(ks);
            kc = cg * taps;
            // the padded planes span exactly the input indices the taps read
            pd = new int[n];
            first = new int[n];
            for (int i = 0; i < n; i++) {
                first[i] = -padLo[i];
                pd[i] = (q[i] - 1) * s[i] + (ks[i] - 1) * kd[i] + 1;
            }
            pst = ShiftedConv.rowMajorStrides(pd);
            xst = ShiftedConv.rowMajorStrides(in);
            lo = new int[n];
            hi = new int[n];
            for (int i = 0; i < n; i++) {
                lo[i] = Math.max(0, first[i]);
                hi[i] = Math.min(in[i], first[i] + pd[i]);
            }
            pTot = ShiftedConv.product(pd);
            tileRows = (qTot + m - 1) / m * m;
            rowOff = new int[tileRows];
            int[] u = new int[n];
            for (int j = 0; j < qTot; j++) {
                int off = 0;
                for (int i = 0; i < n; i++) off += u[i] * s[i] * pst[i];
                rowOff[j] = off;
                for (int i = n - 1; i >= 0 && ++u[i] == q[i]; i--) u[i] = 0;
            }
            for (int j = qTot; j < tileRows; j++) rowOff[j] = rowOff[qTot - 1];
            int[] tapOff = new int[taps];
            u = new int[n];
            for (int t = 0; t < taps; t++) {
                int off = 0;
                for (int i = 0; i < n; i++) off += u[i] * kd[i] * pst[i];
                tapOff[t] = off;
                for (int i = n - 1; i >= 0 && ++u[i] == ks[i]; i--) u[i] = 0;
            }
            // reduction chunks of whole channels whose weights stay in the L1 cache (16 KB)
            kChunk = Math.max(1, chunkFloats / kb / taps) * taps;
            koff = new int[kc];
            for (int ci = 0; ci < cg; ci++) for (int t = 0; t < taps; t++) koff[ci * taps + t] = ci * pTot + tapOff[t];
            // weights [group][block][k = (c, tap)][kb], rows past og zero
            wp = Scratch.floats(Scratch.PACK, groups * blocks * kc * kb);
            for (int g = 0; g < groups; g++) {
                for (int b = 0; b < blocks; b++) {
                    int base = (g * blocks + b) * kc * kb;
                    for (int j = 0; j < kb; j++) {
                        int oc = b * kb + j;
                        if (oc >= og) {
                            for (int k = 0; k < kc; k++) wp[base + k * kb + j] = 0f;
                        } else {
                            int src = (g * og + oc) * kc;
                            for (int k = 0; k < kc; k++) wp[base + k * kb + j] = w[src + k];
                        }
                    }
                }
            }
        }

        void run(float[] x, float[] out) {
            long work = (long) batch * o * qTot * kc;
            Threads.parallelFor(batch * groups, ShiftedConv.threadsFor(work), it -> item(it, x, out));
        }

        private void item(int it, float[] x, float[] out) {
            int img = it / groups, g = it % groups;
            float[] xp = Scratch.floats(Scratch.SRC, cg * pTot + 1);
            fill(x, (img * c + g * cg) * xPlane, xp);
            float[] acc = Scratch.floats(Scratch.TILE, tileRows * kb);
            for (int b = 0; b < blocks; b++) {
                int wOff = (g * blocks + b) * kc * kb;
                for (int k0 = 0; k0 < kc; k0 += kChunk) {
                    int k1 = Math.min(kc, k0 + kChunk);
                    for (int j0 = 0; j0 < qTot; j0 += m) tiles.tile(nv, m, xp, 0, rowOff, j0, koff, k0, k1, wp, wOff + k0 * kb, acc, j0 * kb, k0 > 0);
                }
                // [position][channel] -> [channel][position], 16 channels (one cache line of acc) at a time
                int rows = Math.min(kb, og - b * kb);
                int dst0 = (img * o + g * og + b * kb) * qTot;
                for (int r0 = 0; r0 < rows; r0 += 16) {
                    int r1 = Math.min(rows, r0 + 16);
                    for (int j = 0; j < qTot; j++) {
                        int a = j * kb, d = dst0 + j;
                        for (int r = r0; r < r1; r++) out[d + r * qTot] = acc[a + r];
                    }
                }
            }
        }

        /** The {@code cg} channels at {@code x[src..]} into zero-padded planes of {@code pTot} floats. */
        private void fill(float[] x, int src, float[] xp) {
            java.util.Arrays.fill(xp, 0, cg * pTot, 0f);
            // rows: every index tuple of the outer axes inside both the input and the padded range
            for (int i = 0; i < n; i++) if (hi[i] <= lo[i]) return;
            int last = n - 1, a0 = lo[last], len = hi[last] - a0;
            int[] u = lo.clone();
            while (true) {
                int xs = a0, ps = a0 - first[last];
                for (int i = 0; i < last; i++) {
                    xs += u[i] * xst[i];
                    ps += (u[i] - first[i]) * pst[i];
                }
                for (int ci = 0; ci < cg; ci++) System.arraycopy(x, src + ci * xPlane + xs, xp, ci * pTot + ps, len);
                int i = last - 1;
                for (; i >= 0 && ++u[i] == hi[i]; i--) u[i] = lo[i];
                if (i < 0) return;
            }
        }
    }

    /** The tiles in plain Java (lanes as in the scalar kernels). */
    static final class Scalar implements Tiles {
        private final int lanes;

        Scalar(int lanes) { this.lanes = lanes; }

        @Override
        public int lanes() { return lanes; }

        @Override
        public void tile(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] koff, int k0, int k1, float[] w, int wOff, float[] c, int cOff, boolean add) {
            int kb = nv * lanes;
            if (!add) java.util.Arrays.fill(c, cOff, cOff + m * kb, 0f);
            for (int k = k0; k < k1; k++) {
                int wi = wOff + (k - k0) * kb, o = koff[k];
                for (int i = 0; i < m; i++) {
                    float a = x[xBase + rowOff[ro + i] + o];
                    int ci = cOff + i * kb;
                    for (int j = 0; j < kb; j++) c[ci + j] += a * w[wi + j];
                }
            }
        }
    }
}
