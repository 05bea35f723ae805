package dev.convolve.ops;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * Transposed convolution in PyTorch's terms ({@code F.conv_transposeNd}): input {@code [N, Cin, S...]}, weight
 * {@code [Cin, Cout / groups, K...]}, output size {@code (S - 1) * stride - padLow - padHigh + dilation * (K - 1) + outputPadding + 1}.
 * It is a conv of the input dilated by the stride with the flipped, channel-swapped weight (SPEC.md section 4).
 */
public final class ConvTranspose {
    private ConvTranspose() {}

    /**
     * Options; a single value applies to every spatial axis. {@code paddingLow/High} are PyTorch's {@code padding}
     * (both sides equal) or ONNX's begin/end pads.
     */
    public record Options(AxisValues stride, int[] paddingLow, int[] paddingHigh, AxisValues outputPadding, int groups, AxisValues dilation) {
        public static Options defaults() { return new Options(AxisValues.all(1), null, null, AxisValues.all(0), 1, AxisValues.all(1)); }

        public Options withStride(int... s) { return new Options(s.length == 1 ? AxisValues.all(s[0]) : AxisValues.of(s), paddingLow, paddingHigh, outputPadding, groups, dilation); }

        /** PyTorch's {@code padding}: the same amount removed from both ends of each axis. */
        public Options withPadding(int... p) { return new Options(stride, p.clone(), p.clone(), outputPadding, groups, dilation); }

        /** ONNX-style begin and end pads per axis. */
        public Options withPadding(int[] low, int[] high) { return new Options(stride, low.clone(), high.clone(), outputPadding, groups, dilation); }

        public Options withOutputPadding(int... p) { return new Options(stride, paddingLow, paddingHigh, p.length == 1 ? AxisValues.all(p[0]) : AxisValues.of(p), groups, dilation); }

        public Options withGroups(int g) { return new Options(stride, paddingLow, paddingHigh, outputPadding, g, dilation); }

        public Options withDilation(int... d) { return new Options(stride, paddingLow, paddingHigh, outputPadding, groups, d.length == 1 ? AxisValues.all(d[0]) : AxisValues.of(d)); }
    }

    /**
     * @throws IllegalArgumentException when the weight does not match the input channels, groups do not divide,
     *         or output padding is not smaller than the stride or the dilation
     */
    public static Tensor convTranspose(Tensor input, Tensor weight, Options o) {
        String ctx = "for input " + input.describe() + " and weight " + weight.describe();
        if (input.rank() < 3 || weight.rank() != input.rank()) {
            throw new IllegalArgumentException("conv_transpose: input and weight must have the same rank, at least 3, " + ctx);
        }
        int n = input.rank() - 2;
        int cin = input.dim(1), g = o.groups();
        if (g < 1 || cin % g != 0) {
            throw new IllegalArgumentException("conv_transpose: groups must be positive and divide the input channels, but " + cin + " % " + g + " != 0, " + ctx);
        }
        if (weight.dim(0) != cin) {
            throw new IllegalArgumentException("conv_transpose: weight axis 0 must equal the input channels, but " + weight.dim(0) + " != " + cin + ", " + ctx);
        }
        int[] k = Arrays.copyOfRange(weight.dims(), 2, weight.rank());
        int[] s = resolve(o.stride(), n, "stride", 1, ctx);
        int[] d = resolve(o.dilation(), n, "dilation", 1, ctx);
        int[] op = resolve(o.outputPadding(), n, "output padding", 0, ctx);
        int[] pl = o.paddingLow() == null ? new int[n] : fill(o.paddingLow(), n, "padding", ctx);
        int[] ph = o.paddingHigh() == null ? new int[n] : fill(o.paddingHigh(), n, "padding", ctx);
        for (int i = 0; i < n; i++) {
            if (op[i] >= s[i] && op[i] >= d[i]) {
                throw new IllegalArgumentException("conv_transpose: output padding must be smaller than either stride or dilation, but got output padding "
                        + Arrays.toString(op) + ", stride " + Arrays.toString(s) + ", dilation " + Arrays.toString(d) + ", " + ctx);
            }
        }
        int coutPerGroup = weight.dim(1);
        // w'[gi*(Cout/g) + m, c, t] = w[gi*(Cin/g) + c, m, K-1-t]
        int[] grouped = new int[weight.rank() + 1];
        grouped[0] = g; grouped[1] = cin / g; grouped[2] = coutPerGroup;
        System.arraycopy(k, 0, grouped, 3, n);
        int[] perm = new int[weight.rank() + 1];
        perm[0] = 0; perm[1] = 2; perm[2] = 1;
        for (int i = 3; i < perm.length; i++) perm[i] = i;
        int[] flat = new int[weight.rank()];
        flat[0] = g * coutPerGroup; flat[1] = cin / g;
        System.arraycopy(k, 0, flat, 2, n);
        int[] spatialAxes = new int[n];
        for (int i = 0; i < n; i++) spatialAxes[i] = i + 2;
        Tensor w2 = weight.reshape(grouped).transpose(perm).reshape(flat).reverse(spatialAxes);
        int[] lo = new int[n], hi = new int[n];
        for (int i = 0; i < n; i++) {
            int dk = d[i] * (k[i] - 1);
            lo[i] = dk - pl[i];
            hi[i] = dk - ph[i] + op[i];
        }
        ConvOptions co = ConvOptions.defaults().withInputDilation(AxisValues.of(s)).withKernelDilation(AxisValues.of(d))
                .withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(g);
        try {
            return Conv.conv(input, w2, co);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv_transpose: " + e.getMessage().replaceFirst("^conv: ", ""), e);
        }
    }

    private static int[] resolve(AxisValues v, int n, String what, int min, String ctx) {
        int[] r = v.expand("conv_transpose", what, n, ctx);
        for (int x : r) {
            if (x < min) throw new IllegalArgumentException("conv_transpose: " + what + " must be at least " + min + ", got " + Arrays.toString(r) + ", " + ctx);
        }
        return r;
    }

    private static int[] fill(int[] v, int n, String what, String ctx) {
        if (v.length == 1 && n != 1) {
            int[] r = new int[n];
            Arrays.fill(r, v[0]);
            return r;
        }
        if (v.length != n) {
            throw new IllegalArgumentException("conv_transpose: " + what + " must have one entry per spatial axis (" + n + "), got " + Arrays.toString(v) + ", " + ctx);
        }
        return v.clone();
    }
}
