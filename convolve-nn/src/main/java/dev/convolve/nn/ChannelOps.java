package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Per-channel primitives fused into tight loops: adding a bias along one axis (the backward sums the gradient
 * over every other axis). f32 and f64 have loops of their own; other types go through broadcasting.
 */
final class ChannelOps {
    private ChannelOps() {}

    /** {@code x + bias} with {@code bias} (one value per channel) broadcast along {@code axis} of {@code x}. */
    static Variable addBias(Variable x, Variable bias, int axis) {
        Tensor xv = x.value(), bv = bias.value();
        int c = xv.dim(axis);
        if (bv.rank() != 1 || bv.dim(0) != c) {
            throw new IllegalArgumentException("bias: expected one value per channel, " + c + " along axis " + axis + " of " + xv.describe()
                    + ", got bias " + bv.describe());
        }
        int inner = 1, outer = 1;
        for (int i = axis + 1; i < xv.rank(); i++) inner *= xv.dim(i);
        for (int i = 0; i < axis; i++) outer *= xv.dim(i);
        final int in = inner, out = outer;
        Tensor y;
        if (xv.dtype() == DType.F32 && bv.dtype() == DType.F32) {
            float[] a = xv.floatData(), b = bv.floatData();
            float[] r = new float[a.length];
            for (int o = 0, p = 0; o < out; o++) {
                for (int ch = 0; ch < c; ch++) {
                    float bb = b[ch];
                    for (int j = 0; j < in; j++, p++) r[p] = a[p] + bb;
                }
            }
            y = Tensor.wrap(DType.F32, xv.shape(), r);
        } else {
            int[] shape = new int[xv.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[axis] = c;
            y = xv.add(bv.reshape(shape));
        }
        return Variable.record(y, (g, needs) -> new Tensor[] {
                needs[0] ? g.asType(xv.dtype()) : null,
                needs[1] ? sumPerChannel(g, out, c, in).asType(bv.dtype()) : null}, x, bias);
    }

    /** Sums {@code g}, viewed as {@code [outer, c, inner]}, over the outer and inner axes: a {@code [c]} tensor. */
    static Tensor sumPerChannel(Tensor g, int outer, int c, int inner) {
        double[] acc = new double[c];
        if (g.dtype() == DType.F32) {
            float[] a = g.floatData();
            for (int o = 0, p = 0; o < outer; o++) {
                for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    for (int j = 0; j < inner; j++, p++) s += a[p];
                    acc[ch] += s;
                }
            }
            float[] r = new float[c];
            for (int i = 0; i < c; i++) r[i] = (float) acc[i];
            return Tensor.wrap(DType.F32, dev.convolve.tensor.Shape.of(c), r);
        }
        double[] a = g.toDoubleArray();
        for (int o = 0, p = 0; o < outer; o++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < inner; j++, p++) acc[ch] += a[p];
            }
        }
        return Tensor.wrap(DType.F64, dev.convolve.tensor.Shape.of(c), acc).asType(g.dtype());
    }
}
