package dev.convolve.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The training conv kernels against the reference backend (forward and both gradients), on random plans. */
class Conv2dF32Test {

    @Test
    void matchesTheReferenceOnRandomPlans() {
        SplittableRandom r = new SplittableRandom(11);
        Backend ref = Backends.reference();
        int done = 0;
        for (int trial = 0; done < 120 && trial < 3000; trial++) {
            int n = 1 + r.nextInt(2);
            int gf = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
            int cg = 1 + r.nextInt(3), og = 1 + r.nextInt(5);
            int batch = new int[] {1, 2, 3, 7, 13}[r.nextInt(5)];
            int[] in = new int[n + 2], k = new int[n + 2];
            in[0] = batch; in[1] = cg * gf; k[0] = og * gf; k[1] = cg;
            int[] s = new int[n], kd = new int[n], lo = new int[n], hi = new int[n];
            for (int i = 0; i < n; i++) {
                in[i + 2] = 1 + r.nextInt(r.nextInt(5) == 0 ? 40 : 12);
                k[i + 2] = 1 + r.nextInt(4);
                s[i] = 1 + r.nextInt(3);
                kd[i] = 1 + r.nextInt(2);
                lo[i] = r.nextInt(5) - 1;
                hi[i] = r.nextInt(5) - 1;
            }
            ConvOptions o = ConvOptions.defaults().withStrides(s).withKernelDilation(kd).withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(gf);
            ConvPlan plan;
            try {
                plan = ConvPlan.of(dev.convolve.tensor.Shape.of(in), DType.F32, dev.convolve.tensor.Shape.of(k), DType.F32, o);
            } catch (IllegalArgumentException e) {
                continue;
            }
            assertTrue(Conv2dF32.supports(plan, DType.F32, DType.F32));
            Tensor x = Tensor.randomUniform(trial, DType.F32, -1, 1, in), w = Tensor.randomUniform(trial + 1, DType.F32, -1, 1, k);
            Tensor g = Tensor.randomUniform(trial + 2, DType.F32, -1, 1, plan.outputShape().dims());
            String what = plan.toString();
            for (int threads : new int[] {1, 2}) {
                Threads.setThreads(threads);
                close(ref.conv(plan, x, w), Conv2dF32.forward(plan, x, w), "forward " + what);
                close(ref.convGradInput(plan, w, g), Conv2dF32.gradInput(plan, w, g), "grad input " + what);
                close(ref.convGradKernel(plan, x, g), Conv2dF32.gradKernel(plan, x, g), "grad kernel " + what);
            }
            done++;
        }
        assertEquals(120, done);
    }

    @Test
    void bothGemmsAgreeWithEachOther() {
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 200; t++) {
            int m = 1 + r.nextInt(13), n = 1 + r.nextInt(70), k = 1 + r.nextInt(40);
            float[] a = rnd(r, m * k + 3), b = rnd(r, k * n + 5), c1 = rnd(r, m * n + 2), c2 = c1.clone();
            boolean acc = r.nextBoolean();
            Gemm.scalar().nn(m, n, k, a, 3, k, b, 5, n, c1, 2, n, acc);
            Gemm.get().nn(m, n, k, a, 3, k, b, 5, n, c2, 2, n, acc);
            for (int i = 0; i < c1.length; i++) assertEquals(c1[i], c2[i], 1e-4, "nn " + m + "x" + n + "x" + k);
            float[] d1 = rnd(r, m * k), d2 = d1.clone(), bb = rnd(r, k * n), aa = rnd(r, m * n);
            Gemm.scalar().nt(m, k, n, aa, 0, n, bb, 0, n, d1, 0, k, acc);
            Gemm.get().nt(m, k, n, aa, 0, n, bb, 0, n, d2, 0, k, acc);
            for (int i = 0; i < d1.length; i++) assertEquals(d1[i], d2[i], 1e-4, "nt " + m + "x" + k + "x" + n);
        }
    }

    private static float[] rnd(SplittableRandom r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (r.nextDouble() * 2 - 1);
        return f;
    }

    private static void close(Tensor want, Tensor got, String what) {
        assertEquals(want.shape(), got.shape(), what);
        double scale = 1;
        for (int i = 0; i < want.size(); i++) scale = Math.max(scale, Math.abs(want.getFlat(i)));
        assertTrue(want.maxAbsDiff(got) <= 1e-5 * scale * 10, what + ": differs by " + want.maxAbsDiff(got));
    }
}
