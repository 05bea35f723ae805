package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.Arrays;

/**
 * Depthwise convs (2-D, feature groups = input channels, any channel multiplier {@code M}, strides, kernel dilation and
 * padding; no input dilation) plane by plane, and their two gradients.
 *
 * <p>Forward, per (image, input channel): the input plane is split into padded stride phases ({@link PlaneSplit}, small
 * enough for L1/L2), then each of the channel's {@code M} output planes is, row by row, a weighted sum of shifted runs of
 * it: output columns in the vector lanes, the taps' weights in registers. Memory traffic is one read of the input and one
 * write of the output.
 *
 * <p>Input gradient: {@code dx[iy][ix] = sum_{m, ky, kx} w[m][ky][kx] * g[m][qy][qx]} over {@code iy = qy*s0 + ky*d0 - lo0},
 * {@code ix = qx*s1 + kx*d1 - lo1}. In phase-plane coordinates ({@code iy = j*s0 + py - lo0}) tap {@code (ky, kx)} reaches
 * only phase {@code ((ky*d0) mod s0, (kx*d1) mod s1)}, at {@code j = qy + sh0}: so each phase plane of {@code dx} is a
 * depthwise correlation of the gradient (padded by the spans) with the taps of that phase, {@code D[j][i] = sum w * G[j - sh0][i - sh1]}.
 * Without column stride the phase rows are rows of {@code dx} and are written in place; otherwise the phases are
 * interleaved into {@code dx} at the end.
 *
 * <p>Kernel gradient: {@code dw[o][t] = sum_{n, q} g[n][o][q] * x[n][c][q*s + tap offset]}: per input channel (one work item,
 * so the batch is summed in a fixed order whatever the thread count), every image's phase planes are built once and each
 * tap keeps vector partial sums over all rows and images, summed across lanes at the end.
 */
final class Depthwise {
    private Depthwise() {}

    /** Phase planes above this many floats are not worth this path (a plane should stay in the L2 cache). */
    static final int MAX_PLANE_FLOATS = 1 << 20;

    /** True for 2-D depthwise convs this engine runs, when {@code algorithm} is not switched off. */
    static boolean suits(ConvPlan p, String algorithm) {
        if (!Planner.enabled(algorithm) || p.spatialRank() != 2 || p.batchGroups() != 1) return false;
        if (p.featureGroups() < 2 || p.featureGroups() != p.channels() || p.kernelChannels() != 1) return false;
        int[] ld = p.inputDilation();
        if (ld[0] != 1 || ld[1] != 1) return false;
        PlaneSplit g = split(p, 64);
        return g.size <= MAX_PLANE_FLOATS && gradPitchRows(g) <= MAX_PLANE_FLOATS;
    }

    /** The phase split of {@code p}'s input planes, with gaps of {@code gap} floats between the phase planes. */
    static PlaneSplit split(ConvPlan p, int gap) {
        int[] sp = p.spatial(), k = p.kernelSize(), s = p.strides(), d = p.kernelDilation(), lo = p.padLow(), q = p.outSize();
        return new PlaneSplit(sp[0], sp[1], k[0], k[1], s[0], s[1], d[0], d[1], lo[0], lo[1], q[0], q[1], gap);
    }

    private static long gradPitchRows(PlaneSplit g) { return (long) (g.q0 + 2 * g.span0) * (g.q1 + 2 * g.span1); }

    /** A short description for the planner. */
    static String describe(ConvPlan p) {
        PlaneSplit g = split(p, 0);
        return p.channels() + " planes per image of " + g.h + "x" + g.w + ", " + g.k0 + "x" + g.k1 + " taps, "
                + (p.outChannels() / p.channels()) + " output(s) per channel" + (g.s0 * g.s1 > 1 ? ", " + g.s0 * g.s1 + " stride phases" : "");
    }

