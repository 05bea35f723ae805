package dev.convolve.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reductions with axes, following Nx.sum's doctests and Nx's rules for mean, max, min, argmax. */
class ReductionsTest {

    static final Tensor T = Tensor.iota(DType.S32, 2, 2, 3);

    static String d(Tensor t) { return t.describe() + " " + t.valuesString(); }

    @Test
    void sumOverAxesAsNxDoctests() {
        assertEquals("s32[2][3] [[6, 8, 10], [12, 14, 16]]", d(T.sum(0)));
        assertEquals("s32[2][3] [[3, 5, 7], [15, 17, 19]]", d(T.sum(1)));
        assertEquals("s32[2][2] [[3, 12], [21, 30]]", d(T.sum(2)));
        assertEquals("s32[2] [24, 42]", d(T.sum(0, 2)));
        assertEquals("s32[2][3] [[6, 8, 10], [12, 14, 16]]", d(T.sum(-3)));
        assertEquals("s32 66", d(T.sum()));
        assertEquals("s32[1][2] [[4, 6]]", d(Tensor.of(new int[][] {{1, 2}, {3, 4}}).sum(new int[] {0}, true)));
        assertEquals("s32 42", d(Tensor.scalar(42).sum()));
    }

    @Test
    void meanIsFloatingAndCountsTheReducedAxes() {
        assertEquals("f32[2][3] [[3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]", d(T.mean(0)));
        assertEquals("f32 5.5", d(T.mean()));
        assertEquals("f64[1][1] [[2.5]]", d(Tensor.of(new double[][] {{1, 2}, {3, 4}}).mean(new int[] {0, 1}, true)));
    }

    @Test
    void maxMinKeepTheTypeAndPropagateNaN() {
        assertEquals("s32[2][2] [[2, 5], [8, 11]]", d(T.reduceMax(2)));
        assertEquals("s32[2][3] [[0, 1, 2], [6, 7, 8]]", d(T.reduceMin(1)));
        assertEquals("u8 255", d(Tensor.of(new int[] {3, 255, 7}, DType.U8).reduceMax()));
        assertEquals("u64 18446744073709551615", d(Tensor.fromLongs(new long[] {1, -1}, 2).asType(DType.U64).reduceMax()));
        assertEquals("f32 NaN", d(Tensor.of(new float[] {1, Float.NaN, 3}).reduceMax()));
        assertEquals("f32 -Inf", d(Tensor.zeros(DType.F32, 0).reduceMax()));
    }

    @Test
    void argmaxTakesTheFirstOfTiesAndRemovesTheAxis() {
        Tensor m = Tensor.of(new int[][] {{1, 3, 3}, {7, 0, 7}});
        assertEquals("s32[2] [1, 0]", d(m.argmax(1)));
        assertEquals("s32[3] [1, 0, 1]", d(m.argmax(0)));
        assertEquals("s32[2] [0, 1]", d(m.argmin(1)));
        assertEquals("s32 3", d(m.argmax()));
    }

    @Test
    void productAndEmptySums() {
        assertEquals("s32 24", d(Tensor.of(new int[] {1, 2, 3, 4}).product()));
        assertEquals("f32 0.0", d(Tensor.zeros(DType.F32, 0).sum()));
        assertEquals("s32[3] [0, 0, 0]", d(Tensor.zeros(DType.S32, 0, 3).sum(0)));
    }

    @Test
    void repeatedOrInvalidAxesAreRejected() {
        assertEquals("sum: axes [0, 0] contain a repeated axis, for shape {2, 2, 3}",
                assertThrows(IllegalArgumentException.class, () -> T.sum(0, 0)).getMessage());
        assertEquals("given axis (3) invalid for shape with rank 3 (shape [2][2][3])",
                assertThrows(IllegalArgumentException.class, () -> T.sum(3)).getMessage());
    }
}
