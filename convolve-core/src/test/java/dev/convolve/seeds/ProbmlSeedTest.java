package dev.convolve.seeds;

import dev.convolve.ops.Conv;
import dev.convolve.ops.ConvMatrix;
import dev.convolve.ops.Pool;
import dev.convolve.ops.Window;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 003, probml "Foundations of CNNs" (JAX + Flax): every printed result. */
class ProbmlSeedTest {

    /** corr2d_multi_in for X [c, h, w] and K [c, kh, kw]. */
    static Tensor corr2dMultiIn(Tensor x, Tensor k) {
        return Conv.conv(x.newAxis(0), k.newAxis(0)).squeeze(0).squeeze(0);
    }

    static final Tensor X2 = Tensor.of(new float[][][] {{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}});
    static final Tensor K2 = Tensor.of(new float[][][] {{{0, 1}, {2, 3}}, {{1, 2}, {3, 4}}});

    @Test
    void corr2dAndEdgeDetectionAsPrinted() {
        assertEquals("[[19.0, 25.0], [37.0, 43.0]]", D2lSeedTest.corr2d(Tensor.of(new float[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}),
                Tensor.of(new float[][] {{0, 1}, {2, 3}})).valuesString());
        Tensor y = D2lSeedTest.corr2d(D2lSeedTest.stripes(), Tensor.of(new float[][] {{1, -1}}));
        assertEquals("[0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]", y.get(3).valuesString());
        assertTrue(D2lSeedTest.corr2d(D2lSeedTest.stripes().transpose(), Tensor.of(new float[][] {{1, -1}})).contentEquals(Tensor.zeros(DType.F32, 8, 5)));
    }

    @Test
    void kernel2matrixIsThePrinted4x9Matrix() {
        Tensor k = Tensor.of(new int[][] {{1, 2}, {3, 4}});
        Tensor w = ConvMatrix.kernelToMatrix(k.reshape(1, 1, 2, 2), Shape.of(1, 1, 3, 3), ConvOptions.defaults());
        assertEquals("[[1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 0.0, 0.0], "
                + "[0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 4.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 4.0]]", w.valuesString());
        Tensor x = Tensor.iota(DType.F32, 3, 3);
        Tensor y2 = w.matmul(x.reshape(-1)).reshape(2, 2);
        assertEquals("[[27.0, 37.0], [57.0, 67.0]]", y2.valuesString());
        assertTrue(y2.contentEquals(D2lSeedTest.corr2d(x, k.asType(DType.F32))));
    }

    @Test
    void multipleInputChannelsGive56_72_104_120() {
        Tensor out = corr2dMultiIn(X2, K2);
        assertEquals("f32[2][2]", out.describe());
        assertEquals("[[56.0, 72.0], [104.0, 120.0]]", out.valuesString());
    }

    @Test
    void multipleOutputChannelsHaveShape3x2x2() {
        Tensor k = Tensor.stack(List.of(K2, K2.add(1L), K2.add(2L)), 0);
        assertEquals("f32[3][2][2][2]", k.describe());
        Tensor out = Conv.conv(X2.newAxis(0), k).squeeze(0);
        assertEquals("f32[3][2][2]", out.describe());
        assertTrue(out.get(0).contentEquals(corr2dMultiIn(X2, K2)));
        assertTrue(out.get(2).contentEquals(corr2dMultiIn(X2, K2.add(2L))));
    }

    @Test
    void oneByOneConvIsAMatmulOverChannels() {
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 3, 3, 3);
        Tensor k = Tensor.randomNormal(2, DType.F32, 0, 1, 2, 3, 1, 1);
        Tensor y1 = k.reshape(2, 3).matmul(x.reshape(3, 9)).reshape(2, 3, 3);
        Tensor y2 = Conv.conv(x.newAxis(0), k).squeeze(0);
        assertEquals("f32[2][3][3]", y2.describe());
        assertTrue(y1.subtract(y2).abs().sum().item() < 1e-6);
    }

    @Test
    void maxAndAvgPooling3x3OverArange16() {
        Tensor x = Tensor.iota(DType.S32, 4, 4);
        assertEquals("[[10, 11], [14, 15]]", Window.max(x, WindowOptions.of(3, 3)).valuesString());
        assertEquals("[[5.0, 6.0], [9.0, 10.0]]", Window.mean(x, WindowOptions.of(3, 3)).valuesString());
        // the same in PyTorch's terms (stride 1 must be given: PyTorch's default stride is the kernel)
        Tensor x4 = x.reshape(1, 1, 4, 4);
        assertEquals("[[[[10, 11], [14, 15]]]]", Pool.maxPool(x4, Pool.Options.kernel(3, 3).withStride(1)).valuesString());
        assertEquals("[[[[5.0, 6.0], [9.0, 10.0]]]]", Pool.avgPool(x4, Pool.Options.kernel(3, 3).withStride(1)).valuesString());
    }

    @Test
    void flaxMaxPoolOnNhwcGives10_11_14_15() {
        // nn.max_pool(X of shape (1, 4, 4, 1), (3, 3), strides=(1, 1)) -> [[[[10] [11]] [[14] [15]]]]
        Tensor x = Tensor.iota(DType.S32, 1, 4, 4, 1);
        Tensor y = Window.max(x, WindowOptions.of(1, 3, 3, 1));
        assertEquals("s32[1][2][2][1]", y.describe());
        assertEquals("[[[[10], [11]], [[14], [15]]]]", y.valuesString());
        Tensor viaNchw = Pool.maxPool(x.transpose(0, 3, 1, 2), Pool.Options.kernel(3, 3).withStride(1)).transpose(0, 2, 3, 1);
        assertTrue(viaNchw.contentEquals(y));
    }
}
