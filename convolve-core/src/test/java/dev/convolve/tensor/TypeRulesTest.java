package dev.convolve.tensor;

import org.junit.jupiter.api.Test;

import static dev.convolve.tensor.DType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Nx's type rules (nx/lib/nx/type.ex doctests and Nx's docs for sum, divide, comparisons and as_type). */
class TypeRulesTest {

    @Test
    void mergeFollowsNxTypeMergeDoctests() {
        DType[][] table = {
            {S8, S8, S8}, {S8, S64, S64}, {S8, U8, S16}, {S16, U8, S16}, {S8, U16, S32}, {S32, U8, S32}, {S8, U32, S64}, {S64, U8, S64}, {S8, U64, S64},
            {U8, F32, F32}, {U64, F32, F32}, {S8, F32, F32}, {S64, F32, F32}, {U8, F64, F64}, {U64, F64, F64}, {S8, F64, F64}, {S64, F64, F64},
            {U8, BF16, BF16}, {U64, BF16, BF16}, {S8, BF16, BF16}, {S64, BF16, BF16}, {F32, BF16, F32}, {F64, BF16, F64},
            {BF16, F16, F16}, {U8, U32, U32}, {F16, F32, F32}};
        for (DType[] r : table) {
            assertEquals(r[2], DType.merge(r[0], r[1]), r[0] + " + " + r[1]);
            assertEquals(r[2], DType.merge(r[1], r[0]), r[1] + " + " + r[0]);
        }
    }

    @Test
    void mergeNumberFollowsNxDoctests() {
        assertEquals(U8, DType.mergeNumber(U8, 0L));
        assertEquals(U8, DType.mergeNumber(U8, 255L));
        assertEquals(U16, DType.mergeNumber(U8, 256L));
        assertEquals(S16, DType.mergeNumber(U8, -1L));
        assertEquals(S16, DType.mergeNumber(U8, -32767L));
        assertEquals(S16, DType.mergeNumber(U8, -32768L));
        assertEquals(S32, DType.mergeNumber(U8, -32769L));
        assertEquals(S8, DType.mergeNumber(S8, 0L));
        assertEquals(S8, DType.mergeNumber(S8, 127L));
        assertEquals(S8, DType.mergeNumber(S8, -128L));
        assertEquals(S16, DType.mergeNumber(S8, 128L));
        assertEquals(S16, DType.mergeNumber(S8, -129L));
        assertEquals(F32, DType.mergeNumber(S8, 1.0));
        assertEquals(S64, DType.mergeNumber(U64, -1337L));
        assertEquals(F32, DType.mergeNumber(F32, 1L));
        assertEquals(F32, DType.mergeNumber(F32, 1.0));
        assertEquals(F64, DType.mergeNumber(F64, 1.0));
        assertEquals(BF16, DType.mergeNumber(BF16, 1.0));
    }

    @Test
    void toFloatingAndTheConvOutputType() {
        assertEquals(F32, S8.toFloating());
        assertEquals(F32, S32.toFloating());
        assertEquals(F32, S64.toFloating());
        assertEquals(BF16, BF16.toFloating());
        assertEquals(F16, F16.toFloating());
        assertEquals(F64, F64.toFloating());
    }

    @Test
    void sumAggregatesIntegersAsNxToAggregate() {
        assertEquals("s32 410", d(Tensor.of(new int[][] {{101, 102}, {103, 104}}, S8).sum()));
        assertEquals("s32 410", d(Tensor.of(new int[][] {{101, 102}, {103, 104}}, S16).sum()));
        assertEquals("u32 600", d(Tensor.of(new int[] {200, 200, 200}, U8).sum()));
        assertEquals("u32", Tensor.zeros(U16, 2).sum().describe());
        assertEquals("s64", Tensor.zeros(U64, 2).sum().describe());
        assertEquals("s64", Tensor.zeros(S64, 2).sum().describe());
        assertEquals("f32 10.0", d(Tensor.of(new float[][] {{1, 2}, {3, 4}}).sum()));
        assertEquals("bf16", Tensor.zeros(BF16, 2).sum().describe());
        assertEquals("u32", Tensor.zeros(U8, 2).product().describe());
        // s32 sums stay s32 and wrap, as Nx's
        assertEquals("s32 -2147483648", d(Tensor.of(new int[] {Integer.MAX_VALUE, 1}).sum()));
    }

