package dev.convolve.ops;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.ConvOracle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The worked conv results of Nx's documentation and test suite (nx/lib/nx.ex doctests, nx/test/nx_test.exs
 * "convolution"), each checked on {@link Conv#conv} and on the test oracle, so that the oracle is anchored to Nx
 * independently of the reference backend.
 */
class NxConvExamplesTest {

    private static void check(String expected, Tensor x, Tensor k, ConvOptions o) {
        assertEquals(expected, Conv.conv(x, k, o).valuesString(), "Conv.conv");
        assertEquals(expected, ConvOracle.conv(x, k, o).value().valuesString(), "oracle");
    }

    @Test
    void doctestOneByOneKernelsScaleTheImage() {
        check("[[[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]], "
                        + "[[0.0, 2.0, 4.0], [6.0, 8.0, 10.0], [12.0, 14.0, 16.0]], [[0.0, 3.0, 6.0], [9.0, 12.0, 15.0], [18.0, 21.0, 24.0]]]]",
                Tensor.iota(DType.S32, 1, 1, 3, 3), Tensor.iota(DType.S32, 4, 1, 1, 1), ConvOptions.defaults().withStrides(1, 1));
        assertEquals("f32[1][4][3][3]", Conv.conv(Tensor.iota(DType.S32, 1, 1, 3, 3), Tensor.iota(DType.S32, 4, 1, 1, 1)).describe());
    }

    @Test
    void doctestStridedSameWithKernelDilation() {
        check("[[[[3.0, 5.0], [0.0, 0.0]], [[9.0, 15.0], [6.0, 10.0]], [[15.0, 25.0], [12.0, 20.0]], [[21.0, 35.0], [18.0, 30.0]]]]",
                Tensor.iota(DType.S32, 1, 1, 3, 3), Tensor.iota(DType.S32, 4, 1, 2, 1),
                ConvOptions.defaults().withStrides(2).withPadding(Padding.same()).withKernelDilation(2, 1));
    }

    @Test
    void validPaddingNoStride() {
        Tensor t1 = Tensor.iota(DType.F32, 2, 2, 4, 4);
        check("[[[[440.0, 468.0, 496.0], [552.0, 580.0, 608.0], [664.0, 692.0, 720.0]]], [[[1336.0, 1364.0, 1392.0], [1448.0, 1476.0, 1504.0], "
                + "[1560.0, 1588.0, 1616.0]]]]", t1, Tensor.iota(DType.F32, 1, 2, 2, 2), ConvOptions.defaults());
        check("[[[[10416.0]], [[26288.0]], [[42160.0]], [[58032.0]], [[73904.0]], [[89776.0]], [[105648.0]], [[121520.0]]], "
                + "[[[26288.0]], [[74928.0]], [[123568.0]], [[172208.0]], [[220848.0]], [[269488.0]], [[318128.0]], [[366768.0]]]]",
                t1, Tensor.iota(DType.F32, 8, 2, 4, 4), ConvOptions.defaults());
        check("[[[[2793.0, 2946.0], [3405.0, 3558.0]], [[7005.0, 7482.0], [8913.0, 9390.0]]], [[[7689.0, 7842.0], [8301.0, 8454.0]], "
                + "[[22269.0, 22746.0], [24177.0, 24654.0]]]]", t1, Tensor.iota(DType.F32, 2, 2, 3, 3), ConvOptions.defaults());
    }

    @Test
    void validPaddingWithStride() {
        check("[[[[440.0, 468.0, 496.0], [664.0, 692.0, 720.0]]], [[[1336.0, 1364.0, 1392.0], [1560.0, 1588.0, 1616.0]]]]",
                Tensor.iota(DType.F32, 2, 2, 4, 4), Tensor.iota(DType.F32, 1, 2, 2, 2), ConvOptions.defaults().withStrides(2, 1));
    }

    @Test
    void samePaddingNoStride() {
        check("[[[[1196.0, 1796.0, 1916.0, 1264.0], [1881.0, 2793.0, 2946.0, 1923.0], [2313.0, 3405.0, 3558.0, 2307.0], "
                        + "[1424.0, 2072.0, 2156.0, 1380.0]]], [[[3884.0, 5636.0, 5756.0, 3696.0], [5337.0, 7689.0, 7842.0, 4995.0], "
                        + "[5769.0, 8301.0, 8454.0, 5379.0], [3344.0, 4760.0, 4844.0, 3044.0]]]]",
                Tensor.iota(DType.F32, 2, 2, 4, 4), Tensor.iota(DType.F32, 1, 2, 3, 3), ConvOptions.defaults().withPadding(Padding.same()));
    }

    @Test
    void threeDimensionalSameConv() {
        check("[[[[[4324.0, 2156.0], [2138.0, 1060.0]], [[2066.0, 1018.0], [997.0, 488.0]]], [[[10948.0, 5612.0], [5738.0, 2932.0]], "
                        + "[[5954.0, 3034.0], [3085.0, 1568.0]]], [[[17572.0, 9068.0], [9338.0, 4804.0]], [[9842.0, 5050.0], [5173.0, 2648.0]]]]]",
                Tensor.iota(DType.F32, 1, 3, 2, 2, 2), Tensor.iota(DType.F32, 3, 3, 2, 2, 2), ConvOptions.defaults().withPadding(Padding.same()));
    }

    @Test
    void groupedConvolution() {
        check("[[[[140.0]], [[364.0]], [[588.0]], [[2572.0]], [[3308.0]], [[4044.0]]], [[[588.0]], [[1836.0]], [[3084.0]], [[6092.0]], "
                        + "[[7852.0]], [[9612.0]]]]",
                Tensor.iota(DType.F32, 2, 4, 2, 2), Tensor.iota(DType.F32, 6, 2, 2, 2), ConvOptions.defaults().withFeatureGroupSize(2));
    }

    @Test
    void inputDilationListAndExplicitPaddingOfOnes() {
        Tensor k = Tensor.full(1.0, DType.F32, 1, 2, 1);
        check("[[[2.0, 4.0]], [[10.0, 12.0]]]", Tensor.iota(DType.S32, 2, 2, 2), k, ConvOptions.defaults().withInputDilation(1));
        check("[[[2.0, 4.0]], [[10.0, 12.0]]]", Tensor.iota(DType.S32, 2, 2, 2), k, ConvOptions.defaults().withPadding(0, 0));
    }

    @Test
    void sameNxPaddingDiffersFromStrideAwareSameWhenStrided() {
        // SPEC 4: S=8, K=3, s=2: Nx pads (1, 1), JAX SAME pads (0, 1); same shape, different values.
        Tensor x = Tensor.iota(DType.F32, 1, 1, 8), k = Tensor.of(new float[][][] {{{1, 10, 100}}});
        ConvOptions nx = ConvOptions.defaults().withStrides(2).withPadding(Padding.same());
        ConvOptions jax = ConvOptions.defaults().withStrides(2).withPadding(Padding.sameUpper());
        assertEquals("[1]", java.util.Arrays.toString(Conv.plan(x, k, nx).padLow()), "Nx low padding");
        assertEquals("[1]", java.util.Arrays.toString(Conv.plan(x, k, nx).padHigh()), "Nx high padding");
        check("[[[100.0, 321.0, 543.0, 765.0]]]", x, k, nx);
        check("[[[210.0, 432.0, 654.0, 76.0]]]", x, k, jax);
        assertEquals("[0]", java.util.Arrays.toString(Conv.plan(x, k, jax).padLow()));
        assertEquals("[1]", java.util.Arrays.toString(Conv.plan(x, k, jax).padHigh()));
    }
}
