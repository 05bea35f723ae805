package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseBlockedKernels} with the Vector API: one vector per position, four positions per step (four independent
 * sums to hide the latency of the multiply-adds). Nine taps (3x3) keep their weights in registers.
 */
final class DepthwiseBlockedVector implements DepthwiseBlockedKernels {
    static final DepthwiseBlockedVector INSTANCE = new DepthwiseBlockedVector();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseBlockedVector() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void taps(float[] src, int s, int sRow, int sStep, int[] off, int[] tw, int nt, float[] w, int wOff,
                     float[] dst, int d, int dRow, int dStep, int rows, int count) {
        if (nt == 9) taps9(src, s, sRow, sStep, off, tw, w, wOff, dst, d, dRow, dStep, rows, count);
        else tapsAny(src, s, sRow, sStep, off, tw, nt, w, wOff, dst, d, dRow, dStep, rows, count);
    }

    /** {@link #taps} with nine taps, their weights in registers. */
    private static void taps9(float[] src, int s, int sRow, int sStep, int[] off, int[] tw, float[] w, int wOff,
                              float[] dst, int d, int dRow, int dStep, int rows, int count) {
        FloatVector w0 = FloatVector.fromArray(S, w, wOff + tw[0] * L), w1 = FloatVector.fromArray(S, w, wOff + tw[1] * L);
        FloatVector w2 = FloatVector.fromArray(S, w, wOff + tw[2] * L), w3 = FloatVector.fromArray(S, w, wOff + tw[3] * L);
        FloatVector w4 = FloatVector.fromArray(S, w, wOff + tw[4] * L), w5 = FloatVector.fromArray(S, w, wOff + tw[5] * L);
        FloatVector w6 = FloatVector.fromArray(S, w, wOff + tw[6] * L), w7 = FloatVector.fromArray(S, w, wOff + tw[7] * L);
        FloatVector w8 = FloatVector.fromArray(S, w, wOff + tw[8] * L);
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7], o8 = off[8];
        for (int r = 0; r < rows; r++) {
            int sr = s + r * sRow, dr = d + r * dRow, j = 0;
            for (; j + 4 <= count; j += 4) {
                int b0 = sr + j * sStep, b1 = b0 + sStep, b2 = b1 + sStep, b3 = b2 + sStep;
                FloatVector a0 = FloatVector.fromArray(S, src, b0 + o0).mul(w0), a1 = FloatVector.fromArray(S, src, b1 + o0).mul(w0);
                FloatVector a2 = FloatVector.fromArray(S, src, b2 + o0).mul(w0), a3 = FloatVector.fromArray(S, src, b3 + o0).mul(w0);
                a0 = FloatVector.fromArray(S, src, b0 + o1).fma(w1, a0); a1 = FloatVector.fromArray(S, src, b1 + o1).fma(w1, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o1).fma(w1, a2); a3 = FloatVector.fromArray(S, src, b3 + o1).fma(w1, a3);
                a0 = FloatVector.fromArray(S, src, b0 + o2).fma(w2, a0); a1 = FloatVector.fromArray(S, src, b1 + o2).fma(w2, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o2).fma(w2, a2); a3 = FloatVector.fromArray(S, src, b3 + o2).fma(w2, a3);
                a0 = FloatVector.fromArray(S, src, b0 + o3).fma(w3, a0); a1 = FloatVector.fromArray(S, src, b1 + o3).fma(w3, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o3).fma(w3, a2); a3 = FloatVector.fromArray(S, src, b3 + o3).fma(w3, a3);
                a0 = FloatVector.fromArray(S, src, b0 + o4).fma(w4, a0); a1 = FloatVector.fromArray(S, src, b1 + o4).fma(w4, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o4).fma(w4, a2); a3 = FloatVector.fromArray(S, src, b3 + o4).fma(w4, a3);
                a0 = FloatVector.fromArray(S, src, b0 + o5).fma(w5, a0); a1 = FloatVector.fromArray(S, src, b1 + o5).fma(w5, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o5).fma(w5, a2); a3 = FloatVector.fromArray(S, src, b3 + o5).fma(w5, a3);
                a0 = FloatVector.fromArray(S, src, b0 + o6).fma(w6, a0); a1 = FloatVector.fromArray(S, src, b1 + o6).fma(w6, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o6).fma(w6, a2); a3 = FloatVector.fromArray(S, src, b3 + o6).fma(w6, a3);
                a0 = FloatVector.fromArray(S, src, b0 + o7).fma(w7, a0); a1 = FloatVector.fromArray(S, src, b1 + o7).fma(w7, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o7).fma(w7, a2); a3 = FloatVector.fromArray(S, src, b3 + o7).fma(w7, a3);
                a0 = FloatVector.fromArray(S, src, b0 + o8).fma(w8, a0); a1 = FloatVector.fromArray(S, src, b1 + o8).fma(w8, a1);
                a2 = FloatVector.fromArray(S, src, b2 + o8).fma(w8, a2); a3 = FloatVector.fromArray(S, src, b3 + o8).fma(w8, a3);
                int e = dr + j * dStep;
                a0.intoArray(dst, e); a1.intoArray(dst, e + dStep); a2.intoArray(dst, e + 2 * dStep); a3.intoArray(dst, e + 3 * dStep);
            }
            for (; j < count; j++) {
                int b = sr + j * sStep;
                FloatVector a = FloatVector.fromArray(S, src, b + o0).mul(w0);
                a = FloatVector.fromArray(S, src, b + o1).fma(w1, a);
                a = FloatVector.fromArray(S, src, b + o2).fma(w2, a);
                a = FloatVector.fromArray(S, src, b + o3).fma(w3, a);
                a = FloatVector.fromArray(S, src, b + o4).fma(w4, a);
                a = FloatVector.fromArray(S, src, b + o5).fma(w5, a);
                a = FloatVector.fromArray(S, src, b + o6).fma(w6, a);
                a = FloatVector.fromArray(S, src, b + o7).fma(w7, a);
                a = FloatVector.fromArray(S, src, b + o8).fma(w8, a);
                a.intoArray(dst, dr + j * dStep);
            }
        }
    }

    /** {@link #taps} with any number of taps, each tap's weights loaded once per four positions. */
    private static void tapsAny(float[] src, int s, int sRow, int sStep, int[] off, int[] tw, int nt, float[] w, int wOff,
                                float[] dst, int d, int dRow, int dStep, int rows, int count) {
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int sr = s + r * sRow, dr = d + r * dRow, j = 0;
            for (; j + 4 <= count; j += 4) {
                int b0 = sr + j * sStep, b1 = b0 + sStep, b2 = b1 + sStep, b3 = b2 + sStep;
                FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero;
                for (int t = 0; t < nt; t++) {
                    FloatVector wt = FloatVector.fromArray(S, w, wOff + tw[t] * L);
                    int o = off[t];
                    a0 = FloatVector.fromArray(S, src, b0 + o).fma(wt, a0);
                    a1 = FloatVector.fromArray(S, src, b1 + o).fma(wt, a1);
                    a2 = FloatVector.fromArray(S, src, b2 + o).fma(wt, a2);
                    a3 = FloatVector.fromArray(S, src, b3 + o).fma(wt, a3);
                }
                int e = dr + j * dStep;
                a0.intoArray(dst, e); a1.intoArray(dst, e + dStep); a2.intoArray(dst, e + 2 * dStep); a3.intoArray(dst, e + 3 * dStep);
            }
            for (; j < count; j++) {
                int b = sr + j * sStep;
                FloatVector a = zero;
                for (int t = 0; t < nt; t++) a = FloatVector.fromArray(S, src, b + off[t]).fma(FloatVector.fromArray(S, w, wOff + tw[t] * L), a);
                a.intoArray(dst, dr + j * dStep);
            }
        }
    }

    @Override
    public void dots(float[] g, float[] src, int s, int sRow, int sStep, int[] off, int nt, int rows, int count, float[] acc) {
        if (nt == 9) dots9(g, src, s, sRow, sStep, off, rows, count, acc);
        else for (int t = 0; t < nt; t++) dotsOne(g, src, s + off[t], sRow, sStep, rows, count, acc, t * L);
    }

    /** {@link #dots} with nine taps: nine sums in registers, one load of {@code g} for nine multiply-adds. */
    private static void dots9(float[] g, float[] src, int s, int sRow, int sStep, int[] off, int rows, int count, float[] acc) {
        FloatVector c0 = FloatVector.fromArray(S, acc, 0), c1 = FloatVector.fromArray(S, acc, L), c2 = FloatVector.fromArray(S, acc, 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, acc, 3 * L), c4 = FloatVector.fromArray(S, acc, 4 * L), c5 = FloatVector.fromArray(S, acc, 5 * L);
        FloatVector c6 = FloatVector.fromArray(S, acc, 6 * L), c7 = FloatVector.fromArray(S, acc, 7 * L), c8 = FloatVector.fromArray(S, acc, 8 * L);
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7], o8 = off[8];
        for (int r = 0; r < rows; r++) {
            int sr = s + r * sRow, gr = r * count * L;
            for (int j = 0; j < count; j++) {
                FloatVector gv = FloatVector.fromArray(S, g, gr + j * L);
                int b = sr + j * sStep;
                c0 = FloatVector.fromArray(S, src, b + o0).fma(gv, c0);
                c1 = FloatVector.fromArray(S, src, b + o1).fma(gv, c1);
                c2 = FloatVector.fromArray(S, src, b + o2).fma(gv, c2);
                c3 = FloatVector.fromArray(S, src, b + o3).fma(gv, c3);
                c4 = FloatVector.fromArray(S, src, b + o4).fma(gv, c4);
                c5 = FloatVector.fromArray(S, src, b + o5).fma(gv, c5);
                c6 = FloatVector.fromArray(S, src, b + o6).fma(gv, c6);
                c7 = FloatVector.fromArray(S, src, b + o7).fma(gv, c7);
                c8 = FloatVector.fromArray(S, src, b + o8).fma(gv, c8);
            }
        }
        c0.intoArray(acc, 0); c1.intoArray(acc, L); c2.intoArray(acc, 2 * L); c3.intoArray(acc, 3 * L); c4.intoArray(acc, 4 * L);
        c5.intoArray(acc, 5 * L); c6.intoArray(acc, 6 * L); c7.intoArray(acc, 7 * L); c8.intoArray(acc, 8 * L);
    }

    /** One tap of {@link #dots}: four partial sums over the positions (in a fixed pattern), added in a fixed order. */
    private static void dotsOne(float[] g, float[] src, int s, int sRow, int sStep, int rows, int count, float[] acc, int a) {
        FloatVector zero = FloatVector.zero(S), c0 = zero, c1 = zero, c2 = zero, c3 = zero;
        for (int r = 0; r < rows; r++) {
            int sr = s + r * sRow, gr = r * count * L, j = 0;
            for (; j + 4 <= count; j += 4) {
                int b = sr + j * sStep, gb = gr + j * L;
                c0 = FloatVector.fromArray(S, src, b).fma(FloatVector.fromArray(S, g, gb), c0);
                c1 = FloatVector.fromArray(S, src, b + sStep).fma(FloatVector.fromArray(S, g, gb + L), c1);
                c2 = FloatVector.fromArray(S, src, b + 2 * sStep).fma(FloatVector.fromArray(S, g, gb + 2 * L), c2);
                c3 = FloatVector.fromArray(S, src, b + 3 * sStep).fma(FloatVector.fromArray(S, g, gb + 3 * L), c3);
            }
            for (; j < count; j++) c0 = FloatVector.fromArray(S, src, sr + j * sStep).fma(FloatVector.fromArray(S, g, gr + j * L), c0);
        }
        FloatVector.fromArray(S, acc, a).add(c0.add(c1).add(c2.add(c3))).intoArray(acc, a);
    }
}
