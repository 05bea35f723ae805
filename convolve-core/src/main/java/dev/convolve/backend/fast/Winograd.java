package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * 3x3, 5x5 and 7x7 convolutions with stride 1 by Winograd's minimal filtering (Lavin and Gray), F(4x4, 3x3), F(2x2, 5x5)
 * and F(2x2, 7x7): each 4x4 (or 2x2) block of outputs ("tile") comes from a 6x6 (8x8 for 7x7) input patch, and in the
 * transformed domain the conv is 36 (64) independent GEMMs {@code M[xi] (tiles x O) = V[xi] (tiles x C) * U[xi] (C x O)},
 * 4x (2.8x, 3.1x) fewer multiply-adds than the direct form. 3x3 and 5x5 use the same six interpolation points (0, 1, -1, 2,
 * -2 and infinity), hence the same input transform {@code B^T}; only the kernel transform {@code G} (6x3 or 6x5) and the
 * output transform {@code A^T} (4x6 or 2x6) differ. 7x7 adds the points 1/2 and -1/2.
 *
 * <p>Layout: the input is copied, with its zero padding, into blocks of 16 channels
 * ({@code [c/16][row][col][16]}, the conversion counted in the time), so that the patch element {@code (r, s)} of
 * a tile is one contiguous vector of 16 channels and the input transform needs no gathers. By blocks of tiles, each block
 * copies only the rows its tiles read, into a buffer of its thread, just before it transforms them (read back from the L2
 * cache); a copy of the whole input first, written to memory and read back, measured 1.05-1.27x the time (2026-11-26, two
 * threads, kept outputs: 64x32x28x28 -> 32 1.06x, 64x64x7x7 -> 64 1.12x, 256x32x4x4 -> 64 1.21x). When the order turns
 * around ({@link Job#byOutBlocks}), the whole input is still copied first. For a block of tiles the
 * transform gives {@code V[36][tile][C]}; the GEMMs put output channels in the lanes (a broadcast of {@code V} times
 * rows of the transformed kernel {@code U[36][C][O]}), and the output transform of {@code M[36][tile][O]} yields 16
 * output channels of a tile at a time, stored into {@code [N][O][Q...]}. When U is too big for the caches and the tiles
 * few (deep layers on small planes), the order turns around: V of every tile first, then blocks of 64 output channels,
 * each transforming its part of U and running its GEMMs over all tiles, so that U is made and read once per call
 * ({@link Job#byOutBlocks}). Feature groups run one after another, each over all threads, as a conv of their own channels.
 */
final class Winograd {
    private Winograd() {}

    static final int ALPHA = 6, XI = ALPHA * ALPHA;
    /** Input channels whose kernels {@code outBlock} gathers at a time (their taps stay in the L1 cache for the transforms). */
    private static final int GATHER = 32;

    /** Tiles of one output row stored together ({@link Job#storeRun}): 4, for whole vectors of 16 outputs. */
    static final int RUN = 4;

    /** Stores by runs of tiles on (a switch for comparisons). */
    static boolean RUNS = true;
    /** Input channels per item of the forward's kernel transform (two items for 32 channels, so both threads take part). */
    private static final int KERNEL_CHUNK = 16;

    /** The transform's size for an {@code r x r} kernel: six points for 3x3 and 5x5, eight for 7x7. */
    static int alpha(int r) {
        return r == 7 ? 8 : ALPHA;
    }

    /** The output tile of F(m x m, r x r): {@code m = alpha - r + 1} (4 for 3x3, 2 for 5x5 and 7x7). */
    static int tile(int r) {
        return alpha(r) + 1 - r;
    }

    /**
     * 2-D, 3x3, unit stride and dilations, no batch groups, and 16+ channels per feature group each way, so that the
     * transforms are amortised. Grouped, measured 2026-11-24 on one thread (CPU time, against channel-lanes in the same JVM):
     * 8x256x28x28 in 4 groups 8.5 against 19.6 ms (two threads 5.6 / 10.4), its input gradient 9.3 / 19.0, 8x128x28x28 in 2
     * groups 4.2 / 9.2, 8x512x14x14 in 8 groups 6.5 / 9.6, 8x128x56x56 in 4 groups 13.6 / 25.8, 8x64x56x56 in 4 groups 5.2 /
     * 6.5, 32x512x7x7 in 8 groups 7.2 / 10.4, 8x256x28x28 in 16 groups 5.6 / 6.7, 1x128x28x28 in 4 groups 0.46 / 0.67.
     * Each group pays its own kernel transform and three parallel loops, so groups with little work stay with the direct
     * engines ({@link #MIN_GROUP_WORK}).
     */
    static boolean suits(ConvPlan p) {
        if (!shapeFits(p)) return false;
        int[] q = p.outSize();
        int cg = p.kernelChannels(), og = p.outChannels() / p.featureGroups();
        long tiles = (long) p.batch() * ((q[0] + 3) / 4) * ((q[1] + 3) / 4);
        if (p.featureGroups() > 1 && tiles * cg * og < MIN_GROUP_WORK) return false;
        return Planner.enabled("winograd-4x4");
    }

    /**
     * F(2x2, 5x5): 2-D, 5x5, unit stride and dilations, no batch groups, 32+ input and 16+ output channels per feature
     * group, output planes of at least 2x2, and {@link #MIN_GROUP_WORK} per group even without groups. Measured 2026-11-25 on
     * one thread (CPU time, against the engine chosen without it): 16x128x14x14 -> 128 pad 2 13.8 against 22.5 ms (two
     * threads 8.3 / 11.6), 8x64x56x56 -> 64 27.3 / 47.7, 8x64x64x64 -> 64 39.2 / 61.4, 8x32x64x64 -> 64 27.4 / 31.1, 64x32x4x4
     * -> 64 0.92 / 2.81, 8x32x7x7 -> 32 unpadded 0.09 / 0.76, 8x32x48x48 -> 32 7.3 / 9.0, 8x256x14x14 -> 32 5.9 / 9.0,
     * 8x256x28x28 in 4 groups 27.9 / 47.7. With 16 or 24 input channels (a GEMM reduction of 16-24 per transformed point)
     * it was level or slower on larger planes: 8x16x64x64 -> 64 19.9 / 16.0, 8x16x32x32 -> 64 4.8 / 4.0, 8x24x64x64 -> 64
     * 24.4 / 24.5 (faster on 8x16x28x28 -> 256, 11.9 / 14.9). Below the work line 1x32x8x8 -> 32 (16 tiles x 32 x 32) 93 /
     * 74 µs, above it 1x64x14x14 -> 64 413 / 466 µs.
     */
    static boolean suits5(ConvPlan p) {
        return shapeFits5(p) && suitsTiles2(p) && Planner.enabled("winograd-5x5");
    }

    /** The rules F(2x2, 5x5) and F(2x2, 7x7) share: 32+ input channels per group, {@link #MIN_GROUP_WORK} per group. */
    private static boolean suitsTiles2(ConvPlan p) {
        int[] q = p.outSize();
        long tiles = (long) p.batch() * ((q[0] + 1) / 2) * ((q[1] + 1) / 2);
        return p.kernelChannels() >= 32 && tiles * p.kernelChannels() * (p.outChannels() / p.featureGroups()) >= MIN_GROUP_WORK;
    }

    /**
     * The shape both Winograd engines take (this one and {@link GradKernelWinograd}): 2-D, 3x3, unit stride and dilations, no
     * batch groups, 16+ channels per feature group each way, output planes of at least one 4x4 tile.
     */
    static boolean shapeFits(ConvPlan p) {
        return shapeFits(p, 3, 4);
    }

    /**
     * F(2x2, 7x7): 2-D, 7x7, unit stride and dilations, no batch groups, 32+ input and 16+ output channels per feature group,
     * output planes of at least 2x2, {@link #MIN_GROUP_WORK} per group (the rules of {@link #suits5}). Measured 2026-11-25 on
     * one thread (CPU time, against the engine chosen without it): 8x64x28x28 -> 64 pad 3 12.4 against 22.4 ms (two threads
     * 6.7 / 11.7), 16x128x14x14 -> 128 26.6 / 43.2, 8x32x56x56 -> 64 27.5 / 45.6, 8x32x48x48 -> 32 12.9 / 17.0, 8x64x64x64 ->
     * 64 67.6 / 117.7, 1x32x16x16 -> 32 288 / 389 µs, 8x32x14x14 -> 16 824 / 1358 µs.
     */
    static boolean suits7(ConvPlan p) {
        return shapeFits7(p) && suitsTiles2(p) && Planner.enabled("winograd-7x7");
    }

    /** {@link #shapeFits(ConvPlan)} for 7x7 kernels, outputs of 2x2 or more. */
    static boolean shapeFits7(ConvPlan p) {
        return shapeFits(p, 7, 2);
    }

    /**
     * The input transform {@code B^T d B} of one channel-blocked patch for {@code alpha} points (6: {@link
     * Kernels#wino4InputBlocked}, 8: {@link Kernels#wino8InputBlocked}), for the forward and the kernel-gradient jobs.
     */
    static void inputTransform(Kernels kern, int alpha, float[] src, int base, int rowStride, float[] tmp, float[] v, int vOff, int vStride) {
        if (alpha == ALPHA) kern.wino4InputBlocked(src, base, rowStride, tmp, v, vOff, vStride);
        else kern.wino8InputBlocked(src, base, rowStride, tmp, v, vOff, vStride);
    }

    /** The shape of {@link #suits5} and its kernel gradient: {@link #shapeFits(ConvPlan)} for 5x5 kernels, outputs of 2x2 or more. */
    static boolean shapeFits5(ConvPlan p) {
        return shapeFits(p, 5, 2);
    }

    /** {@link #shapeFits(ConvPlan)} for an {@code r x r} kernel and output planes of at least {@code minOut} each way. */
    private static boolean shapeFits(ConvPlan p, int r, int minOut) {
        if (p.spatialRank() != 2 || p.batchGroups() != 1) return false;
        int[] k = p.kernelSize(), s = p.strides(), kd = p.kernelDilation(), ld = p.inputDilation(), q = p.outSize();
        for (int i = 0; i < 2; i++) {
            if (k[i] != r || s[i] != 1 || kd[i] != 1 || ld[i] != 1) return false;
        }
        return p.kernelChannels() >= 16 && p.outChannels() / p.featureGroups() >= 16 && q[0] >= minOut && q[1] >= minOut;
    }

    /**
     * The least tiles x input x output channels per group for which grouped convs take this engine. Measured 2026-11-24 on
     * one thread (CPU time) against shifted-gemm: 1x256x14x14 in 16 groups (16 tiles x 16 x 16) 296 against 252 µs,
     * 1x512x7x7 in 8 groups (4 x 64 x 64) 816 against 708 µs, 4x256x14x14 in 16 groups (64 x 16 x 16) 676 against 588 µs on
     * two threads; 1x128x28x28 in 4 groups (49 x 32 x 32) 460 against 668 µs.
     */
    static final long MIN_GROUP_WORK = 32768;

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        runGroups(kern, p, x, w, out, false);
    }

    /** Every feature group's job ({@link #eachGroup}). */
    private static void runGroups(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out, boolean fromForward) {
        eachGroup(p.featureGroups(), g -> new Job(kern, p, g, x, w, out, fromForward).run());
    }

    /**
     * Runs {@code job} for every feature group: with at least two groups per thread ({@link #wholeGroups}), whole groups on
     * each thread (each makes its transformed kernel in its own caches and runs its blocks without hand-offs; the kernel
     * gradient sums its tiles in one partial sum); else one group after another, each over all threads.
     */
    static void eachGroup(int groups, java.util.function.IntConsumer job) {
        int threads = Threads.threads();
        if (wholeGroups(groups, threads)) {
            Threads.parallelFor(groups, threads, job);
            return;
        }
        for (int g = 0; g < groups; g++) job.accept(g);
    }

    /**
     * Whether groups run whole on each thread: two or more per thread, as many on each (or four or more per thread, where
     * one more matters less). Measured 2026-11-26 (one-JVM A/B both orders, two threads): 8x512x14x14 in 8 groups 0.86-0.87x
     * the time forward, 0.89x its input gradient; 2x512x14x14 in 8 groups 0.68x; 32x512x7x7 in 8 groups 0.95x; 8x256x28x28
     * in 4 groups level.
     */
    static boolean wholeGroups(int groups, int threads) {
        return threads > 1 && groups >= 2 * threads && (groups % threads == 0 || groups >= 4 * threads);
    }

    /**
     * The input gradient's conv {@code gp} (of {@link Planner#gradInputPlan}) with its kernel read from the forward kernel
     * {@code wf}: {@code gp}'s kernel of output channel {@code oc}, input channel {@code ci}, tap {@code t} in group {@code g}
     * is {@code wf[((g*c + ci)*o + oc)*taps + taps - 1 - t]} (c and o the channels of {@code gp}'s group). No flipped copy:
     * the copy, strided reads of the whole kernel, took 22% of 8x512x7x7 -> 512's input gradient on two threads.
     */
    static void runFromForward(Kernels kern, ConvPlan gp, float[] x, float[] wf, float[] out) {
        runGroups(kern, gp, x, wf, out, true);
    }

    /**
     * Where tile {@code t} ({@code th x tw} tiles of {@code tile x tile} per image, images in order) starts in a channel-blocked
     * copy whose rows are {@code rowPitch} positions of {@code lanes} floats and whose images are {@code imageSize} floats.
     */
    static int tileStart(int t, int th, int tw, int tile, int rowPitch, int imageSize, int lanes) {
        int perImage = th * tw, n = t / perImage, rem = t - n * perImage, ti = rem / tw, tj = rem - ti * tw;
        return n * imageSize + (ti * tile * rowPitch + tj * tile) * lanes;
    }

    /**
     * For the tiles {@code [b0, b0 + count)} ({@code th x tw} tiles of {@code tile x tile} per image, images in order), the
     * rows of a channel-blocked, zero-padded copy of {@code src} they read, into {@code dst}: per image the tiles touch, its
     * tile rows {@code ti0..ti1} as the padded rows {@code [ti0*tile, ti1*tile + patch)} of {@code wp} positions
     * ({@code [block][rows][wp][lanes]}, {@code segPlane} floats per block of channels), the {@code s}-th image at
     * {@code s * blocks * segPlane}, where {@code blocks} covers {@code chans}. Image {@code n}'s channel {@code ch} is the
     * {@code h x wd} plane at {@code src[n*imageStride + chanOffset + ch*h*wd]}; its row {@code iy} is padded row
     * {@code iy + lo0}, column {@code ix} padded column {@code ix + lo1} (as {@link ChannelBlocks#copy}). {@code base[k]} gets
     * where tile {@code b0 + k} starts in {@code dst}.
     */
    static void copyTileRows(Kernels kern, GemmKernels gk, int b0, int count, int th, int tw, int tile, int patch, float[] src, int imageStride,
                             int chanOffset, int chans, int h, int wd, int lo0, int lo1, int wp, int segPlane, float[] dst, int[] base) {
        int lanes = kern.lanes(), blocks = (chans + lanes - 1) / lanes, perImage = th * tw;
        for (int k = 0, s = 0; k < count; s++) {
            int t = b0 + k, n = t / perImage, ti0 = (t - n * perImage) / tw;
            int end = Math.min(count, (n + 1) * perImage - b0), ti1 = (b0 + end - 1 - n * perImage) / tw;
            int pr0 = ti0 * tile, rows = (ti1 - ti0) * tile + patch, seg = s * blocks * segPlane;
            int iy0 = Math.max(0, pr0 - lo0), iy1 = Math.max(iy0, Math.min(h, pr0 + rows - lo0));
            for (int kb = 0; kb < blocks; kb++) {
                int from = n * imageStride + chanOffset + kb * lanes * h * wd + iy0 * wd;
                ChannelBlocks.copy(kern, gk, src, from, h * wd, Math.min(lanes, chans - kb * lanes), iy1 - iy0, wd, dst, seg + kb * segPlane,
                        rows, wp, iy0 + lo0 - pr0, lo1);
            }
            for (; k < end; k++) {
                int rem = b0 + k - n * perImage, ti = rem / tw, tj = rem - ti * tw;
                base[k] = seg + ((ti - ti0) * tile * wp + tj * tile) * lanes;
            }
        }
    }

    /** {@code size} floats, one vector more when that is a multiple of 4 KB (strides of the transforms' 36 or 64 stores or loads). */
    static int pointStride(int size, int lanes) {
        return size % 1024 == 0 ? size + lanes : size;
    }

    /** Most images a block of {@code tb} tiles touches ({@code perImage} tiles each), within {@code batch}. */
    static int segmentsFor(int tb, int perImage, int batch) {
        return Math.min(batch, tb / perImage + 2);
    }

    /** Most tile rows of one image a block of {@code tb} tiles touches ({@code tw} tiles a row, {@code th} rows). */
    static int tileRowsFor(int tb, int th, int tw) {
        return Math.min(th, (tb + tw - 1) / tw + 1);
    }

    /**
     * The fewest floats of one channel's output rows a block touches before its stores ({@link Job#touchOutput}). Measured
     * 2026-11-26 on the Xeon (one-JVM A/B both orders, fresh outputs): 64x64x14x14 -> 64 forward 0.92-0.94x the time with the
     * touches, 64x32x28x28 -> 32 0.97x, 8x64x56x56 and 8x128x28x28 level; below the line, where each channel's plane is one to
     * three cache lines, 64x64x7x7 1.03-1.05x and 256x32x4x4 1.30-1.38x.
     */
    static final int TOUCH_MIN_FLOATS = 128;

    static final class Job {
        final Kernels kern;
        /** The block transposes of the packed GEMM's kernels, or null for kernels without them (then element stores). */
        final GemmKernels gk;
        final float[] x, w, out;
        /** Whether {@link #w} is the forward kernel of the input gradient this job computes ({@link #runFromForward}). */
        final boolean fromForward;
        /** {@code c} and {@code o}: the channels of feature group {@code group}; {@code cAll} and {@code oAll}: all of them. */
        final int c, cb, cpad, o, opad, cAll, oAll, group, batch, h, wd, q0, q1, th, tw, lo0, lo1, lanes, nv, mr, tb;
        /** The kernel's size ({@code r x r}: 3, 5 or 7), its taps, the output tile ({@code tile x tile}: 4, 2, 2), the transform's size and points. */
        final int r, taps, tile, alpha, xi;
        final int wp, hp, plane, qTot, tiles, perItem, items;
        final int[] rowOff;
        float[] u, xb;
        /**
         * With a transformed kernel too big for the caches and few tiles ({@link #byOutBlocks}): the input transformed once for
         * every tile into {@code vAll} ({@code [xi][tilesPad][cpad]}), then blocks of {@code ob} output channels, each
         * transforming its own part of the kernel and running its GEMMs over all tiles ({@link #outBlock}).
         */
        final boolean byOut;
        final int ob, nvOut, mrOut, tilesPad, kcOut;
        final boolean chunked;
        final int[] rowOffAll;
        /** For the input gradient's gathers ({@link #gatherTapsBlock}) into rows {@link #ob} or {@link #opad} long: where tap t goes (row {@code taps - 1 - t}). */
        final int[] revOb, revOpad;
        float[] vAll;
        /**
         * By blocks of tiles, each block copies only the input rows its tiles read into a per-thread channel-blocked buffer
         * ({@link #copyRows}) instead of one copy of the whole input before the blocks: the copy is then read back from the L2
         * cache. Up to {@link #segments} pieces (one per image the block touches), each {@link #segPlane} floats per block of
         * channels, {@code segPlane * cb} apart.
         */
        final int segments, segPlane;
        /** Whether the output transforms store runs of whole tiles side by side ({@link #storeRun}): F(4x4, 3x3), 16 lanes. */
        final boolean runs;
        /**
         * Floats from one transformed point's kernel {@code U[xi]} ({@code cpad x opad}) to the next: one vector more when
         * that is a multiple of 4 KB, so that a kernel transform's 36 stores do not all fall in one set of the L1 cache (alone,
         * 64 x 64 channels: 190 against 86 ns per transform of 16 kernels, 2026-11-26).
         */
        final int uPoint;
        /** The same for a block's transformed tiles {@code V[xi]} ({@code tb x cpad}) and their products {@code M[xi]} ({@code tb x opad}). */
        final int vPoint, mPoint;

        Job(Kernels kern, ConvPlan p, int group, float[] x, float[] w, float[] out, boolean fromForward) {
            this.kern = kern; this.x = x; this.w = w; this.out = out; this.group = group; this.fromForward = fromForward;
            lanes = kern.lanes();
            gk = kern instanceof GemmKernels g ? g : null;
            cAll = p.channels();
            oAll = p.outChannels();
            c = p.kernelChannels();
            cb = (c + lanes - 1) / lanes;
            cpad = cb * lanes;
            o = oAll / p.featureGroups();
            opad = (o + lanes - 1) / lanes * lanes;
            batch = p.batch();
            int[] in = p.spatial(), q = p.outSize(), lo = p.padLow();
            h = in[0]; wd = in[1]; q0 = q[0]; q1 = q[1];
            lo0 = lo[0]; lo1 = lo[1];
            r = p.kernelSize()[0];
            taps = r * r;
            tile = tile(r);
            alpha = alpha(r);
            xi = alpha * alpha;
            qTot = q0 * q1;
            th = (q0 + tile - 1) / tile;
            tw = (q1 + tile - 1) / tile;
            wp = tw * tile + r - 1;
            hp = th * tile + r - 1;
            plane = hp * wp * lanes;
            // GEMM tile: as many output-channel vectors as divide O (up to 4), and the rows (tiles) the kernels pair with it
            int vecs = opad / lanes, v = 4;
            while (vecs % v != 0) v--;
            nv = v;
            mr = kern.bcastRows(nv);
            tiles = batch * th * tw;
            int tbMax = blockTiles(xi, cpad, opad, mr);
            perItem = itemTiles(tiles, mr, ShiftedConv.threadsFor((long) xi * c * opad * tiles));
            items = (tiles + perItem - 1) / perItem;
            // equal blocks inside an item, each at most tbMax tiles
            int nb = (perItem + tbMax - 1) / tbMax;
            tb = ((perItem + nb - 1) / nb + mr - 1) / mr * mr;
            rowOff = new int[tb];
            for (int t = 0; t < tb; t++) rowOff[t] = t * cpad;
            ob = opad % 64 == 0 ? 64 : opad % 48 == 0 ? 48 : opad % 32 == 0 ? 32 : 16;
            nvOut = ob / lanes;
            mrOut = kern.bcastRows(nvOut);
            tilesPad = (tiles + mrOut - 1) / mrOut * mrOut;
            byOut = gk != null && lanes == 16 && byOutBlocks(xi, cpad, opad, tilesPad);
            rowOffAll = byOut ? new int[tilesPad] : null;
            revOb = new int[taps];
            revOpad = new int[taps];
            for (int t = 0; t < taps; t++) { revOb[t] = (taps - 1 - t) * ob; revOpad[t] = (taps - 1 - t) * opad; }
            if (byOut) for (int t = 0; t < tilesPad; t++) rowOffAll[t] = t * cpad;
            // U's part of a block by chunks of input channels, adding to M after each, when M (xi x tiles x ob) stays within
            // 128K floats (in the L2 cache across the chunks); beyond, M read and written per chunk costs more than U's part
            // for all input channels at once: 32x512x7x7 -> 512 (M 304K floats) one thread 52.7 ms by chunks against 34.7,
            // 8x256x14x14 -> 256 10.2 against 8.5; 8x512x7x7 -> 512 (M 83K) by chunks 10.3, 17.7 before chunks (and before the
            // gather by block transposes and the whole-vector stores) (2026-11-25, medians of 3)
            chunked = (long) xi * tilesPad * ob <= (128 << 10);
            // a block of tb tiles covers at most ceil(tb / tw) + 1 tile rows of one image, and touches tb / (th*tw) + 2 images
            segPlane = (tileRowsFor(tb, th, tw) * tile + r - 1) * wp * lanes;
            segments = segmentsFor(tb, th * tw, batch);
            runs = RUNS && r == 3 && lanes == 16 && gk != null;
            uPoint = pointStride(cpad * opad, lanes);
            vPoint = pointStride(tb * cpad, lanes);
            mPoint = pointStride(tb * opad, lanes);
            kcOut = chunked ? Math.min(c, Math.max(16, (96 << 10) / (xi * ob) / 16 * 16)) : c;
        }

        /**
         * Whether to run by blocks of output channels: the transformed kernel U ({@code xi * C * O} floats) above 2M floats
         * (8 MB), and the transformed input of all tiles V ({@code xi * tiles * C}) within 4M floats (16 MB, so that it stays
         * in the L3 cache while every block reads it), or within U and 10M floats. By blocks of tiles, each block reads all of
         * U, from memory when it outgrows the L3 cache. Measured 2026-11-25 (the two ways alternating, medians): 32x512x7x7 ->
         * 512 one thread 42.1 against 62.4 ms, two threads 25.8 / 30.7; 8x512x7x7 -> 512 10.3 / 28.3 ms, 8x256x14x14 -> 256
         * 6.5 / 7.5 ms and 64x512x7x7 -> 512 (V 4.7M floats) 38.7 / 46.6 ms on two threads; 32x256x14x14 -> 256 (V 4.7M, U
         * 2.4M) 21.2 / 18.0 ms, so stays by tiles. With a smaller U it was level or slower (8x128x28x28 -> 256 16.8 / 16.3 ms,
         * 64x64x14x14 -> 64 9.4 / 6.2 ms, one thread).
         */
        static boolean byOutBlocks(int xi, int cpad, int opad, int tilesPad) {
            long u = (long) xi * cpad * opad, v = (long) xi * tilesPad * cpad;
            return u > (2L << 20) && (v <= (4L << 20) || v <= u && v <= (10L << 20));
        }

        /**
         * Most tiles per block, for {@code xi} transformed points (36, or 64 for F(2x2, 7x7)). Each block reads all of the
         * transformed kernel U ({@code xi * C * O} floats) once, and keeps V and M ({@code xi * tiles * (C + O)}): with U in the
         * L2 cache (up to 64 channels each way at 36 points), blocks whose V and M fit beside it in 384 kB (at most 8 tile
         * rows), so that one point's V, M and U stay in the L1 cache through its GEMMs (with 768 kB, 2026-11-26 on the Xeon,
         * one-JVM A/B both orders: 64x64x14x14 -> 64 1.08x the time, 64x64x7x7 -> 64 1.06x, 8x64x56x56 -> 64 1.05x, 64x32x28x28
         * -> 32 level; 512 kB was slower than both); with a bigger U, the U read per block is what costs (9.4 MB for 256
         * channels each way, from the L3 cache or memory, for 6 tiles a block measured 1.5x slower than the direct GEMM), so
         * blocks as big as V and M of 2M floats (8 MB) per thread allow.
         */
        static int blockTiles(int xi, int cpad, int opad, int mr) {
            long u = (long) xi * cpad * opad;
            int byL2 = (96 * 1024) / (xi * (cpad + opad));
            if (u <= 256 * 1024) return Math.max(mr, Math.min(8 * mr, byL2 / mr * mr));
            int byL3 = (int) Math.min(4096, (2L << 20) / ((long) xi * (cpad + opad)));
            return Math.max(mr, Math.max(Math.min(8 * mr, byL2), byL3) / mr * mr);
        }

        /**
         * Tiles per work item: {@code threads * j} items ({@code j <= 4}) of whole tile rows of the GEMM each, with the fewest
         * tiles on the busiest thread (the last item may be short: 7x7 planes of batch 64 are 256 tiles, cut in 8 items of
         * 36 the last has 4 and one thread does 4 items, the other 3.1); among costs within 2% of the best, the most items (a
         * thread slowed by other work is then helped by the other).
         */
        static int itemTiles(int tiles, int mr, int threads) {
            long best = Long.MAX_VALUE;
            int[] per = new int[5];
            long[] cost = new long[5];
            for (int j = 1; j <= 4; j++) {
                int want = threads * j;
                per[j] = ((tiles + want - 1) / want + mr - 1) / mr * mr;
                int its = (tiles + per[j] - 1) / per[j];
                cost[j] = (long) ((its + threads - 1) / threads) * per[j];
                best = Math.min(best, cost[j]);
            }
            for (int j = 4; j >= 1; j--) if (cost[j] * 100 <= best * 102) return per[j];
            return per[1];
        }

        void run() {
            long work = (long) xi * c * opad * tiles;
            int threads = ShiftedConv.threadsFor(work);
            if (byOut) {
                runByOut(threads);
                return;
            }
            // U[xi][c][opad] = G g G^T, vectorised over output channels
            u = Scratch.floats(Scratch.PACK, xi * uPoint);
            // per chunk of input channels on every thread: their kernels' taps with the output channels in the lanes (16x16
            // block transposes), then transformed (the taps gathered on the calling thread alone took 8% of 32x512x7x7 -> 512
            // on two threads: 27.2 -> 25.1 ms; gathered one float at a time per input channel, the kernel transform took 15%
            // of 64x64x7x7 -> 64 and 13% of 256x32x4x4 -> 64, 2026-11-26).
            int chunks = (c + KERNEL_CHUNK - 1) / KERNEL_CHUNK;
            Threads.parallelFor(chunks, threads, ch -> {
                int c0 = ch * KERNEL_CHUNK, kc = Math.min(KERNEL_CHUNK, c - c0);
                float[] gt = Scratch.floats(Scratch.PART, KERNEL_CHUNK * taps * opad);
                gatherTapsBlock(c0, kc, 0, opad, gt);
                float[] tmp = Scratch.floats(Scratch.TILE, 56 * lanes);
                for (int k = 0; k < kc; k++) {
                    for (int ov = 0; ov < opad; ov += lanes) kernelTransform(gt, k * taps * opad + ov, opad, tmp, u, (c0 + k) * opad + ov, uPoint);
                }
            });
            Threads.parallelFor(items, threads, this::item);
        }

        private void runByOut(int threads) {
            xb = Scratch.floats(Scratch.SRC, batch * cb * plane);
            Threads.parallelFor(batch * cb, threads, this::block16);
            vAll = Scratch.floats(Scratch.AUX, xi * tilesPad * cpad);
            int chunk = 4;
            Threads.parallelFor((tiles + chunk - 1) / chunk, threads, i -> transformTiles(i * chunk, Math.min(tiles, i * chunk + chunk)));
            Threads.parallelFor(opad / ob, threads, this::outBlock);
        }

        /** Tiles {@code [t0, t1)} into {@link #vAll} (the GEMMs read no row past the last tile: {@link GemmKernels#bcastPart}). */
        private void transformTiles(int t0, int t1) {
            float[] tmp = Scratch.floats(Scratch.TILE, 2 * xi * lanes);
            for (int t = t0; t < t1; t++) transformTile(xb, tileBase(t), plane, tmp, vAll, t * cpad, tilesPad * cpad);
        }

        /**
         * Output channels {@code [bi*ob, (bi+1)*ob)}, by chunks of {@link #kcOut} input channels: the chunk's part of U (in
         * this thread's buffer; with few tiles, {@link #chunked}, {@code [k][xi][ob]} for 32 channels, small enough to stay in
         * the L2 cache beside M, else {@code [xi][c][ob]} for all of them), then the GEMMs of every transformed point over all
         * tiles, adding to M; after the last chunk, the output transforms. With U's part for
         * all input channels at once (4.7 MB for 512 of them), it was written to memory and read back for every block:
         * 8x512x7x7 -> 512 on two threads 8.1 ms, of which JFR put 16% in the stores of the kernel transform.
         */
        private void outBlock(int bi) {
            int o0 = bi * ob;
            float[] gt = Scratch.floats(Scratch.PART, GATHER * taps * ob);
            float[] ub = Scratch.floats(Scratch.PACK, xi * kcOut * ob);
            float[] tmp = Scratch.floats(Scratch.TILE, 2 * xi * lanes);
            float[] m = Scratch.floats(Scratch.GRAD, xi * tilesPad * ob);
            for (int c0 = 0; c0 < c; c0 += kcOut) {
                int kc = Math.min(kcOut, c - c0);
                // U's part: [k][xi][ob] by chunks (a transform's 36 stores 256 bytes apart), else [xi][k][ob] (a point's rows together)
                int kStr = chunked ? xi * ob : ob, xStr = chunked ? ob : kc * ob;
                for (int g0 = 0; g0 < kc; g0 += GATHER) {
                    int n = Math.min(GATHER, kc - g0);
                    gatherTapsBlock(c0 + g0, n, o0, ob, gt);
                    for (int k = 0; k < n; k++) {
                        for (int ov = 0; ov < ob; ov += lanes) kernelTransform(gt, k * taps * ob + ov, ob, tmp, ub, (g0 + k) * kStr + ov, xStr);
                    }
                }
                for (int x = 0; x < xi; x++) {
                    for (int ov = 0; ov < ob; ov += nvOut * lanes) {
                        for (int r0 = 0; r0 < tiles; ) {
                            int rows = shortRows(tiles - r0);
                            int vOff = x * tilesPad * cpad + c0, uOff = x * xStr + ov, mOff = (x * tilesPad + r0) * ob + ov;
                            gk.bcastPart(rows, nvOut, vAll, rowOffAll, r0, vOff, kc, ub, uOff, kStr, m, mOff, ob, c0 > 0);
                            r0 += rows;
                        }
                    }
                }
            }
            float[] y = Scratch.floats(Scratch.OUT, RUN * 16 * lanes);
            int full = tile * 8 + tile;
            for (int t = 0; t < tiles; ) {
                int dst = tileDst(t), e = tileExtent(t), k = 1;
                if (runs && e == full) while (k < RUN && t + k < tiles && tileExtent(t + k) == full && tileDst(t + k) == dst + k * tile) k++;
                for (int ov = 0; ov < ob && o0 + ov < o; ov += lanes) outputs(m, t * ob + ov, ob, tilesPad * ob, dst, e, k, o0 + ov, tmp, y);
                t += k;
            }
        }

        /**
         * Rows of the next GEMM tile of {@link #outBlock} with {@code left} tiles to go: the full tile's, except that the last
         * whole tile and a remainder of at most a third of one are split into two short tiles (32 tiles: 6, 6, 6, 6, 4, 4;
         * a tile of 2 rows ran at about 60% of the 6-row tile's rate per row, 2026-11-26), and a remainder is a short tile.
         */
        private int shortRows(int left) {
            if (left >= 2 * mrOut || left == mrOut) return mrOut;
            if (left > mrOut && 3 * (left - mrOut) <= mrOut) return (left + 1) / 2;
            return Math.min(left, mrOut);
        }

        /**
         * The taps of kernels {@code [o0, o0 + ob)} for input channels {@code [c0, c0 + kc)}: {@code gt[((ci - c0)*taps + t)*ob +
         * oc - o0]}, zero past {@code o}. Each kernel's taps of the chunk are contiguous in {@link #w}: with 16-lane block
         * transposes, 16 kernels by 16 taps at a time, the rest element by element. For the input gradient each input
         * channel's kernels are one {@code [oc][taps]} block, moved by 16 kernels at a time with each tap's row reversed
         * (element by element, this gather was 20% of 8x512x7x7 -> 512's input gradient on two threads, 2026-11-26). Keep
         * this a method of its own: the gather written inside the lambda that calls it made WinogradTest fail in about half
         * the runs, even on one thread, and never with C1 only (a suspected C2 miscompile; commit a72d229).
         */
        private void gatherTapsBlock(int c0, int kc, int o0, int ob, float[] gt) {
            int end = Math.min(o, o0 + ob), n = kc * taps, whole = n / lanes * lanes;
            if (fromForward && gk != null && lanes == 16) {
                // the input gradient: input channel ci's kernels [o0, end) are the contiguous [oc][taps] block at
                // ((group*c + ci)*o + o0)*taps; 16 kernels at a time, each tap to its row of gt, taps reversed
                int[] revRows = ob == this.ob ? revOb : revOpad;
                for (int k = 0; k < kc; k++) {
                    int src = ((group * c + c0 + k) * o + o0) * taps, d = k * taps * ob;
                    for (int oc0 = o0; oc0 < end; oc0 += lanes) {
                        int rows = Math.min(lanes, end - oc0), s = src + (oc0 - o0) * taps;
                        for (int t0 = 0; t0 < taps; t0 += lanes) {
                            int cols = Math.min(lanes, taps - t0);
                            // whole source rows of 16 floats are read: the last kernels of w may have fewer behind them
                            if (rows == lanes && s + (lanes - 1) * taps + t0 + lanes <= w.length) {
                                gk.transposeTo(w, s + t0, taps, cols, gt, d + oc0 - o0, revRows, t0);
                            } else {
                                for (int i = 0; i < rows; i++) for (int j = t0; j < t0 + cols; j++) gt[d + revRows[j] + oc0 - o0 + i] = w[s + i * taps + j];
                            }
                        }
                    }
                }
            } else if (fromForward || gk == null || lanes != 16) {
                // element by element, each kernel's taps read in a row (for the input gradient, taps reversed)
                for (int k = 0; k < kc; k++) {
                    for (int d = 0; d < end - o0; d++) for (int t = 0; t < taps; t++) gt[(k * taps + t) * ob + d] = w[kernelAt(o0 + d, c0 + k, t)];
                }
            } else for (int oc0 = o0; oc0 < end; oc0 += lanes) {
                int rows = Math.min(lanes, end - oc0), src = ((group * o + oc0) * c + c0) * taps, d = oc0 - o0;
                for (int i = 0; i < whole; i += lanes) gk.transpose(w, src + i, c * taps, rows, gt, i * ob + d, ob, lanes, 0);
                for (int r = 0; r < rows; r++) for (int i = whole; i < n; i++) gt[i * ob + d + r] = w[src + r * c * taps + i];
            }
            if (end < o0 + ob) for (int i = 0; i < n; i++) java.util.Arrays.fill(gt, i * ob + end - o0, (i + 1) * ob, 0f);
        }

        /** Where tile {@code t}'s patch starts in {@link #xb}. */
        private int tileBase(int t) {
            return tileStart(t, th, tw, tile, wp, cb * plane, lanes);
        }

        /** Tile {@code t}'s first output of the group's first channel in {@link #out}. */
        private int tileDst(int t) {
            int perImage = th * tw, n = t / perImage, rem = t - n * perImage, ti = rem / tw, tj = rem - ti * tw;
            return (n * oAll + group * o) * qTot + ti * tile * q1 + tj * tile;
        }

        /** Tile {@code t}'s rows and columns inside the output, as {@code rows*8 + cols} (edge tiles are cut). */
        private int tileExtent(int t) {
            int rem = t % (th * tw), ti = rem / tw, tj = rem - ti * tw;
            return Math.min(tile, q0 - ti * tile) * 8 + Math.min(tile, q1 - tj * tile);
        }

        /** {@code U = G g G^T} of 16 kernels for this job's kernel size: tap t at {@code g[gOff + t*tStride]}, element xi at {@code u[uOff + xi*uStride]}. */
        private void kernelTransform(float[] g, int gOff, int tStride, float[] tmp, float[] u, int uOff, int uStride) {
            if (r == 3) kern.wino4Kernel(g, gOff, tStride, tmp, u, uOff, uStride);
            else if (r == 5) kern.wino25Kernel(g, gOff, tStride, tmp, u, uOff, uStride);
            else kern.wino27Kernel(g, gOff, tStride, tmp, u, uOff, uStride);
        }

        /**
         * The input transforms of the tile whose patch starts at {@code base} in {@code src} (channel blocks {@code cbStride}
         * apart), every channel block, into {@code v[vOff + ..]}.
         */
        private void transformTile(float[] src, int base, int cbStride, float[] tmp, float[] v, int vOff, int vStride) {
            for (int k = 0; k < cb; k++) inputTransform(kern, alpha, src, base + k * cbStride, wp * lanes, tmp, v, vOff + k * lanes, vStride);
        }

        private void outputTransform(float[] m, int mOff, int mStride, float[] tmp, float[] y) {
            if (r == 3) kern.wino4Output(m, mOff, mStride, tmp, y, 0, tile * lanes);
            else if (r == 5) kern.wino25Output(m, mOff, mStride, tmp, y);
            else kern.wino27Output(m, mOff, mStride, tmp, y);
        }

        /**
         * Output channels {@code oc0 ..} (up to {@code lanes}, within the group) of one tile from {@code y} into {@code out} at
         * {@code dst} (the tile's first output), {@code e} its extent ({@code rows*8 + cols}): a whole tile of 16 channels by one
         * block transpose (positions to channel planes, rows of the tile to the output rows; on a plane as wide as the tile,
         * whole vectors of 16 positions instead of masked rows of 4), else element by element.
         */
        private void store(float[] y, int dst, int e, int oc0) {
            int ha = e >> 3, wb = e & 7, oEnd = Math.min(lanes, o - oc0);
            if (lanes == 16 && gk != null && ha == tile && wb == tile && oEnd == lanes) {
                // a tile as wide as the output plane: its rows follow one another there, each channel's outputs one run
                gk.transpose(y, 0, lanes, tile * tile, out, dst + oc0 * qTot, qTot, q1 == tile ? lanes : tile, q1);
                return;
            }
            for (int a = 0; a < ha; a++) {
                for (int b = 0; b < wb; b++) {
                    int yo = (a * tile + b) * lanes, d = dst + oc0 * qTot + a * q1 + b;
                    for (int ol = 0; ol < oEnd; ol++) out[d + ol * qTot] = y[yo + ol];
                }
            }
        }

        /**
         * Output transforms and stores of output channels {@code oc ..} of {@code k} tiles side by side in one output row (a
         * run found by the caller: whole tiles when {@code k > 1}), the first at {@code dst} with extent {@code e}, their
         * products {@code mStep} apart from {@code m[mAt]}: as one run ({@link #storeRun}) when there is a whole vector of
         * channels, else tile by tile ({@link #store}).
         */
        private void outputs(float[] m, int mAt, int mStep, int mStride, int dst, int e, int k, int oc, float[] tmp, float[] y) {
            if (k > 1 && oc + lanes <= o) {
                storeRun(m, mAt, mStep, mStride, dst, k, oc, tmp, y);
                return;
            }
            for (int i = 0; i < k; i++) {
                outputTransform(m, mAt + i * mStep, mStride, tmp, y);
                store(y, dst + i * tile, e, oc);
            }
        }

        /**
         * Output channels {@code oc ..} (a whole vector of them) of {@code k} (2 to {@link #RUN}) whole 4x4 tiles side by side in
         * one output row, the first at {@code dst}, their products {@code mStep} apart from {@code m[mAt]}: each tile's output
         * transform writes its rows {@code k * 4} positions apart in {@code y}, so each output row of the run is one block of
         * {@code k * 4} positions, transposed to the channel planes as runs of {@code k * 4} outputs: whole vectors for 4
         * tiles. One tile at a time ({@link #store}) writes runs of 4 through a buffer. Tiles cut by the plane's edge keep
         * that store: writing their rows {@code wb} apart and storing each as one masked run measured level (2026-11-26,
         * `res-7x7`, `res-14x14`, 8x512x7x7). Runs of 2 or 3 (`res-14x14`'s rows) measured level too and run here all the
         * same.
         */
        private void storeRun(float[] m, int mAt, int mStep, int mStride, int dst, int k, int oc, float[] tmp, float[] y) {
            int row = k * tile * lanes, at = dst + oc * qTot;
            for (int i = 0; i < k; i++) kern.wino4Output(m, mAt + i * mStep, mStride, tmp, y, i * tile * lanes, row);
            for (int a = 0; a < tile; a++) gk.transpose(y, a * row, lanes, k * tile, out, at + a * q1, qTot, k * tile, q1);
        }

        /** Where this job's kernel of output channel {@code oc}, input channel {@code ci}, tap {@code t} is in {@link #w}. */
        private int kernelAt(int oc, int ci, int t) {
            return fromForward ? ((group * c + ci) * o + oc) * taps + taps - 1 - t : ((group * o + oc) * c + ci) * taps + t;
        }

        /** Image {@code n}, channel block {@code k} ({@code idx = n*cb + k}) into {@code xb}. */
        private void block16(int idx) {
            int n = idx / cb, k = idx % cb;
            ChannelBlocks.copy(kern, gk, x, (n * cAll + group * c + k * lanes) * h * wd, h * wd, Math.min(lanes, c - k * lanes), h, wd, xb, idx * plane, hp, wp, lo0, lo1);
        }

        private void item(int idx) {
            int t0 = idx * perItem, t1 = Math.min(tiles, t0 + perItem);
            float[] v = Scratch.floats(Scratch.AUX, xi * vPoint);
            float[] m = Scratch.floats(Scratch.GRAD, xi * mPoint);
            float[] tmp = Scratch.floats(Scratch.TILE, 2 * xi * lanes);
            float[] y = Scratch.floats(Scratch.OUT, RUN * 16 * lanes);
            float[] xl = Scratch.floats(Scratch.SRC, segments * cb * segPlane);
            int[] base = Scratch.ints(Scratch.SRC, tb);
            int[] dst = Scratch.ints(Scratch.TILE, tb);
            int[] ext = Scratch.ints(Scratch.AUX, tb);
            for (int b0 = t0; b0 < t1; b0 += tb) {
                int count = Math.min(tb, t1 - b0);
                touchOutput(b0, count);
                copyRows(b0, count, xl, base);
                for (int k = 0; k < count; k++) {
                    dst[k] = tileDst(b0 + k);
                    ext[k] = tileExtent(b0 + k);
                }
                block(count, xl, base, dst, ext, v, m, tmp, y);
            }
        }

        /**
         * Loads one float per cache line of the output rows that tiles {@code [b0, b0 + count)} will store ({@link Touch}), per
         * image and output channel, when that is {@link #TOUCH_MIN_FLOATS} or more: the lines then arrive while the block
         * transforms and multiplies, instead of one by one under its stores (a fresh output is cold: the JVM has just zeroed
         * it on the calling thread).
         */
        private void touchOutput(int b0, int count) {
            int perImage = th * tw;
            for (int k = 0; k < count; ) {
                int t = b0 + k, n = t / perImage, ti0 = (t - n * perImage) / tw;
                int end = Math.min(count, (n + 1) * perImage - b0), ti1 = (b0 + end - 1 - n * perImage) / tw;
                int r0 = ti0 * tile, r1 = Math.min(q0, (ti1 + 1) * tile);
                if ((r1 - r0) * q1 >= TOUCH_MIN_FLOATS) {
                    for (int oc = 0; oc < o; oc++) {
                        int at = (n * oAll + group * o + oc) * qTot;
                        Touch.lines(out, at + r0 * q1, at + r1 * q1);
                    }
                }
                k = end;
            }
        }

        /**
         * The input rows that tiles {@code [b0, b0 + count)} read, channel-blocked with their zero padding, into {@code xl}: per
         * image the block touches, its tile rows {@code ti0..ti1} as the padded rows {@code [ti0*tile, ti1*tile + alpha)}
         * ({@code [cb][rows][wp][lanes]}, at {@code s * cb * segPlane} for the block's {@code s}-th image); {@code base[k]}
         * gets where tile {@code b0 + k}'s patch starts.
         */
        private void copyRows(int b0, int count, float[] xl, int[] base) {
            copyTileRows(kern, gk, b0, count, th, tw, tile, alpha, x, cAll * h * wd, group * c * h * wd, c, h, wd, lo0, lo1, wp, segPlane,
                    xl, base);
        }

        private void block(int count, float[] xl, int[] base, int[] dst, int[] ext, float[] v, float[] m, float[] tmp, float[] y) {
            // 1. V[xi][tile][c]: one call per tile and block of 16 channels, contiguous loads
            for (int t = 0; t < count; t++) {
                transformTile(xl, base[t], segPlane, tmp, v, t * cpad, vPoint);
            }
            // 2. M[xi][tile][o] = V[xi] U[xi]: tiles broadcast, output channels in the lanes (rows past count are never read)
            int rows = (count + mr - 1) / mr * mr;
            if (gk == null) java.util.Arrays.fill(m, 0, this.xi * mPoint, 0f);
            for (int xi = 0; xi < this.xi; xi++) {
                for (int ov = 0; ov < opad; ov += nv * lanes) {
                    for (int r0 = 0; r0 < rows; r0 += mr) {
                        int mOff = xi * mPoint + r0 * opad + ov, uOff = xi * uPoint + ov;
                        if (gk != null) gk.bcastStore(mr, nv, v, rowOff, r0, xi * vPoint, c, u, uOff, opad, m, mOff, opad);
                        else kern.bcast(nv, v, rowOff, r0, xi * vPoint, c, u, uOff, opad, m, mOff, opad);
                    }
                }
            }
            // 3. outputs: 16 output channels of one tile per transform, of up to RUN side by side in one output row per store
            int full = tile * 8 + tile;
            for (int t = 0; t < count; ) {
                int k = 1;
                if (runs && ext[t] == full) while (k < RUN && t + k < count && ext[t + k] == full && dst[t + k] == dst[t] + k * tile) k++;
                for (int ov = 0; ov < o; ov += lanes) outputs(m, t * opad + ov, opad, mPoint, dst[t], ext[t], k, ov, tmp, y);
                t += k;
            }
        }
    }
}
