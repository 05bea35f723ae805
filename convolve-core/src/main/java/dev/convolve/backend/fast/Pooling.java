package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.backend.WindowReduction;
import dev.convolve.plan.WindowPlan;
import java.util.Arrays;

/**
 * Window reductions (pooling) on f32 with the forward engine's layout: leading axes whose window is trivial
 * (size 1, stride 1, no padding) become a batch of planes; the other axes are split into stride phases and padded
 * with the reduction's identity ({@link PhasePlanes}), so every tap of a tile of outputs is one contiguous vector
 * load and the reduction is a running max/min/sum over the taps.
 */
final class Pooling {
    private Pooling() {}

    /** 2x2 windows with stride 2 and no padding (the usual max pooling): four loads and three comparisons per window. */
    private static void maxScatter2x2(int[] in, int[] grid, int planes, float[] x, float[] source, float[] acc) {
        int h = in[0], w = in[1], q0 = grid[0], q1 = grid[1];
        long work = (long) planes * q0 * q1 * 4;
        Threads.parallelFor(planes, ShiftedConv.threadsFor(work), pl -> {
            int xb = pl * h * w, ob = pl * q0 * q1;
            for (int qy = 0; qy < q0; qy++) {
                int r0 = xb + 2 * qy * w, r1 = r0 + w, o = ob + qy * q1;
                for (int qx = 0; qx < q1; qx++) {
                    int i = r0 + 2 * qx;
                    float bv = x[i];
                    int best = i;
                    float v = x[i + 1];
                    if (v > bv || (v != v && bv == bv)) { bv = v; best = i + 1; }
                    int j = r1 + 2 * qx;
                    v = x[j];
                    if (v > bv || (v != v && bv == bv)) { bv = v; best = j; }
                    v = x[j + 1];
                    if (v > bv || (v != v && bv == bv)) { best = j + 1; }
                    acc[best] += source[o + qx];
                }
            }
        });
    }

    /**
     * The 2-D case (pooling over H and W) without the odometer: for each window the row and column tap lists are walked
     * directly, comparisons in the window's order (first maximum wins, NaN wins).
     */
    private static void selectScatter2d(int[][][] tapIdx, int[] grid, int planes, int inPlane, int outPlane, boolean max,
                                        float[] x, float[] source, float[] acc) {
        int q0 = grid[0], q1 = grid[1];
        long work = (long) planes * outPlane * 4;
        Threads.parallelFor(planes, ShiftedConv.threadsFor(work), pl -> {
            int xb = pl * inPlane, ob = pl * outPlane;
            for (int qy = 0; qy < q0; qy++) {
                int[] rowsT = tapIdx[0][qy];
                for (int qx = 0; qx < q1; qx++) {
                    int[] colsT = tapIdx[1][qx];
                    if (rowsT.length == 0 || colsT.length == 0) continue;
                    int best = -1;
                    float bv = 0;
                    for (int ry : rowsT) {
                        int rb = xb + ry;
                        for (int cx : colsT) {
                            float v = x[rb + cx];
                            if (best < 0 || (max ? v > bv : v < bv) || (v != v && bv == bv)) {
                                best = rb + cx;
                                bv = v;
                            }
                        }
                    }
                    acc[best] += source[ob + qy * q1 + qx];
                }
            }
        });
    }

    /** Where the spatial axes start, the plane count, and the window as a sub-problem (null: every window is padding). */
    record Geometry(int first, int planes, int[] in, int[] q, SubProblem sp) {
        static Geometry of(WindowPlan p) {
            int r = p.rank();
            int[] w = p.window(), s = p.strides(), d = p.dilations(), lo = p.padLow(), hi = p.padHigh();
            int[] dims = p.inputShape().dims(), out = p.outputShape().dims();
            int first = 0;
            while (first < r - 1 && w[first] == 1 && s[first] == 1 && lo[first] == 0 && hi[first] == 0) first++;
            int planes = 1;
            for (int i = 0; i < first; i++) planes *= dims[i];
            int[] in = Arrays.copyOfRange(dims, first, r), q = Arrays.copyOfRange(out, first, r);
            SubProblem sp = SubProblem.window(in, Arrays.copyOfRange(w, first, r), Arrays.copyOfRange(s, first, r),
                    Arrays.copyOfRange(d, first, r), Arrays.copyOfRange(lo, first, r), q);
            return new Geometry(first, planes, in, q, sp);
        }
    }

