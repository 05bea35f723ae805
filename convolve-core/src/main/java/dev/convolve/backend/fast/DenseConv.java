package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import java.util.Arrays;

/**
 * A conv on tiny planes as a dense matrix product (the conv matrix of the seeds): every image's output
 * {@code out[o][q]} is {@code sum_{c, p} M[(o, q)][(c, p)] x[c][p]}, with {@code M[(o, q)][(c, p)]} the sum of the weights
 * {@code w[o][c][t]} of the taps {@code t} that bring input position {@code p} to output position {@code q}. So the whole
 * batch is one GEMM {@code out [N x O*Q] = x [N x C*P] * M^T [C*P x O*Q]} over the tensors as they lie (no im2col
 * gather, no scatter), and the kernel gradient is {@code dM^T = x^T g} folded back onto the taps. Any rank, stride,
 * padding, dilation and input dilation (so the input gradient of a strided conv on a tiny plane takes this path too, as
 * a forward conv). Chosen only when {@code M} is at least a third full, so the product does at most three times the multiply-adds
 * of the conv: small planes (the last layers of MNIST-sized nets), where gathers and per-image overheads cost more than
 * the arithmetic. Asked after Winograd: a 3x3 stride-1 layer on a 4x4 plane with 32 channels ran 4x slower here
 * (256x32x4x4 -> 64: 2280 us against PyTorch's 550; the matrix is 39% full and the product large).
 */
final class DenseConv {
    private DenseConv() {}

    /** Conv matrices up to this many floats. */
    static final long MAX_MATRIX = 1 << 20;

    /** Input planes up to this many positions. */
    static final int MAX_POSITIONS = 64;

    /** The batch from which one product over it pays. */
    static final int MIN_BATCH = 32;

    /** For tests: take this path for every plan it supports. */
    static volatile boolean force;

    static boolean supports(ConvPlan p, String algorithm) {
        if (!Planner.enabled(algorithm) || p.featureGroups() != 1 || p.batchGroups() != 1) return false;
        long q = Canonical.product(p.outSize()), pIn = Canonical.product(p.spatial());
        return q * p.outChannels() * pIn * p.channels() <= MAX_MATRIX;
    }

    /** The forward (and, through the gradient conv, the input gradient) on tiny, at least half-full conv matrices. */
    static boolean suits(ConvPlan p, String algorithm) {
        if (!supports(p, algorithm)) return false;
        if (force) return true;
        long q = Canonical.product(p.outSize()), pIn = Canonical.product(p.spatial());
        return pIn <= MAX_POSITIONS && p.outBatch() >= MIN_BATCH && 3 * links(p) >= q * pIn && p.channels() * pIn >= 16 && p.outChannels() * q >= 16;
    }

    /**
     * The non-zero (output position, input position) links of one (output channel, input channel) pair of the matrix, as
     * {@link #positions} counts them but without its table (the planner asks this on every call): whether a tap lands on an
     * input element is decided per axis, so the count is the product of each axis's landing (output index, tap) pairs.
     */
    static long links(ConvPlan p) {
        int[] in = p.spatial(), k = p.kernelSize(), q = p.outSize(), s = p.strides(), kd = p.kernelDilation(), ld = p.inputDilation(), lo = p.padLow();
        long real = 1;
        for (int a = 0; a < in.length; a++) {
            long count = 0;
            for (int qa = 0; qa < q[a]; qa++) {
                for (int ta = 0; ta < k[a]; ta++) if (inputIndex(qa, ta, s[a], kd[a], lo[a], ld[a], in[a]) >= 0) count++;
            }
            real *= count;
        }
        return real;
    }

    /** On one axis: the input index that output index {@code qa} reads with tap {@code ta}, or -1 in the padding or between dilated elements. */
    private static int inputIndex(int qa, int ta, int s, int kd, int lo, int ld, int in) {
        int u = qa * s + ta * kd - lo;
        return u < 0 || u % ld != 0 || u / ld >= in ? -1 : u / ld;
    }

    static String describe(ConvPlan p) {
        long q = Canonical.product(p.outSize()), pIn = Canonical.product(p.spatial());
        return "matrix [" + p.outChannels() + "x" + q + " x " + p.channels() + "x" + pIn + "], " + Math.round(100.0 * links(p) / (q * pIn)) + "% of it non-zero";
    }

