package dev.convolve.seeds;

import dev.convolve.ops.Conv;
import dev.convolve.ops.Pad;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.PadConfig;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Datasets;
import dev.convolve.testing.TestTensors;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 000, "Convolution with Nx" (Livebook): every printed result that does not depend on Axon or a webcam. */
class NxSeedTest {

    @Test
    void onePadExamplesGiveTheListedValues() {
        Tensor t = Tensor.of(new int[] {1, 2, 3});
        Tensor oneZeroLeft = Pad.pad(t, 0L, PadConfig.triples(1, 0, 0));
        Tensor two5Right = Pad.pad(t, 5L, PadConfig.triples(0, 2, 0));
        assertEquals("[[1, 2, 3], [0, 1, 2, 3], [1, 2, 3, 5, 5]]",
                "[" + String.join(", ", List.of(t, oneZeroLeft, two5Right).stream().map(Tensor::valuesString).toList()) + "]");
        assertEquals(DType.S32, oneZeroLeft.dtype());
        assertEquals(DType.S32, two5Right.dtype());
    }

    @Test
    void matrixInspectsAsPrinted() {
        assertEquals("""
                #Nx.Tensor<
                  s32[2][2]
                  [
                    [1, 2],
                    [3, 4]
                  ]
                >""", Tensor.of(new int[][] {{1, 2}, {3, 4}}).toString());
    }

    @Test
    void threeTwoDimensionalPadsAsPrinted() {
        Tensor m = Tensor.of(new int[][] {{1, 2}, {3, 4}});
        assertEquals("""
                #Nx.Tensor<
                  s32[4][2]
                  [
                    [0, 0],
                    [1, 2],
                    [3, 4],
                    [0, 0]
                  ]
                >""", Pad.pad(m, 0L, PadConfig.triples(1, 1, 0, 0, 0, 0)).toString());
        assertEquals("""
                #Nx.Tensor<
                  s32[2][4]
                  [
                    [0, 1, 2, 0],
                    [0, 3, 4, 0]
                  ]
                >""", Pad.pad(m, 0L, PadConfig.triples(0, 0, 0, 1, 1, 0)).toString());
        assertEquals("""
                #Nx.Tensor<
                  s32[4][4]
                  [
                    [0, 0, 0, 0],
                    [0, 1, 2, 0],
                    [0, 3, 4, 0],
                    [0, 0, 0, 0]
                  ]
                >""", Pad.pad(m, 0L, PadConfig.triples(1, 1, 0, 1, 1, 0)).toString());
    }

    static Tensor testImages() {
        Tensor raw = Datasets.mnistTestImages();
        return raw.reshape(raw.dim(0), 1, 28, 28);
    }

    @Test
    void mnistTestSetShapeTypeAndImage15IsAFive() {
        Tensor images = testImages();
        assertEquals("u8[10000][1][28][28]", images.describe());
        assertEquals(5, Datasets.mnistTestLabels().getLong(15));
    }

    @Test
    void minusOneZeroOneKernelWithSamePaddingDetectsEdgesBothWays() {
        Tensor five = testImages().get(15).reshape(1, 1, 28, 28).asType(DType.F32);
        Tensor edge = Tensor.of(new int[] {-1, 0, 1});
        ConvOptions same = ConvOptions.defaults().withPadding(Padding.same());
        Tensor vertical = Conv.conv(five, edge.reshape(1, 1, 1, 3), same);
        Tensor horizontal = Conv.conv(five, edge.reshape(1, 1, 3, 1), same);
        assertEquals("f32[1][1][28][28]", vertical.describe());
        assertEquals("f32[1][1][28][28]", horizontal.describe());
        for (int i = 0; i < 28; i++) {
            for (int j = 0; j < 28; j++) {
                assertEquals(pixel(five, i, j + 1) - pixel(five, i, j - 1), vertical.get(0, 0, i, j), 0.0);
                assertEquals(pixel(five, i + 1, j) - pixel(five, i - 1, j), horizontal.get(0, 0, i, j), 0.0);
            }
        }
        Tensor both = Tensor.concatenate(List.of(vertical, horizontal), -1).reshape(28, 56, 1).asType(DType.U8);
        assertEquals("u8[28][56][1]", both.describe());
        assertTrue(vertical.reduceMax().item() > 100, "the digit has strong vertical edges");
    }

