package dev.convolve.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.io.Idx;
import dev.convolve.io.ImageTestData;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seeds' worked examples and the rules of {@link Filters}: shapes, alpha, chaining, errors. */
class FiltersTest {
    static Tensor trainImages, testImages, testLabels;

    @BeforeAll
    static void load() throws Exception {
        trainImages = Idx.read(ImageTestData.mnist().resolve("train-images-idx3-ubyte.gz"));
        testImages = Idx.read(ImageTestData.mnist().resolve("t10k-images-idx3-ubyte.gz"));
        testLabels = Idx.read(ImageTestData.mnist().resolve("t10k-labels-idx1-ubyte.gz"));
    }

    static final FilterOptions VALID = FilterOptions.defaults().withPadding(FilterPadding.VALID);
    static final FilterOptions SAME_ZERO = FilterOptions.defaults().withBorder(BorderMode.ZERO);

    /** fast.ai's im3 = x_imgs[7]: the training digit 7 as floats (mnist.pkl.gz stores pixel / 256). */
    static Tensor im3() {
        return trainImages.get(7).asType(DType.F32).divide(256.0);
    }

    @Test
    void fastAiTopEdgeAtTwoPlaces() {
        // (im3[3:6,14:17] * top_edge).sum() = 2.9727; (im3[7:10,14:17] * top_edge).sum() = -2.9570; apply_kernel(4,15,top_edge) = 2.9727
        Tensor maps = Filters.apply(im3(), Kernels.named("top-edge"), VALID);
        assertEquals(Shape.of(26, 26), maps.shape());
        assertEquals(2.9727, maps.get(3, 14), 5e-5);
        assertEquals(-2.9570, maps.get(7, 14), 5e-5);
        assertEquals(2.97265625, maps.get(3, 14), 1e-6);
    }