    /** Reduces every window of {@code x} (f32, row-major) into {@code out}. */
    static void reduce(Kernels kern, WindowPlan p, WindowReduction op, float[] x, float[] out) {
        reduce(kern, p, op, x, out, 1f);
    }

    /** {@link #reduce} with every result divided by {@code divisor} before it is stored (1: as they are). */
    static void reduce(Kernels kern, WindowPlan p, WindowReduction op, float[] x, float[] out, float divisor) {
        Geometry geo = Geometry.of(p);
        float identity = (float) op.floatIdentity();
        if (geo.sp() == null) {
            Arrays.fill(out, identity / divisor);
            return;
        }
        if (op == WindowReduction.PRODUCT) throw new IllegalStateException("window product has no fast path");
        new Job(kern, geo, op, x, out, divisor).run();
    }

    static final class Job {
        final Kernels kern;
        final Geometry geo;
        final WindowReduction op;
        final float[] x, out;
        final float identity, divisor;
        final SubProblem sp;
        final PhasePlanes planes;
        final int n, cnt, items, inPlane, outPlane, taps, tileLen;
        final int[] off, grid, dstAxis;

        Job(Kernels kern, Geometry geo, WindowReduction op, float[] x, float[] out, float divisor) {
            this.kern = kern; this.geo = geo; this.op = op; this.x = x; this.out = out; this.divisor = divisor;
            identity = (float) op.floatIdentity();
            sp = geo.sp();
            n = sp.n;
            grid = sp.grid.clone();
            int[] xst = ShiftedConv.rowMajorStrides(geo.in());
            inPlane = ShiftedConv.product(geo.in());
            outPlane = ShiftedConv.product(geo.q());
            dstAxis = ShiftedConv.rowMajorStrides(geo.q());
            int perPlane = sp.combos();
            for (int i = 0; i < n; i++) perPlane *= grid[i] + sp.span[i];
            int threads = Threads.threads();
            int c = (int) Math.max(1, Math.min(geo.planes(), ShiftedConv.itemBudgetFloats / Math.max(1, perPlane)));
            c = Math.max(1, Math.min(c, (geo.planes() + 4 * threads - 1) / (4 * threads)));
            cnt = c;
            items = (geo.planes() + cnt - 1) / cnt;
            tileLen = 8 * kern.lanes() * 4;
            planes = new PhasePlanes(n, sp.stride, sp.lowShift, sp.span, sp.inSize, sp.phases, grid, xst, grid[0], cnt, 1, tileLen);
            taps = sp.tapCount();
            off = new int[taps];
            int[] u = new int[n];
            for (int t = 0; t < taps; t++) {
                int cb = 0, so = 0;
                for (int i = 0; i < n; i++) {
                    cb = cb * sp.phases[i].length + sp.tapPhase[i][u[i]];
                    so += sp.shift[i][u[i]] * planes.pitch[i];
                }
                off[t] = cb * planes.comboStride + so;
                for (int i = n - 1; i >= 0 && ++u[i] == sp.taps[i].length; i--) u[i] = 0;
            }
        }

        void run() {
            long work = (long) geo.planes() * outPlane * taps;
            Threads.parallelFor(items, ShiftedConv.threadsFor(work), this::item);
        }

        private void item(int idx) {
            int p0 = idx * cnt;
            int c = Math.min(cnt, geo.planes() - p0);
            float[] src = Scratch.floats(Scratch.SRC, planes.size);
            planes.fill(kern, x, p0 * inPlane, inPlane, 0, 1, c, 0, grid[0], identity, src);
            Runs runs = Runs.of(n, c, planes.planeSize, planes.pitch, grid, grid[0], dstAxis, outPlane, p0 * outPlane);
            float[] tile = Scratch.floats(Scratch.TILE, tileLen + kern.lanes());
            int end = runs.end();
            int ri = 0;
            for (int t0 = 0; t0 < end; t0 += tileLen) {
                int len = Math.min(tileLen, end - t0);
                switch (op) {
                    case MAX -> kern.windowMax(src, t0, off, taps, tile, 0, len, identity);
                    case MIN -> kern.windowMin(src, t0, off, taps, tile, 0, len, identity);
                    default -> kern.windowSum(src, t0, off, taps, tile, 0, len, identity);
                }
                if (divisor != 1f) for (int i = 0; i < len; i++) tile[i] /= divisor;
                while (runs.start(ri) + runs.length(ri) <= t0) ri++;
                runs.store(kern, ri, tile, tileLen, t0, 1, out, 0, 0, 1);
            }
        }
    }

