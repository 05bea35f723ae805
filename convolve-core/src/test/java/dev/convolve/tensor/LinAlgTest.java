package dev.convolve.tensor;

import dev.convolve.testing.TestTensors;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** matmul (NumPy rules: vectors, batches that broadcast) and dot, against a naive triple loop. */
class LinAlgTest {

    record Case(int[] batchA, int[] batchB, int m, int k, int n, boolean vecA, boolean vecB, DType type, long seed) {
        @Override public String toString() { return "matmul " + type + " batch " + Arrays.toString(batchA) + "x" + Arrays.toString(batchB) + " " + m + "x" + k + "x" + n + (vecA ? " vecA" : "") + (vecB ? " vecB" : ""); }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> dim = Arbitraries.of(1, 2, 3, 5, 13);
        return Combinators.combine(Arbitraries.integers().between(0, 2), dim, dim, dim, Arbitraries.of(false, false, true), Arbitraries.of(false, false, true),
                Arbitraries.of(DType.F32, DType.F64, DType.S32, DType.U8, DType.S64, DType.F16), Arbitraries.longs()).as((br, m, k, n, va, vb, t, seed) -> {
                    int[] ba = new int[br], bb = new int[br];
                    for (int i = 0; i < br; i++) {
                        int d = 2 + (int) Math.floorMod(seed >> (4 * i), 2);
                        ba[i] = ((seed >> (8 + i)) & 1) == 1 ? 1 : d;
                        bb[i] = ((seed >> (12 + i)) & 1) == 1 ? 1 : d;
                    }
                    return new Case(va ? new int[0] : ba, vb ? new int[0] : bb, m, k, n, va, vb, t, seed);
                });
    }

    @Property(tries = 250)
    void matmulMatchesNaiveLoops(@ForAll("cases") Case c) {
        int[] sa = c.vecA() ? new int[] {c.k()} : concat(c.batchA(), c.m(), c.k());
        int[] sb = c.vecB() ? new int[] {c.k()} : concat(c.batchB(), c.k(), c.n());
        Tensor a = TestTensors.random(c.type(), sa, c.seed(), false), b = TestTensors.random(c.type(), sb, ~c.seed(), false);
        Tensor r = a.matmul(b);
        // naive: promote vectors, broadcast the batch, triple loop in double / exact long
        Tensor x = c.vecA() ? a.reshape(1, c.k()) : a, y = c.vecB() ? b.reshape(c.k(), 1) : b;
        int rb = Math.max(x.rank(), y.rank()) - 2;
        int[] batch = new int[rb];
        for (int i = 0; i < rb; i++) {
            int ia = i - (rb - (x.rank() - 2)), ib = i - (rb - (y.rank() - 2));
            batch[i] = Math.max(ia < 0 ? 1 : x.dim(ia), ib < 0 ? 1 : y.dim(ib));
        }
        Tensor xb = x.broadcastTo(concat(batch, c.vecA() ? 1 : c.m(), c.k())), yb = y.broadcastTo(concat(batch, c.k(), c.vecB() ? 1 : c.n()));
        int m = c.vecA() ? 1 : c.m(), n = c.vecB() ? 1 : c.n(), nb = Shape.of(batch).size();
        assertEquals(nb * m * n, r.size(), c::toString);
        for (int bi = 0; bi < nb; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, mag = 0;
                    long sl = 0;
                    for (int p = 0; p < c.k(); p++) {
                        double term = xb.getFlat(bi * m * c.k() + i * c.k() + p) * yb.getFlat(bi * c.k() * n + p * n + j);
                        s += term;
                        mag += Math.abs(term);
                        sl += xb.getFlatLong(bi * m * c.k() + i * c.k() + p) * yb.getFlatLong(bi * c.k() * n + p * n + j);
                    }
                    double got = r.getFlat(bi * m * n + i * n + j);
                    if (c.type().isInteger()) assertEquals(c.type().wrap(sl), r.getFlatLong(bi * m * n + i * n + j), c::toString);
                    else assertEquals(s, got, 2 * dev.convolve.testing.Values.ulp(c.type(), s) + 1e-6 * mag, c::toString);
                }
            }
        }
        assertEquals(c.type(), r.dtype());
    }

    @Test
    void vectorShapesFollowNumpy() {
        Tensor v = Tensor.of(new float[] {1, 2, 3});
        assertEquals("f32 14.0", v.matmul(v).describe() + " " + v.matmul(v).valuesString());
        Tensor m = Tensor.iota(DType.F32, 2, 3);
        assertEquals("f32[2] [8.0, 26.0]", m.matmul(v).describe() + " " + m.matmul(v).valuesString());
        assertEquals("f32[3] [3.0, 4.0, 5.0]", Tensor.of(new float[] {0, 1}).matmul(m).describe() + " " + Tensor.of(new float[] {0, 1}).matmul(m).valuesString());
        assertEquals("f32[4][2]", Tensor.zeros(DType.F32, 4, 2, 3).matmul(v).describe());
    }

    @Test
    void dotContractsLastWithSecondToLast() {
        Tensor a = Tensor.iota(DType.S32, 2, 3, 4), b = Tensor.iota(DType.S32, 5, 4, 6);
        Tensor d = a.dot(b);
        assertEquals("s32[2][3][5][6]", d.describe());
        long s = 0;
        for (int p = 0; p < 4; p++) s += a.getLong(1, 2, p) * b.getLong(3, p, 5);
        assertEquals(s, d.getLong(1, 2, 3, 5));
        assertEquals("s32[1][3] [[3, 6, 9]]", Tensor.of(new int[][] {{1, 2, 3}}).dot(Tensor.scalar(3)).describe() + " " + Tensor.of(new int[][] {{1, 2, 3}}).dot(Tensor.scalar(3)).valuesString());
        assertEquals("f32[2][2]", Tensor.zeros(DType.F32, 2, 3).dot(Tensor.zeros(DType.S32, 3, 2)).describe());
    }

    @Test
    void contractedSizesMustMatch() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 2, 3).matmul(Tensor.zeros(DType.F32, 2, 3)));
        assertEquals("matmul: contracted sizes must match, but 3 != 2, for f32[2][3] and f32[2][3]", e.getMessage());
    }

    static int[] concat(int[] head, int p, int q) {
        int[] r = Arrays.copyOf(head, head.length + 2);
        r[head.length] = p;
        r[head.length + 1] = q;
        return r;
    }
}
