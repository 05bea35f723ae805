package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * Batch normalization over axis 1 of {@code [N, C, ...]} (PyTorch's {@code BatchNorm1d/2d/3d}): in training,
 * each channel is normalized with the batch's mean and (biased) variance, then scaled by {@code weight} and
 * shifted by {@code bias}; the running mean and (unbiased) variance move by {@code momentum}. In evaluation the
 * running statistics are used. Forward and backward are fused loops (f32 and f64), the backward being
 * {@code dx = weight / sqrt(var + eps) * (g - mean(g) - xhat * mean(g * xhat))}.
 */
public final class BatchNorm extends Module {
    private final int channels;
    private final double momentum, eps;
    private Variable weight, bias;
    private final Buffer runningMean, runningVar;

    public BatchNorm(int channels) { this(channels, 0.1, 1e-5); }

    /** @throws IllegalArgumentException for a non-positive channel count or momentum outside [0, 1] */
    public BatchNorm(int channels, double momentum, double eps) {
        if (channels < 1) throw new IllegalArgumentException("batch norm: channels must be positive, got " + channels);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("batch norm: momentum must be in [0, 1], got " + momentum);
        this.channels = channels;
        this.momentum = momentum;
        this.eps = eps;
        weight = addParameter("weight", Tensor.ones(DType.F32, channels), Init.ones());
        bias = addParameter("bias", Tensor.zeros(DType.F32, channels), Init.zeros());
        runningMean = addBuffer("running_mean", Tensor.zeros(DType.F32, channels));
        runningVar = addBuffer("running_var", Tensor.ones(DType.F32, channels));
    }

    @Override
    protected void onParameterReplaced(String name, Variable v) {
        if (name.equals("weight")) weight = v;
        else bias = v;
    }

    public Buffer runningMean() { return runningMean; }

    public Buffer runningVar() { return runningVar; }

    @Override
    protected Variable forward(Variable x) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new IllegalArgumentException("batch norm: expected input [N, " + channels + ", ...], got " + x.value().describe());
        }
        if (isTraining()) return train(x);
        // Evaluation: an affine map per channel with the running statistics (differentiable by composition).
        int[] shape = new int[x.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = channels;
        Variable s = weight.divide(Variable.constant(runningVar.get().asType(weight.dtype()).add(eps).sqrt()));
        Variable sh = bias.subtract(Variable.constant(runningMean.get().asType(weight.dtype())).multiply(s));
        return x.multiply(s.reshape(shape)).add(sh.reshape(shape));
    }

    private Variable train(Variable x) {
        Tensor xv = x.value();
        int n = xv.dim(0);
        int inner = 1;
        for (int i = 2; i < xv.rank(); i++) inner *= xv.dim(i);
        long m = (long) n * inner;
        if (m < 2) throw new IllegalArgumentException("batch norm: training needs more than one value per channel, got " + xv.describe());
        double[] x64 = xv.dtype() == DType.F64 ? xv.doubleData() : null;
        float[] x32 = xv.dtype() == DType.F32 ? xv.floatData() : null;
        if (x64 == null && x32 == null) {
            x64 = xv.toDoubleArray();
        }
        double[] mean = new double[channels], var = new double[channels];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * inner;
                double s = 0;
                if (x32 != null) for (int j = 0; j < inner; j++) s += x32[base + j];
                else for (int j = 0; j < inner; j++) s += x64[base + j];
                mean[c] += s;
            }
        }
        for (int c = 0; c < channels; c++) mean[c] /= m;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * inner;
                double mu = mean[c], s = 0;
                if (x32 != null) for (int j = 0; j < inner; j++) { double d = x32[base + j] - mu; s += d * d; }
                else for (int j = 0; j < inner; j++) { double d = x64[base + j] - mu; s += d * d; }
                var[c] += s;
            }
        }
        double[] invStd = new double[channels];
        for (int c = 0; c < channels; c++) {
            var[c] /= m;
            invStd[c] = 1 / Math.sqrt(var[c] + eps);
        }
        double[] gamma = weight.value().toDoubleArray(), beta = bias.value().toDoubleArray();
        int size = xv.size();
        Object out;
        Object xhat;
        if (x32 != null) {
            float[] o = new float[size], h = new float[size];
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < channels; c++) {
                    int base = (b * channels + c) * inner;
                    float mu = (float) mean[c], is = (float) invStd[c], ga = (float) gamma[c], be = (float) beta[c];
                    for (int j = 0; j < inner; j++) {
                        float hv = (x32[base + j] - mu) * is;
                        h[base + j] = hv;
                        o[base + j] = hv * ga + be;
                    }
                }
            }
            out = o;
            xhat = h;
        } else {
            double[] o = new double[size], h = new double[size];
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < channels; c++) {
                    int base = (b * channels + c) * inner;
                    for (int j = 0; j < inner; j++) {
                        double hv = (x64[base + j] - mean[c]) * invStd[c];
                        h[base + j] = hv;
                        o[base + j] = hv * gamma[c] + beta[c];
                    }
                }
            }
            out = o;
            xhat = h;
        }
        updateRunning(mean, var, m);
        DType t = xv.dtype() == DType.F32 ? DType.F32 : DType.F64;
        Tensor y = Tensor.wrap(t, xv.shape(), out);
        final int nn = n, in = inner;
        return Variable.record(y, (g, needs) -> backward(g, xhat, invStd, gamma, nn, in, m, needs, xv), x, weight, bias);
    }

    private Tensor[] backward(Tensor gt, Object xhat, double[] invStd, double[] gamma, int n, int inner, long m, boolean[] needs, Tensor xv) {
        double[] g64 = gt.dtype() == DType.F64 ? gt.doubleData() : null;
        float[] g32 = gt.dtype() == DType.F32 ? gt.floatData() : null;
        if (g64 == null && g32 == null) g64 = gt.toDoubleArray();
        float[] h32 = xhat instanceof float[] a ? a : null;
        double[] h64 = xhat instanceof double[] a ? a : null;
        double[] sg = new double[channels], sgh = new double[channels];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * inner;
                double s1 = 0, s2 = 0;
                for (int j = 0; j < inner; j++) {
                    double gv = g32 != null ? g32[base + j] : g64[base + j];
                    double hv = h32 != null ? h32[base + j] : h64[base + j];
                    s1 += gv;
                    s2 += gv * hv;
                }
                sg[c] += s1;
                sgh[c] += s2;
            }
        }
        Tensor dx = null;
        if (needs[0]) {
            int size = xv.size();
            boolean f32 = xv.dtype() == DType.F32;
            float[] d32 = f32 ? new float[size] : null;
            double[] d64 = f32 ? null : new double[size];
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < channels; c++) {
                    int base = (b * channels + c) * inner;
                    double k = gamma[c] * invStd[c], mg = sg[c] / m, mgh = sgh[c] / m;
                    for (int j = 0; j < inner; j++) {
                        double gv = g32 != null ? g32[base + j] : g64[base + j];
                        double hv = h32 != null ? h32[base + j] : h64[base + j];
                        double d = k * (gv - mg - hv * mgh);
                        if (f32) d32[base + j] = (float) d;
                        else d64[base + j] = d;
                    }
                }
            }
            dx = f32 ? Tensor.wrap(DType.F32, xv.shape(), d32) : Tensor.wrap(DType.F64, xv.shape(), d64).asType(xv.dtype().isFloat() ? xv.dtype() : DType.F64);
        }
        DType pt = weight.dtype();
        Tensor dgamma = needs[1] ? Tensor.wrap(DType.F64, Shape.of(channels), sgh).asType(pt) : null;
        Tensor dbeta = needs[2] ? Tensor.wrap(DType.F64, Shape.of(channels), sg).asType(pt) : null;
        return new Tensor[] {dx, dgamma, dbeta};
    }

    private void updateRunning(double[] mean, double[] var, long m) {
        double[] rm = runningMean.get().toDoubleArray(), rv = runningVar.get().toDoubleArray();
        double unbias = (double) m / (m - 1);
        for (int c = 0; c < channels; c++) {
            rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
            rv[c] = (1 - momentum) * rv[c] + momentum * var[c] * unbias;
        }
        DType t = runningMean.get().dtype();
        runningMean.set(Tensor.wrap(DType.F64, Shape.of(channels), rm).asType(t));
        runningVar.set(Tensor.wrap(DType.F64, Shape.of(channels), rv).asType(t));
    }

    @Override
    public String describe() { return "BatchNorm(" + channels + ")"; }
}
