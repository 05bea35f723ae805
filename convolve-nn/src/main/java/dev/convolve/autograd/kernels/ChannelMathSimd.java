package dev.convolve.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ChannelMath} with the Vector API: two vector accumulators per row, scalar tails. */
final class ChannelMathSimd implements ChannelMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void meanVar(float[] x, int outer, int channels, int inner, int c0, int c1, double[] mean, double[] var) {
        double m = (double) outer * inner;
        float[] lanes = new float[L];
        for (int c = c0; c < c1; c++) {
            double s = 0;
            for (int o = 0; o < outer; o++) s += sum(x, (o * channels + c) * inner, inner, lanes);
            double mu = s / m, v = 0;
            for (int o = 0; o < outer; o++) v += sumSquaredDeviation(x, (o * channels + c) * inner, inner, (float) mu, lanes);
            mean[c] = mu;
            var[c] = v / m;
        }
    }

    private static double sum(float[] x, int b, int len, float[] lanes) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0;
        int j = 0;
        for (; j + 2 * L <= len; j += 2 * L) {
            a0 = a0.add(FloatVector.fromArray(S, x, b + j));
            a1 = a1.add(FloatVector.fromArray(S, x, b + j + L));
        }
        a0.add(a1).intoArray(lanes, 0);
        double s = Lanes.sum(lanes, 0, L);
        for (; j < len; j++) s += x[b + j];
        return s;
    }

    private static double sumSquaredDeviation(float[] x, int b, int len, float mu, float[] lanes) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, m = FloatVector.broadcast(S, mu);
        int j = 0;
        for (; j + 2 * L <= len; j += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, x, b + j).sub(m), d1 = FloatVector.fromArray(S, x, b + j + L).sub(m);
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
        }
        a0.add(a1).intoArray(lanes, 0);
        double s = Lanes.sum(lanes, 0, L);
        for (; j < len; j++) { double d = x[b + j] - mu; s += d * d; }
        return s;
    }

    @Override
    public void normalize(float[] x, int outer, int channels, int inner, int c0, int c1, float[] mean, float[] invStd, float[] gamma, float[] beta,
                          boolean relu, float[] xhat, float[] y) {
        FloatVector floor = relu ? FloatVector.zero(S) : FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int c = c0; c < c1; c++) {
            FloatVector mu = FloatVector.broadcast(S, mean[c]), is = FloatVector.broadcast(S, invStd[c]);
            FloatVector ga = FloatVector.broadcast(S, gamma[c]), be = FloatVector.broadcast(S, beta[c]);
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner, j = 0;
                for (; j + L <= inner; j += L) {
                    FloatVector h = FloatVector.fromArray(S, x, b + j).sub(mu).mul(is);
                    h.intoArray(xhat, b + j);
                    h.fma(ga, be).max(floor).intoArray(y, b + j);
                }
                for (; j < inner; j++) {
                    float h = (x[b + j] - mean[c]) * invStd[c];
                    xhat[b + j] = h;
                    float v = h * gamma[c] + beta[c];
                    y[b + j] = relu ? Math.max(v, 0f) : v;
                }
            }
        }
    }

    @Override
    public void gradSums(float[] g, float[] y, float[] xhat, boolean relu, float[] gm, int outer, int channels, int inner, int c0, int c1,
                         double[] sumG, double[] sumGX) {
        FloatVector zero = FloatVector.zero(S);
        float[] lanes = new float[2 * L];
        for (int c = c0; c < c1; c++) {
            double s1 = 0, s2 = 0;
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner, j = 0;
                FloatVector a = zero, ax = zero;
                for (; j + L <= inner; j += L) {
                    FloatVector gv = FloatVector.fromArray(S, g, b + j);
                    if (relu) {
                        gv = gv.blend(zero, FloatVector.fromArray(S, y, b + j).compare(VectorOperators.LE, 0f));
                        gv.intoArray(gm, b + j);
                    }
                    a = a.add(gv);
                    ax = gv.fma(FloatVector.fromArray(S, xhat, b + j), ax);
                }
                a.intoArray(lanes, 0);
                ax.intoArray(lanes, L);
                s1 += Lanes.sum(lanes, 0, L);
                s2 += Lanes.sum(lanes, L, L);
                for (; j < inner; j++) {
                    float gv = relu ? (y[b + j] > 0 ? g[b + j] : 0f) : g[b + j];
                    if (relu) gm[b + j] = gv;
                    s1 += gv;
                    s2 += gv * xhat[b + j];
                }
            }
            sumG[c] = s1;
            sumGX[c] = s2;
        }
    }

    @Override
    public void gradInput(float[] g, float[] xhat, int outer, int channels, int inner, int c0, int c1, float[] k, float[] meanG, float[] meanGX, float[] dx) {
        for (int c = c0; c < c1; c++) {
            FloatVector kv = FloatVector.broadcast(S, k[c]), mg = FloatVector.broadcast(S, meanG[c]), mgx = FloatVector.broadcast(S, meanGX[c]);
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner, j = 0;
                for (; j + L <= inner; j += L) {
                    FloatVector v = FloatVector.fromArray(S, g, b + j).sub(mg).sub(FloatVector.fromArray(S, xhat, b + j).mul(mgx));
                    v.mul(kv).intoArray(dx, b + j);
                }
                for (; j < inner; j++) dx[b + j] = k[c] * (g[b + j] - meanG[c] - xhat[b + j] * meanGX[c]);
            }
        }
    }

    @Override
    public void addRelu(float[] a, float[] b, float[] y, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (; i + L <= to; i += L) FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).max(zero).intoArray(y, i);
        for (; i < to; i++) y[i] = Math.max(a[i] + b[i], 0f);
    }

    @Override
    public void reluGrad(float[] v, float[] g, float[] r, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector.fromArray(S, g, i).blend(zero, FloatVector.fromArray(S, v, i).compare(VectorOperators.LE, 0f)).intoArray(r, i);
        }
        for (; i < to; i++) r[i] = v[i] > 0 ? g[i] : 0f;
    }

    @Override
    public void relu(float[] x, float[] y, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (; i + L <= to; i += L) FloatVector.fromArray(S, x, i).max(zero).intoArray(y, i);
        for (; i < to; i++) y[i] = Math.max(x[i], 0f);
    }
}