    /**
     * Max/min pooling's gradient routing on f32: for each window, {@code source} goes to the first input position holding the
     * window's maximum (minimum), NaN first; padding is never selected. Plain loops over precomputed tap offsets, threaded
     * over planes; {@code acc} (zeroed, shaped like the input) receives the sums.
     */
    static void selectScatter(WindowPlan p, boolean max, float[] x, float[] source, float[] acc) {
        Geometry geo = Geometry.of(p);
        SubProblem sp = geo.sp();
        if (sp == null) return;
        int n = sp.n;
        int[] xst = ShiftedConv.rowMajorStrides(geo.in());
        int inPlane = ShiftedConv.product(geo.in()), outPlane = ShiftedConv.product(geo.q());
        // per axis and output index: the offsets of the real taps, in tap order
        int[][][] tapIdx = new int[n][][];
        for (int i = 0; i < n; i++) {
            tapIdx[i] = new int[sp.grid[i]][];
            for (int q = 0; q < sp.grid[i]; q++) {
                int[] tmp = new int[sp.taps[i].length];
                int k = 0;
                for (int u = 0; u < sp.taps[i].length; u++) {
                    int xi = q * sp.stride[i] + sp.offset[i][u];
                    if (xi >= 0 && xi < sp.inSize[i]) tmp[k++] = xi * xst[i];
                }
                tapIdx[i][q] = Arrays.copyOf(tmp, k);
            }
        }
        int planes = geo.planes();
        int[] w = p.window(), st = p.strides(), dl = p.dilations(), lo = p.padLow(), hi = p.padHigh();
        int r = p.rank();
        if (n == 2 && max && w[r - 2] == 2 && w[r - 1] == 2 && st[r - 2] == 2 && st[r - 1] == 2 && dl[r - 2] == 1 && dl[r - 1] == 1
                && lo[r - 2] == 0 && lo[r - 1] == 0 && hi[r - 2] <= 0 && hi[r - 1] <= 0) {
            maxScatter2x2(geo.in(), sp.grid, planes, x, source, acc);
            return;
        }
        if (n == 2) {
            selectScatter2d(tapIdx, sp.grid, planes, inPlane, outPlane, max, x, source, acc);
            return;
        }
        // planes of one item never share input positions, so items may run in parallel
        long work = (long) planes * outPlane * sp.tapCount() * 4;
        Threads.parallelFor(planes, ShiftedConv.threadsFor(work), pl -> {
            int xb = pl * inPlane, ob = pl * outPlane;
            int[] q = new int[n];
            int[] u = new int[n];
            for (int o = 0; o < outPlane; o++) {
                int best = -1;
                float bv = 0;
                boolean empty = false;
                for (int i = 0; i < n; i++) {
                    if (tapIdx[i][q[i]].length == 0) empty = true;
                    u[i] = 0;
                }
                if (!empty) {
                    while (true) {
                        int at = xb;
                        for (int i = 0; i < n; i++) at += tapIdx[i][q[i]][u[i]];
                        float v = x[at];
                        if (best < 0 || (max ? v > bv : v < bv) || (v != v && bv == bv)) {
                            best = at;
                            bv = v;
                        }
                        int i = n - 1;
                        while (i >= 0 && ++u[i] == tapIdx[i][q[i]].length) u[i--] = 0;
                        if (i < 0) break;
                    }
                    acc[best] += source[ob + o];
                }
                for (int i = n - 1; i >= 0 && ++q[i] == sp.grid[i]; i--) q[i] = 0;
            }
        });
    }
}
