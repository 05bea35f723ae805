package dev.convolve.autograd;

import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.Tensor;

/** The gradient of a window product, by direct loops in double precision (no division, so zeros are exact). */
final class WindowProductGrad {
    private WindowProductGrad() {}

    static Tensor grad(WindowPlan p, Tensor x, Tensor g) {
        int r = p.rank();
        int[] w = p.window(), s = p.strides(), d = p.dilations(), lo = p.padLow();
        int[] in = p.inputShape().dims(), out = p.outputShape().dims();
        int[] ist = p.inputShape().strides();
        double[] xv = x.toDoubleArray(), gv = g.toDoubleArray();
        double[] acc = new double[x.size()];
        int taps = 1;
        for (int v : w) taps *= v;
        int[] off = new int[taps];
        double[] val = new double[taps];
        int[] q = new int[r], t = new int[r];
        for (int o = 0; o < gv.length; o++) {
            int count = 0;
            java.util.Arrays.fill(t, 0);
            for (int k = 0; k < taps; k++) {
                int f = 0;
                boolean real = true;
                for (int i = 0; i < r; i++) {
                    int pos = q[i] * s[i] + t[i] * d[i] - lo[i];
                    if (pos < 0 || pos >= in[i]) { real = false; break; }
                    f += pos * ist[i];
                }
                if (real) { off[count] = f; val[count] = xv[f]; count++; }
                for (int i = r - 1; i >= 0; i--) {
                    if (++t[i] < w[i]) break;
                    t[i] = 0;
                }
            }
            for (int a = 0; a < count; a++) {
                double prod = 1;
                for (int b = 0; b < count; b++) if (b != a) prod *= val[b];
                acc[off[a]] += gv[o] * prod;
            }
            for (int i = r - 1; i >= 0; i--) {
                if (++q[i] < out[i]) break;
                q[i] = 0;
            }
        }
        return Tensor.fromDoubles(acc, x.dims()).asType(g.dtype());
    }
}