    /** The forward conv into the zeroed canonical {@code out}. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        DepthwiseKernels dk = DepthwiseKernels.of(kern);
        PlaneSplit g = split(p, dk.lanes());
        int c = p.channels(), m = p.outChannels() / c, o = p.outChannels(), taps = g.taps();
        int inPlane = g.h * g.w, outPlane = g.q0 * g.q1, slack = 2 * dk.lanes();
        long work = (long) p.batch() * o * outPlane * taps;
        int lanes = dk.lanes(), wide = (g.q1 + lanes - 1) / lanes * lanes;
        // rows that end inside a vector and more than nine taps: whole vectors into a buffer, then one copy per row (cheaper than
        // every tap of the row tail under a mask)
        boolean staged = wide != g.q1 && taps > 9;
        Threads.parallelFor(p.batch() * c, ShiftedConv.threadsFor(work), it -> {
            int n = it / c, ci = it % c;
            float[] src = Scratch.floats(Scratch.SRC, g.size + slack);
            float[] stage = staged ? Scratch.floats(Scratch.OUT, g.q0 * wide + slack) : null;
            g.fill(dk, x, it * inPlane, src, 0f);
            for (int mi = 0; mi < m; mi++) {
                int oc = ci * m + mi, dOff = (n * o + oc) * outPlane;
                if (staged) {
                    dk.taps(src, 0, g.pitch, g.off, w, oc * taps, taps, stage, 0, wide, g.q0, wide, false);
                    kern.copyRows(stage, 0, wide, out, dOff, g.q1, g.q0, g.q1);
                } else {
                    dk.taps(src, 0, g.pitch, g.off, w, oc * taps, taps, out, dOff, g.q1, g.q0, g.q1, false);
                }
            }
        });
    }

    /** The input gradient, canonical {@code [N][C][H][W]}, from the canonical kernel and output gradient. */
    static float[] gradInput(Kernels kern, ConvPlan p, float[] w, float[] gr) {
        DepthwiseKernels dk = DepthwiseKernels.of(kern);
        PlaneSplit g = split(p, dk.lanes());
        int c = p.channels(), m = p.outChannels() / c, o = p.outChannels(), taps = g.taps(), phases = g.s0 * g.s1;
        int inPlane = g.h * g.w, outPlane = g.q0 * g.q1, slack = 2 * dk.lanes();
        int gRows = g.q0 + 2 * g.span0, gPitch = g.q1 + 2 * g.span1;
        // taps ordered by phase, with their offsets in the padded gradient G (G[j'][i'] = g[j' - span0][i' - span1])
        int[] order = new int[taps], start = new int[phases + 1], gOff = new int[taps];
        for (int ph = 0, at = 0; ph < phases; ph++) {
            start[ph] = at;
            for (int t = 0; t < taps; t++) {
                if (g.phase[t] != ph) continue;
                order[at] = t;
                gOff[at++] = (g.span0 - g.sh0[t]) * gPitch + (g.span1 - g.sh1[t]);
            }
            start[ph + 1] = at;
        }
        int[][] phOff = new int[phases][];
        for (int ph = 0; ph < phases; ph++) phOff[ph] = Arrays.copyOfRange(gOff, start[ph], start[ph + 1]);
        float[] dx = SpareArrays.zeroed(p.batch() * c * inPlane);
        boolean inPlace = g.s1 == 1;
        long work = (long) p.batch() * o * outPlane * taps;
        Threads.parallelFor(p.batch() * c, ShiftedConv.threadsFor(work), it -> {
            int n = it / c, ci = it % c, dxOff = it * inPlane;
            float[] gp = Scratch.floats(Scratch.AUX, gRows * gPitch + slack);
            float[] wk = Scratch.floats(Scratch.PART, taps);
            float[] d = inPlace ? null : Scratch.floats(Scratch.OUT, g.size + slack);
            Arrays.fill(gp, 0, gRows * gPitch, 0f);
            for (int mi = 0; mi < m; mi++) {
                int oc = ci * m + mi;
                int src = (n * o + oc) * outPlane;
                for (int r = 0; r < g.q0; r++) System.arraycopy(gr, src + r * g.q1, gp, (g.span0 + r) * gPitch + g.span1, g.q1);
                for (int i = 0; i < taps; i++) wk[i] = w[oc * taps + order[i]];
                for (int py = 0; py < g.s0; py++) {
                    int ja = PlaneSplit.firstInside(py, g.s0, g.lo0, g.rows), jb = PlaneSplit.endInside(py, g.s0, g.lo0, g.h, g.rows);
                    for (int px = 0; px < g.s1; px++) {
                        int ph = py * g.s1 + px, nt = start[ph + 1] - start[ph];
                        int ia = PlaneSplit.firstInside(px, g.s1, g.lo1, g.pitch), ib = PlaneSplit.endInside(px, g.s1, g.lo1, g.w, g.pitch);
                        if (nt == 0 || jb <= ja || ib <= ia) continue;
                        int[] off = phOff[ph];
                        if (inPlace) {
                            int iy = ja * g.s0 + py - g.lo0;
                            dk.taps(gp, ja * gPitch + ia, gPitch, off, wk, start[ph], nt, dx, dxOff + iy * g.w + ia - g.lo1, g.s0 * g.w, jb - ja, ib - ia, mi > 0);
                        } else {
                            dk.taps(gp, ja * gPitch + ia, gPitch, off, wk, start[ph], nt, d, ph * g.stride + ja * g.pitch + ia, g.pitch, jb - ja, ib - ia, mi > 0);
                        }
                    }
                }
            }
            if (!inPlace) interleave(dk, g, start, d, dx, dxOff);
        });
        return dx;
    }

