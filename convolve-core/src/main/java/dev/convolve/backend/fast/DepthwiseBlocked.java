package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * Depthwise convs with one output per channel (2-D, feature groups = channels = output channels, any kernel size, strides,
 * kernel dilation and padding; no input dilation) with the channels in the vector lanes, and their two gradients: the
 * engine for small planes, where the per-plane engine ({@link Depthwise}) spends more on setting up each plane than on
 * its few multiply-adds and its rows of 14 or 28 columns fill vectors badly.
 *
 * <p>Work item: one image and one block of {@code L} channels ({@code L} = lanes). Its input planes are copied into one
 * zero-padded block {@code [row][col][L]} ({@link ChannelBlocks#copy}, block transposes), so every position of every
 * channel is one vector and padding is the zero border. Forward: each output vector (one position, {@code L} channels) is
 * the sum over the taps of the tap's {@code L} weights times the input vector at the position's window offset; a stride
 * only widens the step between positions. The output block is transposed back into the {@code L} output planes.
 * Everything of an item stays in the L1/L2 cache, and the copies are counted in the time.
 *
 * <p>Input gradient: {@code dx[iy][ix] = sum w[ky][kx] * g[qy][qx]} over the taps with {@code iy = qy*s0 + ky*d0 - lo0},
 * {@code ix = qx*s1 + kx*d1 - lo1}. For input rows {@code iy = a + r*s0} (class {@code a < s0}) the taps that reach them are
 * those with {@code (a + lo0 - ky*d0) mod s0 = 0}, at gradient row {@code qy0(ky) + r}; likewise for columns. So each
 * (row class, column class) of {@code dx} is a stride-1 weighted sum over the gradient block (zero-padded so that every
 * {@code qy}, {@code qx} read exists) with that class's taps: the forward loop with other offsets, and no scatter.
 *
 * <p>Kernel gradient: {@code dw[c][t] = sum_{n, q} g[n][c][q] * x[n][c][q*s + tap offset]}: per channel block (one work item,
 * the batch summed in image order whatever the thread count) one vector sum per tap, the channels already in the lanes,
 * so no sums across lanes.
 */
final class DepthwiseBlocked {
    private DepthwiseBlocked() {}

    /**
     * The planner's rule: input planes of at most this many positions take this engine, strided ones up to {@link #MAX_PLANE_STRIDED}
     * (larger ones the per-plane engine, which measured faster on 112x112 at stride 1).
     */
    static final int MAX_PLANE = 64 * 64, MAX_PLANE_STRIDED = 128 * 128;

    /** A padded block above this many floats would not stay in the L2 cache. */
    static final int MAX_BLOCK_FLOATS = 1 << 18;

    /**
     * True when this engine runs {@code p} and the planner's rule picks it: a depthwise conv with one output per channel, at
     * least {@code lanes} channels, input planes of at most {@link #MAX_PLANE} positions ({@link #MAX_PLANE_STRIDED} with a
     * stride); {@code algorithm} not switched off. (The planner asks {@link DepthwiseRows} first.)
     */
    static boolean suits(Kernels k, ConvPlan p, String algorithm) {
        if (!Planner.enabled(algorithm) || p.spatialRank() != 2 || p.batchGroups() != 1) return false;
        int c = p.channels();
        if (c < k.lanes() || p.featureGroups() != c || p.kernelChannels() != 1 || p.outChannels() != c) return false;
        int[] ld = p.inputDilation(), sp = p.spatial(), q = p.outSize();
        boolean strided = p.strides()[0] * p.strides()[1] > 1;
        if (ld[0] != 1 || ld[1] != 1 || q[0] < 1 || q[1] < 1 || (long) sp[0] * sp[1] > (strided ? MAX_PLANE_STRIDED : MAX_PLANE)) return false;
        Geometry g = new Geometry(p);
        return (long) g.hp * g.wp * k.lanes() <= MAX_BLOCK_FLOATS && (long) g.hg * g.wg * k.lanes() <= MAX_BLOCK_FLOATS;
    }

    /**
     * The planner's rule for the input gradient: {@link #suits} (switch {@code depthwise-blocked-dx}) with a stride or more than
     * 3x3 taps (3x3 at stride 1 measured about 5% faster per plane on 56x56 and 112x112, {@link Depthwise#gradInput}).
     */
    static boolean suitsGradInput(Kernels k, ConvPlan p) {
        int[] s = p.strides(), ks = p.kernelSize();
        return suits(k, p, "depthwise-blocked-dx") && (s[0] * s[1] > 1 || ks[0] * ks[1] > 9);
    }

    /** A short description for the planner. */
    static String describe(Kernels k, ConvPlan p) {
        int[] sp = p.spatial(), ks = p.kernelSize(), s = p.strides();
        return p.channels() + " channels in blocks of " + k.lanes() + ", planes of " + sp[0] + "x" + sp[1] + " (at most " + MAX_PLANE
                + " positions, " + MAX_PLANE_STRIDED + " strided), " + ks[0] + "x" + ks[1] + " taps" + (s[0] * s[1] > 1 ? ", strides " + s[0] + "x" + s[1] : "");
    }

    /** Sizes of the padded input block (forward, kernel gradient) and of the padded gradient block (input gradient). */
    static final class Geometry {
        final int h, w, q0, q1, k0, k1, s0, s1, d0, d1, lo0, lo1, hp, wp, pt, pl, hg, wg;

        Geometry(ConvPlan p) {
            int[] sp = p.spatial(), q = p.outSize(), k = p.kernelSize(), s = p.strides(), d = p.kernelDilation(), lo = p.padLow();
            h = sp[0]; w = sp[1]; q0 = q[0]; q1 = q[1]; k0 = k[0]; k1 = k[1]; s0 = s[0]; s1 = s[1]; d0 = d[0]; d1 = d[1]; lo0 = lo[0]; lo1 = lo[1];
            hp = (q0 - 1) * s0 + (k0 - 1) * d0 + 1;
            wp = (q1 - 1) * s1 + (k1 - 1) * d1 + 1;
            // gradient rows read by the input gradient: floorDiv(iy + lo0 - ky*d0, s0) for iy < h, ky < k0
            pt = Math.max(0, -Math.floorDiv(lo0 - (k0 - 1) * d0, s0));
            pl = Math.max(0, -Math.floorDiv(lo1 - (k1 - 1) * d1, s1));
            hg = pt + Math.max(q0, Math.floorDiv(h - 1 + lo0, s0) + 1);
            wg = pl + Math.max(q1, Math.floorDiv(w - 1 + lo1, s1) + 1);
        }

        int taps() { return k0 * k1; }

        /** Forward offsets in the padded input block, tap {@code t = ky*k1 + kx}. */
        int[] inputOffsets(int lanes) {
            int[] off = new int[taps()];
            for (int a = 0; a < k0; a++) for (int b = 0; b < k1; b++) off[a * k1 + b] = (a * d0 * wp + b * d1) * lanes;
            return off;
        }
    }

    /** The weights {@code [C][1][K0][K1]} as blocks {@code [C/L][taps][L]} (zero for missing channels), in the caller's scratch. */
    private static float[] blockWeights(float[] w, int c, int taps, int lanes) {
        int blocks = (c + lanes - 1) / lanes;
        float[] wb = Scratch.floats(Scratch.PACK, blocks * taps * lanes);
        java.util.Arrays.fill(wb, 0, blocks * taps * lanes, 0f);
        for (int ch = 0; ch < c; ch++) {
            int cb = ch / lanes, l = ch % lanes;
            for (int t = 0; t < taps; t++) wb[(cb * taps + t) * lanes + l] = w[ch * taps + t];
        }
        return wb;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /** The forward conv into the zeroed canonical {@code out}. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        DepthwiseBlockedKernels bk = DepthwiseBlockedKernels.of(kern);
        GemmKernels gk = kern instanceof GemmKernels gg ? gg : null;
        Geometry g = new Geometry(p);
        int lanes = bk.lanes(), c = p.channels(), blocks = (c + lanes - 1) / lanes, taps = g.taps();
        int inPlane = g.h * g.w, outPlane = g.q0 * g.q1;
        float[] wb = blockWeights(w, c, taps, lanes);
        int[] off = g.inputOffsets(lanes), tw = identity(taps);
        long work = (long) p.batch() * c * outPlane * taps;
        Threads.parallelFor(p.batch() * blocks, ShiftedConv.threadsFor(work), it -> {
            int n = it / blocks, cb = it % blocks, c0 = cb * lanes, chans = Math.min(lanes, c - c0);
            float[] xb = Scratch.floats(Scratch.SRC, g.hp * g.wp * lanes);
            float[] yb = Scratch.floats(Scratch.OUT, outPlane * lanes);
            ChannelBlocks.copy(kern, gk, x, (n * c + c0) * inPlane, inPlane, chans, g.h, g.w, xb, 0, g.hp, g.wp, g.lo0, g.lo1);
            bk.taps(xb, 0, g.s0 * g.wp * lanes, g.s1 * lanes, off, tw, taps, wb, cb * taps * lanes, yb, 0, g.q1 * lanes, lanes, g.q0, g.q1);
            unblock(gk, lanes, yb, chans, outPlane, out, (n * c + c0) * outPlane);
        });
    }

    /**
     * The input gradient, canonical {@code [N][C][H][W]}, from the canonical kernel and output gradient: per (row class, column
     * class) of the input positions, the taps that reach it (see the class comment).
     */
    static float[] gradInput(Kernels kern, ConvPlan p, float[] w, float[] gr) {
        DepthwiseBlockedKernels bk = DepthwiseBlockedKernels.of(kern);
        GemmKernels gk = kern instanceof GemmKernels gg ? gg : null;
        Geometry g = new Geometry(p);
        int lanes = bk.lanes(), c = p.channels(), blocks = (c + lanes - 1) / lanes, taps = g.taps();
        int inPlane = g.h * g.w, outPlane = g.q0 * g.q1;
        int ra = Math.min(g.s0, g.h), cla = Math.min(g.s1, g.w), classes = ra * cla;
        int[][] off = new int[classes][], tw = new int[classes][];
        int[] nt = new int[classes];
        for (int a = 0; a < ra; a++) {
            for (int b = 0; b < cla; b++) {
                int k = a * cla + b;
                off[k] = new int[taps];
                tw[k] = new int[taps];
                for (int ky = 0; ky < g.k0; ky++) {
                    int ey = a + g.lo0 - ky * g.d0;
                    if (Math.floorMod(ey, g.s0) != 0) continue;
                    for (int kx = 0; kx < g.k1; kx++) {
                        int ex = b + g.lo1 - kx * g.d1;
                        if (Math.floorMod(ex, g.s1) != 0) continue;
                        off[k][nt[k]] = ((Math.floorDiv(ey, g.s0) + g.pt) * g.wg + Math.floorDiv(ex, g.s1) + g.pl) * lanes;
                        tw[k][nt[k]++] = ky * g.k1 + kx;
                    }
                }
            }
        }
        float[] wb = blockWeights(w, c, taps, lanes);
        float[] dx = SpareArrays.zeroed(p.batch() * c * inPlane);
        long work = (long) p.batch() * c * outPlane * taps;
        Threads.parallelFor(p.batch() * blocks, ShiftedConv.threadsFor(work), it -> {
            int n = it / blocks, cb = it % blocks, c0 = cb * lanes, chans = Math.min(lanes, c - c0);
            float[] gb = Scratch.floats(Scratch.AUX, g.hg * g.wg * lanes);
            float[] db = Scratch.floats(Scratch.OUT, inPlane * lanes);
            ChannelBlocks.copy(kern, gk, gr, (n * c + c0) * outPlane, outPlane, chans, g.q0, g.q1, gb, 0, g.hg, g.wg, g.pt, g.pl);
            for (int a = 0; a < ra; a++) {
                for (int b = 0; b < cla; b++) {
                    int k = a * cla + b, rows = (g.h - a + g.s0 - 1) / g.s0, count = (g.w - b + g.s1 - 1) / g.s1;
                    bk.taps(gb, 0, g.wg * lanes, lanes, off[k], tw[k], nt[k], wb, cb * taps * lanes,
                            db, (a * g.w + b) * lanes, g.s0 * g.w * lanes, g.s1 * lanes, rows, count);
                }
            }
            unblock(gk, lanes, db, chans, inPlane, dx, (n * c + c0) * inPlane);
        });
        return dx;
    }

    /** The kernel gradient into the zeroed canonical {@code dw} ({@code [C][1][K0][K1]}). */
    static void gradKernel(Kernels kern, ConvPlan p, float[] x, float[] gr, float[] dw) {
        DepthwiseBlockedKernels bk = DepthwiseBlockedKernels.of(kern);
        GemmKernels gk = kern instanceof GemmKernels gg ? gg : null;
        Geometry g = new Geometry(p);
        int lanes = bk.lanes(), c = p.channels(), blocks = (c + lanes - 1) / lanes, taps = g.taps(), batch = p.batch();
        int inPlane = g.h * g.w, outPlane = g.q0 * g.q1;
        int[] off = g.inputOffsets(lanes);
        long work = (long) batch * c * outPlane * taps;
        Threads.parallelFor(blocks, ShiftedConv.threadsFor(work), cb -> {
            int c0 = cb * lanes, chans = Math.min(lanes, c - c0);
            float[] xb = Scratch.floats(Scratch.SRC, g.hp * g.wp * lanes);
            float[] gb = Scratch.floats(Scratch.AUX, outPlane * lanes);
            float[] acc = Scratch.floats(Scratch.PART, taps * lanes);
            java.util.Arrays.fill(acc, 0, taps * lanes, 0f);
            for (int n = 0; n < batch; n++) {
                ChannelBlocks.copy(kern, gk, x, (n * c + c0) * inPlane, inPlane, chans, g.h, g.w, xb, 0, g.hp, g.wp, g.lo0, g.lo1);
                ChannelBlocks.copy(kern, gk, gr, (n * c + c0) * outPlane, outPlane, chans, g.q0, g.q1, gb, 0, g.q0, g.q1, 0, 0);
                bk.dots(gb, xb, 0, g.s0 * g.wp * lanes, g.s1 * lanes, off, taps, g.q0, g.q1, acc);
            }
            for (int cl = 0; cl < chans; cl++) {
                for (int t = 0; t < taps; t++) dw[(c0 + cl) * taps + t] = acc[t * lanes + cl];
            }
        });
    }

    /**
     * A block {@code [plane][lanes]} back into {@code chans} planes: {@code dst[d + cl*plane + f] = src[f*lanes + cl]}, by block
     * transposes when the kernels have them and the block is whole, else element by element.
     */
    static void unblock(GemmKernels gk, int lanes, float[] src, int chans, int plane, float[] dst, int d) {
        if (gk != null && gk.lanes() == lanes && chans == lanes && plane >= lanes) {
            for (int f0 = 0; f0 < plane; f0 += lanes) {
                int fs = Math.min(f0, plane - lanes);
                gk.transpose(src, fs * lanes, lanes, lanes, dst, d + fs, plane, lanes, 0);
            }
            return;
        }
        for (int cl = 0; cl < chans; cl++) {
            int o = d + cl * plane;
            for (int f = 0; f < plane; f++) dst[o + f] = src[f * lanes + cl];
        }
    }
}
