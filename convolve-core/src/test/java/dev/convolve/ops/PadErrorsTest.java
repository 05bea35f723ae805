package dev.convolve.ops;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.convolve.testing.Errors.assertMessage;
import static dev.convolve.testing.Errors.assertRejects;

/** Invalid pads, in Nx's words, naming the shape and the configuration. */
class PadErrorsTest {

    private static final Tensor M = Tensor.of(new int[][] {{1, 2, 3}, {4, 5, 6}});

    @Test
    void configurationRankMustMatch() {
        assertMessage(() -> Pad.pad(M, 0L, PadConfig.triples(1, 1, 0)),
                "pad: invalid padding configuration, rank of padding configuration and shape must match, but 1 != 2, for shape {2, 3} and padding configuration [{1, 1, 0}]");
    }

    @Test
    void interiorMustBeNonNegative() {
        assertRejects(() -> Pad.pad(M, 0L, PadConfig.triples(0, 0, 0, 0, 0, -1)), "pad", "interior padding must be non-negative", "{2, 3}", "{0, 0, -1}");
    }

    @Test
    void axesMustNotBecomeNegative() {
        assertRejects(() -> Pad.pad(M, 0L, PadConfig.triples(-2, -1, 0, 0, 0, 0)), "pad", "axis 0 would have negative size -1", "{2, 3}");
    }

    @Test
    void valueMustBeAScalar() {
        assertRejects(() -> Pad.pad(Tensor.scalar(1), Tensor.of(new int[] {0}), new PadConfig(new int[0], new int[0], new int[0])), "pad",
                "padding value must be a scalar and non-vectorized", "s32[1]");
    }

    @Test
    void padOuterWidthsMustBeNonNegativeAndNoInterior() {
        // Nx: "expected padding config for axis 2 to be of the format {left, right}, with left and right as non-negative integers"
        assertMessage(() -> Pad.padOuter(Tensor.zeros(DType.S32, 1, 1, 1), PadMode.REFLECT, new int[] {0, 0, -1}, new int[] {0, 0, 0}),
                "pad: reflect padding needs non-negative widths, for shape {1, 1, 1}, low [0, 0, -1] and high [0, 0, 0]");
        assertRejects(() -> Pad.padOuter(M, PadMode.CYCLIC, PadConfig.triples(0, 0, 1, 0, 0, 0)), "pad", "interior padding is only defined for a constant");
        assertRejects(() -> Pad.padOuter(Tensor.zeros(DType.F32, 0), PadMode.MIRROR, new int[] {1}, new int[] {0}), "pad", "cannot mirror-pad axis 0 of size 0");
        assertRejects(() -> PadMode.parse("sideways"), "pad", "unknown mode 'sideways'");
        assertRejects(() -> PadConfig.parse("1:2:x"), "pad", "invalid padding configuration '1:2:x'");
    }
}
