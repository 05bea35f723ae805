package dev.convolve.autograd.kernels;

/** {@link BatchLastConv.Impl} with plain loops over the batch (the JIT vectorises some of them). */
final class BatchLastScalar implements BatchLastConv.Impl {

    @Override
    public void forward(BatchLastGeometry g, float[] x, float[] wp, float[] bias, boolean relu, float[] y, int n0, int n1) {
        int n = g.n(), kk = g.taps();
        for (int o = 0; o < g.o(); o++) {
            int ob = o / 4, r = o % 4;
            float b = bias == null ? 0f : bias[o];
            for (int oy = 0; oy < g.oh(); oy++) {
                int iLo = g.iLo(oy), iHi = g.iHi(oy);
                for (int ox = 0; ox < g.ow(); ox++) {
                    int jLo = g.jLo(ox), jHi = g.jHi(ox);
                    int yo = ((o * g.oh() + oy) * g.ow() + ox) * n;
                    for (int k = n0; k < n1; k++) y[yo + k] = b;
                    for (int c = 0; c < g.c(); c++) {
                        for (int i = iLo; i < iHi; i++) {
                            int iy = oy * g.sh() - g.ph() + i * g.dh();
                            for (int j = jLo; j < jHi; j++) {
                                int ix = ox * g.sw() - g.pw() + j * g.dw();
                                float wv = wp[((ob * g.c() + c) * kk + i * g.kw() + j) * 4 + r];
                                int xo = ((c * g.h() + iy) * g.w() + ix) * n;
                                for (int k = n0; k < n1; k++) y[yo + k] = Math.fma(wv, x[xo + k], y[yo + k]);
                            }
                        }
                    }
                    if (relu) for (int k = n0; k < n1; k++) y[yo + k] = Math.max(y[yo + k], 0f);
                }
            }
        }
    }

    @Override
    public void gradInput(BatchLastGeometry g, float[] wp, float[] gy, float[] dx, int n0, int n1) {
        int n = g.n(), kk = g.taps();
        for (int c = 0; c < g.c(); c++) {
            int cb = c / 4, r = c % 4;
            for (int iy = 0; iy < g.h(); iy++) {
                for (int ix = 0; ix < g.w(); ix++) {
                    int xo = ((c * g.h() + iy) * g.w() + ix) * n;
                    for (int i = 0; i < g.kh(); i++) {
                        int ty = iy + g.ph() - i * g.dh();
                        if (ty < 0 || ty % g.sh() != 0 || ty / g.sh() >= g.oh()) continue;
                        int oy = ty / g.sh();
                        for (int j = 0; j < g.kw(); j++) {
                            int tx = ix + g.pw() - j * g.dw();
                            if (tx < 0 || tx % g.sw() != 0 || tx / g.sw() >= g.ow()) continue;
                            int ox = tx / g.sw();
                            int t = i * g.kw() + j;
                            for (int o = 0; o < g.o(); o++) {
                                float wv = wp[((cb * kk + t) * g.o() + o) * 4 + r];
                                int go = ((o * g.oh() + oy) * g.ow() + ox) * n;
                                for (int k = n0; k < n1; k++) dx[xo + k] = Math.fma(wv, gy[go + k], dx[xo + k]);
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void gradKernel(BatchLastGeometry g, float[] x, float[] gy, float[] dw, int n0, int n1) {
        int n = g.n(), kk = g.taps();
        for (int o = 0; o < g.o(); o++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        double s = 0;
                        for (int oy = 0; oy < g.oh(); oy++) {
                            int iy = oy * g.sh() - g.ph() + i * g.dh();
                            if (iy < 0 || iy >= g.h()) continue;
                            for (int ox = 0; ox < g.ow(); ox++) {
                                int ix = ox * g.sw() - g.pw() + j * g.dw();
                                if (ix < 0 || ix >= g.w()) continue;
                                int xo = ((c * g.h() + iy) * g.w() + ix) * n, go = ((o * g.oh() + oy) * g.ow() + ox) * n;
                                float p = 0;
                                for (int k = n0; k < n1; k++) p = Math.fma(gy[go + k], x[xo + k], p);
                                s += p;
                            }
                        }
                        dw[(o * g.c() + c) * kk + i * g.kw() + j] += (float) s;
                    }
                }
            }
        }
    }

    @Override
    public void reluBiasGrad(float[] y, float[] g, float[] gp, float[] db, int r0, int r1, int len, boolean relu) {
        for (int r = r0; r < r1; r++) {
            int o = r * len;
            double s = 0;
            for (int j = 0; j < len; j++) {
                float v = relu ? (y[o + j] > 0 ? g[o + j] : 0f) : g[o + j];
                if (relu) gp[o + j] = v;
                s += v;
            }
            db[r] = (float) s;
        }
    }
}
