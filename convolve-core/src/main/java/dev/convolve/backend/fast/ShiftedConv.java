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
        final int n, groups, og, cg, c, o, outBatch, taps, kc, mr, nr, oblocks;
        final boolean featureGroups, direct;
        final int[] pitch, grid, dstAxis, xst;
        final PhasePlanes planes;
        final int planeSize, cntMax, rows, imageChunks, bands, superLen, maxOff;
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
            nr = kern.gemmVectors(mr) * kern.lanes();
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
                int want = Math.max(1, (4 * threads + groups * outBatch - 1) / (groups * outBatch));
                int b = Math.min(want, grid[0]);
                rows = (grid[0] + b - 1) / b;
                bands = (grid[0] + rows - 1) / rows;
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

            a = new float[groups * oblocks * kc * mr];
            for (int g = 0; g < groups; g++) {
                for (int ob = 0; ob < oblocks; ob++) {
                    int base = (g * oblocks + ob) * kc * mr;
                    for (int m = 0; m < mr; m++) {
                        int oc = ob * mr + m;
                        if (oc >= og) continue;
                        int wBase = (g * og + oc) * cg * kPlane;
                        for (int ci = 0; ci < cg; ci++) {
                            for (int t = 0; t < taps; t++) {
                                a[base + (ci * taps + t) * mr + m] = w[wBase + ci * kPlane + kOff[t]];
                            }
                        }
                    }
                }
            }
            superLen = nr * Math.max(1, 512 / nr);
        }

        int items() { return groups * imageChunks * bands; }

        void run() {
            Threads.parallelFor(items(), this::item);
        }

        void item(int idx) {
            int band = idx % bands;
            int rest = idx / bands;
            int chunk = rest % imageChunks;
            int g = rest / imageChunks;
            int b0 = chunk * cntMax;
            int cnt = Math.min(cntMax, outBatch - b0);
            int j0 = band * rows;
            int rowsA = Math.min(rows, grid[0] - j0);
            int inChan = featureGroups ? g * cg : 0;
            int inImg = (featureGroups ? 0 : g * outBatch) + b0;

            float[] src;
            int base;
            if (direct) {
                src = x;
                base = (inImg * c + inChan) * xPlane + j0 * xst[0];
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
            for (int ps = 0; ps < walkEnd; ps += superLen) {
                int pe = Math.min(walkEnd, ps + superLen);
                for (int ob = 0; ob < oblocks; ob++) {
                    int aOff = aGroup + ob * kc * mr;
                    int rowsValid = Math.min(mr, og - ob * mr);
                    int oBase = oGroup + ob * mr;
                    int ri = runs.find(ps);
                    for (int p0 = ps; p0 < pe; p0 += nr) {
                        while (runs.start(ri) + runs.length(ri) <= p0) ri++;
                        int bOff = base + p0;
                        if (direct && bOff + maxOff + nr > src.length) {
                            ScalarKernels.gemmGuarded(mr, nr, a, aOff, kc, src, bOff, off, tile, 0, nr);
                            runs.store(ri, tile, nr, p0, rowsValid, out, oBase * qTot, qTot, last);
                            continue;
                        }
                        if (rowsValid == mr && last == 1 && runs.start(ri) <= p0 && runs.start(ri) + runs.length(ri) >= p0 + nr) {
                            kern.gemm(mr, a, aOff, kc, src, bOff, off, out, runs.dst(ri) + (p0 - runs.start(ri)) + oBase * qTot, qTot);
                        } else {
                            kern.gemm(mr, a, aOff, kc, src, bOff, off, tile, 0, nr);
                            runs.store(ri, tile, nr, p0, rowsValid, out, oBase * qTot, qTot, last);
                        }
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
