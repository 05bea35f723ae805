package dev.convolve.vision.fast;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops with the Vector API, in Lucene's style: the preferred species held in static finals, four
 * independent accumulators per step (to hide the latency of FMA), then one vector at a time, then a scalar tail.
 * Loaded reflectively by {@link FastFilter} only when {@code jdk.incubator.vector} is present.
 */
final class VectorRowOps implements RowOps {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes matching one float vector (L bytes). */
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(jdk.incubator.vector.VectorShape.forBitSize(L * 8));

    VectorRowOps() {
        if (I.length() != L) throw new IllegalStateException("int and float species differ in length");
    }

    static int lanes() { return L; }

    @Override
    public void u8ToF32(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = n - L; i <= bound; i += L) {
            ByteVector b = ByteVector.fromArray(B, src, srcOff + i);
            IntVector v = (IntVector) b.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            ((FloatVector) v.convert(VectorOperators.I2F, 0)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) dst[dstOff + i] = src[srcOff + i] & 0xFF;
    }

    @Override
    public void f32ToU8(float[] src, int srcOff, byte[] dst, int dstOff, int n) {
        // As ScalarRowOps.toU8: (v + 2^-16) + 2^23 leaves round-half-up(v) in the low mantissa bits (for v in
        // [0, 2^22)); as ints, those floats order like the values, so clipping to [0, 255] is an int max and min.
        int i = 0;
        for (int bound = n - L; i <= bound; i += L) {
            IntVector bits = FloatVector.fromArray(F, src, srcOff + i).add(ScalarRowOps.TIE_UP).add(ScalarRowOps.ROUND).reinterpretAsInts();
            bits = bits.max(ScalarRowOps.ROUND_BITS).min(ScalarRowOps.ROUND_BITS + 255);
            ((ByteVector) bits.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) dst[dstOff + i] = ScalarRowOps.toU8(src[srcOff + i]);
    }

    @Override
    public void vertical(float[][] rows, int[] offs, float[] w, int taps, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int a = 0; a < taps; a++) {
                float[] r = rows[a];
                int o = offs[a] + i;
                FloatVector wv = FloatVector.broadcast(F, w[a]);
                a0 = FloatVector.fromArray(F, r, o).fma(wv, a0);
                a1 = FloatVector.fromArray(F, r, o + L).fma(wv, a1);
                a2 = FloatVector.fromArray(F, r, o + 2 * L).fma(wv, a2);
                a3 = FloatVector.fromArray(F, r, o + 3 * L).fma(wv, a3);
            }
            a0.intoArray(dst, dstOff + i);
            a1.intoArray(dst, dstOff + i + L);
            a2.intoArray(dst, dstOff + i + 2 * L);
            a3.intoArray(dst, dstOff + i + 3 * L);
        }
        for (int bound = n - L; i <= bound; i += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int a = 0; a < taps; a++) acc = FloatVector.fromArray(F, rows[a], offs[a] + i).fma(FloatVector.broadcast(F, w[a]), acc);
            acc.intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            float acc = 0;
            for (int a = 0; a < taps; a++) acc = Math.fma(w[a], rows[a][offs[a] + i], acc);
            dst[dstOff + i] = acc;
        }
    }

    @Override
    public void vertical2(float[][] rows, float[] w, int taps, float[] dst0, float[] dst1, int n) {
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            // Row a feeds output 0 with weight w[a] and output 1 with w[a - 1]: loaded once for both.
            float[] r = rows[0];
            FloatVector w0 = FloatVector.broadcast(F, w[0]);
            FloatVector x0 = FloatVector.fromArray(F, r, i), x1 = FloatVector.fromArray(F, r, i + L);
            FloatVector p0 = x0.mul(w0), p1 = x1.mul(w0), q0 = FloatVector.zero(F), q1 = q0;
            for (int a = 1; a < taps; a++) {
                r = rows[a];
                x0 = FloatVector.fromArray(F, r, i);
                x1 = FloatVector.fromArray(F, r, i + L);
                FloatVector wa = FloatVector.broadcast(F, w[a]), wb = FloatVector.broadcast(F, w[a - 1]);
                p0 = x0.fma(wa, p0);
                p1 = x1.fma(wa, p1);
                q0 = x0.fma(wb, q0);
                q1 = x1.fma(wb, q1);
            }
            r = rows[taps];
            FloatVector wl = FloatVector.broadcast(F, w[taps - 1]);
            q0 = FloatVector.fromArray(F, r, i).fma(wl, q0);
            q1 = FloatVector.fromArray(F, r, i + L).fma(wl, q1);
            p0.intoArray(dst0, i);
            p1.intoArray(dst0, i + L);
            q0.intoArray(dst1, i);
            q1.intoArray(dst1, i + L);
        }
        for (; i < n; i++) {
            float a0 = 0, a1 = 0;
            for (int a = 0; a < taps; a++) {
                a0 = Math.fma(w[a], rows[a][i], a0);
                a1 = Math.fma(w[a], rows[a + 1][i], a1);
            }
            dst0[i] = a0;
            dst1[i] = a1;
        }
    }

    @Override
    public void vertical2Symmetric(float[][] rows, float[] w, int taps, float[] dst0, float[] dst1, int n) {
        // out0 pairs rows (a, taps-1-a), out1 pairs (a+1, taps-a). Row a+1 of one step is row a of the next, and row
        // taps-1-a of one step is row taps-a of the next: carried in registers, every row is loaded once.
        int half = taps / 2;
        boolean odd = taps % 2 == 1;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(F, rows[0], i), x1 = FloatVector.fromArray(F, rows[0], i + L);
            FloatVector y0 = FloatVector.fromArray(F, rows[taps], i), y1 = FloatVector.fromArray(F, rows[taps], i + L);
            FloatVector p0 = FloatVector.zero(F), p1 = p0, q0 = p0, q1 = p0;
            for (int a = 0; a < half; a++) {
                float[] next = rows[a + 1], mirror = rows[taps - 1 - a];
                FloatVector n0 = FloatVector.fromArray(F, next, i), n1 = FloatVector.fromArray(F, next, i + L);
                FloatVector m0 = FloatVector.fromArray(F, mirror, i), m1 = FloatVector.fromArray(F, mirror, i + L);
                FloatVector wa = FloatVector.broadcast(F, w[a]);
                p0 = x0.add(m0).fma(wa, p0);
                p1 = x1.add(m1).fma(wa, p1);
                q0 = n0.add(y0).fma(wa, q0);
                q1 = n1.add(y1).fma(wa, q1);
                x0 = n0;
                x1 = n1;
                y0 = m0;
                y1 = m1;
            }
            if (odd) {
                // Now x = rows[half] and y = rows[half + 1]: the middle rows of out0 and out1.
                FloatVector wm = FloatVector.broadcast(F, w[half]);
                p0 = x0.fma(wm, p0);
                p1 = x1.fma(wm, p1);
                q0 = y0.fma(wm, q0);
                q1 = y1.fma(wm, q1);
            }
            p0.intoArray(dst0, i);
            p1.intoArray(dst0, i + L);
            q0.intoArray(dst1, i);
            q1.intoArray(dst1, i + L);
        }
        for (; i < n; i++) {
            float p = 0, q = 0;
            for (int a = 0; a < half; a++) {
                p = Math.fma(rows[a][i] + rows[taps - 1 - a][i], w[a], p);
                q = Math.fma(rows[a + 1][i] + rows[taps - a][i], w[a], q);
            }
            if (odd) {
                p = Math.fma(rows[half][i], w[half], p);
                q = Math.fma(rows[half + 1][i], w[half], q);
            }
            dst0[i] = p;
            dst1[i] = q;
        }
    }

    @Override
    public void vertical2SymmetricU8(byte[][] rows, int[] offs, float[] w, int taps, float[] dst0, float[] dst1, int dstOff, int n) {
        // vertical2Symmetric with each row's bytes widened to floats as they are loaded: no f32 copy of the rows.
        int half = taps / 2;
        boolean odd = taps % 2 == 1;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            byte[] r = rows[0];
            int o = offs[0] + i;
            FloatVector x0 = (FloatVector) ByteVector.fromArray(B, r, o).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            FloatVector x1 = (FloatVector) ByteVector.fromArray(B, r, o + L).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            r = rows[taps];
            o = offs[taps] + i;
            FloatVector y0 = (FloatVector) ByteVector.fromArray(B, r, o).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            FloatVector y1 = (FloatVector) ByteVector.fromArray(B, r, o + L).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            FloatVector p0 = FloatVector.zero(F), p1 = p0, q0 = p0, q1 = p0;
            for (int a = 0; a < half; a++) {
                byte[] nr = rows[a + 1], mr = rows[taps - 1 - a];
                int on = offs[a + 1] + i, om = offs[taps - 1 - a] + i;
                FloatVector n0 = (FloatVector) ByteVector.fromArray(B, nr, on).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                FloatVector n1 = (FloatVector) ByteVector.fromArray(B, nr, on + L).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                FloatVector m0 = (FloatVector) ByteVector.fromArray(B, mr, om).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                FloatVector m1 = (FloatVector) ByteVector.fromArray(B, mr, om + L).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                FloatVector wa = FloatVector.broadcast(F, w[a]);
                p0 = x0.add(m0).fma(wa, p0);
                p1 = x1.add(m1).fma(wa, p1);
                q0 = n0.add(y0).fma(wa, q0);
                q1 = n1.add(y1).fma(wa, q1);
                x0 = n0;
                x1 = n1;
                y0 = m0;
                y1 = m1;
            }
            if (odd) {
                FloatVector wm = FloatVector.broadcast(F, w[half]);
                p0 = x0.fma(wm, p0);
                p1 = x1.fma(wm, p1);
                q0 = y0.fma(wm, q0);
                q1 = y1.fma(wm, q1);
            }
            p0.intoArray(dst0, dstOff + i);
            p1.intoArray(dst0, dstOff + i + L);
            q0.intoArray(dst1, dstOff + i);
            q1.intoArray(dst1, dstOff + i + L);
        }
        for (; i < n; i++) {
            float p = 0, q = 0;
            for (int a = 0; a < half; a++) {
                p = Math.fma((float) (rows[a][offs[a] + i] & 0xFF) + (rows[taps - 1 - a][offs[taps - 1 - a] + i] & 0xFF), w[a], p);
                q = Math.fma((float) (rows[a + 1][offs[a + 1] + i] & 0xFF) + (rows[taps - a][offs[taps - a] + i] & 0xFF), w[a], q);
            }
            if (odd) {
                p = Math.fma(rows[half][offs[half] + i] & 0xFF, w[half], p);
                q = Math.fma(rows[half + 1][offs[half + 1] + i] & 0xFF, w[half], q);
            }
            dst0[dstOff + i] = p;
            dst1[dstOff + i] = q;
        }
    }

    @Override
    public void horizontal(float[] src, int srcOff, int tapStride, float[] w, int taps, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0, o = srcOff + i; b < taps; b++, o += tapStride) {
                FloatVector wv = FloatVector.broadcast(F, w[b]);
                a0 = FloatVector.fromArray(F, src, o).fma(wv, a0);
                a1 = FloatVector.fromArray(F, src, o + L).fma(wv, a1);
                a2 = FloatVector.fromArray(F, src, o + 2 * L).fma(wv, a2);
                a3 = FloatVector.fromArray(F, src, o + 3 * L).fma(wv, a3);
            }
            a0.intoArray(dst, dstOff + i);
            a1.intoArray(dst, dstOff + i + L);
            a2.intoArray(dst, dstOff + i + 2 * L);
            a3.intoArray(dst, dstOff + i + 3 * L);
        }
        for (int bound = n - L; i <= bound; i += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0, o = srcOff + i; b < taps; b++, o += tapStride) acc = FloatVector.fromArray(F, src, o).fma(FloatVector.broadcast(F, w[b]), acc);
            acc.intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            float acc = 0;
            for (int b = 0, p = srcOff + i; b < taps; b++, p += tapStride) acc = Math.fma(w[b], src[p], acc);
            dst[dstOff + i] = acc;
        }
    }

    @Override
    public void horizontalSymmetric(float[] src, int srcOff, int tapStride, float[] w, int taps, float[] dst, int dstOff, int n) {
        int half = taps / 2, mid = taps - 1 - half;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            int o = srcOff + i, m = o + mid * tapStride;
            FloatVector wm = FloatVector.broadcast(F, w[mid]);
            FloatVector a0, a1, a2, a3;
            if (taps % 2 == 1) {
                a0 = FloatVector.fromArray(F, src, m).mul(wm);
                a1 = FloatVector.fromArray(F, src, m + L).mul(wm);
                a2 = FloatVector.fromArray(F, src, m + 2 * L).mul(wm);
                a3 = FloatVector.fromArray(F, src, m + 3 * L).mul(wm);
            } else {
                a0 = FloatVector.zero(F);
                a1 = a0;
                a2 = a0;
                a3 = a0;
            }
            for (int b = 0, lo = o, hi = o + (taps - 1) * tapStride; b < half; b++, lo += tapStride, hi -= tapStride) {
                FloatVector wv = FloatVector.broadcast(F, w[b]);
                a0 = FloatVector.fromArray(F, src, lo).add(FloatVector.fromArray(F, src, hi)).fma(wv, a0);
                a1 = FloatVector.fromArray(F, src, lo + L).add(FloatVector.fromArray(F, src, hi + L)).fma(wv, a1);
                a2 = FloatVector.fromArray(F, src, lo + 2 * L).add(FloatVector.fromArray(F, src, hi + 2 * L)).fma(wv, a2);
                a3 = FloatVector.fromArray(F, src, lo + 3 * L).add(FloatVector.fromArray(F, src, hi + 3 * L)).fma(wv, a3);
            }
            a0.intoArray(dst, dstOff + i);
            a1.intoArray(dst, dstOff + i + L);
            a2.intoArray(dst, dstOff + i + 2 * L);
            a3.intoArray(dst, dstOff + i + 3 * L);
        }
        for (; i < n; i++) {
            int o = srcOff + i;
            float acc = taps % 2 == 1 ? w[mid] * src[o + mid * tapStride] : 0;
            for (int b = 0; b < half; b++) acc = Math.fma(w[b], src[o + b * tapStride] + src[o + (taps - 1 - b) * tapStride], acc);
            dst[dstOff + i] = acc;
        }
    }

    @Override
    public void horizontalSymmetricU8(float[] src, int srcOff, int tapStride, float[] w, int taps, byte[] dst, int dstOff, int n, boolean clip) {
        if (RowOps.unrolledTaps(taps) && n >= L) {
            // Whole vectors, then the last L outputs once more (recomputing a few: the same values) for a partial one.
            int m = n - n % L;
            int chunks = ((taps - 1) * tapStride + L - 1) / L + 1;
            if (VectorKernels.hasMixed(taps, tapStride) && srcOff + n - L + chunks * L <= src.length) {
                VectorKernels.horizontalSymmetricU8Mixed(taps, src, srcOff, tapStride, w, dst, dstOff, 0, m, clip);
                if (m < n) VectorKernels.horizontalSymmetricU8Mixed(taps, src, srcOff + n - L, tapStride, w, dst, dstOff + n - L, 0, L, clip);
            } else {
                VectorKernels.horizontalSymmetricU8(taps, src, srcOff, tapStride, w, dst, dstOff, 0, m, clip);
                if (m < n) VectorKernels.horizontalSymmetricU8(taps, src, srcOff + n - L, tapStride, w, dst, dstOff + n - L, 0, L, clip);
            }
            return;
        }
        int half = taps / 2, mid = taps - 1 - half;
        boolean odd = taps % 2 == 1;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            int o = srcOff + i, m = o + mid * tapStride;
            FloatVector wm = FloatVector.broadcast(F, odd ? w[mid] : 0f);
            FloatVector a0 = FloatVector.fromArray(F, src, m).mul(wm), a1 = FloatVector.fromArray(F, src, m + L).mul(wm);
            for (int b = 0, lo = o, hi = o + (taps - 1) * tapStride; b < half; b++, lo += tapStride, hi -= tapStride) {
                FloatVector wv = FloatVector.broadcast(F, w[b]);
                a0 = FloatVector.fromArray(F, src, lo).add(FloatVector.fromArray(F, src, hi)).fma(wv, a0);
                a1 = FloatVector.fromArray(F, src, lo + L).add(FloatVector.fromArray(F, src, hi + L)).fma(wv, a1);
            }
            // Rounded as f32ToU8 does it, written in place (no f32 row in between).
            IntVector b0 = a0.add(ScalarRowOps.TIE_UP).add(ScalarRowOps.ROUND).reinterpretAsInts();
            IntVector b1 = a1.add(ScalarRowOps.TIE_UP).add(ScalarRowOps.ROUND).reinterpretAsInts();
            b0 = b0.max(ScalarRowOps.ROUND_BITS).min(ScalarRowOps.ROUND_BITS + 255);
            b1 = b1.max(ScalarRowOps.ROUND_BITS).min(ScalarRowOps.ROUND_BITS + 255);
            ((ByteVector) b0.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, dstOff + i);
            ((ByteVector) b1.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, dstOff + i + L);
        }
        for (; i < n; i++) {
            int o = srcOff + i;
            float acc = odd ? w[mid] * src[o + mid * tapStride] : 0;
            for (int b = 0; b < half; b++) acc = Math.fma(w[b], src[o + b * tapStride] + src[o + (taps - 1 - b) * tapStride], acc);
            dst[dstOff + i] = ScalarRowOps.toU8(acc);
        }
    }

    @Override
    public void direct(float[][] rows, int[] offs, float[] k, int kh, int kw, int tapStride, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int a = 0; a < kh; a++) {
                float[] r = rows[a];
                for (int b = 0, o = offs[a] + i, t = a * kw; b < kw; b++, o += tapStride, t++) {
                    FloatVector wv = FloatVector.broadcast(F, k[t]);
                    a0 = FloatVector.fromArray(F, r, o).fma(wv, a0);
                    a1 = FloatVector.fromArray(F, r, o + L).fma(wv, a1);
                    a2 = FloatVector.fromArray(F, r, o + 2 * L).fma(wv, a2);
                    a3 = FloatVector.fromArray(F, r, o + 3 * L).fma(wv, a3);
                }
            }
            a0.intoArray(dst, dstOff + i);
            a1.intoArray(dst, dstOff + i + L);
            a2.intoArray(dst, dstOff + i + 2 * L);
            a3.intoArray(dst, dstOff + i + 3 * L);
        }
        for (int bound = n - L; i <= bound; i += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int a = 0; a < kh; a++) {
                for (int b = 0, o = offs[a] + i, t = a * kw; b < kw; b++, o += tapStride, t++) {
                    acc = FloatVector.fromArray(F, rows[a], o).fma(FloatVector.broadcast(F, k[t]), acc);
                }
            }
            acc.intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            float acc = 0;
            for (int a = 0; a < kh; a++) {
                for (int b = 0, p = offs[a] + i; b < kw; b++, p += tapStride) acc = Math.fma(k[a * kw + b], rows[a][p], acc);
            }
            dst[dstOff + i] = acc;
        }
    }

    @Override
    public void direct2(float[][] rows, float[] k, int kh, int kw, int tapStride, float[] dst0, int off0, float[] dst1, int off1, int n) {
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            // Row a feeds output 0 with kernel row a and output 1 with kernel row a - 1: each load serves both.
            FloatVector p0 = FloatVector.zero(F), p1 = p0, q0 = p0, q1 = p0;
            float[] r = rows[0];
            for (int b = 0, o = i; b < kw; b++, o += tapStride) {
                FloatVector wv = FloatVector.broadcast(F, k[b]);
                p0 = FloatVector.fromArray(F, r, o).fma(wv, p0);
                p1 = FloatVector.fromArray(F, r, o + L).fma(wv, p1);
            }
            for (int a = 1; a < kh; a++) {
                r = rows[a];
                for (int b = 0, o = i, t = a * kw; b < kw; b++, o += tapStride, t++) {
                    FloatVector x0 = FloatVector.fromArray(F, r, o), x1 = FloatVector.fromArray(F, r, o + L);
                    FloatVector wp = FloatVector.broadcast(F, k[t]), wq = FloatVector.broadcast(F, k[t - kw]);
                    p0 = x0.fma(wp, p0);
                    p1 = x1.fma(wp, p1);
                    q0 = x0.fma(wq, q0);
                    q1 = x1.fma(wq, q1);
                }
            }
            r = rows[kh];
            for (int b = 0, o = i, t = (kh - 1) * kw; b < kw; b++, o += tapStride, t++) {
                FloatVector wv = FloatVector.broadcast(F, k[t]);
                q0 = FloatVector.fromArray(F, r, o).fma(wv, q0);
                q1 = FloatVector.fromArray(F, r, o + L).fma(wv, q1);
            }
            p0.intoArray(dst0, off0 + i);
            p1.intoArray(dst0, off0 + i + L);
            q0.intoArray(dst1, off1 + i);
            q1.intoArray(dst1, off1 + i + L);
        }
        for (; i < n; i++) {
            float a0 = 0, a1 = 0;
            for (int a = 0; a < kh; a++) {
                for (int b = 0, p = i; b < kw; b++, p += tapStride) {
                    a0 = Math.fma(k[a * kw + b], rows[a][p], a0);
                    a1 = Math.fma(k[a * kw + b], rows[a + 1][p], a1);
                }
            }
            dst0[off0 + i] = a0;
            dst1[off1 + i] = a1;
        }
    }

    @Override
    public void vertical4Symmetric(float[][] rows, float[] w, int taps, float[][] dst, int dstOff, int n) {
        if (!RowOps.unrolledTaps(taps) || n < L) {
            ScalarRowOps.vertical4SymmetricLoop(rows, w, taps, dst, dstOff, 0, n);
            return;
        }
        int m = n - n % L;
        VectorKernels.vertical4Symmetric(taps, rows, w, dst, dstOff, 0, m);
        if (m < n) VectorKernels.vertical4Symmetric(taps, rows, w, dst, dstOff, n - L, n);
    }

    @Override
    public void vertical4SymmetricRing(float[][] rows, byte[][] src, int[] srcOffs, float[] w, int taps, float[][] dst, int dstOff, int n) {
        if (!RowOps.unrolledTaps(taps) || RowOps.unrolledTapsU8(taps) || n < L) {
            for (int k = 0; k < 4; k++) u8ToF32(src[k], srcOffs[k], rows[taps - 1 + k], 0, n);
            vertical4Symmetric(rows, w, taps, dst, dstOff, n);
            return;
        }
        int m = n - n % L;
        VectorKernels.vertical4SymmetricRing(taps, rows, src, srcOffs, w, dst, dstOff, 0, m);
        if (m < n) VectorKernels.vertical4SymmetricRing(taps, rows, src, srcOffs, w, dst, dstOff, n - L, n);
    }

    @Override
    public void vertical4SymmetricU8(byte[][] rows, int[] offs, float[] w, int taps, float[][] dst, int dstOff, int n) {
        if (!RowOps.unrolledTapsU8(taps) || n < L) {
            ScalarRowOps.vertical4SymmetricU8Loop(rows, offs, w, taps, dst, dstOff, 0, n);
            return;
        }
        int m = n - n % L;
        VectorKernels.vertical4SymmetricU8(taps, rows, offs, w, dst, dstOff, 0, m);
        if (m < n) VectorKernels.vertical4SymmetricU8(taps, rows, offs, w, dst, dstOff, n - L, n);
    }

    @Override
    public void direct4(float[][] rows, int[] offs, float[] k, int kh, int kw, int tapStride, float[][] dst, int[] dstOffs, int n) {
        if (!RowOps.unrolledDirect(kh, kw) || n < L) {
            ScalarRowOps.direct4Loop(rows, offs, k, kh, kw, tapStride, dst, dstOffs, 0, n);
            return;
        }
        int m = n - n % L;
        VectorKernels.direct4(kh, rows, offs, k, tapStride, dst, dstOffs, 0, m);
        if (m < n) VectorKernels.direct4(kh, rows, offs, k, tapStride, dst, dstOffs, n - L, n);
    }

    @Override
    public String describe() { return "vector (" + L + " x f32)"; }
}
