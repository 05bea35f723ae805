package dev.convolve.autograd;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/** Sums of gradients of equal shape and type (the {@code +=} of back-propagation). */
final class Accumulate {
    private Accumulate() {}

    static Tensor add(Tensor a, Tensor b) {
        if (a.dtype() == DType.F32 && b.dtype() == DType.F32 && a.shape().equals(b.shape())) {
            float[] x = a.floatData(), y = b.floatData();
            float[] r = new float[x.length];
            for (int i = 0; i < r.length; i++) r[i] = x[i] + y[i];
            return Tensor.wrap(DType.F32, a.shape(), r);
        }
        if (a.dtype() == DType.F64 && b.dtype() == DType.F64 && a.shape().equals(b.shape())) {
            double[] x = a.doubleData(), y = b.doubleData();
            double[] r = new double[x.length];
            for (int i = 0; i < r.length; i++) r[i] = x[i] + y[i];
            return Tensor.wrap(DType.F64, a.shape(), r);
        }
        return a.add(b.asType(a.dtype()));
    }
}
