package dev.convolve.seeds;

import dev.convolve.ops.Conv;
import dev.convolve.ops.Unfold;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Datasets;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 001, the fast.ai course notes "Convolutions" (PyTorch), on the real MNIST training images.
 *
 * <p>fast.ai's {@code x_train} is the first 50,000 MNIST training images in order, from deeplearning.net's
 * {@code mnist.pkl.gz}, whose pixels are stored as {@code byte / 256} (the largest value is 0.99609375). With
 * {@code / 255} the two printed sums would be 2.9843 and -2.9686 instead of the printed 2.9727 and -2.9570, so the
 * notes' own output pins the scale to 1/256.
 */
class FastaiSeedTest {

    static final Tensor TOP_EDGE = Tensor.of(new float[][] {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}});
    static final Tensor LEFT_EDGE = Tensor.of(new float[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
    static final Tensor DIAG1_EDGE = Tensor.of(new float[][] {{0, -1, 1}, {-1, 1, 0}, {1, 0, 0}});
    static final Tensor DIAG2_EDGE = Tensor.of(new float[][] {{1, -1, 0}, {0, 1, -1}, {0, 0, 1}});

    /** x_train image i as f32 [28][28], byte / 256 as in the pickle. */
    static Tensor xTrain(int i) {
        return Datasets.mnistTrainImages().get(i).asType(DType.F32).divide(256.0);
    }

    /** fast.ai's apply_kernel(row, col, kernel) = (im[row-1:row+2, col-1:col+2] * kernel).sum(). */
    static double applyKernel(Tensor im, int row, int col, Tensor kernel) {
        return im.slice(new int[] {row - 1, col - 1}, new int[] {3, 3}).multiply(kernel).sum().item();
    }

    /** torch prints a float32 scalar with 4 decimals. */
    static String torchScalar(double v) {
        return "tensor(" + new BigDecimal((float) v).setScale(4, RoundingMode.HALF_EVEN).toPlainString() + ")";
    }

    @Test
    void image7MatchesThePrintedDataFrame() {
        Tensor im3 = xTrain(7);
        String[] rows = TABLE.strip().split("\n");
        assertEquals(28, rows.length);
        for (int r = 0; r < 28; r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 28; c++) {
                if (c > 0) sb.append(' ');
                // pandas' precision=2 rounds the exact binary value half-even, as Python's format does
                sb.append(new BigDecimal((float) im3.get(r, c)).setScale(2, RoundingMode.HALF_EVEN).toPlainString());
            }
            assertEquals(rows[r].strip(), sb.toString(), "row " + r);
        }
    }

    @Test
    void topEdgeSumsArePrinted2_9727AndMinus2_9570() {
        Tensor im3 = xTrain(7);
        Tensor a = im3.slice(new int[] {3, 14}, new int[] {3, 3}).multiply(TOP_EDGE).sum();
        Tensor b = im3.slice(new int[] {7, 14}, new int[] {3, 3}).multiply(TOP_EDGE).sum();
        assertEquals("tensor(2.9727)", torchScalar(a.item()));
        assertEquals("tensor(-2.9570)", torchScalar(b.item()));
        assertEquals("tensor(2.9727)", torchScalar(applyKernel(im3, 4, 15, TOP_EDGE)));
        assertEquals(2.97265625, a.item(), 0.0);
    }

    @Test
    void applyKernelOverTheGridIsTheConv() {
        Tensor im3 = xTrain(7);
        for (Tensor k : List.of(TOP_EDGE, LEFT_EDGE)) {
            Tensor conv = Conv.conv(im3.reshape(1, 1, 28, 28), k.reshape(1, 1, 3, 3)).reshape(26, 26);
            for (int i = 1; i < 27; i++) {
                for (int j = 1; j < 27; j++) assertEquals(applyKernel(im3, i, j, k), conv.get(i - 1, j - 1), 1e-6);
            }
        }
    }

    @Test
    void unfoldGives9x676AndWeightsTimesColumnsIsTheConv() {
        Tensor inp = xTrain(7).reshape(1, 1, 28, 28);
        Tensor inpUnf = Unfold.unfold(inp, Unfold.Options.kernel(3, 3)).get(0);
        assertEquals("f32[9][676]", inpUnf.describe());
        Tensor w = LEFT_EDGE.reshape(-1);
        assertEquals("f32[9]", w.describe());
        Tensor outUnf = w.matmul(inpUnf);
        assertEquals("f32[676]", outUnf.describe());
        Tensor out = outUnf.reshape(26, 26);
        Tensor conv = Conv.conv(inp, LEFT_EDGE.reshape(1, 1, 3, 3)).reshape(26, 26);
        assertTrue(out.allClose(conv, 0, 1e-6), () -> "max difference " + out.maxAbsDiff(conv));
    }

    @Test
    void fourEdgeKernelsOverSixteenDigitsGive16x4x26x26MatchingApplyKernel() {
        Tensor xb = Datasets.mnistTrainImages().slice(new int[] {0, 0, 0}, new int[] {16, 28, 28}).asType(DType.F32).divide(256.0).newAxis(1);
        assertEquals("f32[16][1][28][28]", xb.describe());
        Tensor kernels = Tensor.stack(List.of(LEFT_EDGE, TOP_EDGE, DIAG1_EDGE, DIAG2_EDGE), 0).newAxis(1);
        assertEquals("f32[4][1][3][3]", kernels.describe());
        Tensor features = Conv.conv(xb, kernels);
        assertEquals("f32[16][4][26][26]", features.describe());
        List<Tensor> ks = List.of(LEFT_EDGE, TOP_EDGE, DIAG1_EDGE, DIAG2_EDGE);
        for (int img : new int[] {0, 1, 7, 15}) {
            Tensor im = xb.get(img).get(0);
            for (int k = 0; k < 4; k++) {
                for (int i = 1; i < 27; i++) {
                    for (int j = 1; j < 27; j++) {
                        assertEquals(applyKernel(im, i, j, ks.get(k)), features.get(img, k, i - 1, j - 1), 1e-6, "image " + img + " kernel " + k);
                    }
                }
            }
        }
    }

    @Test
    void paddingAndStrideArithmeticOfTheNotes() {
        // 5x5 input, 4x4 kernel, 2 pixels of padding -> 6x6; 3x3 kernel, 5x5 input, stride 2, padding 1 -> 3x3
        assertEquals("[1][1][6][6]", Conv.plan(Tensor.zeros(DType.F32, 1, 1, 5, 5), Tensor.zeros(DType.F32, 1, 1, 4, 4),
                ConvOptions.defaults().withPadding(2, 2, 2, 2)).outputShape().toString());
        assertEquals("[1][1][3][3]", Conv.plan(Tensor.zeros(DType.F32, 1, 1, 5, 5), Tensor.zeros(DType.F32, 1, 1, 3, 3),
                ConvOptions.defaults().withPadding(1, 1, 1, 1).withStrides(2)).outputShape().toString());
        // broken_cnn: two 3x3 convs with padding 1 keep 28x28 -> [16, 10, 28, 28]
        Tensor xb = Tensor.zeros(DType.F32, 16, 1, 28, 28);
        ConvOptions pad1 = ConvOptions.defaults().withPadding(1, 1, 1, 1);
        Tensor h = Conv.conv(xb, Tensor.zeros(DType.F32, 30, 1, 3, 3), pad1);
        assertEquals("f32[16][10][28][28]", Conv.conv(h, Tensor.zeros(DType.F32, 10, 30, 3, 3), pad1).describe());
    }

    @Test
    void simpleCnnShapesGo28_14_7_4_2_1AndItHas5274Parameters() {
        int[][] layers = {{1, 4}, {4, 8}, {8, 16}, {16, 16}, {16, 10}};
        ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
        int[] shape = {16, 1, 28, 28};
        int[] sizes = new int[layers.length];
        long params = 0;
        for (int l = 0; l < layers.length; l++) {
            int[] kernel = {layers[l][1], layers[l][0], 3, 3};
            ConvPlan p = ConvPlan.of(dev.convolve.tensor.Shape.of(shape), DType.F32, dev.convolve.tensor.Shape.of(kernel), DType.F32, o);
            shape = p.outputShape().dims();
            sizes[l] = shape[2];
            params += (long) kernel[0] * kernel[1] * 9 + kernel[0];
        }
        assertEquals("[14, 7, 4, 2, 1]", java.util.Arrays.toString(sizes));
        assertEquals("[16, 10, 1, 1]", java.util.Arrays.toString(shape));
        assertEquals(5274, params);
    }

    /** The DataFrame printed for im3 (x_imgs[7]) with precision 2. */
    static final String TABLE = """
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.15 0.17 0.41 1.00 0.99 0.99 0.99 0.99 0.99 0.68 0.02 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.17 0.54 0.88 0.88 0.98 0.99 0.98 0.98 0.98 0.98 0.98 0.98 0.62 0.05 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.70 0.98 0.98 0.98 0.98 0.99 0.98 0.98 0.98 0.98 0.98 0.98 0.98 0.23 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.43 0.98 0.98 0.90 0.52 0.52 0.52 0.52 0.74 0.98 0.98 0.98 0.98 0.23 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.02 0.11 0.11 0.09 0.00 0.00 0.00 0.00 0.05 0.88 0.98 0.98 0.67 0.03 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.33 0.95 0.98 0.98 0.56 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.34 0.74 0.98 0.98 0.98 0.05 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.36 0.83 0.96 0.98 0.98 0.98 0.80 0.04 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.12 0.49 0.75 0.75 0.75 0.99 0.98 0.98 0.98 0.93 0.40 0.11 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.18 0.87 0.98 0.98 0.98 0.98 0.99 0.98 0.98 0.98 0.69 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.18 0.87 0.99 0.99 0.99 0.99 1.00 0.99 0.99 0.99 0.99 0.29 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.12 0.48 0.20 0.17 0.17 0.17 0.17 0.56 0.98 0.98 0.29 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.06 0.98 0.98 0.29 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.34 0.98 0.98 0.29 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.02 0.29 0.04 0.00 0.00 0.00 0.00 0.00 0.00 0.38 0.95 0.98 0.98 0.29 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.24 0.71 0.98 0.11 0.00 0.00 0.00 0.00 0.07 0.36 0.93 0.98 0.98 0.95 0.25 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.81 0.98 0.98 0.57 0.52 0.52 0.52 0.52 0.79 0.99 0.98 0.98 0.73 0.32 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.81 0.98 0.98 0.98 0.98 0.98 0.98 0.98 0.98 0.99 0.90 0.60 0.03 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.19 0.61 0.98 0.98 0.98 0.98 0.98 0.85 0.81 0.57 0.18 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.03 0.40 0.92 0.98 0.67 0.40 0.09 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00
            """;
}
