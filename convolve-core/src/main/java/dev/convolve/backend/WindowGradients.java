package dev.convolve.backend;

import dev.convolve.ops.Pad;
import dev.convolve.ops.Window;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.PadConfig;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.Tensor;

/**
 * The gradient of a window sum (and so of average pooling) in terms of the backend's own kernels: the default of
 * {@link Backend#windowSumTranspose}.
 *
 * <p>Derivation (per axis, window {@code w}, dilation {@code d}, stride {@code s}, padding {@code lo, hi}, P the padded input
 * of length {@code S + lo + hi}): {@code out[q] = sum_t P[q*s + t*d]}, so {@code dP[p] = sum over (q, t) with q*s + t*d = p of g[q]}.
 * Put {@code g[q]} at {@code j = (DW - 1) + q*s} of a zero array G (pad g: low DW-1, interior s-1); then with {@code t' = w-1-t},
 * {@code dP[p] = sum_t' G[p + t'*d]}: a window sum of G (stride 1, dilation d). High padding {@code P_len - dil(Q, s)} makes it
 * exactly {@code P_len} long; cropping {@code lo, hi} (negative padding becomes zeros) gives dx.
 */
public final class WindowGradients {
    private WindowGradients() {}

    /** Every element of {@code g} (shaped like the plan's output) added to each input element of its window; shaped like the input. */
    public static Tensor sum(Backend b, WindowPlan plan, Tensor g) {
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
        Tensor dp = b.window(Window.plan("window_sum", big, back), WindowReduction.SUM, big);
        return Pad.pad(dp, 0.0, new PadConfig(clo, chi, new int[r]));
    }
}
