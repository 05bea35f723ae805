package dev.convolve.ops;

import dev.convolve.backend.Backends;
import dev.convolve.backend.WindowReduction;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Nx's window reductions: a window of one size per axis (batch and channel included) slides with strides
 * (default 1), over input padded with the reduction's identity.
 *
 * {@snippet :
 * // probml's max pooling: 3x3 windows over iota 4x4
 * Window.max(Tensor.iota(DType.S32, 4, 4), WindowOptions.of(3, 3));   // s32[2][2] [[10, 11], [14, 15]]
 * }
 */
public final class Window {
    private Window() {}

    /** Sums each window; the type is kept (s32 sums stay s32). */
    public static Tensor sum(Tensor t, WindowOptions o) { return reduce(t, WindowReduction.SUM, o); }

    /** Multiplies each window; the type is kept. */
    public static Tensor product(Tensor t, WindowOptions o) { return reduce(t, WindowReduction.PRODUCT, o); }

    /** Largest element of each window; padding counts as the type's lowest value (-Inf for floats). */
    public static Tensor max(Tensor t, WindowOptions o) { return reduce(t, WindowReduction.MAX, o); }

    /** Smallest element of each window; padding counts as the type's highest value (+Inf for floats). */
    public static Tensor min(Tensor t, WindowOptions o) { return reduce(t, WindowReduction.MIN, o); }

    /**
     * Mean of each window, floating. With {@code countIncludePad} (the default, as Nx and PyTorch) the divisor is
     * the full undilated window size; without, the number of real input elements in the window (ONNX's default).
     */
    public static Tensor mean(Tensor t, WindowOptions o) {
        WindowPlan plan = WindowPlan.of("window_mean", t.shape(), t.dtype(), o);
        DType ft = t.dtype().toFloating();
        if (t.dtype().isInteger()) {
            // Integers up to 32 bits sum exactly in 64 bits (no window that fits in memory can overflow that);
            // 64-bit integers sum in double, which cannot overflow. Then divide in double and round once into f32.
            DType acc = t.dtype().bits() == 64 ? DType.F64 : DType.S64;
            Tensor wide = t.asType(acc);
            Tensor sums = Backends.current().window(WindowPlan.of("window_mean", wide.shape(), acc, o), WindowReduction.SUM, wide).asType(DType.F64);
            Tensor means = plan.countIncludePad() ? sums.divide((double) plan.windowSize()) : sums.divide(realCounts(plan));
            return means.asType(ft);
        }
        if (plan.countIncludePad()) return Backends.current().windowSumDivided(plan, t, plan.windowSize());
        Tensor sums = Backends.current().window(plan, WindowReduction.SUM, t);
        return sums.divide(realCounts(plan).asType(ft));
    }

    /** Number of non-padding elements in each window; per axis counts multiply. */
    static Tensor realCounts(WindowPlan p) {
        int r = p.rank();
        int[] w = p.window(), s = p.strides(), d = p.dilations(), lo = p.padLow();
        int[] in = p.inputShape().dims(), out = p.outputShape().dims();
        int[] unit = new int[r];
        java.util.Arrays.fill(unit, 1);
        Tensor counts = Tensor.ones(DType.F64, unit);
        for (int i = 0; i < r; i++) {
            double[] c = new double[out[i]];
            for (int q = 0; q < out[i]; q++) {
                for (int t = 0; t < w[i]; t++) {
                    int pos = q * s[i] + t * d[i] - lo[i];
                    if (pos >= 0 && pos < in[i]) c[q]++;
                }
            }
            int[] shape = new int[r];
            java.util.Arrays.fill(shape, 1);
            shape[i] = out[i];
            counts = counts.multiply(Tensor.wrap(c, shape));
        }
        return counts;
    }

    /** The validated plan of a window operation. */
    public static WindowPlan plan(String op, Tensor t, WindowOptions o) { return WindowPlan.of(op, t.shape(), t.dtype(), o); }

    private static Tensor reduce(Tensor t, WindowReduction op, WindowOptions o) {
        WindowPlan plan = WindowPlan.of(op.opName(), t.shape(), t.dtype(), o);
        return Backends.current().window(plan, op, t);
    }
}
