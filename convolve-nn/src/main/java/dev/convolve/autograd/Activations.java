package dev.convolve.autograd;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/** Activation primitives: tight loops for f32/f64 where training spends its time. */
final class Activations {
    private Activations() {}

    static Variable relu(Variable a) {
        Tensor x = a.value();
        Tensor out = leaky(x, 0.0);
        return Variable.record(out, (g, n) -> new Tensor[] {leakyGrad(out, g, 0.0)}, a);
    }

    static Variable leakyRelu(Variable a, double slope) {
        Tensor x = a.value();
        Tensor out = leaky(x, slope);
        return Variable.record(out, (g, n) -> new Tensor[] {leakyGrad(x, g, slope)}, a);
    }

    /** {@code x > 0 ? x : slope * x}. */
    static Tensor leaky(Tensor x, double slope) {
        if (x.dtype() == DType.F32) {
            float[] v = x.floatData();
            float[] r = new float[v.length];
            float s = (float) slope;
            if (slope == 0) for (int i = 0; i < v.length; i++) r[i] = v[i] > 0 ? v[i] : 0f;
            else for (int i = 0; i < v.length; i++) r[i] = v[i] > 0 ? v[i] : s * v[i];
            return Tensor.wrap(DType.F32, x.shape(), r);
        }
        if (x.dtype() == DType.F64) {
            double[] v = x.doubleData();
            double[] r = new double[v.length];
            for (int i = 0; i < v.length; i++) r[i] = v[i] > 0 ? v[i] : slope * v[i];
            return Tensor.wrap(DType.F64, x.shape(), r);
        }
        Tensor pos = x.greater(0.0);
        return Tensor.select(pos, x, x.multiply(slope));
    }

    /** {@code g * (ref > 0 ? 1 : slope)}; {@code ref} is the input or (for ReLU) the output: same sign test. */
    static Tensor leakyGrad(Tensor ref, Tensor g, double slope) {
        if (ref.dtype() == DType.F32 && g.dtype() == DType.F32) {
            float[] v = ref.floatData(), gv = g.floatData();
            float[] r = new float[v.length];
            float s = (float) slope;
            for (int i = 0; i < v.length; i++) r[i] = v[i] > 0 ? gv[i] : s * gv[i];
            return Tensor.wrap(DType.F32, ref.shape(), r);
        }
        if (ref.dtype() == DType.F64 && g.dtype() == DType.F64) {
            double[] v = ref.doubleData(), gv = g.doubleData();
            double[] r = new double[v.length];
            for (int i = 0; i < v.length; i++) r[i] = v[i] > 0 ? gv[i] : slope * gv[i];
            return Tensor.wrap(DType.F64, ref.shape(), r);
        }
        Tensor pos = ref.greater(0.0);
        return Tensor.select(pos, g, g.multiply(slope));
    }

    /** GELU, exact: {@code x * Phi(x)}; derivative {@code Phi(x) + x * phi(x)}. */
    static Variable gelu(Variable a) {
        Tensor x = a.value();
        Tensor cdf = x.multiply(1 / Math.sqrt(2)).erf().add(1.0).multiply(0.5);
        Tensor out = x.multiply(cdf);
        return Variable.record(out, (g, n) -> {
            Tensor pdf = x.multiply(x).multiply(-0.5).exp().multiply(1 / Math.sqrt(2 * Math.PI));
            return new Tensor[] {g.multiply(cdf.add(x.multiply(pdf)))};
        }, a);
    }

    static Variable softmax(Variable a, int axis) {
        Tensor x = a.value();
        int ax = x.shape().normalizeAxis(axis);
        Tensor out = softmaxValue(x, ax);
        int[] axes = {ax};
        return Variable.record(out, (g, n) -> {
            Tensor dot = FastMath.sum(g.multiply(out), axes, true);
            return new Tensor[] {out.multiply(g.subtract(dot))};
        }, a);
    }

    static Variable logSoftmax(Variable a, int axis) {
        Tensor x = a.value();
        int ax = x.shape().normalizeAxis(axis);
        int[] axes = {ax};
        Tensor shifted = x.subtract(x.reduceMax(axes, true));
        Tensor lse = FastMath.sum(shifted.exp(), axes, true).log();
        Tensor out = shifted.subtract(lse);
        return Variable.record(out, (g, n) -> {
            Tensor sm = out.exp();
            return new Tensor[] {g.subtract(sm.multiply(FastMath.sum(g, axes, true)))};
        }, a);
    }

    static Tensor softmaxValue(Tensor x, int ax) {
        int[] axes = {ax};
        Tensor e = x.subtract(x.reduceMax(axes, true)).exp();
        return e.divide(FastMath.sum(e, axes, true));
    }
}
