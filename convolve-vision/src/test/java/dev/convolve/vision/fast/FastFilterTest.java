package dev.convolve.vision.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.FilterPadding;
import dev.convolve.vision.Filters;
import dev.convolve.vision.Kernel;
import dev.convolve.vision.Kernels;
import dev.convolve.vision.NaiveFilter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast paths (vector and scalar inner loops, separable and direct) against the independent naive filter and the
 * core conv path, over random sizes (1, primes, 13, ...), channels, types, kernels (odd, even, separable or not),
 * strides, paddings and borders.
 */
class FastFilterTest {
    static final String[] BORDERS = {"zero", "reflect", "replicate", "mirror"};
    static final int[] SIZES = {1, 2, 3, 5, 7, 13, 17, 31, 64, 67};

    static Tensor randomImage(Random rnd, DType type, int h, int w, int c) {
        double[] v = new double[h * w * c];
        for (int i = 0; i < v.length; i++) v[i] = type == DType.U8 ? rnd.nextInt(256) : rnd.nextDouble() * 2 - 0.5;
        return c == 1 && rnd.nextBoolean() ? Tensor.fromValues(type, v, h, w) : Tensor.fromValues(type, v, h, w, c);
    }

    static double[][] randomKernel(Random rnd, int kh, int kw, boolean separable) {
        double[][] k = new double[kh][kw];
        double[] col = new double[kh], row = new double[kw];
        for (int a = 0; a < kh; a++) col[a] = rnd.nextInt(9) - 4 + rnd.nextDouble();
        for (int b = 0; b < kw; b++) row[b] = rnd.nextInt(9) - 4 + rnd.nextDouble();
        if (separable && rnd.nextBoolean()) {
            // Symmetric factors (as Gaussians and boxes have): the mirrored-taps path.
            for (int a = 0; a < kh / 2; a++) col[kh - 1 - a] = col[a];
            for (int b = 0; b < kw / 2; b++) row[kw - 1 - b] = row[b];
        }
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) k[a][b] = separable ? col[a] * row[b] / 8 : (rnd.nextInt(11) - 5 + rnd.nextDouble()) / 4;
        }
        return k;
    }

    @Test
    void fastPathsAgreeWithTheNaiveFilterAndTheConvPath() {
        Random rnd = new Random(20261123);
        RowOps[] impls = {FastFilter.ops(), FastFilter.scalar()};
        for (int trial = 0; trial < 400; trial++) {
            int h = SIZES[rnd.nextInt(SIZES.length)], w = SIZES[rnd.nextInt(SIZES.length)];
            int c = new int[] {1, 3, 4}[rnd.nextInt(3)];
            DType type = rnd.nextBoolean() ? DType.U8 : DType.F32;
            int kh = 1 + rnd.nextInt(trial % 10 == 0 ? 15 : 6), kw = 1 + rnd.nextInt(trial % 10 == 0 ? 15 : 6);
            boolean separable = rnd.nextBoolean();
            int stride = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
            boolean same = rnd.nextInt(4) != 0;
            String border = BORDERS[rnd.nextInt(4)];
            if (!same && (kh > h || kw > w)) continue;
            Tensor img = randomImage(rnd, type, h, w, c);
            double[][] km = randomKernel(rnd, kh, kw, separable);
            Kernel k = Kernel.of("k", km);
            assertEquals(separable || kh == 1 || kw == 1, k.separable().isPresent(), "separability of " + kh + "x" + kw);
            FilterOptions o = new FilterOptions(stride, same ? FilterPadding.SAME : FilterPadding.VALID, BorderMode.parse(border));
            String what = "trial " + trial + ": " + img.describe() + " kernel " + kh + "x" + kw + (separable ? " separable" : "") + " " + o;
            Tensor expected = NaiveFilter.expected(img, km, stride, same, border);
            double scale = 0;
            for (double[] r : km) for (double v : r) scale += Math.abs(v);
            double tol = type == DType.U8 ? 1 : 2e-5 * Math.max(1, scale * 2);
            int budget = rnd.nextBoolean() ? 6144 : 1 + rnd.nextInt(60);
            for (RowOps ops : impls) {
                Tensor got = FastFilter.apply(img, k, o, ops, budget);
                assertEquals(expected.shape(), got.shape(), what);
                assertEquals(type, got.dtype(), what);
                double d = got.maxAbsDiff(expected);
                assertTrue(d <= tol, what + " " + ops.describe() + " strip budget " + budget + ": max difference " + d);
            }
            Tensor conv = Filters.applyWithConv(img, k, o);
            double d = conv.maxAbsDiff(expected);
            assertTrue(d <= tol, what + " conv path: max difference " + d);
        }
    }

    @Test
    void symmetricBlursOnU8ImagesReadTheRowsInPlace() {
        // The u8 path for symmetric columns (Gaussian, box): rows read as bytes, border columns filled afterwards.
        Random rnd = new Random(42);
        for (int size = 2; size <= 9; size++) {
            for (String border : BORDERS) {
                int h = 1 + rnd.nextInt(40), w = 1 + rnd.nextInt(70), c = new int[] {1, 3, 4}[rnd.nextInt(3)];
                Tensor img = randomImage(rnd, DType.U8, h, w, c);
                Kernel k = rnd.nextBoolean() ? Kernels.gaussian(size, 0.5 + rnd.nextDouble() * 2) : Kernels.box(size);
                double[][] km = new double[size][size];
                for (int a = 0; a < size; a++) for (int b = 0; b < size; b++) km[a][b] = k.get(a, b);
                boolean same = size > Math.min(h, w) || rnd.nextInt(4) != 0;
                FilterOptions o = new FilterOptions(1, same ? FilterPadding.SAME : FilterPadding.VALID, BorderMode.parse(border));
                Tensor expected = NaiveFilter.expected(img, km, 1, same, border);
                for (RowOps ops : new RowOps[] {FastFilter.ops(), FastFilter.scalar()}) {
                    Tensor got = FastFilter.apply(img, k, o, ops);
                    assertEquals(expected.shape(), got.shape());
                    assertTrue(got.maxAbsDiff(expected) <= 1, k + " " + o + " on " + img.describe() + " " + ops.describe() + ": " + got.maxAbsDiff(expected));
                }
            }
        }
    }

    @Test
    void theVectorApiIsUsedWhenTheTestsEnableIt() {
        // The parent pom runs tests with --add-modules jdk.incubator.vector: the vector loops must be the ones tested.
        assertTrue(FastFilter.implementation().startsWith("vector"), FastFilter.implementation());
    }

    @Test
    void u8ResultsRoundHalfUpAfterClipping() {
        // 1x2 box on [0, 1] is 0.5 -> 1; on [254, 255] is 254.5 -> 255; sharpen pushes beyond 255 and below 0.
        Tensor img = Tensor.fromU8(new byte[] {0, 1, (byte) 254, (byte) 255}, 1, 4);
        Kernel half = Kernels.parse("0.5,0.5");
        FilterOptions valid = FilterOptions.defaults().withPadding(FilterPadding.VALID);
        for (RowOps ops : new RowOps[] {FastFilter.ops(), FastFilter.scalar()}) {
            assertEquals("[[1, 128, 255]]", FastFilter.apply(img, half, valid, ops).valuesString(), ops.describe());
            Tensor clip = FastFilter.apply(img, Kernels.parse("-300,300"), valid, ops);
            assertEquals("[[255, 255, 255]]", clip.valuesString(), ops.describe());
            assertEquals("[[0, 0, 0]]", FastFilter.apply(img, Kernels.parse("300,-300"), valid, ops).valuesString(), ops.describe());
        }
    }

    @Test
    void inPlaceConversionsMatchScalarOnAllLengths() {
        RowOps v = FastFilter.ops(), s = FastFilter.scalar();
        Random rnd = new Random(3);
        for (int n = 0; n < 200; n += 1 + n / 10) {
            byte[] b = new byte[n + 3];
            rnd.nextBytes(b);
            float[] fv = new float[n + 5], fs = new float[n + 5];
            v.u8ToF32(b, 3, fv, 5, n);
            s.u8ToF32(b, 3, fs, 5, n);
            assertTrue(java.util.Arrays.equals(fv, fs), "u8ToF32 n=" + n);
            float[] f = new float[n + 2];
            for (int i = 0; i < f.length; i++) f[i] = (float) (rnd.nextGaussian() * 200 + 100);
            if (n > 3) {
                f[3] = Float.NaN;
                f[4] = Float.POSITIVE_INFINITY;
            }
            byte[] bv = new byte[n + 1], bs = new byte[n + 1];
            v.f32ToU8(f, 2, bv, 1, n);
            s.f32ToU8(f, 2, bs, 1, n);
            assertTrue(java.util.Arrays.equals(bv, bs), "f32ToU8 n=" + n);
        }
    }

    @Test
    void largeImagesAreSplitIntoBandsWithTheSameResult() {
        Random rnd = new Random(11);
        Tensor img = randomImage(rnd, DType.U8, 301, 257, 3);
        for (Kernel k : new Kernel[] {Kernels.gaussian(7, 1.5), Kernels.named("laplacian8")}) {
            for (int stride : new int[] {1, 3}) {
                FilterOptions o = FilterOptions.defaults().withStride(stride);
                Tensor fast = FastFilter.apply(img, k, o);
                Tensor ref = Filters.applyWithConv(img, k, o);
                assertEquals(Shape.of((301 + stride - 1) / stride, (257 + stride - 1) / stride, 3), fast.shape());
                assertTrue(fast.maxAbsDiff(ref) <= 1, k + " stride " + stride);
            }
        }
    }
}
