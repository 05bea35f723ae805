package dev.convolve.backend.fast;

import dev.convolve.plan.ConvPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * One output phase of a conv in the form every shifted kernel runs: per spatial axis {@code i}, grid point
 * {@code j in [0, grid[i])} is output coordinate {@code q = step[i]*j + first[i]}, and kernel tap {@code taps[i][u]}
 * reads input index {@code j*stride[i] + offset[i][u]} (zero outside {@code [0, inSize[i])}).
 *
 * <p>Without input dilation there is one sub-problem: {@code step = 1}, {@code stride = s},
 * {@code offset = t*kd - lo}. With input dilation {@code ld}, tap {@code t} at output {@code q} is real only when
 * {@code q*s + t*kd - lo} is a multiple of {@code ld}; that depends on {@code q mod L} with
 * {@code L = ld / gcd(s, ld)}, so the output splits into {@code L} phases per axis, each an ordinary conv with
 * stride {@code s / gcd(s, ld)} over the taps real in that phase (the "sub-pixel" form of a transposed conv).
 * Taps that only ever read padding are dropped.
 *
 * <p>For the shifted kernels the input is split into stride phases: input index {@code j*S + A} lies in phase
 * {@code floorMod(A, S)} at row {@code j + floorDiv(A, S)}. {@link #shift} holds that row offset minus the
 * smallest one, so phase planes of {@code grid + span} rows cover every read.
 */
final class SubProblem {
    final int n;
    final int[] grid, step, first, stride, inSize;
    final int[][] taps, offset;
    /** Per axis: the distinct input phases used, and for each tap its phase index and row shift (>= 0). */
    final int[][] phases, tapPhase, shift;
    final int[] lowShift, span;

    private SubProblem(int n) {
        this.n = n;
        grid = new int[n]; step = new int[n]; first = new int[n]; stride = new int[n]; inSize = new int[n];
        taps = new int[n][]; offset = new int[n][];
        phases = new int[n][]; tapPhase = new int[n][]; shift = new int[n][];
        lowShift = new int[n]; span = new int[n];
    }

    /** One axis phase before combination. */
    private record AxisPhase(int grid, int step, int first, int stride, int inSize, int[] taps, int[] offset) {}

    /** The sub-problems of a plan; empty when every output is zero (all taps in padding). */
    static List<SubProblem> of(ConvPlan p) {
        int n = p.spatialRank();
        int[] s = p.strides(), kd = p.kernelDilation(), ld = p.inputDilation(), lo = p.padLow(), k = p.kernelSize(), q = p.outSize(), in = p.spatial();
        List<List<AxisPhase>> perAxis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<AxisPhase> list = new ArrayList<>();
            int g = gcd(s[i], ld[i]);
            int l = ld[i] / g, st = s[i] / g;
            for (int r = 0; r < l && r < q[i]; r++) {
                int grid = (q[i] - r + l - 1) / l;
                int[] tt = new int[k[i]], aa = new int[k[i]];
                int cnt = 0;
                for (int t = 0; t < k[i]; t++) {
                    int num = r * s[i] + t * kd[i] - lo[i];
                    if (Math.floorMod(num, ld[i]) != 0) continue;
                    int a = Math.floorDiv(num, ld[i]);
                    if (!hitsInput(a, st, grid, in[i])) continue;
                    tt[cnt] = t;
                    aa[cnt++] = a;
                }
                if (cnt == 0) continue;
                list.add(new AxisPhase(grid, l, r, st, in[i], java.util.Arrays.copyOf(tt, cnt), java.util.Arrays.copyOf(aa, cnt)));
            }
            if (list.isEmpty()) return List.of();
            perAxis.add(list);
        }
        List<SubProblem> out = new ArrayList<>();
        int[] idx = new int[n];
        while (true) {
            SubProblem sp = new SubProblem(n);
            for (int i = 0; i < n; i++) sp.setAxis(i, perAxis.get(i).get(idx[i]));
            out.add(sp);
            int i = n - 1;
            while (i >= 0 && ++idx[i] == perAxis.get(i).size()) idx[i--] = 0;
            if (i < 0) break;
        }
        return out;
    }

    /**
     * The window reduction over spatial axes {@code in} (window {@code w}, strides, dilations, low padding {@code lo},
     * output {@code q}) as one sub-problem, or null when on some axis every window lies in padding.
     */
    static SubProblem window(int[] in, int[] w, int[] s, int[] d, int[] lo, int[] q) {
        int n = in.length;
        SubProblem sp = new SubProblem(n);
        for (int i = 0; i < n; i++) {
            int[] tt = new int[w[i]], aa = new int[w[i]];
            int cnt = 0;
            for (int t = 0; t < w[i]; t++) {
                int a = t * d[i] - lo[i];
                if (!hitsInput(a, s[i], q[i], in[i])) continue;
                tt[cnt] = t;
                aa[cnt++] = a;
            }
            if (cnt == 0) return null;
            sp.setAxis(i, new AxisPhase(q[i], 1, 0, s[i], in[i], java.util.Arrays.copyOf(tt, cnt), java.util.Arrays.copyOf(aa, cnt)));
        }
        return sp;
    }

    /** True when some grid point j in [0, grid) reads {@code j*stride + a} inside [0, size). */
    private static boolean hitsInput(int a, int stride, int grid, int size) {
        int j0 = a >= 0 ? 0 : (-a + stride - 1) / stride;
        return j0 < grid && (long) j0 * stride + a < size;
    }

    private void setAxis(int i, AxisPhase ap) {
        grid[i] = ap.grid; step[i] = ap.step; first[i] = ap.first; stride[i] = ap.stride; inSize[i] = ap.inSize;
        taps[i] = ap.taps; offset[i] = ap.offset;
        int m = ap.taps.length;
        int lowS = Integer.MAX_VALUE, highS = Integer.MIN_VALUE;
        int[] ph = new int[m];
        int used = 0;
        tapPhase[i] = new int[m];
        shift[i] = new int[m];
        for (int u = 0; u < m; u++) {
            int sh = Math.floorDiv(ap.offset[u], ap.stride);
            lowS = Math.min(lowS, sh);
            highS = Math.max(highS, sh);
            int phase = Math.floorMod(ap.offset[u], ap.stride);
            int at = -1;
            for (int v = 0; v < used; v++) if (ph[v] == phase) at = v;
            if (at < 0) { at = used; ph[used++] = phase; }
            tapPhase[i][u] = at;
        }
        for (int u = 0; u < m; u++) shift[i][u] = Math.floorDiv(ap.offset[u], ap.stride) - lowS;
        phases[i] = java.util.Arrays.copyOf(ph, used);
        lowShift[i] = lowS;
        span[i] = highS - lowS;
    }

    /** Number of taps (the product over axes). */
    int tapCount() {
        int t = 1;
        for (int[] a : taps) t *= a.length;
        return t;
    }

    /** Number of phase combinations (planes per channel). */
    int combos() {
        int c = 1;
        for (int[] a : phases) c *= a.length;
        return c;
    }

    /** Output grid points of this sub-problem. */
    long gridSize() {
        long g = 1;
        for (int v : grid) g *= v;
        return g;
    }

    /**
     * Whether the grids of {@code subs} (a plan's sub-problems) together cover every output position ({@code q}: the output
     * size), so that every output has a tap inside the input; false with none. With input dilation, an output phase that
     * no tap reaches has no sub-problem.
     */
    static boolean coverEveryOutput(List<SubProblem> subs, int[] q) {
        long covered = 0, all = 1;
        for (SubProblem sp : subs) covered += sp.gridSize();
        for (int v : q) all *= v;
        return !subs.isEmpty() && covered == all;
    }

    /** Whether grid point {@code j} is output position {@code j} on every axis ({@code q}: the output size): no output phases. */
    boolean coversOutput(int[] q) {
        for (int i = 0; i < n; i++) if (step[i] != 1 || first[i] != 0 || grid[i] != q[i]) return false;
        return true;
    }

    /**
     * True when the input itself can serve as the phase plane: unit stride, no read before index 0 or past the
     * end on any axis, so no copy is needed (rows of the input then carry {@code inSize - grid} unused columns).
     */
    boolean readsInputDirectly() {
        for (int i = 0; i < n; i++) {
            if (stride[i] != 1 || lowShift[i] < 0) return false;
            if (grid[i] - 1 + lowShift[i] + span[i] >= inSize[i]) return false;
        }
        return true;
    }

    private static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
}
