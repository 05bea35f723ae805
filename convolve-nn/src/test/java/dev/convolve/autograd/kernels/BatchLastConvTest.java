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
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The batch-last training kernels (SIMD and scalar) against the reference backend on random plans. */
class BatchLastConvTest {

    @Test
    void matchesTheReferenceOnRandomPlans() {
        SplittableRandom r = new SplittableRandom(3);
        Backend ref = Backends.reference();
        int done = 0;
        for (int trial = 0; done < 80 && trial < 3000; trial++) {
            boolean two = r.nextInt(4) != 0;
            int c = 1 + r.nextInt(7), o = 1 + r.nextInt(9);
            int batch = new int[] {1, 5, 16, 17, 64, 70, 131}[r.nextInt(7)];
            int h = two ? 1 + r.nextInt(9) : 1, w = 1 + r.nextInt(11);
            int kh = two ? 1 + r.nextInt(3) : 1, kw = 1 + r.nextInt(3);
            int sh = 1 + r.nextInt(2), sw = 1 + r.nextInt(3), dh = 1 + r.nextInt(2), dw = 1 + r.nextInt(2);
            int plo = r.nextInt(4) - 1, phi = r.nextInt(4) - 1, qlo = r.nextInt(4) - 1, qhi = r.nextInt(4) - 1;
            ConvOptions opt;
            Shape in, k;
            if (two) {
                opt = ConvOptions.defaults().withStrides(sh, sw).withKernelDilation(dh, dw).withPadding(Padding.explicit(new int[] {plo, qlo}, new int[] {phi, qhi}))
                        .withLayout("CHWN", "OIHW", "CHWN");
                in = Shape.of(c, h, w, batch);
                k = Shape.of(o, c, kh, kw);
            } else {
                opt = ConvOptions.defaults().withStrides(sw).withKernelDilation(dw).withPadding(Padding.explicit(new int[] {qlo}, new int[] {qhi}))
                        .withLayout("CWN", "OIW", "CWN");
                in = Shape.of(c, w, batch);
                k = Shape.of(o, c, kw);
            }
            ConvPlan plan;
            try {
                plan = ConvPlan.of(in, DType.F32, k, DType.F32, opt);
            } catch (IllegalArgumentException e) {
                continue;
            }
            assertTrue(BatchLastConv.supports(plan, DType.F32, DType.F32), plan.toString());
            Tensor x = Tensor.randomUniform(trial, DType.F32, -1, 1, in.dims()), wt = Tensor.randomUniform(trial + 1, DType.F32, -1, 1, k.dims());
            Tensor g = Tensor.randomUniform(trial + 2, DType.F32, -1, 1, plan.outputShape().dims());
            Tensor bias = Tensor.randomUniform(trial + 3, DType.F32, -1, 1, o);
            Tensor want = ref.conv(plan, x, wt);
            int[] bshape = new int[plan.outputShape().rank()];
            java.util.Arrays.fill(bshape, 1);
            bshape[0] = o;
            Tensor wantBiasRelu = want.add(bias.reshape(bshape)).maximum(0.0);
            for (BatchLastConv.Impl impl : new BatchLastConv.Impl[] {BatchLastConv.IMPL, new BatchLastScalar()}) {
                for (int threads : new int[] {1, 2}) {
                    Threads.setThreads(threads);
                    String what = impl.getClass().getSimpleName() + " " + threads + " threads " + plan;
                    close(want, run(impl, plan, x, wt, null, false), "forward " + what);
                    close(wantBiasRelu, run(impl, plan, x, wt, bias, true), "forward bias relu " + what);
                    close(ref.convGradInput(plan, wt, g), gradInput(impl, plan, wt, g), "grad input " + what);
                    close(ref.convGradKernel(plan, x, g), gradKernel(impl, plan, x, g), "grad kernel " + what);
                }
            }
            done++;
        }
        assertEquals(80, done);
    }

    private static Tensor run(BatchLastConv.Impl impl, ConvPlan plan, Tensor x, Tensor w, Tensor b, boolean relu) {
        BatchLastGeometry g = BatchLastGeometry.of(plan);
        float[] y = new float[plan.outputShape().size()];
        impl.forward(g, x.floatData(), BatchLastConv.packForward(g, w.floatData()), b == null ? null : b.floatData(), relu, y, 0, g.n());
        return Tensor.wrap(DType.F32, plan.outputShape(), y);
    }

    private static Tensor gradInput(BatchLastConv.Impl impl, ConvPlan plan, Tensor w, Tensor gy) {
        if (impl == BatchLastConv.IMPL) return BatchLastConv.gradInput(plan, w, gy);
        BatchLastGeometry g = BatchLastGeometry.of(plan);
        float[] dx = new float[plan.inputShape().size()];
        impl.gradInput(g, BatchLastConv.packInput(g, w.floatData()), gy.floatData(), dx, 0, g.n());
        return Tensor.wrap(DType.F32, plan.inputShape(), dx);
    }

    private static Tensor gradKernel(BatchLastConv.Impl impl, ConvPlan plan, Tensor x, Tensor gy) {
        if (impl == BatchLastConv.IMPL) return BatchLastConv.gradKernel(plan, x, gy);
        BatchLastGeometry g = BatchLastGeometry.of(plan);
        float[] dw = new float[plan.kernelShape().size()];
        impl.gradKernel(g, x.floatData(), gy.floatData(), dw, 0, g.n());
        return Tensor.wrap(DType.F32, plan.kernelShape(), dw);
    }

    private static void close(Tensor want, Tensor got, String what) {
        assertEquals(want.shape(), got.shape(), what);
        double scale = 1;
        for (int i = 0; i < want.size(); i++) scale = Math.max(scale, Math.abs(want.getFlat(i)));
        assertTrue(want.maxAbsDiff(got) <= 1e-4 * scale, what + ": differs by " + want.maxAbsDiff(got));
    }
}
