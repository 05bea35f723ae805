package dev.convolve.autograd.kernels;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Convolution kernels for training: f32, canonical layout ({@code NCHW} input, {@code OIHW} kernel), one or two
 * spatial axes, any strides, padding (negative included) and kernel dilation, feature groups; no input dilation and
 * no batch groups (those go to the backend). Each works on chunks of images: im2col into a column matrix
 * {@code [C/G * KH * KW][images * OH * OW]}, then {@link Gemm} per group; the batch is split into one contiguous range
 * per thread, so results do not depend on scheduling (the kernel gradient sums the per-thread partials in
 * thread order).
 *
 * <ul>
 *   <li>forward: {@code y = W * col}</li>
 *   <li>input gradient: {@code dcol = W^T * g}, then col2im (scatter-add)</li>
 *   <li>kernel gradient: {@code dW = g * col^T}</li>
 * </ul>
 */
public final class Conv2dF32 {
    private Conv2dF32() {}

    /** Columns per chunk the GEMMs aim for. */
    private static final int TARGET_COLUMNS = 512;

    /** True when these kernels handle {@code plan} for operands of type {@code input} and {@code kernel}. */
    public static boolean supports(ConvPlan plan, DType input, DType kernel) {
        if (input != DType.F32 || kernel != DType.F32) return false;
        int n = plan.spatialRank();
        if (n < 1 || n > 2 || !plan.isCanonicalLayout() || plan.batchGroups() != 1) return false;
        for (int d : plan.inputDilation()) if (d != 1) return false;
        return true;
    }

    /** Geometry of a plan, as 2-D (a 1-D conv has height 1). */
    private record Geo(int n, int c, int h, int w, int o, int cg, int og, int g, int kh, int kw, int oh, int ow, int sh, int sw, int ph, int pw,
                       int dh, int dw) {
        int k() { return cg * kh * kw; }

        int p() { return oh * ow; }

        static Geo of(ConvPlan pl) {
            int[] sp = pl.spatial(), k = pl.kernelSize(), q = pl.outSize(), s = pl.strides(), lo = pl.padLow(), kd = pl.kernelDilation();
            boolean one = sp.length == 1;
            int g = pl.featureGroups();
            return new Geo(pl.batch(), pl.channels(), one ? 1 : sp[0], one ? sp[0] : sp[1], pl.outChannels(), pl.kernelChannels(), pl.outChannels() / g, g,
                    one ? 1 : k[0], one ? k[0] : k[1], one ? 1 : q[0], one ? q[0] : q[1], one ? 1 : s[0], one ? s[0] : s[1],
                    one ? 0 : lo[0], one ? lo[0] : lo[1], one ? 1 : kd[0], one ? kd[0] : kd[1]);
        }

        int chunk() { return Math.max(1, Math.min(n, (TARGET_COLUMNS + p() - 1) / p())); }
    }

    private static final ThreadLocal<float[][]> WORK = ThreadLocal.withInitial(() -> new float[3][]);

    private static float[] work(int slot, int size) {
        float[][] w = WORK.get();
        if (w[slot] == null || w[slot].length < size) w[slot] = new float[Math.max(size, w[slot] == null ? 0 : w[slot].length * 3 / 2)];
        return w[slot];
    }

    /** Runs {@code body(first, count)} over contiguous image ranges, one per thread. */
    private static void perThread(int images, int chunk, RangeBody body) {
        int chunks = (images + chunk - 1) / chunk;
        int t = Math.max(1, Math.min(Threads.threads(), chunks));
        Workers.run(t, ti -> {
            int c0 = (int) ((long) chunks * ti / t), c1 = (int) ((long) chunks * (ti + 1) / t);
            body.run(ti, c0 * chunk, Math.min(images, c1 * chunk));
        });
    }

    @FunctionalInterface
    private interface RangeBody {
        void run(int thread, int from, int to);
    }