    private static double pixel(Tensor img, int i, int j) { return i < 0 || j < 0 || i >= 28 || j >= 28 ? 0 : img.get(0, 0, i, j); }

    /** Filter.gaussian_blur_kernel(sigma: sigma) of the seed, with the same f32 operations. */
    static Tensor gaussianBlurKernel(double sigma) {
        Tensor range = Tensor.iota(DType.S32, 5).subtract(2L);
        Tensor x = range.reshape(5, 1), y = range.reshape(1, 5);
        Tensor kernel = x.multiply(x).add(y.multiply(y)).negate().divide(2 * sigma * sigma).exp();
        kernel = kernel.divide(2 * Math.PI * sigma * sigma);
        return kernel.divide(kernel.sum());
    }

    @Test
    void gaussianBlurKernelForSigmaHalfIsThePrinted5x5() {
        double[] printed = {
            6.962478948935313e-8, 2.8088648832635954e-5, 2.075485826935619e-4, 2.8088648832635954e-5, 6.962478948935313e-8,
            2.8088648832635954e-5, 0.0113317696377635, 0.08373107761144638, 0.0113317696377635, 2.8088648832635954e-5,
            2.075485826935619e-4, 0.08373107761144638, 0.6186935901641846, 0.08373107761144638, 2.075485826935619e-4,
            2.8088648832635954e-5, 0.0113317696377635, 0.08373107761144638, 0.0113317696377635, 2.8088648832635954e-5,
            6.962478948935313e-8, 2.8088648832635954e-5, 2.075485826935619e-4, 2.8088648832635954e-5, 6.962478948935313e-8};
        Tensor k = gaussianBlurKernel(0.5);
        assertEquals("f32[5][5]", k.describe());
        for (int i = 0; i < 25; i++) {
            assertEquals(printed[i], k.getFlat(i), 2 * Math.ulp((float) printed[i]), "entry " + i);
        }
    }

    @Test
    void applyKernelPipelineTurnsARgbaImageInto128x128x4() {
        Tensor image = TestTensors.random(DType.U8, new int[] {256, 256, 4}, 2024, false);
        Tensor kernel = gaussianBlurKernel(1.0);
        Tensor scaled = image.divide(255L);
        assertEquals(DType.F32, scaled.dtype());
        Tensor blurred = Conv.conv(scaled.newAxis(0), kernel.reshape(1, 1, 5, 5), ConvOptions.defaults()
                        .withPadding(Padding.same()).withInputPermutation(3, 0, 1, 2).withOutputPermutation(3, 0, 1, 2).withStrides(2, 2))
                .squeeze(0).multiply(255L).clip(0, 255).asType(DType.U8);
        assertEquals("u8[128][128][4]", blurred.describe());
        // one pixel by hand: the 5x5 window centred on (2i, 2j), zero outside, of channel c
        for (int[] at : new int[][] {{0, 0, 0}, {64, 31, 2}, {127, 127, 3}, {10, 100, 1}}) {
            double s = 0;
            for (int u = 0; u < 5; u++) {
                for (int v = 0; v < 5; v++) {
                    int r = 2 * at[0] + u - 2, c = 2 * at[1] + v - 2;
                    if (r >= 0 && c >= 0 && r < 256 && c < 256) s += image.get(r, c, at[2]) / 255.0 * kernel.get(u, v);
                }
            }
            assertEquals(Math.floor(Math.min(255, s * 255)), blurred.get(at), 1.0, "pixel " + java.util.Arrays.toString(at));
        }
    }

    @Test
    void trainingDataIsBatchedOneImageAtATime() {
        Tensor images = testImages().slice(new int[] {0, 0, 0, 0}, new int[] {15, 1, 28, 28}).asType(DType.F32);
        List<Tensor> batches = images.toBatched(1);
        assertEquals(15, batches.size());
        assertEquals("f32[1][1][28][28]", batches.get(14).describe());
        assertTrue(batches.get(3).contentEquals(images.sliceAxis(3, 1, 0)));
    }
}
