package dev.convolve.tensor;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@code Tensor.toString()} is Nx's inspect format: the examples of nx_test.exs "inspect", the seed, and Nx's number printing. */
class FormattingTest {

    @Test
    void seedMatrixVerbatim() {
        assertEquals("#Nx.Tensor<\n  s32[2][2]\n  [\n    [1, 2],\n    [3, 4]\n  ]\n>", Tensor.of(new int[][] {{1, 2}, {3, 4}}).toString());
    }

    @Test
    void scalar() {
        assertEquals("#Nx.Tensor<\n  s32\n  123\n>", Tensor.scalar(123).toString());
        assertEquals("#Nx.Tensor<\n  f64\n  1.0e-128\n>", Tensor.scalar(1.0e-128).toString());
        assertEquals("#Nx.Tensor<\n  f32\n  0.0\n>", Tensor.scalar((float) 1.0e-128).toString());
    }

    @Test
    void nDimensional() {
        assertEquals("""
                #Nx.Tensor<
                  s32[2][3]
                  [
                    [1, 2, 3],
                    [4, 5, 6]
                  ]
                >""", Tensor.of(new int[][] {{1, 2, 3}, {4, 5, 6}}).toString());
        assertEquals("""
                #Nx.Tensor<
                  f32[2][3]
                  [
                    [1.0, 2.0, 3.0],
                    [4.0, 5.0, 6.0]
                  ]
                >""", Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).toString());
        assertEquals("""
                #Nx.Tensor<
                  f32[2][2][2]
                  [
                    [
                      [5.0, 4.0],
                      [7.0, 6.0]
                    ],
                    [
                      [1.0, 0.0],
                      [3.0, 2.0]
                    ]
                  ]
                >""", Tensor.iota(DType.F32, 2, 2, 2).reverse(0, 2).toString());
    }

    @Test
    void limitPrintsEllipses() {
        assertEquals("#Nx.Tensor<\n  s32[2]\n  [1, 2]\n>", Tensor.of(new int[] {1, 2}).toString(-1));
        assertEquals("""
                #Nx.Tensor<
                  s32[2][2]
                  [
                    [1, 2],
                    [3, ...]
                  ]
                >""", Tensor.of(new int[][] {{1, 2}, {3, 4}}).toString(3));
        assertEquals("""
                #Nx.Tensor<
                  s32[3][2]
                  [
                    [1, 2],
                    [3, ...],
                    ...
                  ]
                >""", Tensor.of(new int[][] {{1, 2}, {3, 4}, {5, 6}}).toString(3));
        // the default limit is 50 elements, as Elixir's inspect
        String s = Tensor.iota(DType.S32, 60).toString();
        assertEquals(true, s.contains(" 49, ...]"), s);
        assertEquals(false, s.contains("50"), s);
    }

    @Test
    void infinitiesAndNaNsOfEveryFloatType() {
        for (DType t : new DType[] {DType.BF16, DType.F16, DType.F32, DType.F64}) {
            Tensor x = Tensor.fromValues(t, new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN}, 3);
            assertEquals("#Nx.Tensor<\n  " + t + "[3]\n  [-Inf, Inf, NaN]\n>", x.toString());
        }
    }

    @Test
    void integersOfEveryWidthIncludingU64Max() {
        assertEquals("[18446744073709551615, 0]", Tensor.fromLongs(new long[] {-1, 0}, 2).asType(DType.U64).valuesString());
        assertEquals("[255, 128]", Tensor.of(new int[] {255, 128}, DType.U8).valuesString());
        assertEquals("[-128, 127]", Tensor.of(new int[] {-128, 127}, DType.S8).valuesString());
    }

    @Test
    void f32NumbersAsNxPrintsThem() {
        assertEquals("[1.0, 0.5, 0.33333334]", Tensor.of(new float[] {1, 2, 3}).pow(-1.0).valuesString()); // Nx.divide(1, [1.0, 2.0, 3.0])
        assertEquals("3.4028235e38", Formatting.number(Float.MAX_VALUE, DType.F32));        // Nx.Constants.max_finite(:f32)
        assertEquals("-3.4028235e38", Formatting.number(-Float.MAX_VALUE, DType.F32));
        assertEquals("1.1754944e-38", Formatting.number(Float.MIN_NORMAL, DType.F32));      // smallest_positive_normal(:f32)
        assertEquals("1.1920929e-7", Formatting.number(Math.ulp(1f), DType.F32));            // epsilon(:f32)
        assertEquals("0.1", Formatting.number(0.1f, DType.F32));
        assertEquals("-0.0", Formatting.number(-0.0, DType.F32));
        assertEquals("4.914e5", Formatting.number(491400f, DType.F32));                      // nx_test: [4.914e5, 1.4902272e9]
        assertEquals("1.4902272e9", Formatting.number(1.4902272e9f, DType.F32));
        assertEquals("8064.0", Formatting.number(8064f, DType.F32));
        assertEquals("1e10", Formatting.number(1e10f, DType.F32));                           // Nx.Ryu: no ".0" after a single digit
        assertEquals("1e-8", Formatting.number(1e-8f, DType.F32));
    }

    @Test
    void f16AndBf16NumbersAsNxRyuPrintsThem() {
        // Nx's f16 table (nx/test/fixtures/f16_table.txt, checked against C Ryu) and Nx.Constants doctests
        String[][] f16 = {{"0001", "6e-8"}, {"0002", "1e-7"}, {"0010", "9.5e-7"}, {"03FF", "6.1e-5"}, {"0400", "6.104e-5"}, {"1000", "4.883e-4"},
            {"2E66", "0.1"}, {"3555", "0.3333"}, {"3C00", "1.0"}, {"3C01", "1.001"}, {"4900", "10.0"}, {"5640", "100.0"}, {"63D0", "1e3"},
            {"6400", "1024.0"}, {"7000", "8190.0"}, {"7BFF", "6.55e4"}, {"8001", "-6e-8"}, {"C000", "-2.0"}, {"1400", "9.77e-4"}};
        for (String[] e : f16) {
            double v = Float.float16ToFloat((short) Integer.parseInt(e[0], 16));
            assertEquals(e[1], Formatting.number(v, DType.F16), "f16 " + e[0]);
        }
        assertEquals("1.18e-38", Formatting.number(Float.MIN_NORMAL, DType.BF16));
    }

    @Test
    void f64NumbersAsErlangPrintsThem() {
        assertEquals("2.2250738585072014e-308", Formatting.number(Double.MIN_NORMAL, DType.F64));
        assertEquals("2.220446049250313e-16", Formatting.number(Math.ulp(1.0), DType.F64));
        assertEquals("1.0e-128", Formatting.number(1e-128, DType.F64));
        assertEquals("1.0e10", Formatting.number(1e10, DType.F64)); // Erlang keeps ".0" after a single digit
        assertEquals("9.989738464355469e-5", Formatting.number(9.989738464355469e-5, DType.F64));
        assertEquals("1.0954453945159912", Formatting.number(1.0954453945159912, DType.F64));
    }

    @Test
    void everyF16PrintsItsShortestRoundTripDigits() {
        for (int bits = 0; bits < 0x10000; bits++) {
            double v = Float.float16ToFloat((short) bits);
            if (Double.isNaN(v) || Double.isInfinite(v)) continue;
            String s = Formatting.number(v, DType.F16);
            double back = Float.float16ToFloat(Float.floatToFloat16(Float.parseFloat(s)));
            assertEquals(v, back, 0.0, "f16 bits " + Integer.toHexString(bits) + " printed " + s);
            BigDecimal d = new BigDecimal(s).stripTrailingZeros();
            if (d.precision() > 1) {
                BigDecimal shorter = new BigDecimal(v).round(new java.math.MathContext(d.precision() - 1));
                assertNotEquals(v, Float.float16ToFloat(Float.floatToFloat16(shorter.floatValue())), "f16 " + Integer.toHexString(bits) + " " + s + " is not shortest");
            }
        }
    }
}
