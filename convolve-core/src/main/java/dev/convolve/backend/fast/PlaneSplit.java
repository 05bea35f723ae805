package dev.convolve.backend.fast;

import java.util.Arrays;

/**
 * One 2-D plane split into its stride phases, padded, for windows of {@code k0 x k1} taps (dilations {@code d0, d1}) read with
 * strides {@code s0, s1} and low padding {@code lo0, lo1}, producing a {@code q0 x q1} grid.
 *
 * <p>Per axis, tap {@code k} reads padded index {@code q*s + k*d}; that is row (column) {@code q + sh} of phase
 * {@code ph = (k*d) mod s}, with {@code sh = (k*d) div s}. Phase plane {@code (py, px)} holds {@code rows x pitch} values,
 * {@code rows = q0 + span0}, {@code pitch = q1 + span1} ({@code span = max sh}); its element {@code (j, i)} is input
 * {@code (j*s0 + py - lo0, i*s1 + px - lo1)}, or the pad value outside the plane. So output {@code (q0', q1')} reads tap
 * {@code t} at {@code buf[off[t] + q0'*pitch + q1']}: every tap of a row of outputs is one contiguous run.
 */
final class PlaneSplit {
    final int h, w, s0, s1, lo0, lo1, q0, q1, k0, k1, span0, span1, rows, pitch, planeSize, size;
    /** Floats from one phase plane to the next: the plane and a gap of {@code gap} floats that row writes may run into. */
    final int stride;
    /** Per tap {@code t = a*k1 + b}: its phase plane index {@code py*s1 + px}, row shift and column shift. */
    final int[] phase, sh0, sh1;
    /** Per column phase {@code px}: the first and one past the last column {@code i} that holds an input column. */
    final int[] cols;
    /** Per tap: the offset of its first read in the phase-plane buffer. */
    final int[] off;

    PlaneSplit(int h, int w, int k0, int k1, int s0, int s1, int d0, int d1, int lo0, int lo1, int q0, int q1, int gap) {
        this.h = h; this.w = w; this.k0 = k0; this.k1 = k1; this.s0 = s0; this.s1 = s1; this.lo0 = lo0; this.lo1 = lo1; this.q0 = q0; this.q1 = q1;
        span0 = (k0 - 1) * d0 / s0;
        span1 = (k1 - 1) * d1 / s1;
        rows = q0 + span0;
        pitch = q1 + span1;
        planeSize = rows * pitch;
        stride = planeSize + gap;
        size = s0 * s1 * stride;
        cols = new int[2 * s1];
        for (int px = 0; px < s1; px++) {
            cols[2 * px] = firstInside(px, s1, lo1, pitch);
            cols[2 * px + 1] = Math.max(cols[2 * px], endInside(px, s1, lo1, w, pitch));
        }
        int taps = k0 * k1;
        phase = new int[taps]; sh0 = new int[taps]; sh1 = new int[taps]; off = new int[taps];
        for (int a = 0; a < k0; a++) {
            for (int b = 0; b < k1; b++) {
                int t = a * k1 + b, e0 = a * d0, e1 = b * d1;
                phase[t] = (e0 % s0) * s1 + e1 % s1;
                sh0[t] = e0 / s0;
                sh1[t] = e1 / s1;
                off[t] = phase[t] * stride + sh0[t] * pitch + sh1[t];
            }
        }
    }

    /** Number of taps. */
    int taps() { return k0 * k1; }

    /** First phase-plane row (column) of phase {@code ph} that holds an input row (column), clamped to {@code [0, n]}. */
    static int firstInside(int ph, int s, int lo, int n) { return clamp(Math.floorDiv(lo - ph + s - 1, s), n); }

    /** One past the last phase-plane row (column) of phase {@code ph} that holds an input row (column) of {@code size}. */
    static int endInside(int ph, int s, int lo, int size, int n) { return clamp(Math.floorDiv(size - 1 + lo - ph, s) + 1, n); }

    private static int clamp(int v, int n) { return Math.max(0, Math.min(n, v)); }

    /**
     * Fills every phase plane of {@code dst} (from 0) with the {@code h x w} plane {@code x[xOff ..]}, {@code pad} outside it. Rows
     * are written in ascending order and the padding rows below the plane last, since a row's vector stores may run into the
     * next row or the gap.
     */
    void fill(DepthwiseKernels dk, float[] x, int xOff, float[] dst, float pad) {
        for (int py = 0; py < s0; py++) {
            int ja = firstInside(py, s0, lo0, rows), jb = Math.max(ja, endInside(py, s0, lo0, h, rows));
            for (int px = 0; px < s1; px++) {
                int base = (py * s1 + px) * stride;
                Arrays.fill(dst, base, base + ja * pitch, pad);
            }
            if (jb > ja) dk.splitRows(x, xOff + (ja * s0 + py - lo0) * w, s0 * w, jb - ja, w, s1, lo1, dst, py * s1 * stride + ja * pitch, pitch, stride, pitch, pad, cols);
            for (int px = 0; px < s1; px++) {
                int base = (py * s1 + px) * stride;
                Arrays.fill(dst, base + jb * pitch, base + stride, pad);
            }
        }
    }
}
