package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The kernel gradient on the forward's tap lists ({@link TapListConv}): for each list (the output positions whose taps land
 * alike), {@code dw[(c, t)][o] = sum over the images and the list's positions of x[image][c][window + t] * g[image][o][position]},
 * a product whose tile rows are the list's (channel, tap) entries, each an input element broadcast from where it lies, and
 * whose steps are the (image, position) pairs, the gradient copied once as {@code [image][position][o]} so that a step's
 * output channels are one vector. Taps in the padding are never visited. Each work item is a run of row tiles of one list
 * going over the list's steps by chunks ({@link #stepChunkFloats}). The lists' sums are added per (channel, tap) in a fixed
 * order, and each tile's steps in chunk order (the result does not depend on the thread count).
 */
final class TapListGradKernel {
    private TapListGradKernel() {}

    static final String NAME = "tap-list-dw";

    /** For tests and measurements: take this path for every plan it supports. */
    static volatile boolean force;

    static boolean supports(Kernels k, ConvPlan p) {
        return Planner.enabled(NAME) && TapListConv.supports(k, p) && allOne(p.inputDilation())
                && (long) p.outBatch() * Canonical.product(p.outSize()) * TapListConv.padded(p.outChannels(), k.lanes()) <= 1 << 24;
    }

    /**
     * Where the planner takes it: where it would take the forward ({@link TapListConv#suits}), without input dilation, and
     * with one vector of output channels only when there are two or more lists with taps (the threads split the work by
     * lists' row tiles). Two threads, medians of 3 against what ran before: `mnist-l4` 106 against 140 µs (batch-lanes-dw),
     * 128x32x4x4 -> 32 s2 79 against 114, 256x16x14x14 -> 32 s2 740 against 990, 64x64x14x14 -> 128 s2 2529 against 3390
     * (gemm-dw), 64x32x28x28 -> 64 s2 2800 against 2932 (bcast-o). With the per-plan work cached ({@link Work}), two threads,
     * both engines in one JVM in alternating bursts (medians of 20 paired ratios, 2026-11-25): `mnist-l3` 0.81x the time of
     * batch-lanes-dw, 128x8x10x10 -> 16 s2 0.81x, 64x8x7x7 -> 16 s2 0.80x. Left to batch-lanes-dw: `mnist-l5` (one list of
     * one position, 1.43x the time on two threads).
     */
    static boolean suits(Kernels k, ConvPlan p) {
        if (!supports(k, p)) return false;
        if (force) return true;
        if (!TapListConv.suits(k, p)) return false;
        int opad = TapListConv.padded(p.outChannels(), k.lanes());
        return opad > k.lanes() || listsWithTaps(TapListConv.Geometry.cached(p, opad)) > 1;
    }

    /** The lists that have taps. */
    static int listsWithTaps(TapListConv.Geometry g) {
        int lists = 0;
        for (int v : positionsPerList(g)) if (v > 0) lists++;
        return lists;
    }

    /** Per list, its positions that have taps. */
    private static int[] positionsPerList(TapListConv.Geometry g) {
        int[] count = new int[g.patterns()];
        for (int qq = 0; qq < g.q(); qq++) if (g.steps()[qq] > 0) count[g.list()[qq]]++;
        return count;
    }

    private static boolean allOne(int[] a) {
        for (int v : a) if (v != 1) return false;
        return true;
    }

    /**
     * The work of one plan, which depends on its numbers only (built once and cached like the forward's {@link
     * TapListConv.Geometry}): per list its row tiles and where its partial sums go; the steps of each list,
     * {@code (input offset, gradient offset)} per (image, position) pair; the input offset of every tile row (the last entry
     * repeated in a partial tile); per (channel, tap) row of the kernel gradient, where its lists' partial sums lie, lists in
     * order ({@code sums}: the rows are then added as vectors of output channels, and moved to {@code [o][c][taps]} by block
     * transposes; one float at a time, strided by {@code c * taps}, the sums took a quarter of 128x32x4x4 -> 32 s2's kernel
     * gradient).
     */
    record Work(int lists, int[] tilesBefore, int[] partBase, int[] stepBase, int[] posCount, int[] sidx, int[] rowOff, int[][] sums) {
        private static final java.util.concurrent.ConcurrentHashMap<String, Work> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

        static Work cached(ConvPlan p, TapListConv.Geometry geo, int opad, int mr) {
            String key = TapListConv.Geometry.key(p, opad) + " n" + p.outBatch() + " mr" + mr;
            Work w = CACHE.get(key);
            if (w == null) {
                // at most 64 plans of at most 1 MB of steps each are kept (a bigger batch's steps are built per call)
                if (CACHE.size() >= 64) CACHE.clear();
                w = of(p, geo, opad, mr);
                if (w.sidx.length <= 1 << 18) CACHE.put(key, w);
            }
            return w;
        }

        static Work of(ConvPlan p, TapListConv.Geometry geo, int opad, int mr) {
            int n = p.outBatch(), q = geo.q(), cp = p.channels() * (int) Canonical.product(p.spatial());
            int[] start = geo.start(), steps = geo.steps(), base = geo.base(), idx = geo.idx(), listOf = geo.list();
            int lists = geo.patterns();
            int[] first = new int[lists];
            for (int qq = q - 1; qq >= 0; qq--) first[listOf[qq]] = qq;
            int[] rowsOf = new int[lists], tilesBefore = new int[lists + 1], partBase = new int[lists + 1], stepBase = new int[lists + 1];
            int[] posCount = positionsPerList(geo);
            for (int l = 0; l < lists; l++) {
                rowsOf[l] = steps[first[l]];
                tilesBefore[l + 1] = tilesBefore[l] + (rowsOf[l] + mr - 1) / mr;
                partBase[l + 1] = partBase[l] + ((rowsOf[l] + mr - 1) / mr) * mr * opad;
                stepBase[l + 1] = stepBase[l] + 2 * n * posCount[l];
            }
            int[] sidx = new int[stepBase[lists] + 16];
            int[] fill = new int[lists];
            for (int im = 0; im < n; im++) {
                for (int qq = 0; qq < q; qq++) {
                    int l = listOf[qq];
                    if (steps[qq] == 0) continue;
                    int at = stepBase[l] + fill[l];
                    sidx[at] = im * cp + base[qq];
                    sidx[at + 1] = (im * q + qq) * opad;
                    fill[l] += 2;
                }
            }
            int[] rowOff = new int[tilesBefore[lists] * mr + 16];
            for (int l = 0; l < lists; l++) {
                int s0 = start[first[l]], r0 = tilesBefore[l] * mr, rows = rowsOf[l];
                for (int e = 0; e < (tilesBefore[l + 1] - tilesBefore[l]) * mr; e++) rowOff[r0 + e] = idx[s0 + 2 * Math.min(e, rows - 1)];
            }
            // per (channel, tap) row of the kernel gradient, where its lists' sums lie in the partial sums, lists in order
            int ct = p.channels() * geo.taps();
            int[] count = new int[ct];
            for (int l = 0; l < lists; l++) {
                for (int e = 0; e < rowsOf[l]; e++) count[idx[start[first[l]] + 2 * e + 1] / opad]++;
            }
            int[][] sums = new int[ct][];
            for (int r = 0; r < ct; r++) sums[r] = new int[count[r]];
            java.util.Arrays.fill(count, 0);
            for (int l = 0; l < lists; l++) {
                for (int e = 0; e < rowsOf[l]; e++) {
                    int r = idx[start[first[l]] + 2 * e + 1] / opad;
                    sums[r][count[r]++] = partBase[l] + e * opad;
                }
            }
            return new Work(lists, tilesBefore, partBase, stepBase, posCount, sidx, rowOff, sums);
        }
    }

    /**
     * Floats of the copied gradient a chunk of steps reads (256 KB; tests make it tiny). A run of row tiles goes over its
     * list's steps chunk by chunk, every tile of the run on one chunk before the next (the tiles' sums added after the first
     * chunk), so that the chunk's gradient rows and input rows come from the L2 cache for all but the first tile instead of
     * streaming the whole gradient once per tile (64x32x28x28 -> 64 s2: 3.2 MB, 48 row tiles in its interior list).
     * Measured 2026-11-26 on the 2-core Xeon (one JVM, the two builds alternating, both orders), two threads, against one
     * item per tile over all steps: 64x32x28x28 -> 64 s2 0.71x the time, 64x64x14x14 -> 128 s2 0.91-0.94x, `mnist-l3`
     * 0.91-0.96x, 256x16x14x14 -> 32 s2 0.95-0.97x, 128x32x4x4 -> 32 s2 0.93x; runs of equal tile counts instead of equal
     * work left 64x64x14x14 -> 128 s2 level or slower (its border lists are as many tiles but few steps); chunks of 16K
     * floats 1.17x the time of 64K there, 32K and 128K level.
     */
    static volatile int stepChunkFloats = 64 << 10;

    /**
     * Up to this many floats of copied gradient ({@code images x positions x padded channels}), each thread copies the whole
     * gradient for itself at its first item instead of reading one copy made before the items (64K floats, 256 KB; tests set
     * it to 0 or to the maximum). On the 2-core Xeon a copy written by one core and read by the other made every item of the
     * small kernel gradients about twice as slow as on one thread: `mnist-l4` 52 µs on two threads against 47 on one. With a
     * copy per thread, one-JVM A/B of the two builds on two threads, both orders (2026-11-26): `mnist-l4` 0.77x the time,
     * `mnist-l3` 0.75x, 64x8x7x7 -> 16 s2 0.56x, 128x8x10x10 -> 16 s2 0.81x; in a probe of the kernel alone 128x32x4x4 -> 32
     * s2 level and bigger gradients not clearly better (256x16x14x14 -> 32 s2 0.95x, 64x64x14x14 -> 128 s2 1.04x, 64x32x28x28
     * -> 64 s2 0.96x), their items doing more work per float copied.
     */
    static volatile int ownGradientFloats = 64 << 10;

    /** True when each of {@code threads} threads copies the gradient ({@code floats} of copy) for itself. */
    static boolean ownGradients(int threads, long floats) {
        return threads > 1 && floats <= ownGradientFloats;
    }

    /** This thread's copy of the gradient for call {@code call} ({@link #ownGradientFloats}), made at its first item. */
    private static float[] ownGradient(GemmKernels gk, float[] g, int n, int o, int q, int opad, long call) {
        float[] gt = Scratch.floats(Scratch.GRAD, n * q * opad + 16);
        if (OwnCopy.first(Scratch.GRAD, call)) transposeGradient(gk, g, n, o, q, opad, gt);   // inside the loop: this thread only
        return gt;
    }

    /** Runs of row tiles per thread, of about equal work (each reads its list's gradient once). */
    static final int GROUPS_PER_THREAD = 4;

    /** The kernel gradient into {@code dw} ({@code [o][c][taps]}). */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        GemmKernels gk = GemmKernels.of(kern);
        int lanes = kern.lanes(), o = p.outChannels(), c = p.channels(), n = p.outBatch();
        int opad = TapListConv.padded(o, lanes), nv = TapListConv.vectors(opad / lanes), nr = nv * lanes, mr = kern.bcastRows(nv);
        TapListConv.Geometry geo = TapListConv.Geometry.cached(p, opad);
        int q = geo.q(), taps = geo.taps(), ct = c * taps;
        Work wk = Work.cached(p, geo, opad, mr);
        int[] tilesBefore = wk.tilesBefore(), partBase = wk.partBase();
        int[] stepBase = wk.stepBase(), posCount = wk.posCount(), sidx = wk.sidx(), rowOff = wk.rowOff();
        int lists = wk.lists();
        float[] part = Scratch.floats(Scratch.OUT, partBase[lists] + 16);
        int tiles = tilesBefore[lists], threads = TapListConv.threads(geo, n, opad);
        // the copied gradient: one per thread, each made by its thread at its first item (see ownGradientFloats), or one
        // made here for all
        boolean own = ownGradients(threads, (long) n * q * opad);
        float[] shared = own ? null : Scratch.floats(Scratch.GRAD, n * q * opad + 16);
        if (!own) transposeGradient(gk, g, n, o, q, opad, shared);
        long call = own ? OwnCopy.call() : 0;
        // items: runs of row tiles of one list, about equal work (tiles x steps) each, each run going over its list's steps
        // chunk by chunk
        long work = 0;
        for (int l = 0; l < lists; l++) work += (long) (tilesBefore[l + 1] - tilesBefore[l]) * n * posCount[l];
        long perItem = Math.max(1, (work + GROUPS_PER_THREAD * threads - 1) / (GROUPS_PER_THREAD * threads));
        int[] items = Scratch.ints(Scratch.PART, 3 * (tiles + lists));
        int count = 0;
        for (int l = 0; l < lists; l++) {
            int per = (int) Math.max(1, Math.min(tiles, perItem / Math.max(1, (long) n * posCount[l])));
            for (int t0 = tilesBefore[l]; t0 < tilesBefore[l + 1]; t0 += per) {
                items[3 * count] = l;
                items[3 * count + 1] = t0;
                items[3 * count + 2] = Math.min(tilesBefore[l + 1], t0 + per);
                count++;
            }
        }
        int chunk = Math.max(1, stepChunkFloats / opad);
        Threads.parallelFor(count, threads, it -> {
            float[] gt = own ? ownGradient(gk, g, n, o, q, opad, call) : shared;
            int l = items[3 * it], t0 = items[3 * it + 1], t1 = items[3 * it + 2], total = n * posCount[l];
            // at least one pass, which stores the sums (zeros for an empty batch)
            int s0 = 0;
            do {
                int steps = Math.min(chunk, total - s0);
                boolean add = s0 > 0;
                for (int t = t0; t < t1; t++) {
                    int cOff = partBase[l] + (t - tilesBefore[l]) * mr * opad;
                    for (int j = 0; j < opad; j += nr) {
                        gk.bcastIdx(mr, nv, x, rowOff, t * mr, 0, sidx, stepBase[l] + 2 * s0, steps, gt, j, part, cOff + j, opad, add);
                    }
                }
            } while ((s0 += chunk) < total);
        });
        // the lists' sums added per (channel, tap), lists in order, as rows of output channels, then moved to [o][c][taps]
        int[][] sums = wk.sums();
        float[] acc = Scratch.floats(Scratch.AUX, ct * opad + 16);
        for (int r = 0; r < ct; r++) kern.windowSum(part, 0, sums[r], sums[r].length, acc, r * opad, opad, 0f);
        TapListConv.transposeMatrix(gk, acc, 0, opad, ct, o, dw, 0, ct);
    }

    /**
     * {@code g [n][o][q]} as {@code gt [n][q][opad]} (lanes past {@code o} zero), on the threads (one float at a time it took
     * a third of MNIST's 7x7 layer). With 16+ positions an image, by 16x16 block transposes, the last block of an image
     * overlapping the one before; with fewer, by strided gathers of a vector of channels per position (a block transpose
     * would read a vector of positions to keep a few: `mnist-l4`'s 2x2 outputs took 9 µs, a fifth of its kernel gradient).
     */
    static void transposeGradient(GemmKernels gk, float[] g, int n, int o, int q, int opad, float[] gt) {
        if (n == 0) return;
        int lanes = gk.lanes();
        int chunks = Math.min(n, 4 * Threads.threads()), per = (n + chunks - 1) / chunks;
        Threads.parallelFor((n + per - 1) / per, ShiftedConv.threadsFor((long) n * o * q * 8), ch -> {
            int i0 = ch * per, i1 = Math.min(n, i0 + per);
            if (o < opad) java.util.Arrays.fill(gt, i0 * q * opad, i1 * q * opad, 0f);
            for (int im = i0; im < i1; im++) {
                int src = im * o * q, dst = im * q * opad;
                if (q < lanes) {
                    for (int qq = 0; qq < q; qq++) {
                        int oc = 0;
                        for (; oc + lanes <= o; oc += lanes) gk.gather(g, src + oc * q + qq, q, gt, dst + qq * opad + oc);
                        for (; oc < o; oc++) gt[dst + qq * opad + oc] = g[src + oc * q + qq];
                    }
                    continue;
                }
                for (int o0 = 0; o0 < o; o0 += lanes) {
                    int rows = Math.min(lanes, o - o0);
                    for (int q0 = 0; q0 < q; q0 += lanes) {
                        int qb = Math.min(q0, q - lanes);
                        gk.transpose(g, src + o0 * q + qb, q, rows, gt, dst + qb * opad + o0, opad, lanes, 0);
                    }
                }
            }
        });
    }
}
