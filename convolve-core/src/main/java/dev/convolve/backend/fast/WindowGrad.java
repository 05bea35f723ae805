package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.WindowPlan;
import java.util.Arrays;

/**
 * The gradient of 2-D max/min pooling ({@code windowSelectScatter}) without scatters: each plane in two vector passes.
 *
 * <p>1. Selection: the input plane is split into padded stride phases ({@link PlaneSplit}), so each tap of a row of windows is
 * one contiguous run, and the tap each window selects (the first maximum, NaN first) is computed for all windows at once as a
 * code plane; windows that touch the padding are coded one by one with the reference's rule (padding is never selected; a
 * window without input selects nothing).
 *
 * <p>2. Routing: input position {@code (j*s0 + py - lo0, i*s1 + px - lo1)} (phase {@code (py, px)}) can only be selected by the
 * taps of that phase, tap {@code t} from window {@code (j - sh0, i - sh1)}. So each phase plane of the gradient is a gather:
 * {@code sum over the phase's taps of (code[window] == t ? g[window] : 0)}, taps in the windows' row-major order, which adds
 * exactly as the reference does (from 0, window after window). The phases are then written into the gradient (interleaved
 * when the column stride is 2 or more).
 */
final class WindowGrad {
    private WindowGrad() {}

    /** True for windows over the last two axes only (the others trivial), when {@code phase-route} is not switched off. */
    static boolean suits(WindowPlan p) {
        if (!Planner.enabled("phase-route") || p.rank() < 2) return false;
        int r = p.rank();
        int[] w = p.window(), s = p.strides(), lo = p.padLow(), hi = p.padHigh(), in = p.inputShape().dims(), q = p.outputShape().dims();
        for (int i = 0; i < r - 2; i++) if (w[i] != 1 || s[i] != 1 || lo[i] != 0 || hi[i] != 0) return false;
        long planeFloats = (long) q[r - 2] * q[r - 1] + (long) in[r - 2] * in[r - 1];
        return q[r - 2] > 0 && q[r - 1] > 0 && planeFloats * 4L * s[r - 1] * s[r - 2] <= Depthwise.MAX_PLANE_FLOATS;
    }

