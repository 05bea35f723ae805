package dev.convolve.plan;

import dev.convolve.ops.Window;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.convolve.testing.Errors.assertMessage;
import static dev.convolve.testing.Errors.assertRejects;

/** Invalid window reductions, in Nx's words (nx/lib/nx/shape.ex pool doctests), with the input shape and window. */
class WindowPlanErrorsTest {

    private static final Tensor T = Tensor.zeros(DType.S32, 1, 2, 3);

    @Test
    void windowRankDiffersFromTensorRank() {
        assertMessage(() -> Window.max(T, WindowOptions.of(2, 1)),
                "window_max: invalid window dimensions, rank of shape (3) does not match rank of window (2), for input s32[1][2][3] and window [2, 1]");
    }

    @Test
    void stridesOrDilationsOfTheWrongLength() {
        // Nx: "invalid stride dimensions, rank of shape (3) does not match rank of stride (2)"
        assertMessage(() -> Window.max(T, WindowOptions.of(2, 1, 1).withStrides(1, 1)),
                "window_max: strides must have one entry per axis of the tensor or be a single number, but got 2 entries [1, 1] for 3 axes, "
                        + "for input s32[1][2][3] and window [2, 1, 1]");
        assertRejects(() -> Window.sum(T, WindowOptions.of(1, 1, 1).withWindowDilations(1, 1)), "window_sum",
                "window dilations must have one entry per axis of the tensor or be a single number, but got 2 entries [1, 1] for 3 axes", "s32[1][2][3]");
    }

    @Test
    void nonPositiveWindowStridesOrDilations() {
        assertRejects(() -> Window.min(T, WindowOptions.of(1, 1, 1).withStrides(0)), "window_min", "strides must be positive integers, got 0", "s32[1][2][3]");
        assertRejects(() -> Window.product(T, WindowOptions.of(1, 1, 1).withWindowDilations(1, -1, 1)), "window_product",
                "window dilations must be positive integers, got [1, -1, 1]", "s32[1][2][3]");
        assertRejects(() -> Window.max(T, WindowOptions.of(1, 0, 1)), "window_max", "window dimensions must be positive", "[1, 0, 1]");
    }

    @Test
    void windowLargerThanThePaddedInput() {
        assertRejects(() -> Window.max(T, WindowOptions.of(2, 1, 1)), "window_max",
                "window dimensions would result in empty tensor", "axis 0 the dilated window has size 2 but the padded input only 1",
                "for input s32[1][2][3] and window [2, 1, 1]");
        // SPEC 3: Nx lets S=2, w=3, s=2 through; we treat every S + lo + hi < DW as an error
        assertRejects(() -> Window.max(Tensor.zeros(DType.F32, 2), WindowOptions.of(3).withStrides(2)), "window_max",
                "would result in empty tensor", "f32[2]");
        assertRejects(() -> Window.mean(Tensor.zeros(DType.F32, 4), WindowOptions.of(2).withWindowDilations(4)), "window_mean",
                "dilated window has size 5 but the padded input only 4");
    }

    @Test
    void malformedWindowPadding() {
        assertRejects(() -> Window.max(T, WindowOptions.of(1, 1, 1).withPadding(0, 0)), "window_max",
                "invalid padding configuration, rank of padding configuration and shape must match, but got 1 low/high pairs", "s32[1][2][3]");
    }
}
