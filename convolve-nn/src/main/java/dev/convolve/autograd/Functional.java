package dev.convolve.autograd;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.backend.WindowReduction;
import dev.convolve.ops.Conv;
import dev.convolve.ops.Pad;
import dev.convolve.ops.Window;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.PadConfig;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Differentiable conv and window operations (the primitives that take options), plus {@code select}.
 *
 * <p>Conv gradients are convs: the backend's {@link Backend#convGradInput} and {@link Backend#convGradKernel}
 * (SPEC 2.6; derivation in {@code backend.ConvGradients}). Window max/min route the gradient to the chosen element
 * with {@link Backend#windowSelectScatter}; window sum and mean spread it with the derivation in
 * {@link #windowSum}.
 */
public final class Functional {
    private Functional() {}

    /**
     * {@code Conv.conv(input, kernel, options)} with gradients for both operands, every option included
     * (strides, padding, dilations, feature and batch groups, permutations).
     *
     * @throws IllegalArgumentException for invalid shapes or options (from {@link ConvPlan})
     */
    public static Variable conv(Variable input, Variable kernel, ConvOptions options) {
        Tensor x = input.value(), w = kernel.value();
        ConvPlan plan = Conv.plan(x, w, options);
        Tensor out = Backends.current().conv(plan, x, w);
        return Variable.record(out, (g, needs) -> {
            Backend b = Backends.current();
            return new Tensor[] {
                    needs[0] ? b.convGradInput(plan, w, g) : null,
                    needs[1] ? b.convGradKernel(plan, x, g) : null};
        }, input, kernel);
    }

    /**
     * Window sum with its gradient. Derivation (per axis, window {@code w}, dilation {@code d}, stride {@code s},
     * padding {@code lo, hi}, P the padded input of length {@code S + lo + hi}):
     * {@code out[q] = sum_t P[q*s + t*d]}, so {@code dP[p] = sum over (q, t) with q*s + t*d = p of g[q]}.
     * Put {@code g[q]} at {@code j = (DW - 1) + q*s} of a zero array G (pad g: low DW-1, interior s-1);
     * then with {@code t' = w-1-t}, {@code dP[p] = sum_t' G[p + t'*d]}: a window sum of G (stride 1, dilation d).
     * High padding {@code P_len - dil(Q, s)} makes it exactly {@code P_len} long; cropping {@code lo, hi} (negative
     * padding becomes zeros) gives dx.
     */
    public static Variable windowSum(Variable input, WindowOptions options) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan("window_sum", x, options);
        Tensor out = Backends.current().window(plan, WindowReduction.SUM, x);
        return Variable.record(out, (g, n) -> new Tensor[] {spread(plan, g)}, input);
    }

    /** The transpose of a window sum: every output gradient added to each input element of its window. */
    static Tensor spread(WindowPlan plan, Tensor g) {
        int r = plan.rank();
        int[] w = plan.window(), s = plan.strides(), d = plan.dilations(), lo = plan.padLow(), hi = plan.padHigh();
        int[] in = plan.inputShape().dims(), q = plan.outputShape().dims();
        int[] glo = new int[r], ghi = new int[r], gin = new int[r], clo = new int[r], chi = new int[r];
        boolean trivial = true;
        for (int i = 0; i < r; i++) {
            int dw = ConvPlan.dilate(w[i], d[i]);
            int pLen = in[i] + lo[i] + hi[i];
            glo[i] = dw - 1;
            ghi[i] = pLen - ConvPlan.dilate(q[i], s[i]);
            gin[i] = s[i] - 1;
            clo[i] = -lo[i];
            chi[i] = -hi[i];
            trivial &= w[i] == 1 && s[i] == 1 && lo[i] == 0 && hi[i] == 0;
        }
        if (trivial) return g;
        Tensor big = Pad.pad(g, 0.0, new PadConfig(glo, ghi, gin));
        WindowOptions back = WindowOptions.of(w).withWindowDilations(d);
        Tensor dp = Backends.current().window(Window.plan("window_sum", big, back), WindowReduction.SUM, big);
        return Pad.pad(dp, 0.0, new PadConfig(clo, chi, new int[r]));
    }

    /**
     * Window mean with its gradient: the sum's gradient divided by the window size (or, without
     * {@code countIncludePad}, by the number of real elements of each window).
     */
    public static Variable windowMean(Variable input, WindowOptions options) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan("window_mean", x, options);
        Tensor xf = x.dtype().isFloat() ? x : x.asType(x.dtype().toFloating());
        Tensor sums = Backends.current().window(Window.plan("window_mean", xf, options), WindowReduction.SUM, xf);
        // Without countIncludePad each window divides by its number of real elements: the window sum of ones.
        Tensor divisor = plan.countIncludePad() ? null
                : Backends.current().window(plan, WindowReduction.SUM, Tensor.ones(xf.dtype(), x.dims()));
        Tensor out = divisor == null ? sums.multiply(1.0 / plan.windowSize()) : sums.divide(divisor);
        return Variable.record(out, (g, n) -> {
            Tensor scaled = divisor == null ? g.multiply(1.0 / plan.windowSize()) : g.divide(divisor.asType(g.dtype()));
            return new Tensor[] {spread(plan, scaled)};
        }, input);
    }

    /** Window max; the gradient goes to the first maximal element of each window. */
    public static Variable windowMax(Variable input, WindowOptions options) { return select(input, options, true); }

    /** Window min; the gradient goes to the first minimal element of each window. */
    public static Variable windowMin(Variable input, WindowOptions options) { return select(input, options, false); }

    private static Variable select(Variable input, WindowOptions options, boolean max) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan(max ? "window_max" : "window_min", x, options);
        Tensor out = Backends.current().window(plan, max ? WindowReduction.MAX : WindowReduction.MIN, x);
        return Variable.record(out, (g, n) -> new Tensor[] {Backends.current().windowSelectScatter(plan, max, x, g)}, input);
    }

    /** Window product; d/dx of each window's product is the product of the window's other elements. */
    public static Variable windowProduct(Variable input, WindowOptions options) {
        Tensor x = input.value();
        WindowPlan plan = Window.plan("window_product", x, options);
        Tensor out = Backends.current().window(plan, WindowReduction.PRODUCT, x);
        return Variable.record(out, (g, n) -> new Tensor[] {WindowProductGrad.grad(plan, x, g)}, input);
    }

    /**
     * Picks {@code onTrue} where {@code predicate} is non-zero, else {@code onFalse} (all three broadcast); the
     * gradient flows to the branch that was picked.
     */
    public static Variable select(Tensor predicate, Variable onTrue, Variable onFalse) {
        Tensor a = onTrue.value(), b = onFalse.value();
        Tensor out = Tensor.select(predicate, a, b);
        return Variable.record(out, (g, needs) -> {
            Tensor zero = Tensor.zeros(g.dtype());
            return new Tensor[] {
                    needs[0] ? Unbroadcast.to(Tensor.select(predicate, g, zero), a.shape()) : null,
                    needs[1] ? Unbroadcast.to(Tensor.select(predicate, zero, g), b.shape()) : null};
        }, onTrue, onFalse);
    }

    /** A scalar constant of the given floating type. */
    static Tensor scalar(double v, DType t) { return Tensor.full(v, t); }
}
