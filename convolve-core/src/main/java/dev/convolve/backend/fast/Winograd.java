package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * 3x3 convolutions with stride 1 by Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray): each 4x4 block of
 * outputs ("tile") comes from a 6x6 input patch, and in the transformed domain the conv is 36 independent GEMMs
 * {@code M[xi] = U[xi] (O x C) * V[xi] (C x tiles)}, 4x fewer multiply-adds than the direct form.
 *
 * <p>Per item (a chunk of images, or a band of tile rows of one image) the input is copied once with its zero
 * padding (rows by {@code arraycopy}); the 36 patch elements of 16 tiles are gathered into vectors (the tiles of a
 * vector may come from different rows and images), transformed into {@code V[36][C][48]} for a block of up to 48
 * tiles, multiplied by the transformed kernel {@code U[36][C][O]} with the shifted GEMM tile (rows of the kernel
 * panel {@code O} apart), and transformed back from {@code M[36][O][48]}. The kernel transform is done per call,
 * vectorised over output channels.
 */
final class Winograd {
    private Winograd() {}

    static final int ALPHA = 6, TILE = 4, XI = ALPHA * ALPHA;

    /** 2-D, 3x3, unit stride and dilations, no groups, and enough channels that the transforms are amortised. */
    static boolean suits(ConvPlan p) {
        if (p.spatialRank() != 2 || p.featureGroups() != 1 || p.batchGroups() != 1) return false;
        int[] k = p.kernelSize(), s = p.strides(), kd = p.kernelDilation(), ld = p.inputDilation(), q = p.outSize();
        for (int i = 0; i < 2; i++) {
            if (k[i] != 3 || s[i] != 1 || kd[i] != 1 || ld[i] != 1) return false;
        }
        return p.channels() >= 16 && p.outChannels() >= 16 && q[0] >= 4 && q[1] >= 4 && Planner.enabled("winograd-4x4");
    }

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        new Job(kern, p, x, w, out).run();
    }

    static final class Job {
        final Kernels kern;
        final float[] x, w, out;
        final int c, o, opad, batch, h, wd, q0, q1, th, tw, lo0, lo1, lanes, mr = 8, tb, ochunk;
        final int wp, hp, plane, qTot, tiles, perItem, items;
        final int[] offRS = new int[XI];
        float[] u, xp;

        Job(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
            this.kern = kern; this.x = x; this.w = w; this.out = out;
            lanes = kern.lanes();
            c = p.channels();
            o = p.outChannels();
            opad = (o + lanes - 1) / lanes * lanes;
            batch = p.batch();
            int[] in = p.spatial(), q = p.outSize(), lo = p.padLow();
            h = in[0]; wd = in[1]; q0 = q[0]; q1 = q[1];
            lo0 = lo[0]; lo1 = lo[1];
            qTot = q0 * q1;
            th = (q0 + TILE - 1) / TILE;
            tw = (q1 + TILE - 1) / TILE;
            tb = 3 * lanes;
            ochunk = Math.min(opad, Math.max(mr, (64 * 1024 / (XI * tb)) / mr * mr));
            wp = tw * TILE + 2;
            hp = th * TILE + 2;
            plane = hp * wp;
            for (int r = 0; r < ALPHA; r++) for (int s = 0; s < ALPHA; s++) offRS[r * ALPHA + s] = r * wp + s;
            tiles = batch * th * tw;
            // items: runs of whole 48-tile blocks over all images, so that only the last block is partial
            int blocks = (tiles + tb - 1) / tb;
            int want = Math.max(1, Math.min(blocks, 4 * Threads.threads()));
            int per = (blocks + want - 1) / want;
            perItem = per * tb;
            items = (tiles + perItem - 1) / perItem;
        }

        void run() {
            long work = (long) XI * c * opad * tiles;
            int threads = ShiftedConv.threadsFor(work);
            // the input with its zero padding, every image: [n][c][hp][wp]
            xp = Scratch.floats(Scratch.SRC, batch * c * plane + 64);
            Threads.parallelFor(batch * c, threads, this::pad);
            // U = G g G^T, vectorised over output channels, stored as GEMM panels u[xi][ob][c][8]
            u = Scratch.floats(Scratch.PACK, XI * c * opad);
            float[] gt = Scratch.floats(Scratch.PART, c * 9 * opad);
            for (int ci = 0; ci < c; ci++) {
                for (int t = 0; t < 9; t++) {
                    int d = (ci * 9 + t) * opad;
                    for (int oc = 0; oc < o; oc++) gt[d + oc] = w[(oc * c + ci) * 9 + t];
                    for (int oc = o; oc < opad; oc++) gt[d + oc] = 0;
                }
            }
            Threads.parallelFor(c, threads, ci -> {
                float[] tmp = Scratch.floats(Scratch.TILE, 18 * lanes);
                for (int ov = 0; ov < opad; ov += lanes) {
                    kern.wino4Kernel(gt, ci * 9 * opad + ov, opad, tmp, u, ((ov / mr) * c + ci) * mr, c * opad, c * mr);
                }
            });
            Threads.parallelFor(items, threads, this::item);
        }

        /** Image and channel {@code idx = n*c + ci} with its zero padding into {@code xp}. */
        private void pad(int idx) {
            int d = idx * plane, xPlane = idx * h * wd;
            int colLo = Math.max(0, lo1), colHi = Math.min(wp, lo1 + wd);
            for (int rr = 0; rr < hp; rr++, d += wp) {
                int ir = rr - lo0;
                if (ir < 0 || ir >= h || colHi <= colLo) {
                    java.util.Arrays.fill(xp, d, d + wp, 0f);
                    continue;
                }
                if (colLo > 0) java.util.Arrays.fill(xp, d, d + colLo, 0f);
                System.arraycopy(x, xPlane + ir * wd + (colLo - lo1), xp, d + colLo, colHi - colLo);
                if (colHi < wp) java.util.Arrays.fill(xp, d + colHi, d + wp, 0f);
            }
        }

        private void item(int idx) {
            int t0 = idx * perItem, t1 = Math.min(tiles, t0 + perItem);
            float[] v = Scratch.floats(Scratch.AUX, XI * c * tb);
            float[] m = Scratch.floats(Scratch.GRAD, XI * ochunk * tb);
            float[] tmp = Scratch.floats(Scratch.TILE, 72 * lanes);
            float[] y = Scratch.floats(Scratch.OUT, 16 * lanes);
            int[] org = Scratch.ints(Scratch.SRC, tb);
            int[] dst = Scratch.ints(Scratch.TILE, tb);
            int[] ext = Scratch.ints(Scratch.AUX, tb);
            int[] off = Scratch.ints(Scratch.GRAD, c);
            for (int ci = 0; ci < c; ci++) off[ci] = ci * tb;
            int perImage = th * tw;
            for (int b0 = t0; b0 < t1; b0 += tb) {
                int count = Math.min(tb, t1 - b0);
                for (int k = 0; k < count; k++) {
                    int t = b0 + k, n = t / perImage, rem = t - n * perImage, ti = rem / tw, tj = rem - ti * tw;
                    org[k] = n * c * plane + ti * TILE * wp + tj * TILE;
                    dst[k] = n * o * qTot + ti * TILE * q1 + tj * TILE;
                    // rows and columns of the tile inside the output (edge tiles are cut)
                    ext[k] = Math.min(TILE, q0 - ti * TILE) * 8 + Math.min(TILE, q1 - tj * TILE);
                }
                block(count, org, dst, ext, v, m, tmp, y, off);
            }
        }

        private void block(int count, int[] org, int[] dst, int[] ext, float[] v, float[] m, float[] tmp, float[] y, int[] off) {
            int groups = (count + lanes - 1) / lanes;
            for (int l = count; l < groups * lanes; l++) org[l] = 0;
            // 1. V[xi][c][tb]
            for (int g = 0; g < groups; g++) {
                for (int ci = 0; ci < c; ci++) {
                    kern.wino4Input(xp, ci * plane, org, g * lanes, offRS, tmp, v, ci * tb + g * lanes, c * tb);
                }
            }
            // 2. M[xi][o][tb] = U[xi] V[xi], and 3. back to outputs, per chunk of output channels (always 3 vectors wide:
            // one tile shape for the JIT; lanes past the block's tiles are computed and never stored)
            for (int o0 = 0; o0 < opad; o0 += ochunk) {
                int oc = Math.min(ochunk, opad - o0);
                for (int xi = 0; xi < XI; xi++) {
                    for (int ob = 0; ob < oc; ob += mr) {
                        kern.gemm(mr, 3, u, xi * c * opad + (o0 + ob) * c, mr, c, v, xi * c * tb, off, 0, m, (xi * ochunk + ob) * tb, tb);
                    }
                }
                int oEnd = Math.min(o, o0 + oc);
                for (int oi = o0; oi < oEnd; oi++) {
                    int oBase = oi * qTot;
                    for (int g = 0; g < groups; g++) {
                        kern.wino4Output(m, (oi - o0) * tb + g * lanes, ochunk * tb, tmp, y);
                        int l0 = g * lanes, l1 = Math.min(count, l0 + lanes);
                        for (int l = l0; l < l1; l++) {
                            int base = dst[l] + oBase, yl = l - l0, e = ext[l];
                            if (e == TILE * 8 + TILE) {
                                for (int a = 0; a < TILE; a++) {
                                    int ob = base + a * q1, ya = a * TILE * lanes + yl;
                                    out[ob] = y[ya];
                                    out[ob + 1] = y[ya + lanes];
                                    out[ob + 2] = y[ya + 2 * lanes];
                                    out[ob + 3] = y[ya + 3 * lanes];
                                }
                            } else {
                                int ha = e >> 3, wb = e & 7;
                                for (int a = 0; a < ha; a++) {
                                    for (int b = 0; b < wb; b++) out[base + a * q1 + b] = y[(a * TILE + b) * lanes + yl];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
