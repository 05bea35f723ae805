package dev.convolve.vision.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.FilterPadding;
import dev.convolve.vision.Kernel;
import dev.convolve.vision.Kernels;
import dev.convolve.vision.NaiveFilter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The unrolled loops ({@code VectorKernels}, reached through {@link RowOps}) against the plain loops, for every unrolled
 * size and around it, on lengths below, at and around a vector, and the filters that use them (four output rows per
 * pass, rows read in place, border strips, bands) against the naive double-precision filter.
 */
class UnrolledKernelsTest {
    static final RowOps VECTOR = FastFilter.ops(), SCALAR = FastFilter.scalar();
    static final int[] LENGTHS = {1, 5, 15, 16, 17, 31, 32, 33, 47, 100, 257};

    static float[] randomFloats(Random rnd, int n, float scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (rnd.nextFloat() * 2 - 0.5f) * scale;
        return f;
    }

    static float[] symmetric(Random rnd, int taps) {
        float[] w = new float[taps];
        for (int a = 0; a <= (taps - 1) / 2; a++) w[a] = w[taps - 1 - a] = rnd.nextFloat() - 0.2f;
        return w;
    }

    static void assertClose(float[] expected, float[] got, int from, int n, float tol, String what) {
        for (int i = from; i < from + n; i++) {
            assertTrue(Math.abs(expected[i] - got[i]) <= tol * Math.max(1, Math.abs(expected[i])),
                    what + " at " + i + ": " + expected[i] + " vs " + got[i]);
        }
    }

    @Test
    void verticalPassesOfFourRowsMatchThePlainLoops() {
        Random rnd = new Random(5);
        for (int taps = 2; taps <= 17; taps++) {
            for (int n : LENGTHS) {
                float[] w = symmetric(rnd, taps);
                float[][] rows = new float[taps + 3][];
                for (int r = 0; r < rows.length; r++) rows[r] = randomFloats(rnd, n + 3, 255);
                float[][] a = new float[4][n + 7], b = new float[4][n + 7];
                VECTOR.vertical4Symmetric(rows, w, taps, a, 7, n);
                SCALAR.vertical4Symmetric(rows, w, taps, b, 7, n);
                for (int j = 0; j < 4; j++) assertClose(b[j], a[j], 7, n, 1e-5f, "vertical4Symmetric taps " + taps + " n " + n + " row " + j);

                byte[][] bytes = new byte[taps + 3][];
                int[] offs = new int[taps + 3];
                for (int r = 0; r < bytes.length; r++) {
                    offs[r] = rnd.nextInt(5);
                    bytes[r] = new byte[n + offs[r]];
                    rnd.nextBytes(bytes[r]);
                }
                VECTOR.vertical4SymmetricU8(bytes, offs, w, taps, a, 2, n);
                SCALAR.vertical4SymmetricU8(bytes, offs, w, taps, b, 2, n);
                for (int j = 0; j < 4; j++) assertClose(b[j], a[j], 2, n, 1e-5f, "vertical4SymmetricU8 taps " + taps + " n " + n + " row " + j);
            }
        }
    }