    @Test
    void fastAiEdgeMapsAreTheValidCorrelation() {
        // top_edge3 = [[apply_kernel(i, j, top_edge) for j in range(1, 27)] for i in range(1, 27)], and left_edge3 alike
        Tensor img = im3();
        for (String name : new String[] {"top-edge", "left-edge", "diag1-edge", "diag2-edge"}) {
            Kernel k = Kernels.named(name);
            Tensor maps = Filters.apply(img, k, VALID);
            for (int i = 1; i < 27; i++) {
                for (int j = 1; j < 27; j++) {
                    double s = 0;
                    for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) s += img.get(i - 1 + a, j - 1 + b) * k.get(a, b);
                    assertEquals(s, maps.get(i - 1, j - 1), 1e-5, name + " at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void fastAiBatchOfSixteenDigitsWithFourEdgeKernels() {
        // F.conv2d(xb, edge_kernels) with xb = x_imgs[:16][:, None]: torch.Size([16, 4, 26, 26])
        List<Kernel> kernels = List.of(Kernels.named("left-edge"), Kernels.named("top-edge"), Kernels.named("diag1-edge"), Kernels.named("diag2-edge"));
        Tensor reference = dev.convolve.ops.Conv.conv(
                trainImages.sliceAxis(0, 16, 0).asType(DType.F32).divide(256.0).reshape(16, 1, 28, 28),
                Tensor.stack(kernels.stream().map(k -> k.toTensor(DType.F32)).toList(), 0).reshape(4, 1, 3, 3));
        assertEquals(Shape.of(16, 4, 26, 26), reference.shape());
        for (int n = 0; n < 16; n++) {
            Tensor img = trainImages.get(n).asType(DType.F32).divide(256.0);
            for (int k = 0; k < 4; k++) {
                Tensor ours = Filters.apply(img, kernels.get(k), VALID);
                assertTrue(ours.maxAbsDiff(reference.get(n).get(k)) < 1e-5, "image " + n + " kernel " + k);
            }
        }
    }

    @Test
    void nxSeedEdgeDetectionOnTheFive() {
        // images[15] of the test set is a 5; Nx.conv(..., Nx.reshape(edge_kernel, {1,1,1,3}), padding: :same) and {1,1,3,1}
        assertEquals(5, testLabels.getLong(15));
        Tensor five = testImages.get(15).asType(DType.F32);
        Tensor vertical = Filters.apply(five, Kernels.named("nx-edge"), SAME_ZERO);
        Tensor horizontal = Filters.apply(five, Kernels.named("nx-edge-v"), SAME_ZERO);
        assertEquals(Shape.of(28, 28), vertical.shape());
        for (int i = 0; i < 28; i++) {
            for (int j = 0; j < 28; j++) {
                double l = j > 0 ? five.get(i, j - 1) : 0, r = j < 27 ? five.get(i, j + 1) : 0;
                double u = i > 0 ? five.get(i - 1, j) : 0, d = i < 27 ? five.get(i + 1, j) : 0;
                assertEquals(r - l, vertical.get(i, j), 0, "vertical at " + i + "," + j);
                assertEquals(d - u, horizontal.get(i, j), 0, "horizontal at " + i + "," + j);
            }
        }
        // And the same through the core conv exactly as the seed writes it.
        Tensor nx = dev.convolve.ops.Conv.conv(five.reshape(1, 1, 28, 28), Tensor.of(new float[] {-1, 0, 1}).reshape(1, 1, 1, 3),
                dev.convolve.plan.ConvOptions.defaults().withPadding(dev.convolve.plan.Padding.same()));
        assertTrue(nx.reshape(28, 28).contentEquals(vertical));
    }

    @Test
    void nxSeedApplyKernelOnAnRgbaFrame() {
        // apply_kernel(image {256, 256, 4} u8, gaussian_blur_kernel(sigma: 1), strides: [2, 2]) -> {128, 128, 4}
        Random rnd = new Random(1);
        byte[] px = new byte[256 * 256 * 4];
        rnd.nextBytes(px);
        Tensor frame = Tensor.wrap(DType.U8, Shape.of(256, 256, 4), px);
        FilterOptions o = SAME_ZERO.withStride(2);
        Tensor out = Filters.apply(frame, Kernels.gaussian(5, 1), o);
        assertEquals(Shape.of(128, 128, 4), out.shape());
        assertEquals(DType.U8, out.dtype());
        // The seed's own arithmetic: channels in the batch axis, /255, conv, *255, clip (we round where it truncates).
        Tensor seed = dev.convolve.ops.Conv.conv(frame.divide(255.0).newAxis(0), Kernels.gaussian(5, 1).toConvKernel(),
                        dev.convolve.plan.ConvOptions.defaults().withPadding(dev.convolve.plan.Padding.same()).withStrides(2, 2)
                                .withInputPermutation(3, 0, 1, 2).withOutputPermutation(3, 0, 1, 2))
                .squeeze(0).multiply(255.0).clip(0, 255);
        for (int i = 0; i < 128; i++) {
            for (int j = 0; j < 128; j++) {
                for (int c = 0; c < 3; c++) assertEquals(Math.floor(seed.get(i, j, c) + 0.5), out.get(i, j, c), 1, "at " + i + "," + j + "," + c);
                assertEquals(frame.get(2 * i, 2 * j, 3), out.get(i, j, 3), 0, "alpha is kept, taken under the kernel centre");
            }
        }
    }

    @Test
    void chainingRoundsToU8BetweenKernels() {
        Tensor img = NaiveFilterImages.random(5, 31, 29, 3);
        List<Kernel> chain = List.of(Kernels.gaussian(5, 1), Kernels.named("sharpen"));
        Tensor once = Filters.apply(Filters.apply(img, chain.get(0), FilterOptions.defaults()), chain.get(1), FilterOptions.defaults());
        assertTrue(Filters.apply(img, chain, FilterOptions.defaults()).contentEquals(once));
    }

    @Test
    void responseKeepsNegativeValues() {
        Tensor img = Tensor.fromU8(new byte[] {10, 10, 50, 50, 10, 10}, 1, 6, 1);
        Tensor r = Filters.response(img, Kernels.named("nx-edge"), FilterOptions.defaults().withBorder(BorderMode.REPLICATE));
        assertEquals(DType.F32, r.dtype());
        assertEquals("[[[0.0], [40.0], [40.0], [-40.0], [-40.0], [0.0]]]", r.valuesString());
        assertEquals("[[[0], [40], [40], [0], [0], [0]]]", Filters.apply(img, Kernels.named("nx-edge"),
                FilterOptions.defaults().withBorder(BorderMode.REPLICATE)).valuesString());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        Kernel k = Kernels.gaussian(5, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Filters.apply(Tensor.zeros(DType.S32, 4, 4), k, VALID));
        assertEquals("filter: expected a u8 or f32 image, got s32[4][4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Filters.apply(Tensor.zeros(DType.U8, 4, 4, 2), k, VALID));
        assertEquals("filter: an image has 1 (grey), 3 (RGB) or 4 (RGBA) channels, got 2 in u8[4][4][2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Filters.apply(Tensor.zeros(DType.U8, 4, 4, 3), k, VALID));
        assertEquals("filter: a 5x5 kernel does not fit in the image u8[4][4][3] with padding valid", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Filters.apply(Tensor.zeros(DType.U8, 2, 4, 4, 3), k, VALID));
        assertEquals("filter: expected an image [height][width][channels] or [height][width], got u8[2][4][4][3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FilterOptions.defaults().withStride(0));
        assertEquals("filter: stride must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BorderMode.parse("wrap"));
        assertEquals("filter: unknown border 'wrap', expected zero, reflect, replicate or mirror", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Filters.apply(Tensor.zeros(DType.U8, 4, 4), List.of(), VALID));
    }

    /** Random images for these tests. */
    static final class NaiveFilterImages {
        static Tensor random(long seed, int h, int w, int c) {
            byte[] b = new byte[h * w * c];
            new Random(seed).nextBytes(b);
            return Tensor.wrap(DType.U8, Shape.of(h, w, c), b);
        }
    }
}