    private static int taps(ConvPlan p) { return (int) Canonical.product(p.kernelSize()); }

    /**
     * For every output position {@code q} and tap {@code t}, the input position it reads ({@code pos[q*taps + t]}), or -1
     * in the padding or between dilated input elements. Returns how many are real.
     */
    static long positions(ConvPlan p, int[] pos) {
        int n = p.spatialRank();
        int[] in = p.spatial(), k = p.kernelSize(), q = p.outSize(), s = p.strides(), kd = p.kernelDilation(), ld = p.inputDilation(), lo = p.padLow();
        int taps = taps(p), qn = (int) Canonical.product(q);
        int[] qi = new int[n], ti = new int[n];
        long real = 0;
        for (int qq = 0; qq < qn; qq++) {
            for (int a = n - 1, r = qq; a >= 0; a--) { qi[a] = r % q[a]; r /= q[a]; }
            for (int t = 0; t < taps; t++) {
                for (int a = n - 1, r = t; a >= 0; a--) { ti[a] = r % k[a]; r /= k[a]; }
                int flat = 0;
                boolean ok = true;
                for (int a = 0; a < n && ok; a++) {
                    int u = inputIndex(qi[a], ti[a], s[a], kd[a], lo[a], ld[a], in[a]);
                    if (u < 0) ok = false;
                    else flat = flat * in[a] + u;
                }
                pos[qq * taps + t] = ok ? flat : -1;
                if (ok) real++;
            }
        }
        return real;
    }

    /** The forward conv into {@code out}: {@code out [N x O*Q] = x [N x C*P] * M^T}. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        int c = p.channels(), o = p.outChannels(), taps = taps(p);
        int pIn = (int) Canonical.product(p.spatial()), q = (int) Canonical.product(p.outSize());
        int cp = c * pIn, oq = o * q;
        int[] pos = new int[q * taps];
        positions(p, pos);
        // M^T [C*P x O*Q]
        float[] mt = Scratch.floats(Scratch.AUX, cp * oq);
        // by input channel (its rows of M^T), on the product's threads: on the calling thread alone this took 12% of
        // 256x16x4x4 -> 16 s2
        Threads.parallelFor(c, ShiftedConv.threadsFor((long) p.outBatch() * cp * oq), ci -> {
            Arrays.fill(mt, ci * pIn * oq, (ci + 1) * pIn * oq, 0f);
            for (int oc = 0; oc < o; oc++) {
                int wb = (oc * c + ci) * taps;
                for (int qq = 0; qq < q; qq++) {
                    for (int t = 0; t < taps; t++) {
                        int pp = pos[qq * taps + t];
                        if (pp >= 0) mt[(ci * pIn + pp) * oq + oc * q + qq] += w[wb + t];
                    }
                }
            }
        });
        if (broadcastRows(kern, p)) rows(kern, p.outBatch(), cp, oq, x, mt, out);
        else product(kern, p.outBatch(), cp, oq, x, cp, 1, mt, oq, out);
    }

    /** Whether the forward's product runs as {@link #rows} (its {@code O*Q} columns a multiple of the lanes), else packed. */
    static boolean broadcastRows(Kernels kern, ConvPlan p) {
        return p.outChannels() * Canonical.product(p.outSize()) % kern.lanes() == 0;
    }