    @Test
    void divideIsAlwaysFloating() {
        assertEquals("f32 0.5", d(Tensor.scalar(1).divide(Tensor.scalar(2))));
        assertEquals("f32[3] [1.0, 2.0, 3.0]", d(Tensor.of(new int[] {1, 2, 3}).divide(1L)));
        assertEquals("f64[1] [0.5]", d(Tensor.of(new int[] {1}, U8).divide(Tensor.of(new double[] {2}))));
        assertEquals("f16[1] [0.5]", d(Tensor.of(new int[] {1}, S8).divide(Tensor.zeros(F16, 1).add(2.0))));
    }

    @Test
    void comparisonsGiveU8() {
        assertEquals("u8 0", d(Tensor.scalar(1).greater(Tensor.scalar(2))));
        assertEquals("u8[3] [0, 0, 0]", d(Tensor.scalar(1).greater(Tensor.of(new int[] {1, 2, 3}))));
        assertEquals("u8[2] [1, 0]", d(Tensor.of(new double[] {1, Double.NaN}).equal(Tensor.of(new double[] {1, Double.NaN}))));
        assertEquals("u8[2] [0, 1]", d(Tensor.of(new int[] {1, 2}, U64).less(Tensor.fromLongs(new long[] {0, -1}, 2).asType(U64))));
    }

    @Test
    void integerArithmeticWrapsInTheMergedType() {
        assertEquals("u8[1] [44]", d(Tensor.of(new int[] {200}, U8).add(Tensor.of(new int[] {100}, U8))));
        assertEquals("s16[1] [300]", d(Tensor.of(new int[] {200}, U8).add(Tensor.of(new int[] {100}, S8))));
        assertEquals("u16[1] [456]", d(Tensor.of(new int[] {200}, U8).add(256L)));
        assertEquals("s16[1] [199]", d(Tensor.of(new int[] {200}, U8).add(-1L)));
        assertEquals("f32[1] [200.5]", d(Tensor.of(new int[] {200}, U8).add(0.5)));
    }

    @Test
    void asTypeTruncatesSaturatesAndMapsNaNToZeroAsNxDocuments() {
        Tensor nonFinite = Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY});
        assertEquals("u8[3] [255, 0, 0]", d(nonFinite.asType(U8)));
        assertEquals("s32[3] [2147483647, 0, -2147483648]", d(nonFinite.asType(S32)));
        assertEquals("f64[2] [Inf, NaN]", d(Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.NaN}).asType(F64)));
        assertEquals("f16[2] [Inf, NaN]", d(Tensor.of(new float[] {Float.POSITIVE_INFINITY, Float.NaN}).asType(F16)));
        assertEquals("s64[3] [0, 1, 2]", d(Tensor.of(new float[] {0, 1, 2}).asType(S64)));
        assertEquals("s32[2] [1, -1]", d(Tensor.of(new float[] {1.9f, -1.9f}).asType(S32)));
        assertEquals("u8[2] [255, 0]", d(Tensor.of(new float[] {300.7f, -5.5f}).asType(U8)));
        assertEquals("u64[1] [18446744073709551615]", d(Tensor.of(new double[] {1e30}).asType(U64)));
        assertEquals("s8[2] [-56, 1]", d(Tensor.of(new int[] {200, 257}).asType(S8))); // integers wrap
    }

    @Test
    void quotientRejectsFloats() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1}).quotient(Tensor.of(new float[] {1})));
        assertEquals("quotient: expects integer tensors, got f32[1] and f32[1]", e.getMessage());
    }

    @Test
    void parsesNxAndNumpyNames() {
        assertEquals(F32, DType.parse("f32"));
        assertEquals(U8, DType.parse("uint8"));
        assertEquals(BF16, DType.parse("bfloat16"));
        assertThrows(IllegalArgumentException.class, () -> DType.parse("c64"));
    }

    static String d(Tensor t) { return t.rank() == 0 ? t.describe() + " " + t.valuesString() : t.describe() + " " + t.valuesString(); }
}
