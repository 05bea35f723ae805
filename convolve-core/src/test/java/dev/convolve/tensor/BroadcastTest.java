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

/** NumPy / Nx broadcasting: shapes aligned at the last axis, size-1 axes repeat; checked against a naive index computation. */
class BroadcastTest {

    record Pair(int[] a, int[] b, DType ta, DType tb, long seed) {
        @Override public String toString() { return Arrays.toString(a) + " " + ta + " with " + Arrays.toString(b) + " " + tb; }
    }

    @Provide
    Arbitrary<Pair> pairs() {
        // a full shape, then each operand drops leading axes and turns some axes into 1
        return Arbitraries.integers().between(0, 4).flatMap(r -> Combinators.combine(
                Arbitraries.integers().between(1, 4).array(int[].class).ofSize(r),
                Arbitraries.integers().between(0, 15).array(int[].class).ofSize(2),
                Arbitraries.of(DType.values()), Arbitraries.of(DType.values()), Arbitraries.longs()).as((full, masks, ta, tb, seed) -> {
                    int dropA = masks[0] % (r + 1), dropB = masks[1] % (r + 1);
                    int[] a = Arrays.copyOfRange(full, dropA, r), b = Arrays.copyOfRange(full, dropB, r);
                    for (int i = 0; i < a.length; i++) if (((seed >> i) & 1) == 1) a[i] = 1;
                    for (int i = 0; i < b.length; i++) if (((seed >> (i + 8)) & 1) == 1) b[i] = 1;
                    return new Pair(a, b, ta, tb, seed);
                }));
    }

    @Property(tries = 300)
    void addAndMultiplyBroadcastLikeNaiveIndexing(@ForAll("pairs") Pair p) {
        Tensor a = TestTensors.random(p.ta(), p.a(), p.seed(), false), b = TestTensors.random(p.tb(), p.b(), ~p.seed(), false);
        Tensor sum = a.add(b), prod = a.multiply(b);
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int ia = i - (r - a.rank()), ib = i - (r - b.rank());
            out[i] = Math.max(ia < 0 ? 1 : a.dim(ia), ib < 0 ? 1 : b.dim(ib));
        }
        assertEquals(Arrays.toString(out), Arrays.toString(sum.dims()), p::toString);
        DType t = DType.merge(p.ta(), p.tb());
        assertEquals(t, sum.dtype(), p::toString);
        int[] idx = new int[r];
        for (int f = 0; f < sum.size(); f++) {
            int fa = 0, fb = 0;
            for (int i = 0; i < r; i++) {
                int ia = i - (r - a.rank()), ib = i - (r - b.rank());
                if (ia >= 0) fa = fa * a.dim(ia) + (a.dim(ia) == 1 ? 0 : idx[i]);
                if (ib >= 0) fb = fb * b.dim(ib) + (b.dim(ib) == 1 ? 0 : idx[i]);
            }
            Tensor ea = a.flatten().sliceAxis(fa, 1, 0).reshape(), eb = b.flatten().sliceAxis(fb, 1, 0).reshape();
            assertEquals(ea.add(eb).getFlat(0), sum.getFlat(f), 0.0, p::toString);
            assertEquals(ea.multiply(eb).getFlat(0), prod.getFlat(f), 0.0, p::toString);
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < out[i]) break;
                idx[i] = 0;
            }
        }
    }

    @Test
    void incompatibleShapesNameBoth() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 2, 3).add(Tensor.zeros(DType.F32, 3, 2)));
        assertEquals("add: cannot broadcast shapes {2, 3} and {3, 2}, axis sizes must be equal or 1 (aligned at the last axis)", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F32, 2, 3).broadcastTo(3));
        assertEquals("broadcast: cannot broadcast shape {2, 3} to {3}", f.getMessage());
    }

    @Test
    void broadcastToRepeatsSizeOneAxes() {
        assertEquals("[[1, 2, 3], [1, 2, 3]]", Tensor.of(new int[] {1, 2, 3}).broadcastTo(2, 3).valuesString());
        assertEquals("[[1, 1], [2, 2]]", Tensor.of(new int[][] {{1}, {2}}).broadcastTo(2, 2).valuesString());
        assertEquals("[[7, 7]]", Tensor.scalar(7).broadcastTo(1, 2).valuesString());
    }

    @Test
    void selectBroadcastsAndMergesTypes() {
        Tensor s = Tensor.select(Tensor.of(new int[] {1, 0, 1}, DType.U8), Tensor.scalar(1), Tensor.of(new float[] {7, 8, 9}));
        assertEquals("f32[3] [1.0, 8.0, 1.0]", s.describe() + " " + s.valuesString());
    }
}
