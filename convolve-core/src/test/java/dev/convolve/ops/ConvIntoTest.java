package dev.convolve.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.convolve.backend.Backends;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Conv#convInto}: the same values as {@link Conv#conv} in a used buffer, on both backends and in every layout; its errors. */
class ConvIntoTest {
    private final Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 2, 8, 10, 10);
    private final Tensor w = Tensor.randomNormal(2, DType.F32, 0, 1, 6, 8, 3, 3);

    @Test
    void writesWhatConvReturnsOverOldContents() {
        ConvOptions[] options = {
            ConvOptions.defaults(),
            ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1),
            ConvOptions.defaults().withInputDilation(2).withKernelDilation(2),
            // output in NHWC: computed and copied
            ConvOptions.defaults().withOutputPermutation(0, 2, 3, 1),
        };
        for (ConvOptions o : options) {
            Tensor expected = Conv.conv(x, w, o);
            Tensor out = Tensor.full(Double.NaN, DType.F32, expected.dims());
            assertSame(out, Conv.convInto(x, w, o, out));
            assertArrayEquals(expected.floatData(), out.floatData(), o::toString);
            ConvPlan p = Conv.plan(x, w, o);
            Tensor ref = Tensor.full(Double.NaN, DType.F32, expected.dims());
            Backends.reference().convInto(p, x, w, ref);
            assertArrayEquals(Backends.reference().conv(p, x, w).floatData(), ref.floatData(), o::toString);
        }
    }

    @Test
    void integerConvsWriteTheirFloatResult() {
        Tensor xi = Tensor.iota(DType.S32, 1, 1, 4, 4), wi = Tensor.ones(DType.S32, 1, 1, 2, 2);
        Tensor out = Tensor.full(-1.0, DType.F32, 1, 1, 3, 3);
        Conv.convInto(xi, wi, ConvOptions.defaults(), out);
        assertArrayEquals(new float[] {10, 14, 18, 26, 30, 34, 42, 46, 50}, out.floatData());
    }

    @Test
    void outOfTheWrongShapeOrTypeIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Conv.convInto(x, w, ConvOptions.defaults(), Tensor.zeros(DType.F32, 2, 6, 10, 10)));
        assertEquals("conv: out must have the result's shape and type f32[2][6][8][8], but is f32[2][6][10][10], for input f32[2][8][10][10] "
                + "and kernel f32[6][8][3][3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.convInto(x, w, ConvOptions.defaults(), Tensor.zeros(DType.F64, 2, 6, 8, 8)));
        assertEquals("conv: out must have the result's shape and type f32[2][6][8][8], but is f64[2][6][8][8], for input f32[2][8][10][10] "
                + "and kernel f32[6][8][3][3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.convInto(x, w, ConvOptions.defaults(), null));
        assertEquals("conv: out must be a tensor, but is null", e.getMessage());
    }

    @Test
    void outSharingAnOperandsStorageIsRefused() {
        Tensor img = Tensor.randomNormal(3, DType.F32, 0, 1, 1, 1, 6, 6);
        Tensor k = Tensor.randomNormal(4, DType.F32, 0, 1, 1, 1, 3, 3);
        ConvOptions same = ConvOptions.defaults().withPadding(1, 1, 1, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Conv.convInto(img, k, same, img.reshape(1, 1, 6, 6)));
        assertEquals("conv: out must not share its storage with the input (the conv reads it while writing out), for out f32[1][1][6][6]",
                e.getMessage());
    }
}