    /** Writes the computed phase planes {@code d} into the {@code dx} plane at {@code dxOff}. */
    private static void interleave(DepthwiseKernels dk, PlaneSplit g, int[] start, float[] d, float[] dx, int dxOff) {
        boolean pairs = g.s1 == 2;
        for (int ph = 0; ph < g.s0 * g.s1; ph++) pairs &= start[ph + 1] > start[ph];
        for (int py = 0; py < g.s0; py++) {
            int ja = PlaneSplit.firstInside(py, g.s0, g.lo0, g.rows), jb = PlaneSplit.endInside(py, g.s0, g.lo0, g.h, g.rows);
            if (pairs) {
                // both column phases computed: merged with vector permutations
                for (int j = ja; j < jb; j++) {
                    int src = py * 2 * g.stride + j * g.pitch;
                    dk.mergeRow2(d, src, src + g.stride, dx, dxOff + (j * g.s0 + py - g.lo0) * g.w, g.w, g.lo1, g.pitch);
                }
                continue;
            }
            for (int px = 0; px < g.s1; px++) {
                int ph = py * g.s1 + px;
                if (start[ph + 1] == start[ph]) continue;
                int ia = PlaneSplit.firstInside(px, g.s1, g.lo1, g.pitch), ib = PlaneSplit.endInside(px, g.s1, g.lo1, g.w, g.pitch);
                for (int j = ja; j < jb; j++) {
                    int row = dxOff + (j * g.s0 + py - g.lo0) * g.w + px - g.lo1, src = ph * g.stride + j * g.pitch;
                    for (int i = ia; i < ib; i++) dx[row + i * g.s1] = d[src + i];
                }
            }
        }
    }

    /** The kernel gradient into the zeroed canonical {@code dw} ({@code [O][1][K0][K1]}). */
    static void gradKernel(Kernels kern, ConvPlan p, float[] x, float[] gr, float[] dw) {
        DepthwiseKernels dk = DepthwiseKernels.of(kern);
        PlaneSplit g = split(p, dk.lanes());
        int c = p.channels(), m = p.outChannels() / c, o = p.outChannels(), taps = g.taps(), lanes = dk.lanes();
        int inPlane = g.h * g.w, outPlane = g.q0 * g.q1, slack = 2 * lanes, batch = p.batch();
        long work = (long) batch * o * outPlane * taps;
        Threads.parallelFor(c, ShiftedConv.threadsFor(work), ci -> {
            float[] src = Scratch.floats(Scratch.SRC, g.size + slack);
            float[] acc = Scratch.floats(Scratch.PART, m * taps * lanes);
            Arrays.fill(acc, 0, m * taps * lanes, 0f);
            for (int n = 0; n < batch; n++) {
                g.fill(dk, x, (n * c + ci) * inPlane, src, 0f);
                for (int mi = 0; mi < m; mi++) {
                    int oc = ci * m + mi;
                    dk.dots(gr, (n * o + oc) * outPlane, g.q1, src, 0, g.pitch, g.off, taps, g.q0, g.q1, acc, mi * taps * lanes);
                }
            }
            for (int mi = 0; mi < m; mi++) {
                for (int t = 0; t < taps; t++) dw[(ci * m + mi) * taps + t] = dk.laneSum(acc, (mi * taps + t) * lanes);
            }
        });
    }
}
