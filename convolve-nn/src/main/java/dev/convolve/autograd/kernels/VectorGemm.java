package dev.convolve.autograd.kernels;

import dev.convolve.backend.fast.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm} with the Vector API: register-blocked micro-kernels (4 rows x 2 vectors for {@code nn}, 4 x 4 dot
 * products for {@code nt}), several independent accumulators, vector tails by masking and scalar row tails.
 */
final class VectorGemm extends Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** This implementation when the preferred vectors hold at least 8 floats, else null. */
    public static Gemm createIfFast() {
        if (VectorShape.preferredShape().vectorBitSize() < 256) return null;
        return new VectorGemm();
    }

    @Override
    public String name() { return "vector-" + L * 32; }

    @Override
    public void nn(int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) rows4(n, k, a, ao + i * lda, lda, b, bo, ldb, c, co + i * ldc, ldc, accumulate);
        for (; i < m; i++) rows1(n, k, a, ao + i * lda, b, bo, ldb, c, co + i * ldc, accumulate);
    }

    private static void rows4(int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean acc) {
        int j = 0;
        int a0 = ao, a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda;
        for (; j + 2 * L <= n; j += 2 * L) {
            FloatVector x00 = FloatVector.zero(S), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
            int bp = bo + j;
            for (int p = 0; p < k; p++, bp += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector w = FloatVector.broadcast(S, a[a0 + p]);
                x00 = w.fma(b0, x00); x01 = w.fma(b1, x01);
                w = FloatVector.broadcast(S, a[a1 + p]);
                x10 = w.fma(b0, x10); x11 = w.fma(b1, x11);
                w = FloatVector.broadcast(S, a[a2 + p]);
                x20 = w.fma(b0, x20); x21 = w.fma(b1, x21);
                w = FloatVector.broadcast(S, a[a3 + p]);
                x30 = w.fma(b0, x30); x31 = w.fma(b1, x31);
            }
            int c0 = co + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            if (acc) {
                x00 = x00.add(FloatVector.fromArray(S, c, c0)); x01 = x01.add(FloatVector.fromArray(S, c, c0 + L));
                x10 = x10.add(FloatVector.fromArray(S, c, c1)); x11 = x11.add(FloatVector.fromArray(S, c, c1 + L));
                x20 = x20.add(FloatVector.fromArray(S, c, c2)); x21 = x21.add(FloatVector.fromArray(S, c, c2 + L));
                x30 = x30.add(FloatVector.fromArray(S, c, c3)); x31 = x31.add(FloatVector.fromArray(S, c, c3 + L));
            }
            x00.intoArray(c, c0); x01.intoArray(c, c0 + L);
            x10.intoArray(c, c1); x11.intoArray(c, c1 + L);
            x20.intoArray(c, c2); x21.intoArray(c, c2 + L);
            x30.intoArray(c, c3); x31.intoArray(c, c3 + L);
        }
        for (; j + L <= n; j += L) {
            FloatVector x0 = FloatVector.zero(S), x1 = x0, x2 = x0, x3 = x0;
            int bp = bo + j;
            for (int p = 0; p < k; p++, bp += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                x0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, x0);
                x1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, x1);
                x2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, x2);
                x3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, x3);
            }
            int c0 = co + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            if (acc) {
                x0 = x0.add(FloatVector.fromArray(S, c, c0)); x1 = x1.add(FloatVector.fromArray(S, c, c1));
                x2 = x2.add(FloatVector.fromArray(S, c, c2)); x3 = x3.add(FloatVector.fromArray(S, c, c3));
            }
            x0.intoArray(c, c0); x1.intoArray(c, c1); x2.intoArray(c, c2); x3.intoArray(c, c3);
        }
        if (j < n) {
            for (int r = 0; r < 4; r++) tail(j, n, k, a, ao + r * lda, b, bo, ldb, c, co + r * ldc, acc);
        }
    }

    /** Columns {@code j0..n-1} of one row, scalar (fewer than one vector). */
    private static void tail(int j0, int n, int k, float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, boolean acc) {
        for (int j = j0; j < n; j++) {
            float s = 0;
            for (int p = 0, bp = bo + j; p < k; p++, bp += ldb) s = Math.fma(a[ao + p], b[bp], s);
            c[co + j] = acc ? c[co + j] + s : s;
        }
    }

    private static void rows1(int n, int k, float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, boolean acc) {
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector x = FloatVector.zero(S);
            int bp = bo + j;
            for (int p = 0; p < k; p++, bp += ldb) x = FloatVector.broadcast(S, a[ao + p]).fma(FloatVector.fromArray(S, b, bp), x);
            if (acc) x = x.add(FloatVector.fromArray(S, c, co + j));
            x.intoArray(c, co + j);
        }
        if (j < n) tail(j, n, k, a, ao, b, bo, ldb, c, co, acc);
    }

    @Override
    public void nt(int m, int k, int n, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int p = 0;
            for (; p + 4 <= k; p += 4) dots4x4(n, a, ao + i * lda, lda, b, bo + p * ldb, ldb, c, co + i * ldc + p, ldc, accumulate);
            for (; p < k; p++) {
                for (int r = 0; r < 4; r++) dot1(n, a, ao + (i + r) * lda, b, bo + p * ldb, c, co + (i + r) * ldc + p, accumulate);
            }
        }
        for (; i < m; i++) {
            for (int p = 0; p < k; p++) dot1(n, a, ao + i * lda, b, bo + p * ldb, c, co + i * ldc + p, accumulate);
        }
    }

    private static void dots4x4(int n, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean acc) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00,
                s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int a0 = ao, a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda;
        int b0 = bo, b1 = bo + ldb, b2 = bo + 2 * ldb, b3 = bo + 3 * ldb;
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + j), y1 = FloatVector.fromArray(S, b, b1 + j),
                    y2 = FloatVector.fromArray(S, b, b2 + j), y3 = FloatVector.fromArray(S, b, b3 + j);
            FloatVector x = FloatVector.fromArray(S, a, a0 + j);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02); s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + j);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12); s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + j);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22); s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + j);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32); s33 = x.fma(y3, s33);
        }
        float[] r = {
                Lanes.sum(s00), Lanes.sum(s01), Lanes.sum(s02), Lanes.sum(s03),
                Lanes.sum(s10), Lanes.sum(s11), Lanes.sum(s12), Lanes.sum(s13),
                Lanes.sum(s20), Lanes.sum(s21), Lanes.sum(s22), Lanes.sum(s23),
                Lanes.sum(s30), Lanes.sum(s31), Lanes.sum(s32), Lanes.sum(s33)};
        for (int q = 0; q < 16; q++) {
            int at = co + (q / 4) * ldc + q % 4;
            c[at] = acc ? c[at] + r[q] : r[q];
        }
        if (j < n) {
            for (int ri = 0; ri < 4; ri++) {
                for (int q = 0; q < 4; q++) c[co + ri * ldc + q] += dotTail(j, n, a, ao + ri * lda, b, bo + q * ldb);
            }
        }
    }

    private static float dotTail(int j0, int n, float[] a, int ao, float[] b, int bo) {
        float s = 0;
        for (int j = j0; j < n; j++) s = Math.fma(a[ao + j], b[bo + j], s);
        return s;
    }

    private static void dot1(int n, float[] a, int ao, float[] b, int bo, float[] c, int at, boolean acc) {
        FloatVector s = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= n; j += L) s = FloatVector.fromArray(S, a, ao + j).fma(FloatVector.fromArray(S, b, bo + j), s);
        float r = Lanes.sum(s) + dotTail(j, n, a, ao, b, bo);
        c[at] = acc ? c[at] + r : r;
    }
}
