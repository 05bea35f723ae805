package dev.convolve.backend.reference;

import dev.convolve.plan.WindowPlan;

/**
 * Visits every output position of a window plan with the input offsets its window covers, straight from the
 * definition: tap {@code t} of output {@code q} on axis {@code i} reads coordinate {@code q*s + t*d - lo},
 * which is padding when outside {@code [0, size)}.
 */
final class WindowWalk {
    interface Visitor {
        /** {@code offsets[j]} is the input offset of tap j when {@code real[j]}; taps in padding are not real. */
        void visit(int outIndex, int[] offsets, int count, boolean[] real);
    }

    private final WindowPlan plan;

    WindowWalk(WindowPlan plan) { this.plan = plan; }

    void forEachOutput(Visitor v) {
        int r = plan.rank();
        int[] w = plan.window(), s = plan.strides(), d = plan.dilations(), lo = plan.padLow();
        int[] in = plan.inputShape().dims(), out = plan.outputShape().dims();
        int[] st = plan.inputShape().strides();
        int[][] coord = new int[r][];
        for (int i = 0; i < r; i++) {
            coord[i] = new int[out[i] * w[i]];
            for (int q = 0; q < out[i]; q++) {
                for (int t = 0; t < w[i]; t++) {
                    int pos = q * s[i] + t * d[i] - lo[i];
                    coord[i][q * w[i] + t] = (pos >= 0 && pos < in[i]) ? pos * st[i] : -1;
                }
            }
        }
        int nt = ReferenceBackend.product(w);
        int no = ReferenceBackend.product(out);
        int[][] tIdx = ReferenceBackend.unravelAll(w, nt);
        int[] offsets = new int[nt];
        boolean[] real = new boolean[nt];
        int[] q = new int[r];
        for (int o = 0; o < no; o++) {
            for (int t = 0; t < nt; t++) {
                int off = 0;
                boolean ok = true;
                for (int i = 0; i < r; i++) {
                    int c = coord[i][q[i] * w[i] + tIdx[t][i]];
                    if (c < 0) { ok = false; break; }
                    off += c;
                }
                offsets[t] = off;
                real[t] = ok;
            }
            v.visit(o, offsets, nt, real);
            for (int i = r - 1; i >= 0; i--) {
                if (++q[i] < out[i]) break;
                q[i] = 0;
            }
        }
    }
}
