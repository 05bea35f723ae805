package dev.convolve.ops;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.ConvArbitraries;
import dev.convolve.testing.ConvCase;
import dev.convolve.testing.ConvOracle;
import dev.convolve.testing.TestTensors;
import dev.convolve.testing.Values;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FFT convolution against the oracle within its documented tolerance: one unit in the last place of the output type
 * plus {@code 1e-11 * ||x_b||_2 * ||w_o||_2}, over random conv calls (every option) and large kernels.
 */
class FftConvTest {

    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvArbitraries.convCases(Arbitraries.of(DType.F32, DType.F64, DType.S32, DType.F16).map(t -> new DType[] {t, t}), true);
    }

    @Property(tries = 250)
    void fftConvMatchesDirectConvWithinTolerance(@ForAll("cases") ConvCase c) {
        assertWithinTolerance(FftConv.conv(c.input(), c.kernel(), c.options()), c.input(), c.kernel(), c.options(), c.toString());
    }

    @Test
    void largeKernelsIn1dAnd2dAnd3d() {
        Tensor x1 = TestTensors.random(DType.F32, new int[] {2, 3, 200}, 1, false);
        Tensor w1 = TestTensors.random(DType.F32, new int[] {4, 3, 31}, 2, false);
        ConvOptions same = ConvOptions.defaults().withPadding(Padding.same());
        assertWithinTolerance(FftConv.conv(x1, w1, same), x1, w1, same, "1-D k31");
        Tensor x2 = TestTensors.random(DType.F32, new int[] {1, 1, 64, 61}, 3, false);
        Tensor w2 = TestTensors.random(DType.F32, new int[] {1, 1, 15, 15}, 4, false);
        ConvOptions strided = ConvOptions.defaults().withStrides(2).withPadding(7, 7, 7, 7).withKernelDilation(1, 2);
        assertWithinTolerance(FftConv.conv(x2, w2, strided), x2, w2, strided, "2-D 15x15");
        Tensor x3 = TestTensors.random(DType.F64, new int[] {1, 2, 9, 10, 11}, 5, false);
        Tensor w3 = TestTensors.random(DType.F64, new int[] {2, 1, 5, 4, 6}, 6, false);
        ConvOptions grouped = ConvOptions.defaults().withFeatureGroupSize(2).withPadding(Padding.sameUpper());
        assertWithinTolerance(FftConv.conv(x3, w3, grouped), x3, w3, grouped, "3-D grouped");
    }

    @Test
    void goodSizesAreFiveSmooth() {
        assertEquals(1, Fft.goodSize(1));
        assertEquals(7 + 1, Fft.goodSize(7));
        assertEquals(288, Fft.goodSize(286));
        assertEquals(1024, Fft.goodSize(1023));
        assertEquals(1215, Fft.goodSize(1202));
    }

    @Test
    void fftOfAPrimeLengthMatchesTheDefinition() {
        int n = 13;
        double[] re = new double[n], im = new double[n];
        for (int i = 0; i < n; i++) re[i] = i * i % 7 - 3;
        double[] r0 = re.clone();
        Fft.transform(re, im, false);
        for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) {
                sr += r0[j] * Math.cos(-2 * Math.PI * j * k / n);
                si += r0[j] * Math.sin(-2 * Math.PI * j * k / n);
            }
            assertEquals(sr, re[k], 1e-12);
            assertEquals(si, im[k], 1e-12);
        }
        Fft.transform(re, im, true);
        for (int i = 0; i < n; i++) assertEquals(r0[i], re[i], 1e-13);
    }

    static void assertWithinTolerance(Tensor actual, Tensor x, Tensor w, ConvOptions o, String context) {
        ConvOracle.Result expected = ConvOracle.conv(x, w, o);
        assertEquals(expected.value().shape(), actual.shape(), context);
        assertEquals(expected.value().dtype(), actual.dtype(), context);
        double scale = norm(x) * norm(w); // >= ||x_b|| ||w_o|| for every (b, o)
        for (int i = 0; i < actual.size(); i++) {
            double e = expected.value().getFlat(i), a = actual.getFlat(i);
            double tol = Values.ulp(actual.dtype(), e) + 1e-11 * scale;
            if (!(Math.abs(a - e) <= tol)) {
                throw new AssertionError("element " + i + ": fft " + a + " vs direct " + e + " (tolerance " + tol + ") for " + context);
            }
        }
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) s += t.getFlat(i) * t.getFlat(i);
        return Math.sqrt(s);
    }
}