    /**
     * {@code out [m x n] = x [m x k] * mt [k x n]}, all row-major, {@code n} a multiple of the lanes: broadcast tiles that
     * read the rows of {@code x} where they lie and {@code mt} as it is (its rows are the tiles' vectors), so neither is
     * packed. The last rows (below a whole tile) through a small buffer. Packing the images' rows for the general product
     * took 24% of 256x16x4x4 -> 16 s2 (one thread, 125 µs).
     */
    private static void rows(Kernels kern, int m, int k, int n, float[] x, float[] mt, float[] out) {
        GemmKernels gk = GemmKernels.of(kern);
        int vecs = n / kern.lanes(), nv = 4;
        while (vecs % nv != 0) nv--;
        int mr = kern.bcastRows(nv), nr = nv * kern.lanes(), tiles = (m + mr - 1) / mr, nvF = nv;
        int[] rowOff = new int[tiles * mr];
        for (int i = 0; i < rowOff.length; i++) rowOff[i] = Math.min(i, m - 1) * k;
        int items = Math.min(tiles, 4 * Threads.threads()), per = (tiles + items - 1) / items;
        Threads.parallelFor((tiles + per - 1) / per, ShiftedConv.threadsFor((long) m * n * k), item -> {
            for (int t = item * per; t < Math.min(tiles, (item + 1) * per); t++) {
                int r0 = t * mr, rows = Math.min(mr, m - r0);
                float[] c = rows == mr ? out : Scratch.floats(Scratch.TILE, mr * n);
                int cBase = rows == mr ? r0 * n : 0;
                for (int j = 0; j < n; j += nr) gk.bcastStore(mr, nvF, x, rowOff, r0, 0, k, mt, j, n, c, cBase + j, n);
                if (rows < mr) System.arraycopy(c, 0, out, r0 * n, rows * n);
            }
        });
    }

    /** The kernel gradient: {@code dM^T [C*P x O*Q] = x^T g} over the batch, folded onto the taps. */
    static void gradKernel(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        int c = p.channels(), o = p.outChannels(), taps = taps(p);
        int pIn = (int) Canonical.product(p.spatial()), q = (int) Canonical.product(p.outSize());
        int cp = c * pIn, oq = o * q;
        float[] dmt = Scratch.floats(Scratch.OUT, cp * oq);
        product(kern, cp, p.outBatch(), oq, x, 1, cp, g, oq, dmt);
        int[] pos = new int[q * taps];
        positions(p, pos);
        for (int oc = 0; oc < o; oc++) {
            for (int ci = 0; ci < c; ci++) {
                int wb = (oc * c + ci) * taps;
                for (int t = 0; t < taps; t++) {
                    float sum = 0f;
                    for (int qq = 0; qq < q; qq++) {
                        int pp = pos[qq * taps + t];
                        if (pp >= 0) sum += dmt[(ci * pIn + pp) * oq + oc * q + qq];
                    }
                    dw[wb + t] = sum;
                }
            }
        }
    }

    /**
     * {@code C [m x n] = A [m x k] B [k x n]} with {@code A(i, kk) = a[i*ars + kk*acs]}, {@code B(kk, j) = b[kk*ldb + j]} and
     * {@code C} row-major: B packed once by the calling thread, blocks of rows of A on the threads, the reduction in blocks
     * summed in order (the result does not depend on the thread count).
     */
    static void product(Kernels kern, int m, int k, int n, float[] a, int ars, int acs, float[] b, int ldb, float[] c) {
        GemmKernels gk = GemmKernels.of(kern);
        Gemm gemm = Gemm.choose(gk, m, n);
        int kBlocks = (k + GemmConv.KC_MAX - 1) / GemmConv.KC_MAX, kc = Gemm.reductionBlock(k, GemmConv.KC_MAX);
        int bBlock = gemm.bSize(kc, n);
        float[] bp = Scratch.floats(Scratch.PACK, bBlock * kBlocks + 16);
        for (int kb = 0; kb < kBlocks; kb++) {
            int k0 = kb * kc;
            gemm.packB(kern, b, k0 * ldb, ldb, 1, Math.min(kc, k - k0), n, bp, kb * bBlock);
        }
        int threads = Threads.threads(), mr = gemm.mr;
        int panels = (m + mr - 1) / mr, items = Math.min(panels, 4 * threads), per = (panels + items - 1) / items;
        int blocks = (panels + per - 1) / per;
        long work = (long) m * n * k;
        Threads.parallelFor(blocks, ShiftedConv.threadsFor(work), blk -> {
            int r0 = blk * per * mr, rows = Math.min(per * mr, m - r0);
            float[] ap = Scratch.floats(Scratch.SRC, rows * kc + 16);
            for (int kb = 0; kb < kBlocks; kb++) {
                int k0 = kb * kc, kcA = Math.min(kc, k - k0);
                gemm.packA(a, r0 * ars + k0 * acs, ars, acs, rows, kcA, ap, 0);
                gemm.multiply(ap, 0, rows, kcA, bp, kb * bBlock, n, c, r0 * n, n, kb > 0);
            }
        });
    }
}
