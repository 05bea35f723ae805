package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The direct conv with the OUTPUT CHANNELS in the vector lanes (oneDNN's layout), for strided layers (ResNet's
 * downsampling 3x3 and 1x1 convs, strided first layers of small images) and their input gradients (input dilation: one
 * {@link SubProblem} per output phase), where the flat walk of {@link ShiftedConv} (positions in the lanes) suffers
 * from short rows and tails. The weights are packed once per call (and phase) as {@code [group][channel block of
 * nv*L][c][tap][nv*L]}; each image's channels of a group are copied into zero-padded planes (or read in place when no
 * tap reads the padding), so that reduction step {@code k = (c, tap)} of output position {@code j} reads the scalar at
 * {@code rowOff[j] + koff[k]} (any stride and kernel dilation, no bounds checks); 2-D kernels of several taps that read
 * padding copy into channels-last planes instead and run each kernel row as one run of steps ({@link #channelsLast}). A register tile of {@code m}
 * positions times {@code nv} vectors of output channels broadcasts the {@code m} input values and loads the {@code nv}
 * weight vectors per step. The positions run in blocks whose {@code [position][channel]} sums fit the L2 cache (64 KB);
 * over each block the reduction runs in chunks of whole channels whose weights take 64 KB, then the block is transposed
 * into {@code [N][O][Q...]} by 16x16 block transposes (an output phase's positions are stored one by one). Items are
 * (image, group, part): with fewer (image, group) pairs than four per thread, each image is split along its first
 * output axis and each part copies only the input rows it reads, or, when the input is read in place and there are
 * several blocks of output channels, into ranges of those blocks (each part then reads only its blocks' weights).
 */
final class ChannelLanesConv {
    private ChannelLanesConv() {}

    /** The engine's name in {@link Planner}'s choices. */
    static final String NAME = "channel-lanes";

    /** Tests force this engine on every plan it can compute. */
    static volatile boolean force;

    /**
     * Whether register tiles in the grid rows that read padding skip its tap rows ({@link Job#rowLo}, {@link Tiles#tileRuns}):
     * only when C2 compiles counted loops without safepoint polls in them, as with ParallelGC (how {@code ./convolve} starts
     * the JVM). With the polls (G1's and ZGC's default) the runs' nested loops measured far slower than the full tiles: 5x5
     * 16x128x14x14 -> 128 on one thread took 31.8 ms against 23.7 without skipping; without the polls 22.1 against 23.5.
     * Tests set it either way.
     */
    static volatile boolean skipRows = !Boolean.parseBoolean(vmOption("UseCountedLoopSafepoints", "true"));

    /** A HotSpot option's value, or {@code otherwise} when the JVM does not say. */
    private static String vmOption(String name, String otherwise) {
        try {
            return java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return otherwise;
        }
    }

    /** The register tiles: {@code c[i*nv*L + j] = sum_{k < kc} x[xBase + rowOff[ro+i] + koff[k]] * w[wOff + k*nv*L + j]}. */
    interface Tiles {
        int lanes();

        void tile(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] koff, int k0, int k1, float[] w, int wOff, float[] c, int cOff, boolean add);

        /**
         * {@link #tile} over {@code runs} runs of {@code runLen} steps, run {@code r} from step {@code k0 + r*runStride}
         * (its weights {@code r*runStride} rows after {@code wOff}): one channel's tap rows that read the input.
         */
        void tileRuns(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] koff, int k0, int runs, int runLen, int runStride, float[] w, int wOff, float[] c, int cOff, boolean add);

        /**
         * {@link #tile} over {@code steps} steps whose input offsets are {@code o0, o0 + xs, o0 + 2*xs, ...} (a 1x1 kernel: one
         * step per input channel, {@code xs} apart), with {@code m = rows(nv, true)}: no offset table to read per step.
         */
        void tileLinear(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int o0, int xs, int steps, float[] w, int wOff, float[] c, int cOff, boolean add);

        /**
         * {@link #tile} over a channels-last copy ({@link #channelsLast}) in runs: for each tap {@code t = t0, t0 + ts, ...}
         * below {@code t1}, {@code steps} consecutive input floats from {@code tapOff[t]} (channels, and the next taps' channels
         * when the run spans a kernel row) and consecutive weight rows of {@code nv*L} from {@code wOff + t*wt}.
         */
        void tileLast(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] tapOff, int t0, int t1, int ts, int steps, float[] w, int wOff, int wt, float[] c, int cOff, boolean add);

        /**
         * {@link #tileLast} with every input step 2 floats (every other column of a plane: a stride of 2) and every run its
         * own ({@code ts = 1}): for {@code t} in {@code [t0, t1)}, inputs {@code x[x_i + tapOff[t] + 2k]} and weight rows from
         * {@code wOff + t*wt}, {@code k < steps}. The kernel gradient's runs along a grid row ({@link GradKernelWide}).
         */
        void tileLast2(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] tapOff, int t0, int t1, int steps, float[] w, int wOff, int wt, float[] c, int cOff, boolean add);

        /**
         * Every other output position: {@code out[d + ch*stride + 2*i] = t[ch*L + i]} for the {@code L = lanes()} channel
         * rows of {@code t} and {@code i < cnt <= L}; the floats between are left as they are (another output phase's).
         */
        void spreadPairs(float[] t, int cnt, float[] out, int d, int stride);
    }

    /**
     * Positions per tile for {@code nv} vectors: the accumulators fill 24 of 32 registers, or 28 with 4 vectors of steps from
     * the offset table. Those 28 leave one register too few (C2 keeps one accumulator in memory), but 7 positions still beat
     * 6 on those steps (8x128x28x28 -> 256 3x3 s2 forward: 6 positions took 1.04x the time of 7). {@code linear} steps
     * ({@link #linear}) take 6.
     */
    static int rows(int nv, boolean linear) { return nv == 1 ? 24 : nv == 2 ? 12 : nv == 3 ? 8 : linear ? 6 : 7; }

    /**
     * Whether plan {@code p}'s tiles of 4 vectors run as {@link Tiles#tileLinear} (6 positions): a 1x1 kernel (step
     * {@code k} reads input channel {@code k}, a fixed stride apart, so no offset table and the bounds of the input checked
     * once per tile instead of once per broadcast), where tiles of 6 cover an image's grid with at most 2% more padded
     * positions than tiles of 7. Alone, on data in the L1 cache (one thread, 2026-11-26): 7 positions from the offset table
     * 130-140 GFLOP/s, 6 linear 160-167. In the engine (two threads, both orders, into a kept output): 32x128x10x10 -> 128
     * 1x1 0.93x the time, 8x256x28x28 -> 512 1x1 s2 0.93x; on 7x7 planes (54 positions in tiles of 6 against 49) the
     * linear tiles took 1.05-1.10x the time, so those keep 7.
     */
    static boolean linear(Kernels k, ConvPlan p) {
        if (Canonical.product(p.kernelSize()) != 1 || vectors(p.outChannels() / p.featureGroups(), k.lanes()) != 4) return false;
        long q = Canonical.product(p.outSize());
        return (q + 5) / 6 * 6 * 100 <= (q + 6) / 7 * 7 * 102;
    }

    /** Tests and probes turn {@link #channelsLast} off with this. */
    static volatile boolean channelsLastOn = true;

    /**
     * Whether plan {@code p} copies each image into a zero-padded CHANNELS-LAST plane ({@code [row][column][channel]},
     * {@link Job#fillLast}) and packs its weights tap-major ({@code [tap][channel][kb]}), so that a register tile runs each
     * kernel row as one run of consecutive input floats and weight rows ({@link Tiles#tileLast}, tiles of 6 positions for 4
     * vectors): every index is then a loop invariant plus the step, and C2 checks the bounds once per run instead of once per
     * broadcast, with no offset table. For 2-D convs with more than one tap, kernel dilation 1 along the rows (a kernel
     * row's taps read consecutive columns), that read padding (so the input is copied anyway); with input dilation (the input
     * gradients of strided convs) every output phase reads the one channels-last plane, each with its own taps.
     *
     * <p>Measured 2026-11-26 on two threads (one JVM, both orders, into a kept output), against the offset-table tiles over
     * channel planes: 8x128x28x28 -> 256 3x3 s2 0.88-0.90x the time, 8x256x14x14 -> 512 s2 0.92-0.95x, 8x256x28x28 -> 512
     * s2 0.90x; through the planner with fresh outputs 0.89-0.93x forward. Their input gradients (phases), both forced on
     * this engine: 0.81x, 0.89x, 0.88x; forward+backward through the planner 0.87-0.88x. Runs of one tap's channels (28 to 128 steps, the
     * first form tried) measured 1.05-1.67x slower: C2 keeps the accumulators in registers only within a run, and the
     * run's entry and exit cost about as much as 10 to 30 steps. Chunks of 64 steps kept in the L1 cache measured level.
     */
    static boolean channelsLast(ConvPlan p) { return channelsLast(p, SubProblem.of(p)); }

    /** {@link #channelsLast(ConvPlan)} with the plan's sub-problems already computed ({@code SubProblem.of(p)}). */
    static boolean channelsLast(ConvPlan p, java.util.List<SubProblem> subs) {
        int[] kd = p.kernelDilation();
        return channelsLastOn && !pointwise(p) && p.spatialRank() == 2 && kd[kd.length - 1] == 1 && !readsInPlace(p, subs);
    }

    /** Positions per register tile of plan {@code p}. */
    static int rows(Kernels k, ConvPlan p) { return rows(k, p, SubProblem.of(p)); }

    /** {@link #rows(Kernels, ConvPlan)} with the plan's sub-problems already computed. */
    static int rows(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) { return rows(k, p, channelsLast(p, subs)); }

    /** {@link #rows(Kernels, ConvPlan)} with {@link #channelsLast} already decided ({@code last}). */
    private static int rows(Kernels k, ConvPlan p, boolean last) {
        return rows(vectors(p.outChannels() / p.featureGroups(), k.lanes()), linear(k, p) || last);
    }

    private static final Tiles VECTOR = Simd.loadVector("dev.convolve.backend.fast.ChannelLanesVector", Tiles.class);

    /** The tiles matching {@code k}: the Vector API tiles with {@link VectorKernels}, the scalar ones otherwise. */
    static Tiles tiles(Kernels k) {
        return k instanceof ScalarKernels || VECTOR == null || VECTOR.lanes() != k.lanes() ? new Scalar(k.lanes()) : VECTOR;
    }

    /**
     * Convs with strides or input dilation (the input gradients of strided convs, as output phases: {@link SubProblem}),
     * unstrided 1x1 convs on small planes ({@link #smallPointwise}) or unstrided convs with many multiply-adds per output
     * ({@link #manyTaps}), no batch groups, with whole vectors of output channels per group, at least two ({@code og >= 2*lanes}: each broadcast
     * input value feeds two or more multiply-adds), at least one register tile of positions per image and phase, and output
     * rows (the last spatial axis) of at most {@link #MAX_ROW} positions or {@link #MIN_LONG_ROW_CHANNELS}+ input channels
     * per group. The flat walk of {@link ShiftedConv} (positions in the lanes, over copied stride phases) wastes lanes on
     * short rows and tails; {@link Planner} asks this engine before {@link GemmConv} and the batch engines for 1x1 kernels
     * ({@link #first}), after the batch engines otherwise.
     *
     * <p>Measured 2026-11-24 single-threaded in CPU time against the engine the planner chose before, in the same JVM (load
     * 3-7). Forward, against shifted-gemm: 3x3 s2 64x32x28x28 -> 64 1.10-1.20x, 64x64x14x14 -> 128 1.24-1.38x, 8x128x28x28
     * -> 256 1.17-1.20x, 8x256x14x14 -> 512 1.62-1.72x, 8x128x112x112 -> 128 1.20x, 8x32x112x112 -> 64 1.04x, 64x3x32x32 ->
     * 32 1.15-1.21x; against gemm, 1x1 s2 64x64x14x14 -> 128 2.2-2.6x, 64x32x28x28 -> 64 2.1x, 8x512x14x14 -> 1024 1.57x,
     * 8x256x28x28 -> 512 1.06-1.21x, 8x128x56x56 -> 256 1.14x. Input gradients (the conv of {@link Planner#gradInputPlan}):
     * 3x3 s2 8x128x28x28 -> 256 1.18-1.23x, 8x256x14x14 -> 512 1.40-1.44x and 16x64x32x32 -> 128 1.02-1.07x over
     * shifted-gemm, 1x1 s2 64x64x14x14 -> 128 2.1-2.5x over gemm (with a batch of 64, batch-lanes keeps them: see
     * {@link #first}). On 2 threads (wall clock,
     * interleaved): 1x128x28x28 -> 256 s2 1.56-1.6x and 2x256x14x14 -> 512 s2 1.2-1.5x (images split into parts). Slower,
     * so left to the flat walk: 3 input channels at rows of 112 (the ResNet stem 3 -> 64 7x7 s2 0.93-1.02x, 3 -> 32 3x3 s2
     * 0.91x), stride 1 (64x3x32x32 -> 16, 32, 64: 0.74-0.88x; the transposes cost too much against 27 multiply-adds per
     * output) and 16 output channels (one broadcast per multiply-add: 8x16x64x64 -> 16 s2 0.87x).
     */
    static boolean suits(Kernels k, ConvPlan p) { return suits(k, p, SubProblem.of(p)); }

    /** {@link #suits(Kernels, ConvPlan)} with the plan's sub-problems already computed ({@code SubProblem.of(p)}). */
    static boolean suits(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) {
        if (!Planner.enabled(NAME) || p.batchGroups() > 1 || p.spatialRank() < 1) return false;
        long q = Canonical.product(p.outSize());
        if (q == 0 || subs.isEmpty()) return false;
        if (force) return true;
        boolean strided = inputDilated(p);
        for (int v : p.strides()) strided |= v > 1;
        int og = p.outChannels() / p.featureGroups(), lanes = k.lanes(), tile = rows(k, p, subs);
        for (SubProblem sp : subs) if (sp.gridSize() < tile) return false;
        if (og < 2 * lanes || og % lanes != 0) return false;
        if (!strided) return smallPointwise(p, q, lanes, tile) && !wideBatchedGemm(k, p, subs) || manyTaps(p, og, lanes);
        int[] out = p.outSize();
        return out[out.length - 1] <= MAX_ROW || p.kernelChannels() >= MIN_LONG_ROW_CHANNELS;
    }

    /** Input channels per group from which unstrided convs with more than one tap are planned here ({@link #manyTaps}). */
    static final int MIN_UNSTRIDED_CHANNELS = 32;

    /**
     * An unstrided 2-D conv with more than one tap (those that {@link Planner} gives none of Winograd, the depthwise, dense
     * and batch engines: kernels of 5x5 and up, dilated or grouped kernels; 1-D and 3-D convs were not measured and stay
     * with shifted-gemm), at least four vectors of output channels
     * per group (the 7-position tile) and {@link #MIN_UNSTRIDED_CHANNELS}+ input channels: the multiply-adds per output
     * (channels times taps) then outweigh the block transposes, and the register tile reads its weights in order where
     * the flat walk of {@link ShiftedConv} reads every tap's shifted rows. Measured 2026-11-24 single-threaded (CPU time,
     * the two engines alternating in one JVM) against shifted-gemm: 5x5 16x128x14x14 -> 128 23.8 against 34.0 ms,
     * 16x64x16x16 -> 64 8.0 / 11.3, 8x64x56x56 -> 64 48.2 / 57.9; 7x7 8x64x28x28 -> 64 23.4 / 27.4; 3x3 with dilation 2
     * 8x64x28x28 -> 64 4.56 / 5.15, dilation 4 8x128x28x28 -> 128 17.5 / 23.7; grouped 3x3 8x256x28x28 -> 256 in 4 groups
     * 18.8 / 20.1, 8x128x56x56 -> 128 in 2 groups 37.5 / 44.7 (grouped 3x3 convs with 16+ channels per group are Winograd's
     * since, {@link Winograd#suits}). Left to shifted-gemm: fewer channels
     * (5x5 8x16x64x64 -> 64 16.7 / 15.8, 32x8x32x32 -> 32 4.51 / 4.20, 8x3x64x64 -> 64 6.4 / 3.7) and 32 output channels
     * (tiles of 12 positions; 5x5 8x32x64x64 -> 32 18.2 / 15.6), and rows longer than {@link #MAX_UNSTRIDED_ROW}.
     */
    static boolean manyTaps(ConvPlan p, int og, int lanes) {
        int[] out = p.outSize();
        return p.spatialRank() == 2 && Canonical.product(p.kernelSize()) > 1 && og >= 4 * lanes && p.kernelChannels() >= MIN_UNSTRIDED_CHANNELS
                && out[out.length - 1] <= MAX_UNSTRIDED_ROW;
    }

    /**
     * The longest output rows of {@link #manyTaps}: the flat walk is level or ahead on longer rows (5x5 8x64x64x64 -> 64
     * 61.9 against 60.4 ms, 2x64x112x112 -> 64 47.9 / 46.5, 3x3 with dilation 2 at rows of 224 153 / 144, 1-D rows of
     * 4096 level).
     */
    static final int MAX_UNSTRIDED_ROW = 56;

    /** The largest planes of unstrided 1x1 convs planned here (10x10; from 11x11 {@link GemmConv} is level or faster). */
    static final int MAX_POINTWISE_PLANE = 100;

    /**
     * An unstrided 1x1 conv on a small plane ({@code q} positions, {@code tile} positions per register tile) that
     * {@link GemmConv} serves badly: at most {@link #MAX_POINTWISE_PLANE} positions, not a whole number of vectors (its
     * columns run across images, and each plane's columns are a masked copy), and at most an eighth of the tiles' positions
     * past the plane's end. Measured 2026-11-24 single-threaded (CPU time, the two engines alternating in one JVM) against
     * gemm: 32x512x7x7 -> 512 8.25 against 8.87 ms, 8x2048x7x7 -> 512 8.10 / 9.77, 8x512x7x7 -> 2048 8.71 / 10.1,
     * 64x64x7x7 -> 64 0.35 / 0.45, 64x16x7x7 -> 64 0.16 / 0.23, 32x128x10x10 -> 128 1.21 / 1.38, 64x256x5x5 -> 256
     * 2.34 / 2.45; on 2 threads 1x512x7x7 -> 512 0.23 / 0.46 ms and 8x2048x7x7 -> 512 4.25 / 5.69. Left to gemm: planes of
     * whole vectors (64x32x8x8 -> 128 0.60 / 0.44 ms), more waste (64x256x6x6 -> 256 3.67 / 3.56, 128x256x3x3 -> 256
     * 2.32 / 1.98) and larger planes (64x128x11x11 -> 64 level, 64x64x14x14 -> 256 6.56 / 5.75, 8x256x28x28 -> 256
     * 9.24 / 8.36).
     */
    static boolean smallPointwise(ConvPlan p, long q, int lanes, int tile) {
        if (!pointwise(p) || q > MAX_POINTWISE_PLANE || q % lanes == 0) return false;
        long covered = (q + tile - 1) / tile * tile;
        return 8 * (covered - q) <= q;
    }

    /** Output channels per group from which {@link #wideBatchedGemm} leaves small-plane 1x1 convs to {@link GemmConv}. */
    static final int GEMM_MIN_OUT = 512;

    /** Columns (images x plane positions) from which {@link #wideBatchedGemm} leaves them to it. */
    static final long GEMM_MIN_COLUMNS = 1024;

    /**
     * A 1x1 conv on a small plane that {@link GemmConv} runs as one product over the batch's columns
     * ({@link GemmConv#acrossBatch}), with {@link #GEMM_MIN_OUT}+ output channels per group and {@link #GEMM_MIN_COLUMNS}+
     * columns: there the packed GEMM's column blocks beat the register tiles here, which read every weight again for each
     * tile of positions. One JVM, two threads, both orders (geometric mean, 2026-11-26), gemm's time against channel-lanes':
     * forward 32x512x7x7 -> 512 0.91x, 24x512x7x7 0.95x, 48x512x7x7 0.89x, 64x512x7x7 0.92x, 64x512x5x5 0.88x, 32x768x7x7
     * -> 768 0.88x, 32x256x7x7 -> 1024 0.94x; input gradients (the same shapes the other way) 32x512x7x7 1.03x, 48x512x7x7
     * 1.00x, 64x512x7x7 0.95x, 32x768x7x7 0.97x. Left here: 16x512x7x7 -> 512 (784 columns, gemm 1.13x), 8x2048x7x7 -> 512
     * (392), one image, fewer output channels (32x1024x7x7 -> 256 level, 64x128x7x7 -> 128 and 32x128x10x10 -> 128 about
     * 1.4x, one order).
     */
    static boolean wideBatchedGemm(Kernels k, ConvPlan p, java.util.List<SubProblem> subs) {
        int og = p.outChannels() / p.featureGroups();
        return pointwise(p) && og >= GEMM_MIN_OUT && (long) p.outBatch() * Canonical.product(p.outSize()) >= GEMM_MIN_COLUMNS
                && subs.size() == 1 && GemmConv.suits(p, subs) && GemmConv.acrossBatch(k, p, subs.get(0));
    }

    /** True with input dilation: the input gradient of a strided conv, run as output phases. */
    static boolean inputDilated(ConvPlan p) {
        for (int v : p.inputDilation()) if (v > 1) return true;
        return false;
    }

    /** The longest output rows planned here for any channel count (two 16-float vectors): 32 even, 28 and below faster. */
    static final int MAX_ROW = 32;

    /** Input channels per group from which longer rows are planned here too (measured: 32+ faster at rows of 56, 3 slower at 112). */
    static final int MIN_LONG_ROW_CHANNELS = 16;

    /** True when no tap of any sub-problem reads the padding (every read inside the input): the input is read in place. */
    static boolean readsInPlace(ConvPlan p) { return readsInPlace(p, SubProblem.of(p)); }

    /** {@link #readsInPlace(ConvPlan)} over the plan's sub-problems {@code subs}. */
    static boolean readsInPlace(ConvPlan p, java.util.List<SubProblem> subs) {
        for (SubProblem sp : subs) if (!readsInPlace(sp, p.spatial())) return false;
        return true;
    }

    static boolean readsInPlace(SubProblem sp, int[] in) {
        for (int i = 0; i < sp.n; i++) if (lowOffset(sp, i) < 0 || planeEnd(sp, i) > in[i]) return false;
        return true;
    }

    /** True for a 1x1 kernel (planned before {@link GemmConv}, which gathers the strided positions). */
    static boolean pointwise(ConvPlan p) { return Canonical.product(p.kernelSize()) == 1; }

    /**
     * True when {@link Planner} asks this engine before the GEMM and batch engines: 1x1 kernels (strided, the input
     * gradients of strided ones, or small planes), and the input gradients of 2-D stride-2 convs with 64+ output channels
     * per group (4 vectors: the 7-position tile), whose phases interleave by twos ({@link Job#spread}) and share one padded
     * plane. Measured 2026-11-24 against batch-lanes, which the batch of 32+ chose before (same JVM, alternating, median
     * of 5): 32x128x28x28 -> 128 3x3 s2 21.8-22.1 against 22.7-23.2 ms on one thread; 64x64x14x14 -> 128 3x3 s2 5.65-5.76
     * against 6.32-6.49 ms on one thread, 2.98-3.02 against 3.46-3.49 ms on two. Left to the batch engines: 32 output
     * channels (tiles of 12 positions; 64x32x28x28 -> 64 3x3 s2: 6.93-6.94 against 6.25-6.44 ms on one thread).
     */
    static boolean first(Kernels k, ConvPlan p) { return pointwise(p) || pairedPhases(p, p.outChannels() / p.featureGroups(), k.lanes()); }

    /** A 2-D input gradient of a stride-2 conv (input dilation 2, unit stride) with {@code og >= 4*lanes} output channels per group. */
    static boolean pairedPhases(ConvPlan p, int og, int lanes) {
        if (p.spatialRank() != 2 || og < 4 * lanes) return false;
        for (int i = 0; i < 2; i++) if (p.inputDilation()[i] != 2 || p.strides()[i] != 1) return false;
        return true;
    }

    /** Vectors of output channels per tile for {@code og} channels: the fewest padded vectors, then the widest tile (at most 4). */
    static int vectors(int og, int lanes) {
        int vecs = (og + lanes - 1) / lanes, best = 1, bestCost = Integer.MAX_VALUE;
        for (int nv = Math.min(4, vecs); nv >= 1; nv--) {
            int cost = (vecs + nv - 1) / nv * nv;
            if (cost < bestCost) { bestCost = cost; best = nv; }
        }
        return best;
    }

    /**
     * Floats of packed weights per reduction chunk: 64 KB, in the L2 cache (tests make it tiny: one channel per chunk). Measured
     * single-threaded (CPU time, 2026-11-24, load 4-5) with blocks of 64 KB: 64x32x28x28 -> 64 s2 and 8x128x28x28 -> 256 s2
     * 5.65 and 9.43 ms against 6.07 and 10.1 ms with the earlier 16 KB chunks and 32 KB blocks; no chunks at all is no faster.
     */
    static volatile int chunkFloats = 16384;

    /**
     * Floats of packed weights per chunk of whole tap rows with {@link #channelsLast} (256 KB, in the L2 cache; at least one
     * row). 3x3 over 128 channels: 2 of 3 rows (0.89x the time of chunks of one row); over 256 channels one row (all three
     * rows measured 1.03x). Tests make it tiny.
     */
    static volatile int lastChunkFloats = 65536;

    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        java.util.List<SubProblem> subs = SubProblem.of(p);
        Layout l = Layout.of(kern, p, subs);
        if (subs.size() == 1) {
            // one sub-problem: its weights straight from the kernel (by block transposes when it has every tap in order)
            GemmKernels gk = GemmKernels.of(kern);
            runPhases(kern, p, l, subs, x, out, (packed, base, tapK) -> Threads.parallelFor(l.groups() * l.blocks(), packThreads(base[1]),
                    gb -> packTaps(gk, l, w, gb, tapK[0], packed, l.last())));
            return;
        }
        // output phases (input dilation) take some taps each: pack every tap once, and copy each phase's rows from it
        float[] all = packAllTaps(kern, l, w);
        runPhases(kern, p, l, subs, x, out, (packed, base, tapK) -> {
            for (int s = 0; s < tapK.length; s++) {
                int from = s;
                Threads.parallelFor(l.groups() * l.blocks(), packThreads(base[tapK.length]),
                        gb -> copyTaps(kern, l, all, gb, tapK[from], packed, base[from] + gb * l.cg() * tapK[from].length * l.kb(), l.last()));
            }
        });
    }

    /**
     * The channel blocking of a plan: {@code lanes} per vector, {@code groups}, {@code og} output and {@code cg} input
     * channels per group, {@code kb} output channels per block ({@code nv} whole vectors) and {@code blocks} blocks per
     * group, {@code kTaps} taps in the kernel; {@code last}: {@link #channelsLast}, {@code rows}: positions per register
     * tile ({@link #rows(Kernels, ConvPlan)}).
     */
    record Layout(int lanes, int groups, int og, int cg, int kb, int blocks, int kTaps, boolean last, int rows) {
        static Layout of(Kernels kern, ConvPlan p, java.util.List<SubProblem> subs) {
            int lanes = tiles(kern).lanes(), groups = p.featureGroups(), og = p.outChannels() / groups, kb = vectors(og, lanes) * lanes;
            boolean last = channelsLast(p, subs);
            return new Layout(lanes, groups, og, p.kernelChannels(), kb, (og + kb - 1) / kb, (int) Canonical.product(p.kernelSize()), last,
                    ChannelLanesConv.rows(kern, p, last));
        }

        /** Floats of packed weights with {@code taps} taps per input channel ({@code [group][block][c][tap][kb]}). */
        int packedFloats(int taps) { return groups * blocks * cg * taps * kb; }
    }

    /** Threads for packing {@code floats} weights: all of them when the weights are big. */
    private static int packThreads(long floats) { return floats >= GemmConv.PARALLEL_PACK ? Threads.threads() : 1; }

    /** Packs every phase's weights into {@code packed}, phase {@code s} at {@code base[s]}, given each phase's kernel taps. */
    @FunctionalInterface
    private interface PhasePacker {
        void pack(float[] packed, int[] base, int[][] tapK);
    }

    /**
     * Output phases (input dilation: the input gradient of a strided conv) together: an item (image, group, part) runs every
     * phase in turn over one padded plane that covers every phase's reads, copied once per item (each phase copied its own
     * before: four copies per image for stride 2; 8x128x28x28 -> 256 3x3 s2's input gradient on one thread 10.1-10.2 ->
     * 9.7 ms). The phases also write the output lines they share while those are cached; that alone measured little if
     * anything (64x32x28x28 -> 64: 9.2-9.4 against 9.5-10.1 ms, two JVMs each).
     */
    private static void runPhases(Kernels kern, ConvPlan p, Layout l, java.util.List<SubProblem> subs, float[] x, float[] out, PhasePacker packer) {
        int np = subs.size(), groups = l.groups(), cg = l.cg(), blocks = l.blocks(), m = l.rows();
        int[][] tapK = new int[np][];
        int[] base = new int[np + 1], rowBase = new int[np + 1], posBase = new int[np + 1], kBase = new int[np + 1];
        for (int s = 0; s < np; s++) {
            SubProblem sp = subs.get(s);
            tapK[s] = kernelTaps(sp, p.kernelSize());
            base[s + 1] = base[s] + l.packedFloats(tapK[s].length);
            rowBase[s + 1] = rowBase[s] + (int) sp.gridSize() + m - 1;
            posBase[s + 1] = posBase[s] + (int) sp.gridSize();
            kBase[s + 1] = kBase[s] + cg * tapK[s].length;
        }
        float[] packed = Scratch.floats(Scratch.PACK, base[np]);
        packer.pack(packed, base, tapK);
        int[] rowOff = Scratch.ints(Scratch.TILE, rowBase[np]), posOff = Scratch.ints(Scratch.OUT, posBase[np]), koff = Scratch.ints(Scratch.AUX, kBase[np]);
        // the padded plane that covers every phase's reads: each item copies an image into it once for all phases
        int n = p.spatialRank();
        int[][] plane = new int[2][n];
        for (int i = 0; i < n; i++) {
            int lo = Integer.MAX_VALUE, end = Integer.MIN_VALUE;
            for (SubProblem sp : subs) { lo = Math.min(lo, lowOffset(sp, i)); end = Math.max(end, planeEnd(sp, i)); }
            plane[0][i] = lo;
            plane[1][i] = end - lo;
        }
        Job[] jobs = new Job[np];
        long work = 0;
        int minGrid = Integer.MAX_VALUE;
        for (int s = 0; s < np; s++) {
            jobs[s] = new Job(kern, p, l, subs.get(s), packed, base[s], new Offsets(rowOff, rowBase[s], posOff, posBase[s], koff, kBase[s], plane));
            work += (long) jobs[s].batch * jobs[s].o * jobs[s].gTot * jobs[s].kc;
            minGrid = Math.min(minGrid, jobs[s].grid[0]);
        }
        boolean inPlace = jobs[0].inPlace;
        // few (image, group) items: each image split along its first grid axis, so that every thread has work; or, read in
        // place (nothing copied per item) with several blocks of output channels, by those blocks instead, so that each item
        // reads only its blocks' weights (one image 512 -> 512 1x1 at 7x7: seven row parts read all 1 MB of weights each)
        int batch = p.outBatch(), items = batch * groups, want = 4 * Threads.threads();
        boolean byChannels = items < want && inPlace && blocks >= 2;
        int channelParts = byChannels ? Math.min(blocks, (want + items - 1) / items) : 1;
        int parts = items >= want || byChannels ? 1 : Math.min(minGrid, (want + items - 1) / items);
        Threads.parallelFor(items * parts * channelParts, ShiftedConv.threadsFor(work), it -> {
            int cp = it % channelParts, rest = it / channelParts, part = rest % parts, ig = rest / parts;
            float[] xp = inPlace ? x : jobs[0].fillShared(ig / groups, ig % groups, part, parts, jobs, x);
            for (Job j : jobs) j.work(ig / groups, ig % groups, part, parts, cp, channelParts, x, xp, out);
        });
    }

    /**
     * Where a phase's offsets live in arrays shared by every phase ({@link #runPhases}), and the padded plane they all read:
     * {@code plane[0]} its first input index per axis, {@code plane[1]} its size.
     */
    record Offsets(int[] rowOff, int rowBase, int[] posOff, int posBase, int[] koff, int kBase, int[][] plane) {}

    /** The smallest input index any tap of {@code sp} reads along axis {@code i}. */
    static int lowOffset(SubProblem sp, int i) {
        int low = Integer.MAX_VALUE;
        for (int a : sp.offset[i]) low = Math.min(low, a);
        return low;
    }

    /** One past the largest input index any tap of {@code sp} reads along axis {@code i}. */
    static int planeEnd(SubProblem sp, int i) {
        int high = Integer.MIN_VALUE;
        for (int a : sp.offset[i]) high = Math.max(high, a);
        return (sp.grid[i] - 1) * sp.stride[i] + high + 1;
    }

    /** Block {@code gb = g*blocks + b}'s rows of one phase (its taps {@code tapK}) from {@link #packAllTaps}'s every-tap layout. */
    private static void copyTaps(Kernels kern, Layout l, float[] all, int gb, int[] tapK, float[] dst, int base, boolean tapMajor) {
        int cg = l.cg(), kTaps = l.kTaps(), kb = l.kb(), from = gb * cg * kTaps * kb, taps = tapK.length;
        for (int ci = 0; ci < cg; ci++) {
            for (int t = 0; t < taps; t++) kern.copy(all, from + (ci * kTaps + tapK[t]) * kb, dst, base + (tapMajor ? t * cg + ci : ci * taps + t) * kb, kb);
        }
    }

    /**
     * {@link #run} for the conv {@code gp} of an input gradient ({@link Planner#gradInputPlan}) given the FORWARD conv's
     * kernel {@code wf} ({@code [G*og][cg][taps]} of the forward conv, whose output channels are {@code gp}'s reduction
     * channels) instead of {@code gp}'s own kernel (that kernel with its channels swapped and its taps reversed): the
     * weights of every output phase are packed straight from {@code wf} in one pass, instead of the flip, the packing of
     * every tap and a copy per phase (24% of 8x256x14x14 -> 512 s2's input gradient on one thread).
     */
    static void runFromForward(Kernels kern, ConvPlan gp, float[] x, float[] wf, float[] out) {
        java.util.List<SubProblem> subs = SubProblem.of(gp);
        Layout l = Layout.of(kern, gp, subs);
        int cg = l.cg();
        runPhases(kern, gp, l, subs, x, out, (packed, base, tapK) -> Threads.parallelFor(l.groups() * cg, packThreads(base[tapK.length]),
                item -> packFromForward(wf, item / cg, item % cg, l.og(), cg, l.kTaps(), l.kb(), l.blocks(), tapK, base, packed, l.last())));
    }

    /**
     * Reduction channel {@code ci} of group {@code g} of every phase's packed weights ({@code [group][block][c][tap][kb]} at
     * {@code base[phase]}) from the forward kernel: {@code gp}'s weight of output channel {@code oc}, channel {@code ci} and
     * tap {@code t} is {@code wf[((g*cg + ci)*og + oc)*kTaps + kTaps - 1 - t]}, so one channel's weights are the
     * {@code [og][kTaps]} block at {@code (g*cg + ci)*og*kTaps}, read with the stride of the taps.
     */
    private static void packFromForward(float[] wf, int g, int ci, int og, int cg, int kTaps, int kb, int blocks, int[][] tapK, int[] base, float[] dst,
                                        boolean tapMajor) {
        int src = (g * cg + ci) * og * kTaps;
        for (int s = 0; s < tapK.length; s++) {
            int taps = tapK[s].length, kc = cg * taps;
            for (int b = 0; b < blocks; b++) {
                int rows = Math.min(kb, og - b * kb), from = src + b * kb * kTaps;
                for (int t = 0; t < taps; t++) {
                    int d = base[s] + ((g * blocks + b) * kc + (tapMajor ? t * cg + ci : ci * taps + t)) * kb, tk = from + kTaps - 1 - tapK[s][t];
                    for (int j = 0; j < rows; j++) dst[d + j] = wf[tk + j * kTaps];
                    for (int j = rows; j < kb; j++) dst[d + j] = 0f;
                }
            }
        }
    }

    /** Per tap of a sub-problem, in its order: the tap's index in the whole kernel (row-major over {@code ks}). */
    static int[] kernelTaps(SubProblem sp, int[] ks) {
        int n = sp.n, taps = sp.tapCount();
        int[] tapK = new int[taps], kst = ShiftedConv.rowMajorStrides(ks), u = new int[n];
        for (int t = 0; t < taps; t++) {
            int kk = 0;
            for (int i = 0; i < n; i++) kk += sp.taps[i][u[i]] * kst[i];
            tapK[t] = kk;
            for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
        }
        return tapK;
    }

    /** The weights of every tap in the layout of {@link Job#wp} ({@code [group][block][c][tap][kb]}), in {@link Scratch#GRAD}. */
    private static float[] packAllTaps(Kernels kern, Layout l, float[] w) {
        int size = l.packedFloats(l.kTaps()), blocks = l.blocks();
        float[] all = Scratch.floats(Scratch.GRAD, size);
        GemmKernels gk = GemmKernels.of(kern);
        Threads.parallelFor(l.groups() * blocks, packThreads(size),
                gb -> packBlock(gk, l.lanes(), w, gb / blocks, gb % blocks, l.og(), l.cg() * l.kTaps(), l.kb(), blocks, all));
        return all;
    }

    /**
     * Block {@code gb = g*blocks + b} of the weights of a sub-problem with the kernel's taps {@code tapK} (indices into the
     * whole kernel), straight from the kernel {@code w}: by {@link #packBlock} when they are every tap in order, else one by
     * one.
     */
    private static void packTaps(GemmKernels gk, Layout l, float[] w, int gb, int[] tapK, float[] dst, boolean tapMajor) {
        int g = gb / l.blocks(), b = gb % l.blocks(), og = l.og(), cg = l.cg(), kb = l.kb(), kTaps = l.kTaps(), taps = tapK.length, kc = cg * taps;
        if (everyTap(kTaps, tapK)) {
            if (tapMajor) packBlockTapMajor(gk, l.lanes(), w, g, b, og, cg, taps, kb, l.blocks(), dst);
            else packBlock(gk, l.lanes(), w, g, b, og, kc, kb, l.blocks(), dst);
            return;
        }
        int base = gb * kc * kb;
        for (int j = 0; j < kb; j++) {
            int oc = b * kb + j;
            if (oc >= og) {
                for (int k = 0; k < kc; k++) dst[base + k * kb + j] = 0f;
            } else {
                int src = (g * og + oc) * cg * kTaps;
                for (int ci = 0; ci < cg; ci++) {
                    for (int t = 0; t < taps; t++) dst[base + (tapMajor ? t * cg + ci : ci * taps + t) * kb + j] = w[src + ci * kTaps + tapK[t]];
                }
            }
        }
    }

    /** Whether a sub-problem's taps are all the kernel's taps, in order (its weights are the kernel's rows as they are). */
    private static boolean everyTap(int kTaps, int[] tapK) {
        if (tapK.length != kTaps) return false;
        for (int t = 0; t < kTaps; t++) if (tapK[t] != t) return false;
        return true;
    }

    /**
     * Block {@code b} of group {@code g} of weights whose output channel {@code oc} has its {@code kc} reduction steps at
     * {@code w[(g*og + oc)*kc]} (every tap, in order): 16x16 block transposes of that {@code [oc][k]} matrix into
     * {@code [k][kb]}, channels past {@code og} zero.
     */
    static void packBlock(GemmKernels gk, int lanes, float[] w, int g, int b, int og, int kc, int kb, int blocks, float[] dst) {
        int base = (g * blocks + b) * kc * kb, rows = Math.min(kb, og - b * kb), kFull = kc / lanes * lanes;
        if (rows < kb) for (int k = 0; k < kc; k++) java.util.Arrays.fill(dst, base + k * kb + rows, base + (k + 1) * kb, 0f);
        for (int j0 = 0; j0 < rows; j0 += lanes) {
            int r = Math.min(lanes, rows - j0), src = (g * og + b * kb + j0) * kc;
            for (int k0 = 0; k0 < kFull; k0 += lanes) {
                transpose(gk, lanes, w, src + k0, kc, r, dst, base + k0 * kb + j0, kb);
            }
            for (int j = 0; j < r; j++) for (int k = kFull; k < kc; k++) dst[base + k * kb + j0 + j] = w[src + j * kc + k];
        }
    }

    /** {@link #packBlockTapMajor}'s block of 16x16 floats, one per thread (no garbage per call). */
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[16 * 16]);

    /**
     * {@link #packBlock} into the tap-major layout of {@link #channelsLast}: reduction step {@code (c, t)} of the kernel's
     * {@code [oc][c][t]} rows goes to row {@code t*cg + c} of the block's {@code [kc][kb]}. Each 16x16 block transpose goes
     * through a small buffer whose rows are then copied to their places.
     */
    static void packBlockTapMajor(GemmKernels gk, int lanes, float[] w, int g, int b, int og, int cg, int taps, int kb, int blocks, float[] dst) {
        int kc = cg * taps, base = (g * blocks + b) * kc * kb, rows = Math.min(kb, og - b * kb), kFull = kc / lanes * lanes;
        if (rows < kb) for (int k = 0; k < kc; k++) java.util.Arrays.fill(dst, base + k * kb + rows, base + (k + 1) * kb, 0f);
        float[] tmp = TRANSPOSED.get();
        if (tmp.length < lanes * lanes) tmp = new float[lanes * lanes];
        for (int j0 = 0; j0 < rows; j0 += lanes) {
            int r = Math.min(lanes, rows - j0), src = (g * og + b * kb + j0) * kc;
            for (int k0 = 0; k0 < kFull; k0 += lanes) {
                transpose(gk, lanes, w, src + k0, kc, r, tmp, 0, lanes);
                for (int i = 0; i < lanes; i++) {
                    int k = k0 + i;
                    System.arraycopy(tmp, i * lanes, dst, base + (k % taps * cg + k / taps) * kb + j0, r);
                }
            }
            for (int j = 0; j < r; j++) for (int k = kFull; k < kc; k++) dst[base + (k % taps * cg + k / taps) * kb + j0 + j] = w[src + j * kc + k];
        }
    }

    /**
     * A {@code lanes x lanes} block transpose of {@code rows} source rows ({@link GemmKernels#transpose} with one group): by
     * {@code gk} when its vectors have this engine's lane count, else by the scalar block transpose.
     */
    private static void transpose(GemmKernels gk, int lanes, float[] src, int s, int sStride, int rows, float[] dst, int d, int dStride) {
        if (gk.lanes() == lanes) gk.transpose(src, s, sStride, rows, dst, d, dStride, lanes, 0);
        else ScalarGemmKernels.transposeBlock(lanes, src, s, sStride, rows, dst, d, dStride, lanes, 0);
    }

    /** Floats of the {@code [position][channel]} block that a run of tiles fills before it is transposed out: 64 KB (see {@link #chunkFloats}). */
    static volatile int blockFloats = 16384;

    /**
     * One sub-problem ({@link SubProblem}: the whole conv without input dilation, else one output phase) ready to run. Its grid
     * point {@code j} reads input index {@code j*stride + offset} per axis, so the padded plane starts at the smallest offset
     * of any phase and spans to one past the largest index any phase reads ({@link #runPhases}); its outputs are
     * contiguous without input dilation (block transposes) and interleaved with the other phases' otherwise (stride 2:
     * {@link #spread}; else one by one).
     */
    static final class Job {
        final Tiles tiles;
        final Kernels kern;
        final GemmKernels gk;
        final int n, groups, og, cg, c, o, batch, lanes, nv, kb, m, blocks, taps, kc, qTot, gTot, xPlane, pTot, tileRows, rowLen, block;
        final int[] in, pd, first, grid, stride, rowOff, koff, posOff, xst, pst, lo, hi;
        final float[] wp;
        final int kChunk, wBase, rowBase, posBase, kBase;
        final boolean inPlace, contiguous, pairs;
        /** {@link ChannelLanesConv#linear}: step {@code k} reads input offset {@code koff[kBase] + k*cPlane}. */
        final boolean linear;
        /** {@link ChannelLanesConv#channelsLast}: the padded copy is {@code [row][column][channel]}, the weights tap-major. */
        final boolean last;
        /** With {@link #last}: the taps of a kernel row read consecutive columns (kernel dilation 1 along the last axis). */
        final boolean rowRuns;
        /** With {@link #last}: tap rows per chunk, whose weights take about {@link ChannelLanesConv#lastChunkFloats}. */
        final int lastRows;
        /** Floats between two input channels of the plane the tiles read: the input's or the padded copy's. */
        final int cPlane;
        /**
         * Per grid row {@code y} along the first axis, the tap rows {@code [rowLo[y], rowHi[y])} that read the input (the
         * others read only padding's zeros), null when every grid row reads with all of them: a tile inside such rows runs
         * over those steps of each channel ({@link Tiles#tileRuns}), which skips 8.6% of a 5x5 conv's multiply-adds on 14x14
         * (the padding's columns, as many again, stay) and 4.8% of a stride-2 3x3's onto 7x7. {@code tapRows}: taps along
         * the first axis, {@code perRow}: taps per tap row.
         */
        final int[] rowLo, rowHi;
        final int tapRows, perRow;

        /**
         * {@code l}: the plan's channel blocking, tile and input layout, computed once per call; {@code packed}: this
         * sub-problem's weights, packed at {@code packedBase}; {@code at}: where its offsets go in the arrays it shares with the
         * other phases, and the padded plane they all read ({@link #runPhases}).
         */
        Job(Kernels kern, ConvPlan p, Layout l, SubProblem sp, float[] packed, int packedBase, Offsets at) {
            this.kern = kern;
            tiles = tiles(kern);
            gk = GemmKernels.of(kern);
            n = p.spatialRank();
            groups = l.groups();
            o = p.outChannels();
            og = l.og();
            cg = l.cg();
            c = p.channels();
            batch = p.outBatch();
            lanes = l.lanes();
            kb = l.kb();
            nv = kb / lanes;
            blocks = l.blocks();
            linear = linear(kern, p);
            m = l.rows();
            last = l.last();
            in = p.spatial();
            int[] q = p.outSize();
            grid = sp.grid;
            stride = sp.stride;
            xPlane = ShiftedConv.product(in);
            qTot = ShiftedConv.product(q);
            gTot = (int) sp.gridSize();
            rowLen = gTot / grid[0];
            taps = sp.tapCount();
            kc = cg * taps;
            // the padded plane spans the input indices every phase's taps read (runPhases fills it once per item); read in
            // place when those all lie inside the input
            first = at.plane()[0];
            pd = at.plane()[1];
            boolean inside = true;
            for (int i = 0; i < n; i++) inside &= first[i] >= 0 && first[i] + pd[i] <= in[i];
            inPlace = inside;
            contiguous = sp.coversOutput(q);
            pairs = !contiguous && sp.step[n - 1] == 2 && og % lanes == 0;
            pst = ShiftedConv.rowMajorStrides(pd);
            xst = ShiftedConv.rowMajorStrides(in);
            lo = new int[n];
            hi = new int[n];
            for (int i = 0; i < n; i++) {
                lo[i] = Math.max(0, first[i]);
                hi[i] = Math.min(in[i], first[i] + pd[i]);
            }
            pTot = ShiftedConv.product(pd);
            int[] ost = inPlace ? xst : pst, qst = ShiftedConv.rowMajorStrides(q);
            cPlane = last ? 1 : inPlace ? xPlane : pTot;
            int unit = last ? cg : 1; // floats per position of the plane the tiles read
            tileRows = gTot + m - 1; // a tile starting at any grid point reads m offsets
            rowBase = at.rowBase();
            posBase = at.posBase();
            kBase = at.kBase();
            rowOff = at.rowOff();
            posOff = contiguous ? null : at.posOff();
            int[] u = new int[n];
            for (int j = 0; j < gTot; j++) {
                int off = 0, pos = 0;
                for (int i = 0; i < n; i++) {
                    off += u[i] * stride[i] * ost[i] * unit;
                    pos += (sp.step[i] * u[i] + sp.first[i]) * qst[i];
                }
                rowOff[rowBase + j] = off;
                if (posOff != null) posOff[posBase + j] = pos;
                for (int i = n - 1; i >= 0 && ++u[i] == grid[i]; i--) u[i] = 0;
            }
            for (int j = gTot; j < tileRows; j++) rowOff[rowBase + j] = rowOff[rowBase + gTot - 1];
            // per tap of the sub-problem: its read offset (from the plane's first index) and its index in the whole kernel
            int[] tapOff = new int[taps];
            u = new int[n];
            for (int t = 0; t < taps; t++) {
                int off = 0;
                for (int i = 0; i < n; i++) off += (sp.offset[i][u[i]] - (inPlace ? 0 : first[i])) * ost[i] * unit;
                tapOff[t] = off;
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
            // reduction chunks of whole channels whose weights stay in the L2 cache
            kChunk = Math.max(1, chunkFloats / kb / taps) * taps;
            tapRows = n >= 2 ? sp.taps[0].length : 1;
            perRow = taps / tapRows;
            int[][] reading = tapRows > 1 && !inPlace && skipRows ? readingRows(sp, in[0]) : null;
            rowLo = reading == null ? null : reading[0];
            rowHi = reading == null ? null : reading[1];
            boolean consecutive = true;
            for (int u2 = 1; u2 < sp.taps[n - 1].length; u2++) consecutive &= sp.offset[n - 1][u2] == sp.offset[n - 1][u2 - 1] + 1;
            rowRuns = last && consecutive;
            lastRows = Math.max(1, lastChunkFloats / (perRow * cg * kb));
            koff = at.koff();
            for (int ci = 0; ci < cg; ci++) for (int t = 0; t < taps; t++) koff[kBase + ci * taps + t] = ci * cPlane + tapOff[t];
            block = Math.max(1, blockFloats / kb / m) * m;
            wp = packed;
            wBase = packedBase;
        }

        /**
         * Per grid row {@code y} of {@code sp} along the first axis (of {@code rows} input rows), the range of tap rows
         * {@code [lo[y], hi[y])} that read the input (empty when none do), as {@code {lo, hi}}; null when every grid row reads
         * with all of them. The offsets grow with the tap row, so those rows are one range.
         */
        static int[][] readingRows(SubProblem sp, int rows) {
            int tr = sp.taps[0].length, g = sp.grid[0], st = sp.stride[0];
            int[] lo = new int[g], hi = new int[g];
            boolean skips = false;
            for (int y = 0; y < g; y++) {
                int a = 0, e = 0;
                while (a < tr && y * st + sp.offset[0][a] < 0) a++;
                for (int ur = a; ur < tr && y * st + sp.offset[0][ur] < rows; ur++) e = ur + 1;
                if (e <= a) a = e = 0;
                lo[y] = a;
                hi[y] = e;
                skips |= e - a < tr;
            }
            return skips ? new int[][] {lo, hi} : null;
        }

        /** The first padded row that part {@code part} of {@code parts} reads (with {@link #fillEnd}; no rows when not below it). */
        private int fillStart(int part, int parts) { return (int) ((long) grid[0] * part / parts) * stride[0]; }

        /** One past the last padded row that part {@code part} of {@code parts} reads. */
        private int fillEnd(int part, int parts) {
            int y0 = (int) ((long) grid[0] * part / parts), y1 = (int) ((long) grid[0] * (part + 1) / parts);
            return y0 >= y1 ? Integer.MIN_VALUE : (y1 - 1) * stride[0] + pd[0] - (grid[0] - 1) * stride[0];
        }

        /** The padded plane shared by {@code jobs} (this one's geometry): the rows every job's part reads, copied once. */
        float[] fillShared(int img, int g, int part, int parts, Job[] jobs, float[] x) {
            int r0 = Integer.MAX_VALUE, r1 = Integer.MIN_VALUE;
            for (Job j : jobs) {
                int e = j.fillEnd(part, parts);
                if (e != Integer.MIN_VALUE) { r0 = Math.min(r0, j.fillStart(part, parts)); r1 = Math.max(r1, e); }
            }
            float[] xp = Scratch.floats(Scratch.SRC, cg * pTot + 1);
            if (r0 >= r1) return xp;
            int xBase = (img * c + g * cg) * xPlane;
            touchRows(x, xBase, r0, r1);
            fill(x, xBase, xp, r0, r1);
            return xp;
        }

        /**
         * Image {@code img}, group {@code g}: part {@code part} of {@code parts} of the first grid axis, channel part {@code cp} of
         * {@code cps}; {@code filled}: the padded plane copied for this item ({@link #fillShared}), unless the input is read in
         * place.
         */
        void work(int img, int g, int part, int parts, int cp, int cps, float[] x, float[] filled, float[] out) {
            int b0 = (int) ((long) blocks * cp / cps), b1 = (int) ((long) blocks * (cp + 1) / cps);
            int y0 = (int) ((long) grid[0] * part / parts), y1 = (int) ((long) grid[0] * (part + 1) / parts);
            if (y0 >= y1) return;
            float[] xp = inPlace ? x : filled;
            int xBase = inPlace ? (img * c + g * cg) * xPlane : 0;
            float[] acc = Scratch.floats(Scratch.TILE, block * kb);
            int j1 = y1 * rowLen;
            for (int jb = y0 * rowLen; jb < j1; jb += block) {
                int je = Math.min(j1, jb + block);
                for (int b = b0; b < b1; b++) {
                    int wOff = wBase + (g * blocks + b) * kc * kb;
                    if (last) lastTiles(xp, xBase, jb, je, wOff, acc);
                    else for (int k0 = 0; k0 < kc; k0 += kChunk) {
                        int k1 = Math.min(kc, k0 + kChunk);
                        for (int j = jb; j < je; j += m) {
                            // the tap rows [a, e) that any grid row of the tile reads the input with
                            int a = 0, e = tapRows;
                            if (rowLo != null) {
                                int ya = j / rowLen, yb = Math.min(gTot - 1, j + m - 1) / rowLen;
                                a = rowLo[ya];
                                e = rowHi[ya];
                                for (int y = ya + 1; y <= yb; y++) { a = Math.min(a, rowLo[y]); e = Math.max(e, rowHi[y]); }
                            }
                            if (linear) {
                                tiles.tileLinear(nv, m, xp, xBase, rowOff, rowBase + j, koff[kBase + k0], cPlane, k1 - k0, wp, wOff + k0 * kb, acc, (j - jb) * kb, k0 > 0);
                            } else if (e - a == tapRows) {
                                tiles.tile(nv, m, xp, xBase, rowOff, rowBase + j, koff, kBase + k0, kBase + k1, wp, wOff + k0 * kb, acc, (j - jb) * kb, k0 > 0);
                            } else {
                                int skip = a * perRow;
                                tiles.tileRuns(nv, m, xp, xBase, rowOff, rowBase + j, koff, kBase + k0 + skip, (k1 - k0) / taps, (e - a) * perRow, taps,
                                        wp, wOff + (k0 + skip) * kb, acc, (j - jb) * kb, k0 > 0);
                            }
                        }
                    }
                    int dst = (img * o + g * og + b * kb) * qTot, rows = Math.min(kb, og - b * kb);
                    if (contiguous) store(acc, je - jb, rows, out, dst + jb);
                    else scatter(acc, jb, je, rows, out, dst);
                }
            }
        }

        /**
         * The tiles of grid points {@code [jb, je)} over a channels-last copy ({@link ChannelLanesConv#channelsLast}) into
         * {@code acc}, by chunks of {@link #lastRows} tap rows: per tile one run of consecutive floats per tap row when its
         * taps read consecutive columns ({@link #rowRuns}), else one per tap. Weights at {@code wOff} are tap-major.
         */
        private void lastTiles(float[] xp, int xBase, int jb, int je, int wOff, float[] acc) {
            int ts = rowRuns ? perRow : 1, steps = ts * cg, w0 = wOff - kBase * cg * kb;
            for (int r0 = 0; r0 < tapRows; r0 += lastRows) {
                int r1 = Math.min(tapRows, r0 + lastRows);
                for (int j = jb; j < je; j += m) {
                    int a = r0, e = r1;
                    if (rowLo != null) {
                        int ya = j / rowLen, yb = Math.min(gTot - 1, j + m - 1) / rowLen, lo = rowLo[ya], hi = rowHi[ya];
                        for (int y = ya + 1; y <= yb; y++) { lo = Math.min(lo, rowLo[y]); hi = Math.max(hi, rowHi[y]); }
                        a = Math.max(a, lo);
                        e = Math.max(a, Math.min(e, hi));
                    }
                    tiles.tileLast(nv, m, xp, xBase, rowOff, rowBase + j, koff, kBase + a * perRow, kBase + e * perRow, ts, steps, wp, w0, cg * kb,
                            acc, (j - jb) * kb, r0 > 0);
                }
            }
        }

        /** The block {@code acc[position][channel]} of {@code cnt} positions and {@code rows} channels to {@code out[channel][position]}. */
        private void store(float[] acc, int cnt, int rows, float[] out, int dst) {
            int full = rows / lanes * lanes;
            for (int j = 0; j < cnt; j += lanes) {
                int r = Math.min(lanes, cnt - j);
                for (int ch = 0; ch < full; ch += lanes) {
                    transpose(gk, lanes, acc, j * kb + ch, kb, r, out, dst + ch * qTot + j, qTot);
                }
            }
            for (int ch = full; ch < rows; ch++) for (int j = 0; j < cnt; j++) out[dst + ch * qTot + j] = acc[j * kb + ch];
        }

        /**
         * As {@link #store} for the grid points {@code [jb, je)} of an output phase, each to its own output position: in runs of
         * 16 positions (their sums, 16 rows of {@code acc}, stay in the L1 cache), channel by channel, so that each channel's
         * positions are written together (one float per channel row at a time aliases in the cache when a plane is 4 KB).
         */
        private void scatter(float[] acc, int jb, int je, int rows, float[] out, int dst) {
            if (pairs) {
                spread(acc, jb, je, rows, out, dst);
                return;
            }
            for (int j0 = jb; j0 < je; j0 += 16) {
                int j1 = Math.min(je, j0 + 16);
                for (int ch = 0; ch < rows; ch++) {
                    int d = dst + ch * qTot;
                    for (int j = j0; j < j1; j++) out[d + posOff[posBase + j]] = acc[(j - jb) * kb + ch];
                }
            }
        }

        /**
         * {@link #scatter} for phases whose positions are every other output along the last axis (the input gradient of a
         * stride-2 conv): per run of up to {@code lanes} grid points in one row and {@code lanes} channels, a block transpose
         * into {@code t[channel][position]}, then vector stores of the even lanes ({@link Tiles#spreadPairs}). The scalar
         * stores took a third of 64x32x28x28 -> 64 s2's input gradient on one thread.
         */
        private void spread(float[] acc, int jb, int je, int rows, float[] out, int dst) {
            float[] t = Scratch.floats(Scratch.OUT, lanes * lanes);
            int rowLast = grid[n - 1];
            for (int j0 = jb; j0 < je; ) {
                int j1 = Math.min(Math.min(je, (j0 / rowLast + 1) * rowLast), j0 + lanes), cnt = j1 - j0, p = dst + posOff[posBase + j0];
                for (int ch = 0; ch < rows; ch += lanes) {
                    transpose(gk, lanes, acc, (j0 - jb) * kb + ch, kb, cnt, t, 0, lanes);
                    tiles.spreadPairs(t, cnt, out, p + ch * qTot, qTot);
                }
                j0 = j1;
            }
        }

        /** {@link Touch#lines} over the input rows that {@link #fill} copies for the padded rows {@code [r0, r1)}, in every channel. */
        private void touchRows(float[] x, int src, int r0, int r1) {
            int rowFloats = n == 1 ? 1 : xst[0];
            int a = Math.max(0, r0 + first[0]), e = Math.min(in[0], r1 + first[0]);
            if (a >= e) return;
            if (a == 0 && e == in[0]) {
                Touch.lines(x, src, src + cg * xPlane);
                return;
            }
            for (int ci = 0; ci < cg; ci++) Touch.lines(x, src + ci * xPlane + a * rowFloats, src + ci * xPlane + e * rowFloats);
        }

        /**
         * The {@code cg} channels at {@code x[src..]} into zero-padded planes of {@code pTot} floats: only the padded rows
         * {@code [r0, r1)} of the first axis (the rest of the planes is left as it was and never read for this item's outputs).
         * Each padded row (a tuple of the outer axes) is either copied from the input with its padding columns zeroed, or
         * zeroed whole: every float written once. 2-D planes copy each channel's rows that read the input in one
         * {@link Kernels#copyRows} call: one call per row before, 1.5-3% of the stride-2 3x3 convs' time on one thread
         * (64x32x28x28 -> 64 forward 5.47 against 5.63 ms, its input gradient 8.01 against 8.28, 8x256x14x14 -> 512 10.03
         * against 10.22; the two ways alternating in one JVM, CPU time, 2026-11-24).
         */
        /**
         * {@link #fill} into the channels-last plane of {@link ChannelLanesConv#channelsLast} (2-D): padded row {@code r},
         * column {@code col}, channel {@code ci} at {@code xp[(r*rowLen + col)*cg + ci]}, by block transposes of 16 channels'
         * runs of 16 columns; the padding's positions zeroed. Every float of rows {@code [r0, r1)} is written once.
         */
        private void fillLast(float[] x, int src, float[] xp, int r0, int r1) {
            int rowLen = pd[1], cLo = Math.min(rowLen, lo[1] - first[1]), cHi = Math.max(cLo, hi[1] - first[1]), rowFloats = rowLen * cg;
            for (int r = r0; r < r1; r++) {
                int a = r + first[0], d = r * rowFloats;
                if (a < 0 || a >= in[0] || cLo >= cHi) {
                    java.util.Arrays.fill(xp, d, d + rowFloats, 0f);
                    continue;
                }
                java.util.Arrays.fill(xp, d, d + cLo * cg, 0f);
                java.util.Arrays.fill(xp, d + cHi * cg, d + rowFloats, 0f);
                int from = src + a * xst[0] + first[1];
                for (int c0 = 0; c0 < cg; c0 += lanes) {
                    int rows = Math.min(lanes, cg - c0);
                    int col = cLo;
                    for (; col + lanes <= cHi; col += lanes) transpose(gk, lanes, x, from + c0 * xPlane + col, xPlane, rows, xp, d + col * cg + c0, cg);
                    for (; col < cHi; col++) for (int i = 0; i < rows; i++) xp[d + col * cg + c0 + i] = x[from + (c0 + i) * xPlane + col];
                }
            }
        }

        private void fill(float[] x, int src, float[] xp, int r0, int r1) {
            if (this.last) {
                fillLast(x, src, xp, r0, r1);
                return;
            }
            int last = n - 1, rowLen = pd[last];
            int cLo = Math.min(rowLen, lo[last] - first[last]), cHi = Math.max(cLo, hi[last] - first[last]), len = cHi - cLo;
            if (n == 1) {
                // one row: the padded range [r0, r1)
                for (int ci = 0; ci < cg; ci++) {
                    int base = ci * pTot;
                    int a = Math.max(r0, cLo), e = Math.min(r1, cHi);
                    if (a >= e) {
                        java.util.Arrays.fill(xp, base + r0, base + r1, 0f);
                        continue;
                    }
                    java.util.Arrays.fill(xp, base + r0, base + a, 0f);
                    System.arraycopy(x, src + ci * xPlane + a + first[0], xp, base + a, e - a);
                    java.util.Arrays.fill(xp, base + e, base + r1, 0f);
                }
                return;
            }
            if (r0 >= r1) return;
            if (n == 2) {
                // per channel: the padded rows that read the input as one block of rows (its padding columns zeroed), the
                // others zeroed whole
                int ra = Math.min(r1, Math.max(r0, lo[0] - first[0])), rb = Math.max(ra, Math.min(r1, hi[0] - first[0]));
                if (len == 0) ra = rb = r1;
                int from = (ra + first[0]) * xst[0] + cLo + first[1];
                for (int ci = 0; ci < cg; ci++) padRows(kern, x, src + ci * xPlane + from, xst[0], xp, ci * pTot, rowLen, r0, ra, rb, r1, cLo, cHi);
                return;
            }
            int[] u = new int[last];
            u[0] = r0;
            while (true) {
                int ps = 0, xs = cLo + first[last];
                boolean inside = len > 0;
                for (int i = 0; i < last; i++) {
                    ps += u[i] * pst[i];
                    int a = u[i] + first[i];
                    inside &= a >= 0 && a < in[i];
                    xs += a * xst[i];
                }
                for (int ci = 0; ci < cg; ci++) {
                    int base = ci * pTot + ps;
                    if (!inside) {
                        java.util.Arrays.fill(xp, base, base + rowLen, 0f);
                        continue;
                    }
                    for (int t = 0; t < cLo; t++) xp[base + t] = 0f;
                    kern.copy(x, src + ci * xPlane + xs, xp, base + cLo, len);
                    for (int t = cHi; t < rowLen; t++) xp[base + t] = 0f;
                }
                int i = last - 1;
                for (; i >= 0 && ++u[i] == (i == 0 ? r1 : pd[i]); i--) u[i] = i == 0 ? r0 : 0;
                if (i < 0) return;
            }
        }
    }

    /**
     * One channel's padded rows {@code [r0, r1)} of {@code rowLen} floats at {@code dst[base ..]}: rows {@code [ra, rb)} copied
     * from the input into columns {@code [cLo, cHi)} by one {@link Kernels#copyRows} call (row {@code ra}'s column {@code cLo}
     * at {@code x[from]}, rows {@code xStride} apart), their other columns zeroed; the rows outside {@code [ra, rb)} zeroed
     * whole. Every float of those rows is written once. Also {@code bcast-o}'s band copy ({@link GradKernelWide}).
     */
    static void padRows(Kernels kern, float[] x, int from, int xStride, float[] dst, int base, int rowLen, int r0, int ra, int rb, int r1,
                        int cLo, int cHi) {
        java.util.Arrays.fill(dst, base + r0 * rowLen, base + ra * rowLen, 0f);
        if (ra < rb) {
            kern.copyRows(x, from, xStride, dst, base + ra * rowLen + cLo, rowLen, rb - ra, cHi - cLo);
            if (cLo > 0 || cHi < rowLen) {
                for (int r = ra; r < rb; r++) {
                    int b = base + r * rowLen;
                    for (int t = 0; t < cLo; t++) dst[b + t] = 0f;
                    for (int t = cHi; t < rowLen; t++) dst[b + t] = 0f;
                }
            }
        }
        java.util.Arrays.fill(dst, base + rb * rowLen, base + r1 * rowLen, 0f);
    }

    /** The tiles in plain Java (lanes as in the scalar kernels). */
    static final class Scalar implements Tiles {
        private final int lanes;

        Scalar(int lanes) { this.lanes = lanes; }

        @Override
        public int lanes() { return lanes; }

        @Override
        public void spreadPairs(float[] t, int cnt, float[] out, int d, int stride) {
            for (int ch = 0; ch < lanes; ch++) for (int i = 0; i < cnt; i++) out[d + ch * stride + 2 * i] = t[ch * lanes + i];
        }

        @Override
        public void tileRuns(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] koff, int k0, int runs, int runLen, int runStride, float[] w, int wOff, float[] c, int cOff, boolean add) {
            if (!add) java.util.Arrays.fill(c, cOff, cOff + m * nv * lanes, 0f);
            for (int r = 0; r < runs; r++) {
                int ka = k0 + r * runStride;
                tile(nv, m, x, xBase, rowOff, ro, koff, ka, ka + runLen, w, wOff + r * runStride * nv * lanes, c, cOff, true);
            }
        }

        @Override
        public void tileLinear(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int o0, int xs, int steps, float[] w, int wOff, float[] c, int cOff, boolean add) {
            int kb = nv * lanes;
            if (!add) java.util.Arrays.fill(c, cOff, cOff + m * kb, 0f);
            for (int k = 0; k < steps; k++) {
                int wi = wOff + k * kb, o = o0 + k * xs;
                for (int i = 0; i < m; i++) {
                    float a = x[xBase + rowOff[ro + i] + o];
                    int ci = cOff + i * kb;
                    for (int j = 0; j < kb; j++) c[ci + j] += a * w[wi + j];
                }
            }
        }

        @Override
        public void tileLast(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] tapOff, int t0, int t1, int ts, int steps, float[] w, int wOff, int wt, float[] c, int cOff, boolean add) {
            int kb = nv * lanes;
            if (!add) java.util.Arrays.fill(c, cOff, cOff + m * kb, 0f);
            for (int t = t0; t < t1; t += ts) {
                for (int k = 0; k < steps; k++) {
                    int wi = wOff + t * wt + k * kb, o = tapOff[t] + k;
                    for (int i = 0; i < m; i++) {
                        float a = x[xBase + rowOff[ro + i] + o];
                        int ci = cOff + i * kb;
                        for (int j = 0; j < kb; j++) c[ci + j] += a * w[wi + j];
                    }
                }
            }
        }

        @Override
        public void tileLast2(int nv, int m, float[] x, int xBase, int[] rowOff, int ro, int[] tapOff, int t0, int t1, int steps, float[] w, int wOff, int wt, float[] c, int cOff, boolean add) {
            int kb = nv * lanes;
            if (!add) java.util.Arrays.fill(c, cOff, cOff + m * kb, 0f);
            for (int t = t0; t < t1; t++) {
                for (int k = 0; k < steps; k++) {
                    int wi = wOff + t * wt + k * kb, o = tapOff[t] + 2 * k;
                    for (int i = 0; i < m; i++) {
                        float a = x[xBase + rowOff[ro + i] + o];
                        int ci = cOff + i * kb;
                        for (int j = 0; j < kb; j++) c[ci + j] += a * w[wi + j];
                    }
                }
            }
        }

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
