package dev.convolve.ops;

import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.WindowOracle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Worked window examples from Nx's tests and SPEC 3. */
class WindowTest {

    @Test
    void meanWithoutCountIncludePadDividesByRealElements() {
        // [1, 2, 3] with window 2 padded (1, 1): windows [pad,1] [1,2] [2,3] [3,pad] -> 1, 1.5, 2.5, 3
        Tensor t = Tensor.of(new int[] {1, 2, 3});
        WindowOptions o = WindowOptions.of(2).withPadding(1, 1).withCountIncludePad(false);
        assertEquals("[1.0, 1.5, 2.5, 3.0]", Window.mean(t, o).valuesString());
        assertEquals(DType.F32, Window.mean(t, o).dtype());
        assertEquals("[0.5, 1.5, 2.5, 1.5]", Window.mean(t, o.withCountIncludePad(true)).valuesString());
    }

    @Test
    void meanWithoutCountIncludePadOnRank4() {
        Tensor t = Tensor.iota(DType.U8, 1, 1, 1, 2);
        Tensor m = Window.mean(t, WindowOptions.of(1, 1, 1, 1).withCountIncludePad(false));
        assertEquals("[[[[0.0, 1.0]]]]", m.valuesString());
    }

    @Test
    void nxWindowMaxSameIgnoresTheStride() {
        // SPEC 3: window_max(iota {4,4}, {3,3}, padding: :same, strides: [2,2]) -> [[5,7],[13,15]]
        Tensor t = Tensor.iota(DType.S32, 4, 4);
        Tensor m = Window.max(t, WindowOptions.of(3, 3).withPadding(Padding.same()).withStrides(2));
        assertEquals("[[5, 7], [13, 15]]", m.valuesString());
        Tensor upper = Window.max(t, WindowOptions.of(3, 3).withPadding(Padding.sameUpper()).withStrides(2));
        assertEquals("[[10, 11], [14, 15]]", upper.valuesString());
    }

    @Test
    void nxAggregateWindowExamples() {
        Tensor t = Tensor.of(new int[] {1, 2, 3, 4, 5, 6, 7});
        assertEquals("[5, 6, 7]", Window.max(t, WindowOptions.of(2).withWindowDilations(4)).valuesString());
        assertEquals("[2, 3, 3]", Window.max(Tensor.of(new int[] {1, 2, 3}), WindowOptions.of(2).withPadding(Padding.same())).valuesString());
        Tensor m = Tensor.of(new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        assertEquals("[[9]]", Window.max(m, WindowOptions.of(2, 2).withWindowDilations(2)).valuesString());
        assertEquals("[[5, 6, 6], [8, 9, 9]]", Window.max(m, WindowOptions.of(2, 2).withPadding(0, 0, 0, 1)).valuesString());
        // the test oracle agrees with Nx on the same examples
        assertEquals("[5, 6, 7]", WindowOracle.reduce(t, WindowOracle.Op.MAX, WindowOptions.of(2).withWindowDilations(4)).value().valuesString());
        assertEquals("[[5, 6, 6], [8, 9, 9]]", WindowOracle.reduce(m, WindowOracle.Op.MAX, WindowOptions.of(2, 2).withPadding(0, 0, 0, 1)).value().valuesString());
        assertEquals("[[5, 7], [13, 15]]", WindowOracle.reduce(Tensor.iota(DType.S32, 4, 4), WindowOracle.Op.MAX,
                WindowOptions.of(3, 3).withPadding(Padding.same()).withStrides(2)).value().valuesString());
    }

    @Test
    void windowEntirelyInPaddingYieldsTheIdentity() {
        Tensor t = Tensor.of(new int[] {5});
        assertEquals("[-2147483648, 5]", Window.max(t, WindowOptions.of(1).withPadding(1, 0)).valuesString());
        Tensor u = Tensor.of(new int[] {5}, DType.U8);
        assertEquals("[255, 5]", Window.min(u, WindowOptions.of(1).withPadding(1, 0)).valuesString());
        Tensor f = Tensor.of(new float[] {5});
        assertEquals("[-Inf, 5.0]", Window.max(f, WindowOptions.of(1).withPadding(1, 0)).valuesString());
        assertEquals("[1.0, 5.0]", Window.product(f, WindowOptions.of(1).withPadding(1, 0)).valuesString());
    }

    @Test
    void integerWindowSumKeepsAndWrapsTheType() {
        Tensor t = Tensor.of(new int[] {200, 100}, DType.U8);
        Tensor s = Window.sum(t, WindowOptions.of(2));
        assertEquals("u8[1]", s.describe());
        assertEquals(44, s.getLong(0)); // 300 mod 256, as Nx's u8 arithmetic
    }
}