    @Test
    void horizontalPassesRoundLikeThePlainLoops() {
        Random rnd = new Random(6);
        for (int taps = 2; taps <= 17; taps++) {
            // 1, 3 and 4 (grey, RGB, RGBA) have loops with the stride built in; 2 and 5 take the general one.
            for (int stride : new int[] {1, 2, 3, 4, 5}) {
                for (int n : LENGTHS) {
                    float[] w = symmetric(rnd, taps);
                    // Rows with and without room past the last tap (the 5-tap loop that permutes carried vectors needs it).
                    int slack = rnd.nextBoolean() ? 0 : 64;
                    float[] src = randomFloats(rnd, n + (taps - 1) * stride + 2 + slack, 300);
                    byte[] a = new byte[n + 3], b = new byte[n + 3];
                    VECTOR.horizontalSymmetricU8(src, 2, stride, w, taps, a, 3, n, true);
                    SCALAR.horizontalSymmetricU8(src, 2, stride, w, taps, b, 3, n, true);
                    for (int i = 3; i < n + 3; i++) {
                        assertTrue(Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)) <= 1, "taps " + taps + " stride " + stride + " n " + n + " at " + i);
                    }
                    // Without the clip, on sums that stay inside [0, 255]: the same bytes.
                    float[] avg = new float[taps];
                    java.util.Arrays.fill(avg, 1f / taps);
                    float[] pixels = new float[src.length];
                    for (int i = 0; i < pixels.length; i++) pixels[i] = rnd.nextInt(256);
                    VECTOR.horizontalSymmetricU8(pixels, 2, stride, avg, taps, a, 3, n, false);
                    SCALAR.horizontalSymmetricU8(pixels, 2, stride, avg, taps, b, 3, n, true);
                    for (int i = 3; i < n + 3; i++) {
                        assertTrue(Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)) <= 1, "unclipped taps " + taps + " stride " + stride + " n " + n + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void directPassesOfFourRowsMatchThePlainLoops() {
        Random rnd = new Random(7);
        for (int k = 1; k <= 7; k++) {
            for (int stride : new int[] {1, 3, 4}) {
                for (int n : LENGTHS) {
                    float[] weights = randomFloats(rnd, k * k, 1);
                    float[][] rows = new float[k + 3][];
                    int[] offs = new int[k + 3];
                    for (int r = 0; r < rows.length; r++) {
                        offs[r] = rnd.nextInt(4);
                        rows[r] = randomFloats(rnd, offs[r] + n + (k - 1) * stride, 1);
                    }
                    float[][] a = new float[4][], b = new float[4][];
                    int[] dstOffs = new int[4];
                    for (int j = 0; j < 4; j++) {
                        dstOffs[j] = rnd.nextInt(3);
                        a[j] = new float[n + dstOffs[j]];
                        b[j] = new float[n + dstOffs[j]];
                    }
                    VECTOR.direct4(rows, offs, weights, k, k, stride, a, dstOffs, n);
                    SCALAR.direct4(rows, offs, weights, k, k, stride, b, dstOffs, n);
                    for (int j = 0; j < 4; j++) assertClose(b[j], a[j], dstOffs[j], n, 1e-5f, "direct4 " + k + "x" + k + " stride " + stride + " n " + n + " row " + j);
                }
            }
        }
    }

    @Test
    void blursOfEveryUnrolledSizeMatchTheNaiveFilter() {
        // u8 images, Gaussians and boxes 3..15 (symmetric columns: four rows per pass, in place for 3 and 5), every border,
        // both paddings, heights that leave one to three rows in the last block, widths below and above a vector.
        Random rnd = new Random(8);
        for (int size = 3; size <= 17; size += 2) {
            for (String border : new String[] {"zero", "reflect", "replicate", "mirror"}) {
                int h = 1 + rnd.nextInt(23), w = 1 + rnd.nextInt(41), c = new int[] {1, 3, 4}[rnd.nextInt(3)];
                Tensor img = FastFilterTest.randomImage(rnd, DType.U8, h, w, c);
                Kernel k = rnd.nextBoolean() ? Kernels.gaussian(size, 0.5 + rnd.nextDouble() * 3) : Kernels.box(size);
                boolean same = size > Math.min(h, w) || rnd.nextInt(4) != 0;
                check(img, k, new FilterOptions(1, same ? FilterPadding.SAME : FilterPadding.VALID, BorderMode.parse(border)), 1);
            }
        }
    }

    @Test
    void nonSeparableThreeAndFiveMatchTheNaiveFilter() {
        // Random non-separable 3x3 and 5x5 kernels. f32 images: rows read in place, border strips at both sides; u8
        // images: rows converted and extended once, rounded after the pass.
        Random rnd = new Random(9);
        for (int trial = 0; trial < 160; trial++) {
            int k = rnd.nextBoolean() ? 3 : 5;
            int h = 1 + rnd.nextInt(19), w = 1 + rnd.nextInt(rnd.nextBoolean() ? 9 : 60), c = new int[] {1, 3, 4}[rnd.nextInt(3)];
            String border = FastFilterTest.BORDERS[rnd.nextInt(4)];
            boolean same = k > Math.min(h, w) || rnd.nextInt(4) != 0;
            DType type = trial % 2 == 0 ? DType.F32 : DType.U8;
            Tensor img = FastFilterTest.randomImage(rnd, type, h, w, c);
            Kernel kernel = Kernel.of("k", FastFilterTest.randomKernel(rnd, k, k, false));
            check(img, kernel, new FilterOptions(1, same ? FilterPadding.SAME : FilterPadding.VALID, BorderMode.parse(border)), type == DType.U8 ? 1 : 5e-5 * 20);
        }
    }

    @Test
    void averagingKernelsSkipTheClipOnlyWhenItCannotMatter() {
        // Weights summing to a little more than 1 on a white image would exceed 255.5: the clip must stay.
        Tensor white = Tensor.fromValues(DType.U8, filled(255, 9 * 40 * 3), 9, 40, 3);
        double[][] heavy = new double[5][5];
        for (double[] r : heavy) java.util.Arrays.fill(r, 1.01 / 25);
        Kernel k = Kernel.of("heavy", heavy);
        assertTrue(k.separable().isPresent());
        for (RowOps ops : new RowOps[] {VECTOR, SCALAR}) {
            Tensor out = FastFilter.apply(white, k, FilterOptions.defaults(), ops);
            assertEquals(255.0, out.reduceMin().getFlat(0), ops.describe());
        }
        // A Gaussian on a white image stays 255 (sums within float rounding of 255), on black 0.
        for (RowOps ops : new RowOps[] {VECTOR, SCALAR}) {
            assertEquals(255.0, FastFilter.apply(white, Kernels.gaussian(15, 3), FilterOptions.defaults(), ops).reduceMin().getFlat(0));
            Tensor black = Tensor.fromValues(DType.U8, new double[9 * 40 * 3], 9, 40, 3);
            assertEquals(0.0, FastFilter.apply(black, Kernels.gaussian(5, 1), FilterOptions.defaults(), ops).reduceMax().getFlat(0));
        }
    }

    static double[] filled(double v, int n) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, v);
        return d;
    }

    static void check(Tensor img, Kernel k, FilterOptions o, double tol) {
        double[][] km = new double[k.rows()][k.cols()];
        for (int a = 0; a < k.rows(); a++) for (int b = 0; b < k.cols(); b++) km[a][b] = k.get(a, b);
        Tensor expected = NaiveFilter.expected(img, km, o.stride(), o.padding() == FilterPadding.SAME, o.border().toString());
        for (RowOps ops : new RowOps[] {VECTOR, SCALAR}) {
            Tensor got = FastFilter.apply(img, k, o, ops);
            assertEquals(expected.shape(), got.shape());
            double d = got.maxAbsDiff(expected);
            assertTrue(d <= tol, k + " " + o + " on " + img.describe() + " " + ops.describe() + ": max difference " + d);
        }
    }
}
