package dev.convolve.plan;

import dev.convolve.ops.Conv;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.convolve.testing.Errors.assertMessage;
import static dev.convolve.testing.Errors.assertRejects;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every invalid conv listed in issue 2 (point 8) is rejected with an IllegalArgumentException that names the
 * operation, the rule in Nx's words and both shapes. Cases follow nx/test/nx_test.exs "conv/3".
 */
class ConvPlanErrorsTest {

    private static Tensor zeros(DType t, int... shape) { return Tensor.zeros(t, shape); }

    private static final Tensor X = Tensor.iota(DType.S32, 4, 2, 4);      // Nx's t = Nx.iota({4, 2, 4})
    private static final Tensor K = zeros(DType.S32, 2, 2, 2);            // Nx's kernel {2, 2, 2}
    private static final String SHAPES = "for input s32[4][2][4] and kernel s32[2][2][2]";

    @Test
    void inputRankBelowThree() {
        assertMessage(() -> Conv.conv(Tensor.of(new int[][] {{1, 2}}), K),
                "conv: input shape in conv requires at least rank 3, shape {1, 2} has rank 2, for input s32[1][2] and kernel s32[2][2][2]");
    }

    @Test
    void kernelRankBelowThree() {
        assertMessage(() -> Conv.conv(Tensor.iota(DType.S32, 4, 4, 4), zeros(DType.S32, 2, 2)),
                "conv: kernel shape in conv requires at least rank 3, shape {2, 2} has rank 2, for input s32[4][4][4] and kernel s32[2][2]");
    }

    @Test
    void ranksDiffer() {
        assertRejects(() -> Conv.conv(zeros(DType.F32, 1, 1, 4, 4), zeros(DType.F32, 1, 1, 3)), "conv",
                "input and kernel must have the same rank, but 4 != 3", "f32[1][1][4][4]", "f32[1][1][3]");
    }

    @Test
    void inputChannelsDoNotMatchKernelChannelsTimesFeatureGroups() {
        assertMessage(() -> Conv.conv(Tensor.iota(DType.S32, 4, 4, 4), K),
                "conv: input channels / feature group size must equal kernel input channels, but 4 / 1 != 2, for input s32[4][4][4] and kernel s32[2][2][2]");
        assertMessage(() -> Conv.conv(zeros(DType.S32, 1, 6, 8, 8), zeros(DType.S32, 4, 4, 3, 3), ConvOptions.defaults().withFeatureGroupSize(2)),
                "conv: input channels / feature group size must equal kernel input channels, but 6 / 2 != 4, for input s32[1][6][8][8] and kernel s32[4][4][3][3]");
        assertRejects(() -> Conv.conv(zeros(DType.S32, 1, 5, 8), zeros(DType.S32, 4, 2, 3), ConvOptions.defaults().withFeatureGroupSize(2)), "conv",
                "5 / 2 != 2", "s32[1][5][8]", "s32[4][2][3]", "is not a whole number");
    }

    @Test
    void groupsThatDoNotDivide() {
        assertRejects(() -> Conv.conv(Tensor.iota(DType.S32, 3, 2, 2), Tensor.full(1.0, DType.F32, 3, 1, 1), ConvOptions.defaults().withFeatureGroupSize(2)),
                "conv", "kernel output channels must be evenly divisible by feature group size, but 3 % 2 != 0", "s32[3][2][2]", "f32[3][1][1]");
        assertRejects(() -> Conv.conv(Tensor.iota(DType.S32, 3, 2, 2), Tensor.full(1.0, DType.F32, 2, 2, 1), ConvOptions.defaults().withBatchGroupSize(2)),
                "conv", "batch group size must evenly divide the input batch size, but 3 % 2 != 0", "s32[3][2][2]", "f32[2][2][1]");
        assertRejects(() -> Conv.conv(Tensor.iota(DType.S32, 3, 2, 3, 3), Tensor.iota(DType.S32, 8, 2, 2, 2), ConvOptions.defaults().withBatchGroupSize(3)),
                "conv", "kernel output channels must be evenly divisible by batch group size, but 8 % 3 != 0", "s32[3][2][3][3]", "s32[8][2][2][2]");
        assertRejects(() -> Conv.conv(X, K, ConvOptions.defaults().withFeatureGroupSize(0)), "conv", "feature group size must be a positive integer, got 0", SHAPES);
        assertRejects(() -> Conv.conv(X, K, ConvOptions.defaults().withBatchGroupSize(-1)), "conv", "batch group size must be a positive integer, got -1", SHAPES);
    }

    @Test
    void bothGroupKindsAtOnce() {
        assertRejects(() -> Conv.conv(Tensor.iota(DType.S32, 3, 2, 2), Tensor.full(1.0, DType.F32, 1, 1, 1),
                        ConvOptions.defaults().withFeatureGroupSize(2).withBatchGroupSize(2)),
                "conv", "either feature group size or batch group size must be 1, but got 2 and 2", "s32[3][2][2]", "f32[1][1][1]");
    }

