package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The general f32 conv: an implicit GEMM over "shifted" views of the input, with the output positions in the
 * vector lanes. For one sub-problem (see {@link SubProblem}) the input is split into stride phases and padded
 * (or read in place when no padding or stride is involved), and laid out so that grid point {@code j} of every
 * phase plane sits at the same flat position {@code p}; tap {@code (c, t)} then reads {@code src[p + off[c,t]]}
 * and a tile of consecutive positions is a contiguous vector load. So
 * {@code out[o][p] = sum_k A[o][k] * src[p + off[k]]} is a GEMM whose B matrix is never materialised.
 * Plane rows are a little longer than output rows ({@code span} more columns); those extra positions are
 * computed and dropped when the tile is stored.
 *
 * <p>Work is split into items (group x images x band of output rows), run on {@link Threads}; each item copies
 * the input it needs into a per-thread buffer sized to stay in L2, then runs every output-channel block over
 * it. Feature groups and batch groups are both "groups" here: they differ only in which input channels and
 * images a group reads.
 */
final class ShiftedConv {
    private ShiftedConv() {}

    /** Items aim to keep their input copy within this many floats (about a third of a 1 MB L2). */
    static int itemBudgetFloats = 96 * 1024;


    /** Runs the conv of {@code p} on canonical arrays; {@code out} must be zeroed (outputs of dropped phases stay 0). */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        for (SubProblem sp : SubProblem.of(p)) new Job(kern, p, sp, x, w, out).run();
    }

    /** Multiply-adds below which one more thread costs more than it saves (a hand-off is some tens of microseconds). */
    static final long WORK_PER_THREAD = 1 << 18;

    /** Threads worth using for {@code work} multiply-adds. */
    static int threadsFor(long work) {
        if (Threads.inJob()) return 1;   // inside another parallel loop (whole groups per thread): runs inline anyway
        return (int) Math.max(1, Math.min(Threads.threads(), work / WORK_PER_THREAD));
    }

    /** The output-channel rows per tile for {@code og} output channels per group: the fewest wasted rows, then the tallest tile. */
    static int chooseRows(int og) {
        if (og <= 8) return og;
        int best = 8, bestCost = Integer.MAX_VALUE;
        for (int mr = 8; mr >= 4; mr--) {
            int cost = (og + mr - 1) / mr * mr;
            if (cost < bestCost) { bestCost = cost; best = mr; }
        }
        return best;
    }

    /** One sub-problem, ready to run: packed kernel, tap offsets, item split. Shared read-only by the workers. */
    static final class Job {
        final Kernels kern;
        final SubProblem sp;
        final float[] x, out, a;
        final int[] off;
        final int n, groups, og, cg, c, o, outBatch, taps, kc, mr, nv, nr, oblocks;
        final boolean featureGroups, direct;
        final int[] pitch, grid, dstAxis, xst;
        final PhasePlanes planes;
        final int planeSize, cntMax, rows, imageChunks, bands, tilesPerBand, superLen, maxOff;
        final boolean packPanels;
        /** Tiles walk along each output row ({@link #rowWalk}): copied planes, contiguous rows of 2+ vectors, every tile width. */
        final boolean rowWalk;
        private int[] panelOffsets;

        /** {@code k * nr} for every step: the offsets of a packed panel. */
        private int[] panelOffsets() {
            int[] p = panelOffsets;
            if (p == null) {
                p = new int[kc];
                for (int k = 0; k < kc; k++) p[k] = k * nr;
                panelOffsets = p;
            }
            return p;
        }
        final int xPlane, qTot, dstImg, dstFirst;

        Job(Kernels kern, ConvPlan p, SubProblem sp, float[] x, float[] w, float[] out) {
            this.kern = kern; this.sp = sp; this.x = x; this.out = out;
            n = sp.n;
            featureGroups = p.featureGroups() > 1;
            groups = Math.max(p.featureGroups(), p.batchGroups());
            o = p.outChannels();
            og = o / groups;
            cg = p.kernelChannels();
            c = p.channels();
            outBatch = p.outBatch();
            taps = sp.tapCount();
            kc = cg * taps;
            mr = chooseRows(og);
            nv = kern.gemmVectors(mr);
            nr = nv * kern.lanes();
            oblocks = (og + mr - 1) / mr;
            grid = sp.grid.clone();

            int[] in = p.spatial(), q = p.outSize(), ks = p.kernelSize();
            xst = rowMajorStrides(in);
            xPlane = product(in);
            int[] qst = rowMajorStrides(q);
            qTot = product(q);
            int[] kst = rowMajorStrides(ks);
            int kPlane = product(ks);
            dstAxis = new int[n];
            int first = 0;
            for (int i = 0; i < n; i++) {
                dstAxis[i] = sp.step[i] * qst[i];
                first += sp.first[i] * qst[i];
            }
            dstFirst = first;
            dstImg = o * qTot;

            // Tap u (row-major over the axes' tap lists): kernel offset, phase combination, row shift.
            int[] kOff = new int[taps], combo = new int[taps];
            int[][] tapShift = new int[taps][n], tapA = new int[taps][n];
            int[] u = new int[n];
            for (int t = 0; t < taps; t++) {
                int ko = 0, cb = 0;
                for (int i = 0; i < n; i++) {
                    ko += sp.taps[i][u[i]] * kst[i];
                    cb = cb * sp.phases[i].length + sp.tapPhase[i][u[i]];
                    tapShift[t][i] = sp.shift[i][u[i]];
                    tapA[t][i] = sp.offset[i][u[i]];
                }
                kOff[t] = ko;
                combo[t] = cb;
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
            direct = sp.readsInputDirectly();

            int threads = Threads.threads();
            int chanStride, comboStride;
            if (direct) {
                pitch = xst;
                planeSize = Integer.MAX_VALUE;
                cntMax = 1;
                imageChunks = outBatch;
                // no copy, so bands need not follow rows: split an image's walk into chunks of whole tiles
                rows = grid[0];
                int walkLen = 1;
                for (int i = 0; i < n; i++) walkLen += (grid[i] - 1) * xst[i];
                int tiles = (walkLen + nr - 1) / nr;
                int want = Math.max(1, (4 * threads + groups * outBatch - 1) / (groups * outBatch));
                int b = Math.max(1, Math.min(want, tiles));
                int per = (tiles + b - 1) / b;
                tilesPerBand = per;
                bands = (tiles + per - 1) / per;
                planes = null;
                chanStride = xPlane;
                comboStride = 0;
            } else {
                int combos = sp.combos();
                int rowFloats = 1;
                for (int i = 1; i < n; i++) rowFloats *= grid[i] + sp.span[i];
                long perImage = (long) cg * combos * (grid[0] + sp.span[0]) * rowFloats;
                int budget = itemBudgetFloats;
                int cnt, r;
                if (perImage <= budget) {
                    r = grid[0];
                    cnt = (int) Math.max(1, Math.min(outBatch, budget / perImage));
                    int chunksWanted = Math.max(1, (4 * threads + groups - 1) / groups);
                    cnt = Math.max(1, Math.min(cnt, (outBatch + chunksWanted - 1) / chunksWanted));
                } else {
                    cnt = 1;
                    long perRow = (long) cg * combos * rowFloats;
                    r = (int) Math.max(1, Math.min(grid[0], budget / perRow - sp.span[0]));
                    int itemsSoFar = groups * outBatch;
                    int b = Math.max(1, (4 * threads + itemsSoFar - 1) / itemsSoFar);
                    r = Math.min(r, (grid[0] + b - 1) / b);
                }
                rows = r;
                bands = (grid[0] + r - 1) / r;
                tilesPerBand = 0;
                cntMax = cnt;
                imageChunks = (outBatch + cnt - 1) / cnt;
                planes = new PhasePlanes(n, sp.stride, sp.lowShift, sp.span, sp.inSize, sp.phases, grid, xst, r, cnt, cg, nr);
                pitch = planes.pitch;
                planeSize = planes.planeSize;
                chanStride = planes.chanStride;
                comboStride = planes.comboStride;
            }

            off = new int[kc];
            int mo = 0;
            for (int ci = 0; ci < cg; ci++) {
                for (int t = 0; t < taps; t++) {
                    int v = ci * chanStride;
                    if (direct) {
                        for (int i = 0; i < n; i++) v += tapA[t][i] * xst[i];
                    } else {
                        v += combo[t] * comboStride;
                        for (int i = 0; i < n; i++) v += tapShift[t][i] * pitch[i];
                    }
                    off[ci * taps + t] = v;
                    mo = Math.max(mo, v);
                }
            }
            maxOff = mo;

            a = Scratch.floats(Scratch.PACK, groups * oblocks * kc * mr);
            packKernel(w, groups, og, cg, kPlane, kOff, mr, a, 0);
            superLen = nr * Math.max(1, 512 / nr);
            packPanels = taps == 1 && oblocks >= 4 && Planner.enabled("panels");
            boolean widths = true;
            for (int v = 1; v <= nv; v++) widths &= kern.hasGemm(mr, v);
            rowWalk = !direct && !packPanels && dstAxis[n - 1] == 1 && grid[n - 1] >= ROW_WALK_MIN_VECTORS * kern.lanes() && widths;
        }

        int items() { return groups * imageChunks * bands; }

        void run() {
            long work = (long) groups * oblocks * mr * kc * outBatch * sp.gridSize();
            Threads.parallelFor(items(), threadsFor(work), this::item);
        }

        void item(int idx) {
            int band = idx % bands;
            int rest = idx / bands;
            int chunk = rest % imageChunks;
            int g = rest / imageChunks;
            int b0 = chunk * cntMax;
            int cnt = Math.min(cntMax, outBatch - b0);
            int j0 = direct ? 0 : band * rows;
            int rowsA = Math.min(rows, grid[0] - j0);
            int inChan = featureGroups ? g * cg : 0;
            int inImg = (featureGroups ? 0 : g * outBatch) + b0;

            float[] src;
            int base;
            if (direct) {
                src = x;
                base = (inImg * c + inChan) * xPlane;
            } else {
                src = Scratch.floats(Scratch.SRC, planes.size);
                base = 0;
                planes.fill(kern, x, (inImg * c + inChan) * xPlane, c * xPlane, xPlane, cg, cnt, j0, rowsA, 0f, src);
            }
            Runs runs = Runs.of(n, cnt, planeSize, pitch, grid, rowsA, dstAxis, dstImg, b0 * dstImg + dstFirst + j0 * dstAxis[0]);
            float[] tile = Scratch.floats(Scratch.TILE, mr * nr);
            int walkEnd = runs.end();
            int aGroup = g * oblocks * kc * mr;
            int oGroup = g * og;
            int last = dstAxis[n - 1];
            // Tile outer, output-channel block inner: the tile's input (kc rows of nr floats) stays in L1/L2 while the packed
            // kernel, which is much smaller per step (mr floats against nr), streams from L2.

            int pBegin = direct ? band * tilesPerBand * nr : 0;
            int pEnd = direct ? Math.min(walkEnd, pBegin + tilesPerBand * nr) : walkEnd;
            // With one tap per channel (1x1 kernels) and several output blocks, the tile's input rows are first copied into a
            // contiguous panel: one streaming pass with many loads in flight, instead of the kernel stalling on each of kc
            // separate rows, then kc * nr floats that stay in L2 for every output block.
            boolean pack = packPanels;
            float[] panel = pack ? Scratch.floats(Scratch.OUT, kc * nr) : null;
            int[] panelOff = pack ? panelOffsets() : null;
            if (rowWalk) {
                rowWalk(runs, src, base, aGroup, oGroup, tile);
                return;
            }
            int ri = runs.find(Math.max(0, Math.min(pBegin, walkEnd - nr)));
            for (int t0 = pBegin; t0 < pEnd; t0 += nr) {
                // the last tile ends at the walk's end (overlapping its neighbour) instead of reading past the input
                int p0 = t0 + nr > walkEnd && walkEnd >= nr ? walkEnd - nr : t0;
                while (runs.start(ri) + runs.length(ri) <= p0) ri++;
                int bOff = base + p0;
                boolean guarded = direct && bOff + maxOff + nr > src.length;
                boolean whole = last == 1 && runs.start(ri) <= p0 && runs.start(ri) + runs.length(ri) >= p0 + nr;
                int dWhole = whole ? runs.dst(ri) + (p0 - runs.start(ri)) : 0;
                float[] bArr = src;
                int[] bIdx = off;
                if (pack && !guarded) {
                    for (int k = 0; k < kc; k++) kern.copy(src, bOff + off[k], panel, k * nr, nr);
                    bArr = panel;
                    bIdx = panelOff;
                    bOff = 0;
                }
                for (int ob = 0; ob < oblocks; ob++) {
                    int aOff = aGroup + ob * kc * mr;
                    int rowsValid = Math.min(mr, og - ob * mr);
                    int oBase = oGroup + ob * mr;
                    boolean toOut = !guarded && whole && rowsValid == mr;
                    float[] cArr = toOut ? out : tile;
                    int cOff = toOut ? dWhole + oBase * qTot : 0, ldc = toOut ? qTot : nr;
                    if (guarded) ScalarKernels.gemmGuarded(mr, nr, a, aOff, mr, kc, src, bOff, off, 0, cArr, cOff, ldc);
                    else kern.gemm(mr, nv, a, aOff, mr, kc, bArr, bOff, bIdx, 0, cArr, cOff, ldc);
                    if (!toOut) runs.store(kern, ri, tile, nr, p0, rowsValid, out, oBase * qTot, qTot, last);
                }
            }
        }

        /** {@link #item}'s tiles along each run of {@code runs} (see {@link ShiftedConv#ROW_WALK_MIN_VECTORS}). */
        private void rowWalk(Runs runs, float[] src, int base, int aGroup, int oGroup, float[] tile) {
            int lanes = kern.lanes();
            for (int r = 0, nruns = runs.count(); r < nruns; r++) {
                int s = runs.start(r), len = runs.length(r), d = runs.dst(r);
                // the run's whole vectors in as few tiles as the widest tile allows, their widths as even as possible (4
                // vectors with tiles of 3 as 2 + 2, not 3 + 1: a one-vector tile loads as many weights per multiply-add)
                int vecs = len / lanes, tiles = (vecs + nv - 1) / nv, t = 0;
                for (int pos = 0; pos < len; t++) {
                    int v = t < tiles ? vecs / tiles + (t < vecs % tiles ? 1 : 0) : 0, p0, width;
                    if (v >= 1) {
                        p0 = pos;
                        width = v * lanes;
                    } else {
                        v = 1;
                        p0 = Math.max(0, len - lanes);
                        width = len - p0;
                    }
                    pos = p0 + width;
                    for (int ob = 0; ob < oblocks; ob++) {
                        int aOff = aGroup + ob * kc * mr, rowsValid = Math.min(mr, og - ob * mr), dOff = d + p0 + (oGroup + ob * mr) * qTot;
                        if (rowsValid == mr && width == v * lanes) {
                            kern.gemm(mr, v, a, aOff, mr, kc, src, base + s + p0, off, 0, out, dOff, qTot);
                        } else {
                            kern.gemm(mr, v, a, aOff, mr, kc, src, base + s + p0, off, 0, tile, 0, v * lanes);
                            kern.copyRows(tile, 0, v * lanes, out, dOff, qTot, rowsValid, width);
                        }
                    }
                }
            }
        }
    }

    /**
     * The walk of {@link Job#item} along each run (an output row of contiguous positions) instead of across the plane:
     * tiles of up to {@code nv} whole vectors from the run's start, the last one ending at the run's end (overlapping
     * its neighbour: the overlap is computed twice, with the same sums), all stored straight into the output. Across the
     * plane, a tile that straddles the extra columns between rows is summed into a buffer and copied out run by run; with
     * rows of 32 to 112 outputs most tiles did. Measured single-threaded (CPU time, same JVM, 2026-11-24): 64x3x32x32 -> 16
     * 3x3 pad 1 1241 -> 989 µs, 1x3x32x32 -> 8 12 -> 10 µs, 32x3x64x64 -> 32 5.19 -> 4.97 ms; the ResNet stem, LeNet's 5x5,
     * the blurs and the input gradients level. Rows of fewer than two vectors keep the walk across the plane.
     */
    private static final int ROW_WALK_MIN_VECTORS = 2;

    /**
     * The kernel {@code w} ({@code [groups*og][cg][kPlane]}) as the row panels of {@link Kernels#gemm}: into {@code a[a0 ..]} as
     * {@code [group][block of mr channels][k = (ci, t)][mr]} with {@code t} over {@code kOff} (each tap's index in a kernel
     * plane), rows past the group's {@code og} channels zero.
     */
    static void packKernel(float[] w, int groups, int og, int cg, int kPlane, int[] kOff, int mr, float[] a, int a0) {
        int taps = kOff.length, kc = cg * taps, oblocks = (og + mr - 1) / mr;
        for (int g = 0; g < groups; g++) {
            for (int ob = 0; ob < oblocks; ob++) {
                int base = a0 + (g * oblocks + ob) * kc * mr;
                for (int m = 0; m < mr; m++) {
                    int oc = ob * mr + m;
                    if (oc >= og) {
                        for (int k = 0; k < kc; k++) a[base + k * mr + m] = 0f;
                        continue;
                    }
                    int wBase = (g * og + oc) * cg * kPlane;
                    for (int ci = 0; ci < cg; ci++) {
                        for (int t = 0; t < taps; t++) a[base + (ci * taps + t) * mr + m] = w[wBase + ci * kPlane + kOff[t]];
                    }
                }
            }
        }
    }

    static int[] rowMajorStrides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    static int product(int[] a) {
        int p = 1;
        for (int v : a) p *= v;
        return p;
    }
}
