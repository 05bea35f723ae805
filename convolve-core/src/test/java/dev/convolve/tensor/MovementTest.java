package dev.convolve.tensor;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reshape, transpose, slice (Nx's clamping), reverse, concatenate / stack (type merge), to_batched. */
class MovementTest {

    static String d(Tensor t) { return t.describe() + " " + t.valuesString(); }

    @Test
    void sliceClampsTheStartSoTheLengthsFit() {
        assertEquals("s32[1][1] [[8]]", d(Tensor.iota(DType.S32, 3, 3).slice(new int[] {2, 2}, new int[] {1, 1})));
        assertEquals("s32[2][2] [[4, 5], [7, 8]]", d(Tensor.iota(DType.S32, 3, 3).slice(new int[] {2, 2}, new int[] {2, 2})));
    }

    @Test
    void stridedSliceTakesEveryNth() {
        float[][] rows = new float[6][7];
        for (int i = 2; i < 6; i++) java.util.Arrays.fill(rows[i], 1f);
        Tensor t = Tensor.of(rows);
        assertEquals("f32[2][3] [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]", d(t.slice(new int[] {0, 0}, new int[] {6, 7}, new int[] {5, 3})));
    }

    @Test
    void sliceErrorsNameTheShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.iota(DType.S32, 3, 3).slice(new int[] {0, 0}, new int[] {4, 1}));
        assertEquals("slice: length 4 at axis 0 must be between 0 and the axis size 3, for shape {3, 3}", e.getMessage());
    }

    @Test
    void reshapeInfersOneAxis() {
        assertEquals("s32[3][4]", Tensor.iota(DType.S32, 2, 6).reshape(3, -1).describe());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.iota(DType.S32, 2, 6).reshape(5, 2));
        assertEquals("reshape: cannot reshape, current shape {2, 6} is not compatible with new shape {5, 2}", e.getMessage());
    }

    @Test
    void transposeAndReverseAsNxDoctests() {
        assertEquals("s32[3][2] [[0, 3], [1, 4], [2, 5]]", d(Tensor.iota(DType.S32, 2, 3).transpose()));
        assertEquals("s32[2][3] [[6, 5, 4], [3, 2, 1]]", d(Tensor.of(new int[][] {{1, 2, 3}, {4, 5, 6}}).reverse()));
        assertEquals("s32[2][3] [[4, 5, 6], [1, 2, 3]]", d(Tensor.of(new int[][] {{1, 2, 3}, {4, 5, 6}}).reverse(0)));
        Tensor x = Tensor.iota(DType.S32, 2, 3, 4);
        assertTrue(x.transpose(2, 0, 1).transpose(1, 2, 0).contentEquals(x));
        var e = assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 1));
        assertEquals("transpose: expected length of permutation (2) to match rank of shape (3), for shape {2, 3, 4}", e.getMessage());
    }

    @Test
    void newAxisAndSqueeze() {
        assertEquals("s32[1][3]", Tensor.of(new int[] {1, 2, 3}).newAxis(0).describe());
        assertEquals("s32[3][1]", Tensor.of(new int[] {1, 2, 3}).newAxis(-1).describe());
        assertEquals("s32[3]", Tensor.zeros(DType.S32, 1, 3, 1).squeeze().describe());
        assertEquals("s32[3][1]", Tensor.zeros(DType.S32, 1, 3, 1).squeeze(0).describe());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.S32, 2).squeeze(0));
    }

    @Test
    void concatenateAndStackMergeTypes() {
        Tensor a = Tensor.of(new int[] {1, 2}), b = Tensor.of(new float[] {3.5f});
        assertEquals("f32[3] [1.0, 2.0, 3.5]", d(Tensor.concatenate(List.of(a, b), 0)));
        Tensor u = Tensor.of(new int[] {200}, DType.U8), s = Tensor.of(new int[] {-1}, DType.S8);
        assertEquals("s16[2] [200, -1]", d(Tensor.concatenate(List.of(u, s), 0)));
        assertEquals("s32[2][2][2]", Tensor.stack(List.of(Tensor.iota(DType.S32, 2, 2), Tensor.iota(DType.S32, 2, 2)), 0).describe());
        assertEquals("s32[2][2] [[0, 0], [1, 1]]", d(Tensor.stack(List.of(Tensor.iota(DType.S32, 2), Tensor.iota(DType.S32, 2)), -1)));
        assertEquals("f64[2][1]", Tensor.stack(List.of(Tensor.of(new int[] {1}), Tensor.of(new double[] {2})), 0).describe());
        assertEquals("s32[2][5] [[0, 1, 2, 0, 1], [3, 4, 5, 2, 3]]",
                d(Tensor.concatenate(List.of(Tensor.iota(DType.S32, 2, 3), Tensor.iota(DType.S32, 2, 2)), 1)));
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.concatenate(List.of(Tensor.zeros(DType.F32, 2, 3), Tensor.zeros(DType.F32, 3, 3)), 1));
        assertEquals("concatenate: shapes {2, 3} and {3, 3} must match on every axis but the concatenation axis 1", e.getMessage());
    }

    @Test
    void toBatchedSplitsTheFirstAxisWithASmallerLastBatch() {
        List<Tensor> b = Tensor.iota(DType.S32, 5, 2).toBatched(2);
        assertEquals(3, b.size());
        assertEquals("s32[2][2] [[0, 1], [2, 3]]", d(b.get(0)));
        assertEquals("s32[1][2] [[8, 9]]", d(b.get(2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).toBatched(1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.iota(DType.S32, 2).toBatched(0));
    }

    @Test
    void getIndexesTheFirstAxisWithNegativesFromTheEnd() {
        Tensor t = Tensor.iota(DType.S32, 3, 2);
        assertEquals("s32[2] [4, 5]", d(t.get(-1)));
        assertEquals(3, t.get(1, 1), 0.0);
        assertThrows(IllegalArgumentException.class, () -> t.get(3));
    }
}