    /** The forward conv: returns {@code [N, O, OH, OW]} (or {@code [N, O, OW]}) in f32. */
    public static Tensor forward(ConvPlan plan, Tensor input, Tensor kernel) {
        Geo g = Geo.of(plan);
        float[] x = input.floatData(), w = kernel.floatData();
        float[] y = new float[g.n * g.o * g.p()];
        int chunk = g.chunk();
        int k = g.k(), p = g.p();
        perThread(g.n, chunk, (ti, from, to) -> {
            for (int b0 = from; b0 < to; b0 += chunk) {
                int nb = Math.min(chunk, to - b0), cols = nb * p;
                float[] col = work(0, k * cols);
                for (int gr = 0; gr < g.g; gr++) {
                    im2col(g, x, b0, nb, gr, col);
                    if (nb == 1) {
                        Gemm.get().nn(g.og, p, k, w, gr * g.og * k, k, col, 0, cols, y, b0 * g.o * p + gr * g.og * p, p, false);
                    } else {
                        float[] tmp = work(1, g.og * cols);
                        Gemm.get().nn(g.og, cols, k, w, gr * g.og * k, k, col, 0, cols, tmp, 0, cols, false);
                        for (int bb = 0; bb < nb; bb++) {
                            for (int oo = 0; oo < g.og; oo++) {
                                System.arraycopy(tmp, oo * cols + bb * p, y, ((b0 + bb) * g.o + gr * g.og + oo) * p, p);
                            }
                        }
                    }
                }
            }
        });
        return Tensor.wrap(DType.F32, plan.outputShape(), y);
    }

    /** The input gradient, shaped like the input. */
    public static Tensor gradInput(ConvPlan plan, Tensor kernel, Tensor gradOut) {
        Geo g = Geo.of(plan);
        float[] w = kernel.floatData(), gy = gradOut.floatData();
        int k = g.k(), p = g.p();
        // W^T per group: [K][OG].
        float[] wt = new float[g.g * k * g.og];
        for (int gr = 0; gr < g.g; gr++) {
            for (int oo = 0; oo < g.og; oo++) {
                for (int kk = 0; kk < k; kk++) wt[gr * k * g.og + kk * g.og + oo] = w[(gr * g.og + oo) * k + kk];
            }
        }
        float[] dx = new float[g.n * g.c * g.h * g.w];
        int chunk = g.chunk();
        perThread(g.n, chunk, (ti, from, to) -> {
            for (int b0 = from; b0 < to; b0 += chunk) {
                int nb = Math.min(chunk, to - b0), cols = nb * p;
                float[] dcol = work(0, k * cols);
                for (int gr = 0; gr < g.g; gr++) {
                    if (nb == 1) {
                        Gemm.get().nn(k, p, g.og, wt, gr * k * g.og, g.og, gy, b0 * g.o * p + gr * g.og * p, p, dcol, 0, cols, false);
                    } else {
                        float[] gch = work(1, g.og * cols);
                        for (int bb = 0; bb < nb; bb++) {
                            for (int oo = 0; oo < g.og; oo++) {
                                System.arraycopy(gy, ((b0 + bb) * g.o + gr * g.og + oo) * p, gch, oo * cols + bb * p, p);
                            }
                        }
                        Gemm.get().nn(k, cols, g.og, wt, gr * k * g.og, g.og, gch, 0, cols, dcol, 0, cols, false);
                    }
                    col2im(g, dcol, b0, nb, gr, dx);
                }
            }
        });
        return Tensor.wrap(DType.F32, plan.inputShape(), dx);
    }

    /** The kernel gradient, shaped like the kernel. */
    public static Tensor gradKernel(ConvPlan plan, Tensor input, Tensor gradOut) {
        Geo g = Geo.of(plan);
        float[] x = input.floatData(), gy = gradOut.floatData();
        int k = g.k(), p = g.p();
        int chunk = g.chunk();
        int chunks = (g.n + chunk - 1) / chunk;
        int threads = Math.max(1, Math.min(Threads.threads(), chunks));
        float[][] partial = new float[threads][];
        perThread(g.n, chunk, (ti, from, to) -> {
            float[] dw = new float[g.o * k];
            for (int b0 = from; b0 < to; b0 += chunk) {
                int nb = Math.min(chunk, to - b0), cols = nb * p;
                float[] col = work(0, k * cols);
                for (int gr = 0; gr < g.g; gr++) {
                    im2col(g, x, b0, nb, gr, col);
                    if (nb == 1) {
                        Gemm.get().nt(g.og, k, p, gy, b0 * g.o * p + gr * g.og * p, p, col, 0, cols, dw, gr * g.og * k, k, true);
                    } else {
                        float[] gch = work(1, g.og * cols);
                        for (int bb = 0; bb < nb; bb++) {
                            for (int oo = 0; oo < g.og; oo++) {
                                System.arraycopy(gy, ((b0 + bb) * g.o + gr * g.og + oo) * p, gch, oo * cols + bb * p, p);
                            }
                        }
                        Gemm.get().nt(g.og, k, cols, gch, 0, cols, col, 0, cols, dw, gr * g.og * k, k, true);
                    }
                }
            }
            partial[ti] = dw;
        });
        float[] dw = partial[0];
        for (int t = 1; t < threads; t++) {
            float[] q = partial[t];
            if (q == null) continue;
            for (int i = 0; i < dw.length; i++) dw[i] += q[i];
        }
        return Tensor.wrap(DType.F32, plan.kernelShape(), dw);
    }

