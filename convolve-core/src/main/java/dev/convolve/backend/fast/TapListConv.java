package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A conv on small planes over a big batch as a product per output position over that position's own list of taps: the
 * images are the rows of the register tile, the output channels its vector lanes, and every (input channel, tap) that lands
 * on the input is one step, an input element broadcast from where it lies (no copy, no gather) times a row of the packed
 * weights. Taps that land in the padding (or between the elements of a dilated input) are not in the list, so the product
 * does the conv's real multiply-adds only: on a 4x4 plane with stride 2 and padding 1, 25 of the 36 taps of the 2x2 output
 * (the conv-matrix product of {@link DenseConv} does 64). Positions whose taps land alike (the interior, each border) share
 * one list, offset by where their window starts. Each block of images goes through a buffer {@code [image][position][channel]}
 * and is transposed out by blocks of 16 positions. Tiles of 16 images with one vector of output channels first copy their
 * images' inputs side by side ({@link #interleave}), so that a step's 16 broadcasts read one run of floats ({@link #sideBySide});
 * tiles of two or three vectors do so when their images take enough steps per float copied ({@link #interleaves}).
 */
final class TapListConv {
    private TapListConv() {}

    static final String NAME = "tap-list";

    /** For tests and measurements: take this path for every plan it supports. */
    static volatile boolean force;

    /** Kernel extents up to this many taps per axis (one bit each). */
    private static final int MAX_TAPS_PER_AXIS = 63;

    /**
     * Any conv without groups whose kernel has at most 63 taps per axis, whose tile buffer ({@code 24 x positions x opad}),
     * packed weights and per-position lists stay within 4M elements each.
     */
    static boolean supports(Kernels k, ConvPlan p) {
        if (!Planner.enabled(NAME) || p.featureGroups() != 1 || p.batchGroups() != 1) return false;
        for (int e : p.kernelSize()) if (e > MAX_TAPS_PER_AXIS) return false;
        long q = Canonical.product(p.outSize()), opad = padded(p.outChannels(), k.lanes());
        long taps = Canonical.product(p.kernelSize());
        return q * opad * 24 <= 1 << 22 && p.channels() * taps * opad <= 1 << 22 && p.channels() * taps * q <= 1 << 22;
    }

    /** The images of one tile's inputs, floats, at most: they stay in the L2 cache while the tile runs over the positions. */
    static final long MAX_TILE_INPUT = 160 << 10;

    /**
     * Where the planner takes this path: a kernel of more than one tap, the output channels filling at least 60% of the lanes,
     * at least four tiles of images, a tile's images within {@link #MAX_TILE_INPUT}, at least 32 (channel, tap) steps per
     * position, and with a single vector of output channels (a broadcast per multiply-add) planes of at most 32 positions.
     * 256x8x7x7 -> 16 3x3 s2 (MNIST) 114 against 146 µs in batch-lanes on one thread, 256x16x4x4 -> 16 s2 69 against 86 in
     * dense-matrix, 64x64x14x14 -> 128 s2 4551 against 4848 in channel-lanes and its input gradient 4666 against 5813. It lost
     * on 3-channel 32x32 planes (27 steps a position: 2958 against 984 µs in shifted-gemm), on 8 images (a tile of 6 rows
     * half wasted), on 32x128x28x28 s2 (a tile's images 2.4 MB) and on LeNet's 14x14 -> 10x10 with 16 outputs (1718 against
     * 1397 in batch-lanes; with the side-by-side tiles since, {@link #sideBySideFirst} takes it).
     */
    static boolean suits(Kernels k, ConvPlan p) {
        if (!supports(k, p)) return false;
        if (force) return true;
        long taps = Canonical.product(p.kernelSize()), q = Canonical.product(p.outSize());
        int o = p.outChannels(), opad = padded(o, k.lanes()), nv = vectors(opad / k.lanes());
        return tilesFit(k, p) && 5 * o >= 3 * opad && p.channels() * taps >= 32 && (nv > 1 || q <= 32);
    }

    /**
     * What {@link #suits} and {@link #beforePlaneLanesOnGradInput} both ask: a kernel of more than one tap, at least four
     * tiles of images, and a tile's images within {@link #MAX_TILE_INPUT}.
     */
    private static boolean tilesFit(Kernels k, ConvPlan p) {
        long plane = Canonical.product(p.spatial());
        int mr = rows(k, vectors(padded(p.outChannels(), k.lanes()) / k.lanes()), p.outBatch());
        return Canonical.product(p.kernelSize()) > 1 && p.outBatch() >= 4 * mr && mr * p.channels() * plane <= MAX_TILE_INPUT;
    }

    /**
     * Whether an input-gradient conv {@code g} ({@link Planner#gradInputPlan}) that {@link PlaneLanes#beforeBatchLanesOnGradInput}
     * takes from batch-lanes (small batches on two or more threads) runs here instead: as {@link #suits} would have it, but with
     * the output channels filling half the lanes (8 of 16), any plane size, and at least 32 real (channel, tap) steps per output
     * position (an input gradient of a stride-2 layer reads a quarter of its taps). Measured 2026-11-26 on 2 threads (the two
     * engines alternating in one JVM, both orders), the time here against plane-lanes: the input gradients of 64x8x7x7 -> 16
     * s2 0.74x, 128x8x7x7 -> 16 s2 0.82x, 96x8x7x7 -> 16 s2 0.96x, 128x8x10x10 -> 16 s2 0.92-0.97x; left to plane-lanes:
     * 64x4x14x14 -> 8 s2 (4 channels: 1.35x here) and 64x16x14x14 -> 8 s2 (18 steps a position: 1.27x here).
     */
    static boolean beforePlaneLanesOnGradInput(Kernels k, ConvPlan g) {
        if (!supports(k, g)) return false;
        int o = g.outChannels(), opad = padded(o, k.lanes());
        return tilesFit(k, g) && 2 * o >= opad && Geometry.cached(g, opad).real() >= 32 * Canonical.product(g.outSize());
    }

    /**
     * Images per tile for {@code nv} vectors: the broadcast tile's rows, or 16 when that tile exists (one vector) and splits
     * {@code n} images over the threads with fewer rows on the busiest thread (256 images: 16 tiles of 16 against 11 of 24).
     * Smaller tiles ran slower: 8x1 133 against 113 µs on MNIST's 7x7 layer, 8x2 3683 against 3559 on 64x32x28x28 s2's
     * input gradient.
     */
    static int rows(Kernels k, int nv, int n) {
        GemmKernels gk = GemmKernels.of(k);
        int t = Threads.threads(), best = k.bcastRows(nv);
        long bestCost = Long.MAX_VALUE;
        for (int mr : new int[] {k.bcastRows(nv), 16}) {
            if (mr > k.bcastRows(nv) || !gk.hasBcastIdx(mr, nv)) continue;
            long cost = (long) (((n + mr - 1) / mr + t - 1) / t) * mr;
            if (cost < bestCost) { bestCost = cost; best = mr; }
        }
        return best;
    }

    /** {@code o} output channels rounded up to whole vectors. */
    static int padded(int o, int lanes) { return (o + lanes - 1) / lanes * lanes; }

    /** Vectors per tile row for {@code vecs} vectors of output channels: the fewest loads per multiply-add that divides them. */
    static int vectors(int vecs) {
        return vecs % 4 == 0 ? 4 : vecs % 3 == 0 ? 3 : vecs % 2 == 0 ? 2 : 1;
    }

    /**
     * Vectors per tile row when running {@code p} ({@code real} steps per image over {@code cp} input floats per image):
     * {@link #vectors}, except that four-vector tiles become 12x2 tiles over their images side by side, in passes of two
     * vectors, when those interleave ({@link #interleaves}) within {@link #MAX_TILE_INPUT}. Measured 2026-11-26 on 2
     * threads (one JVM, both orders, medians of 9 pairs): the input gradient of 64x64x14x14 -> 128 s2 (a conv onto 64
     * channels, 9 steps per float) 0.90-0.94x the time of the 6x4 tiles, which level when they read side by side
     * themselves; forwards of 64 channels at about 2 steps per float were level or slower (64x32x28x28 -> 64 s2 1.02x).
     */
    static int runVectors(Kernels k, int vecs, int n, long real, long cp) {
        int nv = vectors(vecs);
        if (nv != 4) return nv;
        int mr = rows(k, 2, n);
        return interleaves(GemmKernels.of(k), mr, 2, real, cp) && mr * cp <= MAX_TILE_INPUT ? 2 : nv;
    }

    static String describe(Kernels k, ConvPlan p) {
        Geometry g = Geometry.of(p);
        int nv = runVectors(k, padded(p.outChannels(), k.lanes()) / k.lanes(), p.outBatch(), g.real, p.channels() * Canonical.product(p.spatial()));
        return g.patterns + " tap lists over " + g.q + " output positions, " + Math.round(100.0 * g.real / ((double) g.q * g.taps * p.channels()))
                + "% of the taps real, tile " + rows(k, nv, p.outBatch()) + " images x " + nv * k.lanes() + " channels";
    }

    /**
     * Where each output position reads: its window's first real input element ({@code base}) and its list of (input offset from
     * there, weight row) pairs ({@code idx} from {@code start}, {@code steps} pairs), and which of the {@code patterns} lists that
     * is ({@code list}: positions whose taps land alike share one). Weight rows are {@code (c*taps + t)*opad}.
     * {@link #idxTimes} gives {@code idx} with its input offsets scaled, for tiles whose images lie side by side.
     */
    record Geometry(int q, int taps, int patterns, long real, int[] base, int[] start, int[] steps, int[] list, int[] idx,
            java.util.concurrent.atomic.AtomicReferenceArray<int[]> scaledIdx) {
        /** {@code idx} with its input offsets times {@code s}, for tiles of {@code s} images stored side by side (built once per scale). */
        int[] idxTimes(int s) {
            int[] r = scaledIdx.get(s);
            if (r == null) {
                r = idx.clone();
                for (int i = 0; i < r.length; i += 2) r[i] *= s;
                scaledIdx.set(s, r);
            }
            return r;
        }

        static Geometry of(ConvPlan p) { return of(p, padded(p.outChannels(), 1)); }

        /** Geometries by their plan's numbers (building one took 4% of 128x32x4x4 -> 32 s2), lists of up to 1M ints; cleared past 256. */
        private static final java.util.concurrent.ConcurrentHashMap<String, Geometry> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

        static Geometry cached(ConvPlan p, int opad) {
            String key = key(p, opad);
            Geometry g = CACHE.get(key);
            if (g == null) {
                if (CACHE.size() > 256) CACHE.clear();
                g = of(p, opad);
                if (g.idx.length <= 1 << 20) CACHE.put(key, g);
            }
            return g;
        }

        /** The plan numbers a geometry depends on, as a cache key. */
        static String key(ConvPlan p, int opad) {
            return opad + " " + p.channels() + java.util.Arrays.toString(p.spatial()) + java.util.Arrays.toString(p.kernelSize())
                    + java.util.Arrays.toString(p.strides()) + java.util.Arrays.toString(p.kernelDilation()) + java.util.Arrays.toString(p.inputDilation())
                    + java.util.Arrays.toString(p.padLow()) + java.util.Arrays.toString(p.outSize());
        }

        static Geometry of(ConvPlan p, int opad) {
            int n = p.spatialRank();
            int[] in = p.spatial(), k = p.kernelSize(), qs = p.outSize(), s = p.strides(), kd = p.kernelDilation(), ld = p.inputDilation(), lo = p.padLow();
            int c = p.channels(), taps = (int) Canonical.product(k), q = (int) Canonical.product(qs), plane = (int) Canonical.product(in);
            // per axis and output index: the taps that land (a bit each) and the input index of the first of them
            long[][] mask = new long[n][];
            int[][] first = new int[n][];
            int[] inStride = new int[n];
            for (int a = n - 1, st = 1; a >= 0; st *= in[a], a--) inStride[a] = st;
            for (int a = 0; a < n; a++) {
                mask[a] = new long[qs[a]];
                first[a] = new int[qs[a]];
                for (int qa = 0; qa < qs[a]; qa++) {
                    first[a][qa] = -1;
                    for (int ta = 0; ta < k[a]; ta++) {
                        int u = qa * s[a] + ta * kd[a] - lo[a];
                        if (u < 0 || u % ld[a] != 0 || u / ld[a] >= in[a]) continue;
                        mask[a][qa] |= 1L << ta;
                        if (first[a][qa] < 0) first[a][qa] = u / ld[a];
                    }
                }
            }
            int[] base = new int[q], start = new int[q], steps = new int[q], list = new int[q];
            // per pattern (the landing taps of every axis): its index, and where its pairs start in idx
            Map<List<Long>, Integer> seen = new HashMap<>();
            int[] patStart = new int[q];
            int[] idx = new int[64];
            int used = 0;
            long real = 0;
            int[] qi = new int[n];
            Long[] key = new Long[n];
            for (int qq = 0; qq < q; qq++) {
                for (int a = n - 1, r = qq; a >= 0; a--) { qi[a] = r % qs[a]; r /= qs[a]; }
                int b = 0;
                boolean empty = false;
                for (int a = 0; a < n; a++) {
                    key[a] = mask[a][qi[a]];
                    if (key[a] == 0) empty = true;
                    else b += first[a][qi[a]] * inStride[a];
                }
                base[qq] = empty ? 0 : b;
                int cnt = empty ? 0 : listLength(key) * c;
                List<Long> pattern = List.of(key);
                Integer l = seen.get(pattern);
                if (l == null) {
                    l = seen.size();
                    seen.put(pattern, l);
                    patStart[l] = used;
                    if (idx.length < used + 2 * cnt) idx = java.util.Arrays.copyOf(idx, Math.max(2 * idx.length, used + 2 * cnt));
                    if (!empty) fill(key, k, kd, ld, inStride, c, plane, taps, opad, idx, used);
                    used += 2 * cnt;
                }
                list[qq] = l;
                start[qq] = patStart[l];
                steps[qq] = cnt;
                real += cnt;
            }
            idx = java.util.Arrays.copyOf(idx, used);
            return new Geometry(q, taps, seen.size(), real, base, start, steps, list, idx, new java.util.concurrent.atomic.AtomicReferenceArray<>(SEQ_ROWS + 1));
        }

        private static int listLength(Long[] key) {
            int len = 1;
            for (Long m : key) len *= Long.bitCount(m);
            return len;
        }

        /** The pairs of one pattern: input channels outermost, then the landing taps in order. */
        private static void fill(Long[] key, int[] k, int[] kd, int[] ld, int[] inStride, int c, int plane, int taps, int opad, int[] idx, int at) {
            int n = k.length;
            int[] ti = new int[n];
            int per = listLength(key);
            int[] rel = new int[per], row = new int[per];
            int e = 0;
            for (int t = 0; t < taps; t++) {
                for (int a = n - 1, r = t; a >= 0; a--) { ti[a] = r % k[a]; r /= k[a]; }
                boolean lands = true;
                int off = 0;
                for (int a = 0; a < n && lands; a++) {
                    long m = key[a];
                    if ((m >>> ti[a] & 1) == 0) lands = false;
                    else off += (ti[a] - Long.numberOfTrailingZeros(m)) * kd[a] / ld[a] * inStride[a];
                }
                if (lands) { rel[e] = off; row[e] = t; e++; }
            }
            for (int ci = 0; ci < c; ci++) {
                for (int j = 0; j < per; j++) {
                    idx[at++] = ci * plane + rel[j];
                    idx[at++] = (ci * taps + row[j]) * opad;
                }
            }
        }
    }

    /**
     * The weights {@code w [o][ct]} as {@code wp [ct][opad]}, zero past {@code o}: 16x16 block transposes where a block of the
     * lanes' columns lies within the rows (one float at a time, strided, it took 8% of 128x32x4x4 -> 32 s2), the rest one by
     * one.
     */
    static void packWeights(GemmKernels gk, float[] w, int o, int ct, int opad, float[] wp) {
        transposeMatrix(gk, w, 0, ct, o, ct, wp, 0, opad);
        if (o < opad) {
            for (int r = 0; r < ct; r++) java.util.Arrays.fill(wp, r * opad + o, (r + 1) * opad, 0f);
        }
    }

    /** The most positions per image, and the least (input channel, tap) steps per position, of {@link #sideBySideFirst}. */
    static final int SIDE_BY_SIDE_MAX_POSITIONS = 196, SIDE_BY_SIDE_MIN_STEPS = 144;

    /** The most floats of one tile's interleaved inputs in {@link #sideBySideFirst} (1 MB: they stay in the L2 cache). */
    static final long SIDE_BY_SIDE_MAX_INPUT = 1 << 18;

    /**
     * Where {@link Planner} asks this engine before Winograd and the batch engines: 2-D convs onto 10-16 output channels (one
     * vector) whose tiles of 16 images read their inputs side by side ({@link #sideBySide}), with at least
     * {@link #SIDE_BY_SIDE_MIN_STEPS} (input channel, tap) steps per position, output planes of at most
     * {@link #SIDE_BY_SIDE_MAX_POSITIONS} positions (14x14), four tiles of images or more and a tile's interleaved inputs
     * within {@link #SIDE_BY_SIDE_MAX_INPUT} floats. Measured 2026-11-25 on 2 threads (alternating in one JVM, median of 9-11
     * pairs), forward, against the engine chosen before: winograd-4x4 on 256x16x14x14 -> 16 0.64x the time, 64x16x14x14
     * -> 16 0.63x, 64x64x14x14 -> 16 0.77x, 64x32x8x8 -> 16 0.70x; batch-lanes on LeNet's 256x6x14x14 -> 16 5x5 0.79x (and
     * with padding 2, 0.79x); and the input gradient of 256x16x14x14 -> 32 s2 (its conv onto 16 channels of 14x14 with input
     * dilation 2) 0.54x against batch-lanes (median of 15). Left as they were: 28x28 planes (64x16 -> 16 3x3 0.91x but 64x32 -> 16 1.05x; 64x16 -> 16 5x5
     * 0.99x), 56x56 (1.05x) and fewer steps (128x8x14x14 -> 16 3x3, 72 steps: 1.03x against plane-lanes).
     */
    static boolean sideBySideFirst(Kernels k, ConvPlan p) {
        if (p.spatialRank() != 2 || !supports(k, p)) return false;
        int lanes = k.lanes(), o = p.outChannels(), opad = padded(o, lanes), n = p.outBatch();
        if (opad != lanes || 5 * o < 3 * opad) return false;
        int mr = rows(k, 1, n);
        long taps = Canonical.product(p.kernelSize()), q = Canonical.product(p.outSize()), cp = p.channels() * Canonical.product(p.spatial());
        return sideBySide(GemmKernels.of(k), mr, 1) && taps > 1 && n >= 4 * mr && p.channels() * taps >= SIDE_BY_SIDE_MIN_STEPS
                && q <= SIDE_BY_SIDE_MAX_POSITIONS && cp * SEQ_ROWS <= SIDE_BY_SIDE_MAX_INPUT;
    }

    /** Images per tile when they are stored side by side ({@link #sideBySide}), and the most of {@link #interleaves}. */
    static final int SEQ_ROWS = 16;

    /**
     * Whether a tile of {@code mr} images and {@code nv} vectors reads its images' inputs side by side
     * ({@link GemmKernels#bcastSeq}): tiles of 16 images on 16-lane vectors. Each step's 16 broadcasts then read one run of
     * floats under one bounds check, where {@link GemmKernels#bcastIdx} keeps 16 row offsets live (spilled) and checks each
     * read. Measured 2026-11-25 on 2 threads, the two ways alternating in one JVM (median of 15 pairs), forward: 256x8x7x7
     * -> 16 s2 (MNIST) 0.92x the time, 128x8x10x10 -> 16 s2 0.92x, 64x8x7x7 -> 16 s2 0.94x, 256x16x4x4 -> 16 s2 0.95x and
     * its input gradient 0.93x; the tile alone ran 140 against 90 GFLOP/s on one thread, and the block transposes that
     * interleave the images take most of the rest.
     */
    static boolean sideBySide(GemmKernels gk, int mr, int nv) {
        return mr == SEQ_ROWS && gk.lanes() == SEQ_ROWS && gk.hasBcastSeq(mr, nv);
    }

    /** For tests: interleave every tile that {@link #interleaves} allows, whatever its steps per float. */
    static volatile boolean forceInterleave;

    /** The least (input channel, tap) steps per image, per float of its input, for which {@link #interleaves} copies. */
    static final int INTERLEAVE_MIN_STEPS_PER_FLOAT = 3;

    /**
     * Whether tiles of {@code mr} images and {@code nv} = 2 or 3 vectors copy their images' inputs side by side
     * ({@link #interleave} at a stride of {@code mr}) and run {@link GemmKernels#bcastSeq} over them, by chunks of channels
     * like the tiles that read where the inputs lie: when the images take at least {@link #INTERLEAVE_MIN_STEPS_PER_FLOAT}
     * steps ({@code real}, per image) per float copied ({@code cp}), so that the copy is paid back. The 12x2 and 8x3 tiles alone
     * ran 194-206 against 141-149 GFLOP/s on one thread with all their data in the L1 cache (the 6x4 tile 191-205 against
     * 171-187). Measured 2026-11-26 on 2 threads, the two ways alternating in one JVM, both orders (medians of 9-11 pairs):
     * the input gradient of 64x32x28x28 -> 64 s2 (its conv onto 32 channels of 28x28, 9 steps per float) 0.85x the time,
     * of 64x48x14x14 -> 48 s2 (8x3, 9 per float) 0.89x, of 128x32x4x4 -> 32 s2 (6 per float) 0.95x; forward convs with about
     * 2 steps per float level (256x16x14x14 -> 32 s2 0.97x, 64x48x14x14 -> 48 s2 1.01x) or worse (128x32x4x4 -> 32 s2, 1.6
     * per float, 1.10x). With 6x4 tiles the copy did not pay: 64x32x28x28 -> 64 s2 and 64x64x14x14 -> 128 s2 forward 1.06x
     * the time, the latter's input gradient 0.98x.
     */
    static boolean interleaves(GemmKernels gk, int mr, int nv, long real, long cp) {
        return gk.lanes() == SEQ_ROWS && (nv == 2 || nv == 3) && mr <= SEQ_ROWS && gk.hasBcastSeq(mr, nv)
                && cp * mr < Integer.MAX_VALUE - 16 && (forceInterleave || real >= INTERLEAVE_MIN_STEPS_PER_FLOAT * cp);
    }

    /**
     * {@code rows} images of {@code cp} floats from {@code x[src ..]} side by side into {@code xs[f*s + i]} (image {@code i},
     * float {@code f}, {@code rows <= s <= lanes}): block transposes, the last partial block one float at a time. Rows past
     * {@code rows} are left as they were (their sums are never stored).
     */
    static void interleave(GemmKernels gk, float[] x, int src, int cp, int rows, int s, float[] xs) {
        transposeMatrix(gk, x, src, cp, rows, cp, xs, 0, s);
    }

    /**
     * {@code dst[d + j*ldd + i] = src[s + i*ld + j]} for {@code i < rows}, {@code j < cols}: by block transposes of up to a
     * vector of rows by a vector of columns, the columns past the last whole vector one float at a time (a block transpose
     * reads whole vectors of a row). The packed weights, the images side by side, and {@link TapListGradKernel}'s sums to
     * {@code [o][c][taps]}.
     */
    static void transposeMatrix(GemmKernels gk, float[] src, int s, int ld, int rows, int cols, float[] dst, int d, int ldd) {
        int lanes = gk.lanes(), whole = cols / lanes * lanes;
        for (int i0 = 0; i0 < rows; i0 += lanes) {
            int rb = Math.min(lanes, rows - i0);
            for (int j0 = 0; j0 < whole; j0 += lanes) gk.transpose(src, s + i0 * ld + j0, ld, rb, dst, d + j0 * ldd + i0, ldd, lanes, 0);
            for (int i = i0; i < i0 + rb; i++) for (int j = whole; j < cols; j++) dst[d + j * ldd + i] = src[s + i * ld + j];
        }
    }

    /**
     * Floats of packed weights one position reads per chunk of input channels (24 KB, half the L1 cache; tests make it tiny).
     * Tiles (all but the 16-image tiles side by side, {@link #sideBySide}, which run whole lists) go chunk by chunk over
     * every position, adding to the tile's buffer after the first chunk, so that a chunk's weights stay in the L1 cache from
     * one position to the next instead of coming from the L2 cache at every position. Measured 2026-11-26 on the 2-core Xeon (one JVM, the
     * two builds alternating, both orders), one thread into a kept output: 64x64x14x14 -> 128 s2 (576 steps a position,
     * chunks of 5 channels) 0.96x the time of whole lists, 64x32x28x28 -> 64 s2 (chunks of 11) 0.96x; on the first, 9216
     * floats 1.06x the time of 6144, 4608 1.11x and 2304 1.28x (the tile's sums are loaded and stored once per chunk); on the
     * second, 12288 (two chunks) 1.02x. The 6x4 tile alone in a probe: 123 GFLOP/s on 72-step chunks against 107 on whole
     * 288-step lists, 134 with all its data in the L1 cache. Input gradients (fewer taps land per position) level.
     */
    static volatile int chunkFloats = 6144;

    /**
     * Input channels per chunk, for {@code per} taps per channel that land (on average over the positions): all of them when
     * the weights a position reads fit {@link #chunkFloats}, else as many as fit (at least one).
     */
    static int chunkChannels(int c, double per, int opad) {
        return (int) Math.max(1, Math.min(c, chunkFloats / (per * opad)));
    }

    /**
     * Up to this many floats of packed weights ({@code channels x taps x padded output channels}), each thread packs the
     * weights for itself at its first tile ({@link OwnCopy}) instead of reading the ones the caller packed (1M floats; tests
     * set it to 0 or to the maximum). One-JVM A/B on two threads, 2026-11-26, against one packed copy: 128x32x4x4 -> 32 s2
     * forward 0.77-0.83x the time, input gradient 0.90x; `mnist-l4` forward 0.86-0.87x, input gradient 0.95x; 64x8x7x7 -> 16
     * s2 forward 0.93x; `res-down-14` forward 0.96x, input gradient 0.97x; `res-down-28` 0.96x and 0.93x; `mnist-l3`, LeNet's
     * second conv and 256x16x14x14 -> 32 s2 level.
     */
    static volatile int ownWeightsFloats = 1 << 20;

    /** True when each of {@code threads} threads packs the weights ({@code floats} of them packed) for itself. */
    static boolean ownWeights(int threads, long floats) {
        return threads > 1 && floats <= ownWeightsFloats;
    }

    /** The threads {@link #run} and {@link TapListGradKernel} use: by the real multiply-adds, {@code geometry * images * channels}. */
    static int threads(Geometry g, int n, int opad) {
        return ShiftedConv.threadsFor(g.real * n * opad);
    }

    /** {@link #threads(Geometry, int, int)} of {@code p} (for tests). */
    static int threads(Kernels k, ConvPlan p) {
        int opad = padded(p.outChannels(), k.lanes());
        return threads(Geometry.cached(p, opad), p.outBatch(), opad);
    }

    /** The forward conv into {@code out}. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        GemmKernels gk = GemmKernels.of(kern);
        int lanes = kern.lanes(), o = p.outChannels(), c = p.channels(), n = p.outBatch();
        int opad = padded(o, lanes);
        Geometry g = Geometry.cached(p, opad);
        int q = g.q, taps = g.taps, cp = c * (int) Canonical.product(p.spatial()), ct = c * taps;
        int nv = runVectors(kern, opad / lanes, n, g.real, cp), nr = nv * lanes, mr = rows(kern, nv, n);
        int threads = threads(g, n, opad);
        // the packed weights: one copy per thread, each packed by its thread at its first tile (see ownWeightsFloats), or one
        // packed here for all
        boolean own = ownWeights(threads, (long) ct * opad);
        float[] shared = own ? null : Scratch.floats(Scratch.PACK, ct * opad + 16);
        if (!own) packWeights(gk, w, o, ct, opad, shared);
        long call = own ? OwnCopy.call() : 0;
        int tiles = (n + mr - 1) / mr;
        int oq = o * q, ld = q * opad, full = o / lanes * lanes;
        boolean seq = sideBySide(gk, mr, nv) && (long) cp * SEQ_ROWS < Integer.MAX_VALUE - 16;
        // tiles of 16 images side by side run whole lists (one chunk of all channels), the others by chunks
        int cc = seq ? Math.max(1, c) : chunkChannels(c, g.real / Math.max(1.0, (double) q * c), opad);
        boolean side = seq || interleaves(gk, mr, nv, g.real, cp);
        // where each image's input starts, for tiles that read the images where they lie
        int[] rowOff = side ? null : Scratch.ints(Scratch.AUX, tiles * mr);
        if (!side) for (int i = 0; i < tiles * mr; i++) rowOff[i] = Math.min(i, n - 1) * cp;
        Threads.parallelFor(tiles, threads, t -> {
            float[] wp = shared;
            if (own) {
                wp = Scratch.floats(Scratch.PACK, ct * opad + 16);
                if (OwnCopy.first(Scratch.PACK, call)) packWeights(gk, w, o, ct, opad, wp);
            }
            float[] buf = Scratch.floats(Scratch.TILE, mr * ld + 16);
            // the tile's images read where they lie, or first copied side by side ([input float][image] at a stride of mr), so
            // that each step's broadcasts read one run of floats
            float[] xs = x;
            int[] ix = g.idx;
            if (side) {
                xs = Scratch.floats(Scratch.SRC, cp * mr + 16);
                interleave(gk, x, t * mr * cp, cp, Math.min(mr, n - t * mr), mr, xs);
                ix = g.idxTimes(mr);
            }
            // by chunks of input channels whose weights stay in the L1 cache, each over every position (at least one pass,
            // which stores the sums: zeros without channels)
            int c0 = 0;
            do {
                int kc = Math.min(cc, c - c0);
                boolean add = c0 > 0;
                for (int qq = 0; qq < q; qq++) {
                    int per = c == 0 ? 0 : g.steps[qq] / c, from = g.start[qq] + 2 * c0 * per, steps = kc * per;
                    for (int j = 0; j < opad; j += nr) {
                        if (side) gk.bcastSeq(mr, nv, xs, g.base[qq] * mr, ix, from, steps, wp, j, buf, qq * opad + j, ld, add);
                        else gk.bcastIdx(mr, nv, x, rowOff, t * mr, g.base[qq], ix, from, steps, wp, j, buf, qq * opad + j, ld, add);
                    }
                }
            } while ((c0 += cc) < c);
            for (int m = 0, rows = Math.min(mr, n - t * mr); m < rows; m++) {
                int src = m * ld, dst = (t * mr + m) * oq;
                if (q == 1) {
                    System.arraycopy(buf, src, out, dst, o);
                    continue;
                }
                // a 2x2 output: groups of four lanes, stored as whole vectors (no masks)
                int group = q == 4 ? 4 : lanes;
                for (int ob = 0; ob < full; ob += lanes) {
                    for (int q0 = 0; q0 < q; q0 += lanes) {
                        int qb = q >= lanes ? Math.min(q0, q - lanes) : 0;
                        gk.transpose(buf, src + qb * opad + ob, opad, Math.min(lanes, q), out, dst + ob * q + qb, q, group, 0);
                    }
                }
                for (int oc = full; oc < o; oc++) {
                    for (int qq = 0; qq < q; qq++) out[dst + oc * q + qq] = buf[src + qq * opad + oc];
                }
            }
        });
    }
}
