package dev.convolve.backend.fast;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;

/**
 * The gradient of a 2-D window sum (average pooling) as the input gradient of a depthwise conv with a kernel of ones: each
 * plane is one channel of {@link Depthwise#gradInput} (phase by phase, the padded gradient summed over the phase's taps), so
 * nothing is padded with interior zeros and no window slides over a mostly-zero tensor.
 */
final class WindowSumGrad {
    private WindowSumGrad() {}

    private static final float[] ONES = ones(1024);

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    /** The depthwise conv whose input gradient this is (planes as a batch of one-channel images), or null when none fits. */
    static ConvPlan convPlan(WindowPlan p) {
        if (!Planner.enabled("phase-sum") || p.rank() < 2) return null;
        int r = p.rank();
        int[] w = p.window(), s = p.strides(), d = p.dilations(), lo = p.padLow(), hi = p.padHigh(), in = p.inputShape().dims(), q = p.outputShape().dims();
        for (int i = 0; i < r - 2; i++) if (w[i] != 1 || s[i] != 1 || lo[i] != 0 || hi[i] != 0) return null;
        if (w[r - 2] * w[r - 1] > ONES.length || q[r - 2] < 1 || q[r - 1] < 1) return null;
        long planes = 1;
        for (int i = 0; i < r - 2; i++) planes *= in[i];
        if (planes < 1 || planes > Integer.MAX_VALUE) return null;
        ConvOptions o = ConvOptions.defaults().withStrides(AxisValues.of(s[r - 2], s[r - 1])).withKernelDilation(AxisValues.of(d[r - 2], d[r - 1]))
                .withPadding(Padding.explicit(new int[] {lo[r - 2], lo[r - 1]}, new int[] {hi[r - 2], hi[r - 1]}));
        ConvPlan c;
        try {
            c = ConvPlan.of(Shape.of((int) planes, 1, in[r - 2], in[r - 1]), DType.F32, Shape.of(1, 1, w[r - 2], w[r - 1]), DType.F32, o);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int[] cq = c.outSize();
        if (cq[0] != q[r - 2] || cq[1] != q[r - 1]) return null;
        PlaneSplit g = Depthwise.split(c, 64);
        return g.size <= Depthwise.MAX_PLANE_FLOATS ? c : null;
    }

    /** The gradient (shaped like the plan's input, row-major) of the window sum of {@code p}, from the output gradient {@code g}. */
    static float[] run(Kernels kern, ConvPlan c, float[] g) {
        return Depthwise.gradInput(kern, c, ONES, g);
    }

    /** {@link #run} with every tap weighted by {@code scale} instead of one (a window mean's gradient). */
    static float[] run(Kernels kern, ConvPlan c, float[] g, float scale) {
        if (scale == 1f) return run(kern, c, g);
        float[] w = new float[c.kernelShape().size()];
        java.util.Arrays.fill(w, scale);
        return Depthwise.gradInput(kern, c, w, g);
    }
}