    /** Fills {@code col[(c*KH + i)*KW + j][bb*P + oy*OW + ox]} for group {@code gr} of images {@code b0..b0+nb-1}. */
    static void im2col(Geo g, float[] x, int b0, int nb, int gr, float[] col) {
        int p = g.p(), cols = nb * p, hw = g.h * g.w;
        for (int cc = 0; cc < g.cg; cc++) {
            int c = gr * g.cg + cc;
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) {
                    int row = ((cc * g.kh + i) * g.kw + j) * cols;
                    int offX = j * g.dw - g.pw;
                    // ox range with 0 <= ox*sw + offX < W
                    int oxLo = offX >= 0 ? 0 : ceilDiv(-offX, g.sw);
                    int oxHi = Math.min(g.ow, offX >= g.w ? 0 : ceilDiv(g.w - offX, g.sw));
                    if (oxHi < oxLo) oxHi = oxLo;
                    for (int bb = 0; bb < nb; bb++) {
                        int src = ((b0 + bb) * g.c + c) * hw;
                        int dst0 = row + bb * p;
                        for (int oy = 0; oy < g.oh; oy++) {
                            int iy = oy * g.sh - g.ph + i * g.dh;
                            int dst = dst0 + oy * g.ow;
                            if (iy < 0 || iy >= g.h) {
                                java.util.Arrays.fill(col, dst, dst + g.ow, 0f);
                                continue;
                            }
                            for (int ox = 0; ox < oxLo; ox++) col[dst + ox] = 0f;
                            int s = src + iy * g.w + oxLo * g.sw + offX;
                            if (g.sw == 1) {
                                System.arraycopy(x, s, col, dst + oxLo, oxHi - oxLo);
                            } else {
                                for (int ox = oxLo; ox < oxHi; ox++, s += g.sw) col[dst + ox] = x[s];
                            }
                            for (int ox = oxHi; ox < g.ow; ox++) col[dst + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** The transpose of {@link #im2col}: adds {@code dcol} into {@code dx}. */
    static void col2im(Geo g, float[] dcol, int b0, int nb, int gr, float[] dx) {
        int p = g.p(), cols = nb * p, hw = g.h * g.w;
        for (int cc = 0; cc < g.cg; cc++) {
            int c = gr * g.cg + cc;
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) {
                    int row = ((cc * g.kh + i) * g.kw + j) * cols;
                    int offX = j * g.dw - g.pw;
                    int oxLo = offX >= 0 ? 0 : ceilDiv(-offX, g.sw);
                    int oxHi = Math.min(g.ow, offX >= g.w ? 0 : ceilDiv(g.w - offX, g.sw));
                    for (int bb = 0; bb < nb; bb++) {
                        int dst0 = ((b0 + bb) * g.c + c) * hw;
                        int src0 = row + bb * p;
                        for (int oy = 0; oy < g.oh; oy++) {
                            int iy = oy * g.sh - g.ph + i * g.dh;
                            if (iy < 0 || iy >= g.h) continue;
                            int s = src0 + oy * g.ow;
                            int d = dst0 + iy * g.w + oxLo * g.sw + offX;
                            if (g.sw == 1) {
                                for (int ox = oxLo; ox < oxHi; ox++, d++) dx[d] += dcol[s + ox];
                            } else {
                                for (int ox = oxLo; ox < oxHi; ox++, d += g.sw) dx[d] += dcol[s + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) { return -Math.floorDiv(-a, b); }
}