    static void run(Kernels kern, WindowPlan p, boolean max, float[] x, float[] source, float[] acc) {
        int r = p.rank();
        int[] wd = p.window(), st = p.strides(), dl = p.dilations(), lo = p.padLow(), dims = p.inputShape().dims(), out = p.outputShape().dims();
        int h = dims[r - 2], w = dims[r - 1], q0 = out[r - 2], q1 = out[r - 1], planes = 1;
        for (int i = 0; i < r - 2; i++) planes *= dims[i];
        WindowGradKernels wk = WindowGradKernels.of(kern);
        DepthwiseKernels dk = DepthwiseKernels.of(kern);
        int lanes = Math.max(wk.lanes(), dk.lanes());
        PlaneSplit g = new PlaneSplit(h, w, wd[r - 2], wd[r - 1], st[r - 2], st[r - 1], dl[r - 2], dl[r - 1], lo[r - 2], lo[r - 1], q0, q1, lanes);
        int taps = g.taps(), phases = g.s0 * g.s1;
        int d0 = dl[r - 2], d1 = dl[r - 1];
        // windows whose taps all lie inside the plane
        int qa0 = Math.min(q0, Math.max(0, Math.floorDiv(g.lo0 + g.s0 - 1, g.s0))), qb0 = Math.max(qa0, Math.min(q0, Math.floorDiv(h - 1 + g.lo0 - (g.k0 - 1) * d0, g.s0) + 1));
        int qa1 = Math.min(q1, Math.max(0, Math.floorDiv(g.lo1 + g.s1 - 1, g.s1))), qb1 = Math.max(qa1, Math.min(q1, Math.floorDiv(w - 1 + g.lo1 - (g.k1 - 1) * d1, g.s1) + 1));
        int cRows = q0 + 2 * g.span0, cPitch = q1 + 2 * g.span1, cSize = cRows * cPitch, base = g.span0 * cPitch + g.span1;
        // per phase: its taps in the windows' row-major order (larger shifts first), their offsets and codes
        int[][] phOff = new int[phases][];
        float[][] phCode = new float[phases][];
        boolean allPhases = true;
        for (int ph = 0; ph < phases; ph++) {
            Integer[] ts = new Integer[taps];
            int nt = 0;
            for (int t = 0; t < taps; t++) if (g.phase[t] == ph) ts[nt++] = t;
            Integer[] sorted = Arrays.copyOf(ts, nt);
            Arrays.sort(sorted, (a, b) -> g.sh0[a] != g.sh0[b] ? Integer.compare(g.sh0[b], g.sh0[a]) : Integer.compare(g.sh1[b], g.sh1[a]));
            phOff[ph] = new int[nt];
            phCode[ph] = new float[nt];
            for (int k = 0; k < nt; k++) {
                phOff[ph][k] = -(g.sh0[sorted[k]] * cPitch + g.sh1[sorted[k]]);
                phCode[ph][k] = sorted[k];
            }
            allPhases &= nt > 0;
        }
        boolean merge = g.s1 == 2 && allPhases, inPlace = g.s1 == 1;
        int inPlane = h * w, outPlane = q0 * q1, slack = 2 * lanes;
        long work = (long) planes * outPlane * taps * 2;
        boolean mergeF = merge;
        Threads.parallelFor(planes, ShiftedConv.threadsFor(work), pl -> {
            float[] src = Scratch.floats(Scratch.SRC, g.size + slack);
            float[] codes = Scratch.floats(Scratch.AUX, cSize + slack);
            float[] gp = Scratch.floats(Scratch.GRAD, cSize + slack);
            int xOff = pl * inPlane, dxOff = pl * inPlane;
            // 1. the selected taps
            if (qb0 > qa0 && qb1 > qa1) {
                g.fill(dk, x, xOff, src, 0f);
                wk.select(src, qa0 * g.pitch + qa1, g.pitch, g.off, taps, max, codes, base + qa0 * cPitch + qa1, cPitch, qb0 - qa0, qb1 - qa1);
            }
            for (int qy = 0; qy < q0; qy++) {
                boolean rowInside = qy >= qa0 && qy < qb0;
                for (int qx = 0; qx < q1; qx++) {
                    if (rowInside && qx == qa1 && qb1 > qa1) qx = qb1;
                    if (qx >= q1) break;
                    codes[base + qy * cPitch + qx] = edgeCode(g, d0, d1, max, x, xOff, qy, qx);
                }
            }
            Arrays.fill(codes, 0, base, -1f);
            for (int qy = 0; qy < q0; qy++) {
                int row = (g.span0 + qy) * cPitch;
                Arrays.fill(codes, row, row + g.span1, -1f);
                Arrays.fill(codes, row + g.span1 + q1, row + cPitch, -1f);
            }
            Arrays.fill(codes, (g.span0 + q0) * cPitch, cSize + slack, -1f);
            for (int qy = 0; qy < q0; qy++) System.arraycopy(source, pl * outPlane + qy * q1, gp, base + qy * cPitch, q1);
            // 2. the routing, phase by phase
            float[] d = inPlace ? null : Scratch.floats(Scratch.OUT, g.size + slack);
            for (int py = 0; py < g.s0; py++) {
                int ja = PlaneSplit.firstInside(py, g.s0, g.lo0, g.rows), jb = PlaneSplit.endInside(py, g.s0, g.lo0, h, g.rows);
                for (int px = 0; px < g.s1; px++) {
                    int ph = py * g.s1 + px, nt = phOff[ph].length;
                    int ia = g.cols[2 * px], ib = g.cols[2 * px + 1];
                    if (nt == 0 || jb <= ja || ib <= ia) continue;
                    int sOff = base + ja * cPitch + ia;
                    if (inPlace) {
                        int iy = ja * g.s0 + py - g.lo0;
                        wk.route(codes, gp, sOff, cPitch, phOff[ph], phCode[ph], nt, acc, dxOff + iy * w + ia - g.lo1, g.s0 * w, jb - ja, ib - ia);
                    } else {
                        wk.route(codes, gp, sOff, cPitch, phOff[ph], phCode[ph], nt, d, ph * g.stride + ja * g.pitch + ia, g.pitch, jb - ja, ib - ia);
                    }
                }
            }
            if (!inPlace) interleave(dk, g, phOff, mergeF, d, acc, dxOff);
        });
    }

    /** The code of window {@code (qy, qx)} by the reference's rule over its real taps; -1 when it has none. */
    private static float edgeCode(PlaneSplit g, int d0, int d1, boolean max, float[] x, int xOff, int qy, int qx) {
        int best = -1;
        float bv = 0;
        for (int a = 0; a < g.k0; a++) {
            int iy = qy * g.s0 + a * d0 - g.lo0;
            if (iy < 0 || iy >= g.h) continue;
            for (int b = 0; b < g.k1; b++) {
                int ix = qx * g.s1 + b * d1 - g.lo1;
                if (ix < 0 || ix >= g.w) continue;
                float v = x[xOff + iy * g.w + ix];
                if (best < 0 || (max ? v > bv : v < bv) || (v != v && bv == bv)) {
                    best = a * g.k1 + b;
                    bv = v;
                }
            }
        }
        return best;
    }

    /** Writes the routed phase planes {@code d} into the gradient plane at {@code dxOff}. */
    private static void interleave(DepthwiseKernels dk, PlaneSplit g, int[][] phOff, boolean merge, float[] d, float[] dx, int dxOff) {
        for (int py = 0; py < g.s0; py++) {
            int ja = PlaneSplit.firstInside(py, g.s0, g.lo0, g.rows), jb = PlaneSplit.endInside(py, g.s0, g.lo0, g.h, g.rows);
            for (int j = ja; j < jb; j++) {
                int row = dxOff + (j * g.s0 + py - g.lo0) * g.w;
                if (merge) {
                    int src = py * 2 * g.stride + j * g.pitch;
                    dk.mergeRow2(d, src, src + g.stride, dx, row, g.w, g.lo1, g.pitch);
                    continue;
                }
                for (int px = 0; px < g.s1; px++) {
                    int ph = py * g.s1 + px;
                    if (phOff[ph].length == 0) continue;
                    int src = ph * g.stride + j * g.pitch;
                    for (int i = g.cols[2 * px]; i < g.cols[2 * px + 1]; i++) dx[row + i * g.s1 + px - g.lo1] = d[src + i];
                }
            }
        }
    }
}
