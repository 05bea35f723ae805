package dev.convolve.autograd;

import static dev.convolve.autograd.GradCheck.check;
import static dev.convolve.autograd.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.ops.Conv;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gradient checks of conv for both operands over random combinations of every option family. */
class ConvGradTest {

    @Test
    void plainConv2d() {
        check("conv 2d valid", v -> Functional.conv(v[0], v[1], ConvOptions.defaults()), random(1, 2, 3, 6, 5), random(2, 4, 3, 3, 2));
        check("conv 2d same stride 2", v -> Functional.conv(v[0], v[1], ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1)),
                random(3, 3, 1, 7, 8), random(4, 4, 1, 3, 3));
    }

    @Test
    void layoutsNhwc() {
        ConvOptions o = ConvOptions.defaults().withLayout("NHWC", "HWIO", "NHWC").withPadding(Padding.same());
        check("conv NHWC/HWIO", v -> Functional.conv(v[0], v[1], o), random(5, 2, 5, 6, 3), random(6, 3, 3, 3, 4));
    }

    @Test
    void randomOptionCombinations() {
        SplittableRandom r = new SplittableRandom(2024);
        int checked = 0;
        for (int trial = 0; checked < 60 && trial < 2000; trial++) {
            int n = 1 + r.nextInt(3);
            int gf = 1, gb = 1;
            int kind = r.nextInt(3);
            if (kind == 1) gf = 1 + r.nextInt(3);
            if (kind == 2) gb = 1 + r.nextInt(3);
            int kernelIn = 1 + r.nextInt(2);
            int channels = kernelIn * gf;
            int outCh = (1 + r.nextInt(2)) * gf * gb;
            int batch = (1 + r.nextInt(2)) * gb;
            int[] in = new int[n + 2], k = new int[n + 2];
            in[0] = batch; in[1] = channels; k[0] = outCh; k[1] = kernelIn;
            int[] strides = new int[n], ld = new int[n], kd = new int[n], lo = new int[n], hi = new int[n];
            for (int i = 0; i < n; i++) {
                in[i + 2] = 1 + r.nextInt(n == 3 ? 4 : 7);
                k[i + 2] = 1 + r.nextInt(3);
                strides[i] = 1 + r.nextInt(3);
                ld[i] = 1 + r.nextInt(2);
                kd[i] = 1 + r.nextInt(2);
                lo[i] = r.nextInt(4) - 1;
                hi[i] = r.nextInt(4) - 1;
            }
            ConvOptions o = ConvOptions.defaults().withStrides(strides).withInputDilation(ld).withKernelDilation(kd)
                    .withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(gf).withBatchGroupSize(gb);
            int[] pin = perm(r, n + 2), pk = perm(r, n + 2), pout = perm(r, n + 2);
            if (r.nextBoolean()) o = o.withInputPermutation(pin).withKernelPermutation(pk).withOutputPermutation(pout);
            int[] physIn = in.clone(), physK = k.clone();
            if (o.inputPermutation() != null) {
                for (int i = 0; i < n + 2; i++) { physIn[pin[i]] = in[i]; physK[pk[i]] = k[i]; }
            }
            Tensor x = random(trial, physIn), w = random(trial + 7, physK);
            try {
                Conv.plan(x, w, o);
            } catch (IllegalArgumentException e) {
                continue; // empty output: draw again
            }
            ConvOptions fo = o;
            check("conv " + fo + " input " + x.describe() + " kernel " + w.describe(), v -> Functional.conv(v[0], v[1], fo), 1, 1e-6, x, w);
            checked++;
        }
        assertTrue(checked >= 60, "only " + checked + " valid combinations drawn");
    }

    private static int[] perm(SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    @Test
    void kernelGradientOfTheStripeExample() {
        // d2l: X = 6x8 ones with columns 2..5 zero, K = [1, -1]: Y = corr2d(X, K). At K itself the loss is 0 and so is the gradient.
        double[][] xs = new double[6][8];
        for (double[] row : xs) for (int j = 0; j < 8; j++) row[j] = (j >= 2 && j < 6) ? 0 : 1;
        Tensor x = Tensor.of(new double[][][][] {{xs}});
        Tensor k = Tensor.of(new double[][][][] {{{{1, -1}}}});
        Tensor y = Conv.conv(x, k);
        Variable kv = Variable.parameter(k);
        Functional.conv(Variable.constant(x), kv, ConvOptions.defaults()).subtract(Variable.constant(y)).square().sum().backward();
        assertArrayEquals(new double[] {0, 0}, kv.grad().toDoubleArray());
    }
}