    @Test
    void stridesOfTheWrongLength() {
        // Nx: "rank of strides much match rank of spatial dimensions"
        assertMessage(() -> Conv.conv(X, K, ConvOptions.defaults().withStrides(1, 1, 1, 1)),
                "conv: strides must have one entry per spatial axis or be a single number, but got 4 entries [1, 1, 1, 1] for 1 spatial axes, " + SHAPES);
    }

    @Test
    void dilationsOfTheWrongLength() {
        // Nx: "must specify dilation for each spatial dimension of the input or specify an integer dilation factor"
        assertRejects(() -> Conv.conv(X, K, ConvOptions.defaults().withInputDilation(1, 1, 1)), "conv",
                "input dilation must have one entry per spatial axis or be a single number, but got 3 entries [1, 1, 1] for 1 spatial axes", SHAPES);
        assertRejects(() -> Conv.conv(X, K, ConvOptions.defaults().withKernelDilation(1, 1, 1)), "conv",
                "kernel dilation must have one entry per spatial axis or be a single number, but got 3 entries [1, 1, 1] for 1 spatial axes", SHAPES);
    }

    @Test
    void nonPositiveStridesAndDilations() {
        // Nx: "input dilation of each dimension must be a positive integer, got [-1]"; Nx does not check strides
        assertMessage(() -> Conv.conv(X, K, ConvOptions.defaults().withInputDilation(0)), "conv: input dilation must be positive integers, got 0, " + SHAPES);
        assertMessage(() -> Conv.conv(X, K, ConvOptions.defaults().withInputDilation(new int[] {-1})),
                "conv: input dilation must be positive integers, got [-1], " + SHAPES);
        assertMessage(() -> Conv.conv(X, K, ConvOptions.defaults().withKernelDilation(new int[] {-1})),
                "conv: kernel dilation must be positive integers, got [-1], " + SHAPES);
        assertMessage(() -> Conv.conv(X, K, ConvOptions.defaults().withStrides(0)), "conv: strides must be positive integers, got 0, " + SHAPES);
        assertMessage(() -> Conv.conv(X, K, ConvOptions.defaults().withStrides(new int[] {-2})), "conv: strides must be positive integers, got [-2], " + SHAPES);
    }

    @Test
    void permutationsOfTheWrongLengthOrNotPermutations() {
        Tensor x = zeros(DType.F32, 1, 1, 4, 4), k = zeros(DType.F32, 1, 1, 2, 2);
        String shapes = "for input f32[1][1][4][4] and kernel f32[1][1][2][2]";
        assertRejects(() -> Conv.conv(x, k, ConvOptions.defaults().withInputPermutation(0, 1, 2)), "conv",
                "expected length of input permutation (3) to match rank of shape (4)", shapes);
        assertRejects(() -> Conv.conv(x, k, ConvOptions.defaults().withKernelPermutation(0, 1, 2, 3, 4)), "conv",
                "expected length of kernel permutation (5) to match rank of shape (4)", shapes);
        assertRejects(() -> Conv.conv(x, k, ConvOptions.defaults().withOutputPermutation(0, 1, 1, 2)), "conv",
                "output permutation [0, 1, 1, 2] is not a permutation of the axes 0..3", shapes);
        assertThrows(IllegalArgumentException.class, () -> ConvOptions.defaults().withLayout("NHWC", "HWIO", "NHW"));
        assertRejects(() -> ConvOptions.defaults().withLayout("NHWC", "HWIX", "NHWC"), "conv", "layout 'HWIX' must contain the letter O exactly once");
    }

    @Test
    void kernelLargerThanThePaddedInput() {
        assertRejects(() -> Conv.conv(zeros(DType.F32, 1, 1, 2), zeros(DType.F32, 1, 1, 3)), "conv",
                "the dilated kernel must fit in the padded, dilated input", "spatial axis 0 it has size 3 and the input 2", "output would be empty",
                "for input f32[1][1][2] and kernel f32[1][1][3]");
        assertRejects(() -> Conv.conv(zeros(DType.F32, 1, 1, 5), zeros(DType.F32, 1, 1, 2), ConvOptions.defaults().withKernelDilation(5)), "conv",
                "it has size 6 and the input 5");
        assertRejects(() -> Conv.conv(zeros(DType.F32, 1, 1, 5), zeros(DType.F32, 1, 1, 2), ConvOptions.defaults().withPadding(-2, -2)), "conv",
                "it has size 2 and the input 1", "padding -2:-2");
    }

    @Test
    void malformedPadding() {
        assertRejects(() -> Conv.conv(X, K, ConvOptions.defaults().withPadding(1, 1, 0, 0)), "conv",
                "invalid padding configuration, rank of padding configuration and shape must match, but got 2 low/high pairs", SHAPES);
        assertRejects(() -> Conv.conv(X, K, ConvOptions.defaults().withPadding(Padding.sameUpper()).withInputDilation(2)), "conv",
                "stride-aware SAME padding is not defined with input dilation [2]", SHAPES);
        assertRejects(() -> Padding.parse("1:2:3"), "padding", "invalid padding '1:2:3'", "low:high pairs");
        assertRejects(() -> Padding.parse("bad_value"), "padding", "expected valid, same, same-upper, same-lower");
        assertRejects(() -> Padding.pairs(1, 2, 3), "padding", "odd count [1, 2, 3]");
    }
}
