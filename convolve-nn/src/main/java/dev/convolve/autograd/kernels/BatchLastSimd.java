package dev.convolve.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchLastConv.Impl} with the Vector API. Blocks of 4 channels x 4 vectors of images keep 16 accumulators
 * in registers; every tap costs 4 vector loads and 4 broadcasts for 16 fused multiply-adds. Padding taps are
 * skipped (their ranges are computed per output position), never multiplied.
 */
final class BatchLastSimd implements BatchLastConv.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int GK_VECTORS = Integer.getInteger("convolve.gkVectors", 4), GK_POSITIONS = Integer.getInteger("convolve.gkPositions", 24);

    // ------------------------------------------------------------------ forward

    @Override
    public void forward(BatchLastGeometry g, float[] x, float[] wp, float[] bias, boolean relu, float[] y, int n0, int n1) {
        int n = g.n(), plane = g.oh() * g.ow() * n;
        // Batch blocks outermost, then output rows, then channel blocks: the input rows one output row needs stay
        // in cache while every channel block uses them.
        int k = n0;
        for (; k + 4 * L <= n1; k += 4 * L) {
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ob = 0; ob * 4 < g.o(); ob++) {
                    int oc = Math.min(4, g.o() - ob * 4);
                    float b0 = bias(bias, ob * 4, oc, 0), b1 = bias(bias, ob * 4, oc, 1), b2 = bias(bias, ob * 4, oc, 2), b3 = bias(bias, ob * 4, oc, 3);
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int y0 = (ob * 4 * g.oh() * g.ow() + oy * g.ow() + ox) * n;
                        fwd4(g, x, wp, ob, oy, ox, k, y, y0 + k, plane, oc, b0, b1, b2, b3, relu);
                    }
                }
            }
        }
        for (; k + L <= n1; k += L) {
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ob = 0; ob * 4 < g.o(); ob++) {
                    int oc = Math.min(4, g.o() - ob * 4);
                    float b0 = bias(bias, ob * 4, oc, 0), b1 = bias(bias, ob * 4, oc, 1), b2 = bias(bias, ob * 4, oc, 2), b3 = bias(bias, ob * 4, oc, 3);
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int y0 = (ob * 4 * g.oh() * g.ow() + oy * g.ow() + ox) * n;
                        fwd1(g, x, wp, ob, oy, ox, k, y, y0 + k, plane, oc, b0, b1, b2, b3, relu);
                    }
                }
            }
        }
        if (k < n1) {
            for (int ob = 0; ob * 4 < g.o(); ob++) {
                int oc = Math.min(4, g.o() - ob * 4);
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int y0 = (ob * 4 * g.oh() * g.ow() + oy * g.ow() + ox) * n;
                        fwdScalar(g, x, wp, ob, oy, ox, k, n1, y, y0, plane, oc, bias, relu);
                    }
                }
            }
        }
    }

    private static float bias(float[] bias, int o0, int oc, int r) { return bias == null || r >= oc ? 0f : bias[o0 + r]; }

    private static void fwd4(BatchLastGeometry g, float[] x, float[] wp, int ob, int oy, int ox, int k, float[] y, int yo, int plane, int oc,
                             float b0, float b1, float b2, float b3, boolean relu) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00,
                a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int n = g.n(), kk = g.taps();
        int iLo = g.iLo(oy), iHi = g.iHi(oy), jLo = g.jLo(ox), jHi = g.jHi(ox);
        for (int c = 0; c < g.c(); c++) {
            int wc = (ob * g.c() + c) * kk;
            for (int i = iLo; i < iHi; i++) {
                int iy = oy * g.sh() - g.ph() + i * g.dh();
                int xr = (c * g.h() + iy) * g.w();
                for (int j = jLo; j < jHi; j++) {
                    int ix = ox * g.sw() - g.pw() + j * g.dw();
                    int xo = (xr + ix) * n + k;
                    int wo = (wc + i * g.kw() + j) * 4;
                    FloatVector x0 = FloatVector.fromArray(S, x, xo), x1 = FloatVector.fromArray(S, x, xo + L),
                            x2 = FloatVector.fromArray(S, x, xo + 2 * L), x3 = FloatVector.fromArray(S, x, xo + 3 * L);
                    FloatVector w = FloatVector.broadcast(S, wp[wo]);
                    a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                    w = FloatVector.broadcast(S, wp[wo + 1]);
                    a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
                    w = FloatVector.broadcast(S, wp[wo + 2]);
                    a20 = w.fma(x0, a20); a21 = w.fma(x1, a21); a22 = w.fma(x2, a22); a23 = w.fma(x3, a23);
                    w = FloatVector.broadcast(S, wp[wo + 3]);
                    a30 = w.fma(x0, a30); a31 = w.fma(x1, a31); a32 = w.fma(x2, a32); a33 = w.fma(x3, a33);
                }
            }
        }
        // Epilogue written out in place: passing vectors to a helper that is not inlined would box them.
        FloatVector z = relu ? FloatVector.zero(S) : FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector bv = FloatVector.broadcast(S, b0);
        a00.add(bv).max(z).intoArray(y, yo); a01.add(bv).max(z).intoArray(y, yo + L);
        a02.add(bv).max(z).intoArray(y, yo + 2 * L); a03.add(bv).max(z).intoArray(y, yo + 3 * L);
        if (oc > 1) {
            int at = yo + plane;
            bv = FloatVector.broadcast(S, b1);
            a10.add(bv).max(z).intoArray(y, at); a11.add(bv).max(z).intoArray(y, at + L);
            a12.add(bv).max(z).intoArray(y, at + 2 * L); a13.add(bv).max(z).intoArray(y, at + 3 * L);
        }
        if (oc > 2) {
            int at = yo + 2 * plane;
            bv = FloatVector.broadcast(S, b2);
            a20.add(bv).max(z).intoArray(y, at); a21.add(bv).max(z).intoArray(y, at + L);
            a22.add(bv).max(z).intoArray(y, at + 2 * L); a23.add(bv).max(z).intoArray(y, at + 3 * L);
        }
        if (oc > 3) {
            int at = yo + 3 * plane;
            bv = FloatVector.broadcast(S, b3);
            a30.add(bv).max(z).intoArray(y, at); a31.add(bv).max(z).intoArray(y, at + L);
            a32.add(bv).max(z).intoArray(y, at + 2 * L); a33.add(bv).max(z).intoArray(y, at + 3 * L);
        }
    }

    private static void fwd1(BatchLastGeometry g, float[] x, float[] wp, int ob, int oy, int ox, int k, float[] y, int yo, int plane, int oc,
                             float b0, float b1, float b2, float b3, boolean relu) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int n = g.n(), kk = g.taps();
        int iLo = g.iLo(oy), iHi = g.iHi(oy), jLo = g.jLo(ox), jHi = g.jHi(ox);
        for (int c = 0; c < g.c(); c++) {
            int wc = (ob * g.c() + c) * kk;
            for (int i = iLo; i < iHi; i++) {
                int iy = oy * g.sh() - g.ph() + i * g.dh();
                int xr = (c * g.h() + iy) * g.w();
                for (int j = jLo; j < jHi; j++) {
                    int ix = ox * g.sw() - g.pw() + j * g.dw();
                    FloatVector x0 = FloatVector.fromArray(S, x, (xr + ix) * n + k);
                    int wo = (wc + i * g.kw() + j) * 4;
                    a0 = FloatVector.broadcast(S, wp[wo]).fma(x0, a0);
                    a1 = FloatVector.broadcast(S, wp[wo + 1]).fma(x0, a1);
                    a2 = FloatVector.broadcast(S, wp[wo + 2]).fma(x0, a2);
                    a3 = FloatVector.broadcast(S, wp[wo + 3]).fma(x0, a3);
                }
            }
        }
        FloatVector z = relu ? FloatVector.zero(S) : FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        a0.add(FloatVector.broadcast(S, b0)).max(z).intoArray(y, yo);
        if (oc > 1) a1.add(FloatVector.broadcast(S, b1)).max(z).intoArray(y, yo + plane);
        if (oc > 2) a2.add(FloatVector.broadcast(S, b2)).max(z).intoArray(y, yo + 2 * plane);
        if (oc > 3) a3.add(FloatVector.broadcast(S, b3)).max(z).intoArray(y, yo + 3 * plane);
    }

    private static void fwdScalar(BatchLastGeometry g, float[] x, float[] wp, int ob, int oy, int ox, int k0, int n1, float[] y, int y0, int plane,
                                  int oc, float[] bias, boolean relu) {
        int n = g.n(), kk = g.taps();
        int iLo = g.iLo(oy), iHi = g.iHi(oy), jLo = g.jLo(ox), jHi = g.jHi(ox);
        for (int r = 0; r < oc; r++) {
            for (int k = k0; k < n1; k++) {
                float s = bias == null ? 0f : bias[ob * 4 + r];
                for (int c = 0; c < g.c(); c++) {
                    for (int i = iLo; i < iHi; i++) {
                        int iy = oy * g.sh() - g.ph() + i * g.dh();
                        for (int j = jLo; j < jHi; j++) {
                            int ix = ox * g.sw() - g.pw() + j * g.dw();
                            s = Math.fma(wp[((ob * g.c() + c) * kk + i * g.kw() + j) * 4 + r], x[((c * g.h() + iy) * g.w() + ix) * n + k], s);
                        }
                    }
                }
                y[y0 + r * plane + k] = relu ? Math.max(s, 0f) : s;
            }
        }
    }

    // ------------------------------------------------------------------ input gradient (gather)

    @Override
    public void gradInput(BatchLastGeometry g, float[] wp, float[] gy, float[] dx, int n0, int n1) {
        int n = g.n(), kk = g.taps();
        int[] taps = new int[kk], pos = new int[kk];
        int plane = g.h() * g.w() * n;
        int full4 = n0 + (n1 - n0) / (4 * L) * 4 * L, full1 = full4 + (n1 - full4) / L * L;
        // Batch blocks outermost, then input rows, then channel blocks (cache reuse of the gradient rows).
        for (int kb = n0; kb < n1; ) {
            int width = kb < full4 ? 4 * L : kb < full1 ? L : n1 - kb;
            for (int iy = 0; iy < g.h(); iy++) {
                for (int cb = 0; cb * 4 < g.c(); cb++) {
                    int cc = Math.min(4, g.c() - cb * 4);
                    for (int ix = 0; ix < g.w(); ix++) {
                        int count = 0;
                        for (int i = 0; i < g.kh(); i++) {
                            int ty = iy + g.ph() - i * g.dh();
                            if (ty < 0 || ty % g.sh() != 0 || ty / g.sh() >= g.oh()) continue;
                            for (int j = 0; j < g.kw(); j++) {
                                int tx = ix + g.pw() - j * g.dw();
                                if (tx < 0 || tx % g.sw() != 0 || tx / g.sw() >= g.ow()) continue;
                                taps[count] = i * g.kw() + j;
                                pos[count] = (ty / g.sh()) * g.ow() + tx / g.sw();
                                count++;
                            }
                        }
                        int xo = ((cb * 4 * g.h() + iy) * g.w() + ix) * n;
                        if (width == 4 * L) gin4(g, wp, gy, cb, taps, pos, count, kb, dx, xo + kb, plane, cc);
                        else if (width == L) gin1(g, wp, gy, cb, taps, pos, count, kb, dx, xo + kb, plane, cc);
                        else {
                            for (int k = kb; k < n1; k++) {
                                for (int r = 0; r < cc; r++) {
                                    float s = 0;
                                    for (int q = 0; q < count; q++) {
                                        for (int o = 0; o < g.o(); o++) {
                                            s = Math.fma(wp[((cb * kk + taps[q]) * g.o() + o) * 4 + r], gy[(o * g.oh() * g.ow() + pos[q]) * n + k], s);
                                        }
                                    }
                                    dx[xo + r * plane + k] = s;
                                }
                            }
                        }
                    }
                }
            }
            kb += width;
        }
    }

    private static void gin4(BatchLastGeometry g, float[] wp, float[] gy, int cb, int[] taps, int[] pos, int count, int k, float[] dx, int at,
                             int plane, int cc) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00,
                a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int n = g.n(), kk = g.taps(), o = g.o(), oplane = g.oh() * g.ow() * n;
        for (int q = 0; q < count; q++) {
            int wo = ((cb * kk + taps[q]) * o) * 4;
            int go = pos[q] * n + k;
            for (int oo = 0; oo < o; oo++, wo += 4, go += oplane) {
                FloatVector x0 = FloatVector.fromArray(S, gy, go), x1 = FloatVector.fromArray(S, gy, go + L),
                        x2 = FloatVector.fromArray(S, gy, go + 2 * L), x3 = FloatVector.fromArray(S, gy, go + 3 * L);
                FloatVector w = FloatVector.broadcast(S, wp[wo]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                w = FloatVector.broadcast(S, wp[wo + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
                w = FloatVector.broadcast(S, wp[wo + 2]);
                a20 = w.fma(x0, a20); a21 = w.fma(x1, a21); a22 = w.fma(x2, a22); a23 = w.fma(x3, a23);
                w = FloatVector.broadcast(S, wp[wo + 3]);
                a30 = w.fma(x0, a30); a31 = w.fma(x1, a31); a32 = w.fma(x2, a32); a33 = w.fma(x3, a33);
            }
        }
        a00.intoArray(dx, at); a01.intoArray(dx, at + L); a02.intoArray(dx, at + 2 * L); a03.intoArray(dx, at + 3 * L);
        if (cc > 1) {
            int p = at + plane;
            a10.intoArray(dx, p); a11.intoArray(dx, p + L); a12.intoArray(dx, p + 2 * L); a13.intoArray(dx, p + 3 * L);
        }
        if (cc > 2) {
            int p = at + 2 * plane;
            a20.intoArray(dx, p); a21.intoArray(dx, p + L); a22.intoArray(dx, p + 2 * L); a23.intoArray(dx, p + 3 * L);
        }
        if (cc > 3) {
            int p = at + 3 * plane;
            a30.intoArray(dx, p); a31.intoArray(dx, p + L); a32.intoArray(dx, p + 2 * L); a33.intoArray(dx, p + 3 * L);
        }
    }

    private static void gin1(BatchLastGeometry g, float[] wp, float[] gy, int cb, int[] taps, int[] pos, int count, int k, float[] dx, int at,
                             int plane, int cc) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int n = g.n(), kk = g.taps(), o = g.o(), oplane = g.oh() * g.ow() * n;
        for (int q = 0; q < count; q++) {
            int wo = ((cb * kk + taps[q]) * o) * 4;
            int go = pos[q] * n + k;
            for (int oo = 0; oo < o; oo++, wo += 4, go += oplane) {
                FloatVector x0 = FloatVector.fromArray(S, gy, go);
                a0 = FloatVector.broadcast(S, wp[wo]).fma(x0, a0);
                a1 = FloatVector.broadcast(S, wp[wo + 1]).fma(x0, a1);
                a2 = FloatVector.broadcast(S, wp[wo + 2]).fma(x0, a2);
                a3 = FloatVector.broadcast(S, wp[wo + 3]).fma(x0, a3);
            }
        }
        a0.intoArray(dx, at);
        if (cc > 1) a1.intoArray(dx, at + plane);
        if (cc > 2) a2.intoArray(dx, at + 2 * plane);
        if (cc > 3) a3.intoArray(dx, at + 3 * plane);
    }

    // ------------------------------------------------------------------ kernel gradient

    @Override
    public void gradKernel(BatchLastGeometry g, float[] x, float[] gy, float[] dw, int n0, int n1) {
        int n = g.n(), kk = g.taps();
        int full = n0 + (n1 - n0) / L * L;
        int xplane = g.h() * g.w() * n, gplane = g.oh() * g.ow() * n;
        float[] sums = new float[16];
        // Tiles of (output rows) x (vectors of images) small enough for the gradient and input rows they touch to stay
        // in cache while every (output block, input block, tap) accumulates over the tile.
        int vecPerTile = GK_VECTORS;
        int rowsPerTile = Math.max(1, Math.min(g.oh(), (GK_POSITIONS + g.ow() - 1) / g.ow()));
        for (int kt = n0; kt < full; kt += vecPerTile * L) {
            int kEnd = Math.min(full, kt + vecPerTile * L);
            for (int oy0 = 0; oy0 < g.oh(); oy0 += rowsPerTile) {
                int oy1 = Math.min(g.oh(), oy0 + rowsPerTile);
                for (int ob = 0; ob * 4 < g.o(); ob++) {
                    int oc = Math.min(4, g.o() - ob * 4);
                    for (int cb = 0; cb * 4 < g.c(); cb++) {
                        int cc = Math.min(4, g.c() - cb * 4);
                        for (int i = 0; i < g.kh(); i++) {
                            for (int j = 0; j < g.kw(); j++) {
                                java.util.Arrays.fill(sums, 0f);
                                if (cc == 1) gker4x1(g, x, gy, ob, oc, cb, i, j, kt, kEnd, oy0, oy1, xplane, gplane, sums);
                                else gker4x4(g, x, gy, ob, oc, cb, cc, i, j, kt, kEnd, oy0, oy1, xplane, gplane, sums);
                                int t = i * g.kw() + j;
                                for (int ro = 0; ro < oc; ro++) {
                                    for (int rc = 0; rc < cc; rc++) dw[((ob * 4 + ro) * g.c() + cb * 4 + rc) * kk + t] += sums[ro * 4 + rc];
                                }
                            }
                        }
                    }
                }
            }
        }
        if (full < n1) {
            for (int ob = 0; ob * 4 < g.o(); ob++) {
                int oc = Math.min(4, g.o() - ob * 4);
                for (int cb = 0; cb * 4 < g.c(); cb++) {
                    int cc = Math.min(4, g.c() - cb * 4);
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            java.util.Arrays.fill(sums, 0f);
                            gkerTail(g, x, gy, ob, oc, cb, cc, i, j, full, n1, xplane, gplane, sums);
                            int t = i * g.kw() + j;
                            for (int ro = 0; ro < oc; ro++) {
                                for (int rc = 0; rc < cc; rc++) dw[((ob * 4 + ro) * g.c() + cb * 4 + rc) * kk + t] += sums[ro * 4 + rc];
                            }
                        }
                    }
                }
            }
        }
    }

    /** 4 output channels x 4 input channels at one tap; rows past the end read row 0 (results discarded). */
    private static void gker4x4(BatchLastGeometry g, float[] x, float[] gy, int ob, int oc, int cb, int cc, int i, int j, int n0, int full,
                                int oy0, int oy1, int xplane, int gplane, float[] sums) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00,
                s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int n = g.n();
        int gp1 = oc > 1 ? gplane : 0, gp2 = oc > 2 ? 2 * gplane : 0, gp3 = oc > 3 ? 3 * gplane : 0;
        int xp1 = cc > 1 ? xplane : 0, xp2 = cc > 2 ? 2 * xplane : 0, xp3 = cc > 3 ? 3 * xplane : 0;
        for (int oy = oy0; oy < oy1; oy++) {
            int iy = oy * g.sh() - g.ph() + i * g.dh();
            if (iy < 0 || iy >= g.h()) continue;
            for (int ox = 0; ox < g.ow(); ox++) {
                int ix = ox * g.sw() - g.pw() + j * g.dw();
                if (ix < 0 || ix >= g.w()) continue;
                int go = ((ob * 4 * g.oh() + oy) * g.ow() + ox) * n;
                int xo = ((cb * 4 * g.h() + iy) * g.w() + ix) * n;
                for (int k = n0; k < full; k += L) {
                    FloatVector y0 = FloatVector.fromArray(S, x, xo + k), y1 = FloatVector.fromArray(S, x, xo + xp1 + k),
                            y2 = FloatVector.fromArray(S, x, xo + xp2 + k), y3 = FloatVector.fromArray(S, x, xo + xp3 + k);
                    FloatVector v = FloatVector.fromArray(S, gy, go + k);
                    s00 = v.fma(y0, s00); s01 = v.fma(y1, s01); s02 = v.fma(y2, s02); s03 = v.fma(y3, s03);
                    v = FloatVector.fromArray(S, gy, go + gp1 + k);
                    s10 = v.fma(y0, s10); s11 = v.fma(y1, s11); s12 = v.fma(y2, s12); s13 = v.fma(y3, s13);
                    v = FloatVector.fromArray(S, gy, go + gp2 + k);
                    s20 = v.fma(y0, s20); s21 = v.fma(y1, s21); s22 = v.fma(y2, s22); s23 = v.fma(y3, s23);
                    v = FloatVector.fromArray(S, gy, go + gp3 + k);
                    s30 = v.fma(y0, s30); s31 = v.fma(y1, s31); s32 = v.fma(y2, s32); s33 = v.fma(y3, s33);
                }
            }
        }
        // reduceLanes adds the lanes in another order when compiled by C2 than when interpreted (see Lanes); the warm-up
        // gets this kernel compiled before training, and a sum in a fixed order costs too much here (16 per call).
        sums[0] += s00.reduceLanes(VectorOperators.ADD); sums[1] += s01.reduceLanes(VectorOperators.ADD);
        sums[2] += s02.reduceLanes(VectorOperators.ADD); sums[3] += s03.reduceLanes(VectorOperators.ADD);
        sums[4] += s10.reduceLanes(VectorOperators.ADD); sums[5] += s11.reduceLanes(VectorOperators.ADD);
        sums[6] += s12.reduceLanes(VectorOperators.ADD); sums[7] += s13.reduceLanes(VectorOperators.ADD);
        sums[8] += s20.reduceLanes(VectorOperators.ADD); sums[9] += s21.reduceLanes(VectorOperators.ADD);
        sums[10] += s22.reduceLanes(VectorOperators.ADD); sums[11] += s23.reduceLanes(VectorOperators.ADD);
        sums[12] += s30.reduceLanes(VectorOperators.ADD); sums[13] += s31.reduceLanes(VectorOperators.ADD);
        sums[14] += s32.reduceLanes(VectorOperators.ADD); sums[15] += s33.reduceLanes(VectorOperators.ADD);
    }

    /** 4 output channels x 1 input channel at one tap, two vectors of images per step. */
    private static void gker4x1(BatchLastGeometry g, float[] x, float[] gy, int ob, int oc, int cb, int i, int j, int n0, int full,
                                int oy0, int oy1, int xplane, int gplane, float[] sums) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
        int n = g.n();
        int gp1 = oc > 1 ? gplane : 0, gp2 = oc > 2 ? 2 * gplane : 0, gp3 = oc > 3 ? 3 * gplane : 0;
        for (int oy = oy0; oy < oy1; oy++) {
            int iy = oy * g.sh() - g.ph() + i * g.dh();
            if (iy < 0 || iy >= g.h()) continue;
            for (int ox = 0; ox < g.ow(); ox++) {
                int ix = ox * g.sw() - g.pw() + j * g.dw();
                if (ix < 0 || ix >= g.w()) continue;
                int go = ((ob * 4 * g.oh() + oy) * g.ow() + ox) * n;
                int xo = ((cb * 4 * g.h() + iy) * g.w() + ix) * n;
                int k = n0;
                for (; k + 2 * L <= full; k += 2 * L) {
                    FloatVector y0 = FloatVector.fromArray(S, x, xo + k), y1 = FloatVector.fromArray(S, x, xo + k + L);
                    s0 = FloatVector.fromArray(S, gy, go + k).fma(y0, s0);
                    t0 = FloatVector.fromArray(S, gy, go + k + L).fma(y1, t0);
                    s1 = FloatVector.fromArray(S, gy, go + gp1 + k).fma(y0, s1);
                    t1 = FloatVector.fromArray(S, gy, go + gp1 + k + L).fma(y1, t1);
                    s2 = FloatVector.fromArray(S, gy, go + gp2 + k).fma(y0, s2);
                    t2 = FloatVector.fromArray(S, gy, go + gp2 + k + L).fma(y1, t2);
                    s3 = FloatVector.fromArray(S, gy, go + gp3 + k).fma(y0, s3);
                    t3 = FloatVector.fromArray(S, gy, go + gp3 + k + L).fma(y1, t3);
                }
                for (; k < full; k += L) {
                    FloatVector y0 = FloatVector.fromArray(S, x, xo + k);
                    s0 = FloatVector.fromArray(S, gy, go + k).fma(y0, s0);
                    s1 = FloatVector.fromArray(S, gy, go + gp1 + k).fma(y0, s1);
                    s2 = FloatVector.fromArray(S, gy, go + gp2 + k).fma(y0, s2);
                    s3 = FloatVector.fromArray(S, gy, go + gp3 + k).fma(y0, s3);
                }
            }
        }
        sums[0] += s0.add(t0).reduceLanes(VectorOperators.ADD);
        sums[4] += s1.add(t1).reduceLanes(VectorOperators.ADD);
        sums[8] += s2.add(t2).reduceLanes(VectorOperators.ADD);
        sums[12] += s3.add(t3).reduceLanes(VectorOperators.ADD);
    }

    private static void gkerTail(BatchLastGeometry g, float[] x, float[] gy, int ob, int oc, int cb, int cc, int i, int j, int k0, int n1,
                                 int xplane, int gplane, float[] sums) {
        int n = g.n();
        for (int oy = 0; oy < g.oh(); oy++) {
            int iy = oy * g.sh() - g.ph() + i * g.dh();
            if (iy < 0 || iy >= g.h()) continue;
            for (int ox = 0; ox < g.ow(); ox++) {
                int ix = ox * g.sw() - g.pw() + j * g.dw();
                if (ix < 0 || ix >= g.w()) continue;
                int go = ((ob * 4 * g.oh() + oy) * g.ow() + ox) * n;
                int xo = ((cb * 4 * g.h() + iy) * g.w() + ix) * n;
                for (int ro = 0; ro < oc; ro++) {
                    for (int rc = 0; rc < cc; rc++) {
                        float s = 0;
                        for (int k = k0; k < n1; k++) s = Math.fma(gy[go + ro * gplane + k], x[xo + rc * xplane + k], s);
                        sums[ro * 4 + rc] += s;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ ReLU and bias backward

    @Override
    public void reluBiasGrad(float[] y, float[] g, float[] gp, float[] db, int r0, int r1, int len, boolean relu) {
        float[] lanes = new float[L];
        for (int r = r0; r < r1; r++) {
            int o = r * len, j = 0;
            FloatVector s0 = FloatVector.zero(S), s1 = s0;
            FloatVector z = FloatVector.zero(S);
            if (relu) {
                for (; j + 2 * L <= len; j += 2 * L) {
                    FloatVector v0 = FloatVector.fromArray(S, g, o + j), v1 = FloatVector.fromArray(S, g, o + j + L);
                    v0 = v0.blend(z, FloatVector.fromArray(S, y, o + j).compare(VectorOperators.LE, 0f));
                    v1 = v1.blend(z, FloatVector.fromArray(S, y, o + j + L).compare(VectorOperators.LE, 0f));
                    v0.intoArray(gp, o + j);
                    v1.intoArray(gp, o + j + L);
                    s0 = s0.add(v0);
                    s1 = s1.add(v1);
                }
            } else {
                for (; j + 2 * L <= len; j += 2 * L) {
                    s0 = s0.add(FloatVector.fromArray(S, g, o + j));
                    s1 = s1.add(FloatVector.fromArray(S, g, o + j + L));
                }
            }
            s0.add(s1).intoArray(lanes, 0);
            double sum = Lanes.sum(lanes, 0, L);
            for (; j < len; j++) {
                float v = relu ? (y[o + j] > 0 ? g[o + j] : 0f) : g[o + j];
                if (relu) gp[o + j] = v;
                sum += v;
            }
            db[r] = (float) sum;
        }
    }
}
