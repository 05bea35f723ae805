package dev.convolve.autograd.kernels;

/** {@link ChannelMath} with plain loops. */
final class ChannelMathScalar implements ChannelMath {
    @Override
    public void meanVar(float[] x, int outer, int channels, int inner, int c0, int c1, double[] mean, double[] var) {
        double m = (double) outer * inner;
        for (int c = c0; c < c1; c++) {
            double s = 0;
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner;
                for (int j = 0; j < inner; j++) s += x[b + j];
            }
            double mu = s / m, v = 0;
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner;
                for (int j = 0; j < inner; j++) { double d = x[b + j] - mu; v += d * d; }
            }
            mean[c] = mu;
            var[c] = v / m;
        }
    }

    @Override
    public void normalize(float[] x, int outer, int channels, int inner, int c0, int c1, float[] mean, float[] invStd, float[] gamma, float[] beta,
                          boolean relu, float[] xhat, float[] y) {
        for (int c = c0; c < c1; c++) {
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner;
                for (int j = 0; j < inner; j++) {
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
        for (int c = c0; c < c1; c++) {
            double s1 = 0, s2 = 0;
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner;
                for (int j = 0; j < inner; j++) {
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
            for (int o = 0; o < outer; o++) {
                int b = (o * channels + c) * inner;
                for (int j = 0; j < inner; j++) dx[b + j] = k[c] * (g[b + j] - meanG[c] - xhat[b + j] * meanGX[c]);
            }
        }
    }

    @Override
    public void addRelu(float[] a, float[] b, float[] y, int from, int to) {
        for (int i = from; i < to; i++) y[i] = Math.max(a[i] + b[i], 0f);
    }

    @Override
    public void reluGrad(float[] v, float[] g, float[] r, int from, int to) {
        for (int i = from; i < to; i++) r[i] = v[i] > 0 ? g[i] : 0f;
    }

    @Override
    public void relu(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) y[i] = Math.max(x[i], 0f);
    }
}
