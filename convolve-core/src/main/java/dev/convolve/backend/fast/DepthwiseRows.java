package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * Depthwise convs with one output per channel on narrow planes (rows of at most {@code 2*lanes - 1} columns in and out: 14x14,
 * 28x28, 7x7, a stride-2 28x28), and their two gradients, straight from and into the canonical planes: no padded copy, no
 * layout change. Each row is read as at most two vectors (zero past its end); for kernel column {@code kx} one fixed
 * permutation gathers from them, for every destination column at once, the source column that the tap reads (or a zero lane
 * for padding), so a destination row of up to two vectors is a sum of gathered vectors times broadcast weights
 * ({@link DepthwiseRowsKernels}). Strides, kernel dilation and padding only change the index vectors and the row lists.
 *
 * <p>Forward: output row {@code oy} sums input rows {@code oy*s0 + ky*d0 - lo0} inside the plane, column index
 * {@code ox*s1 + kx*d1 - lo1}.
 *
 * <p>Input gradient: {@code dx[iy][ix] = sum w[ky][kx] * g[qy][qx]} over {@code iy = qy*s0 + ky*d0 - lo0},
 * {@code ix = qx*s1 + kx*d1 - lo1}: input row {@code iy} sums the gradient rows {@code qy = (iy + lo0 - ky*d0) / s0} where that
 * divides exactly and lies inside, and the index vector of {@code kx} holds {@code (ix + lo1 - kx*d1) / s1} where that divides
 * and lies inside, else the zero lane. A scatter written as a gather: every {@code dx} row is written once.
 *
 * <p>Kernel gradient: {@code dw[c][ky][kx] = sum_{n, oy, ox} g[n][c][oy][ox] * x[n][c][iy][ix]}: per channel (one work item,
 * images in order whatever the thread count) one vector of partial sums per tap and gradient vector, the gradient row times the
 * gathered input row, summed across lanes in a fixed order at the end.
 */
final class DepthwiseRows {
    private DepthwiseRows() {}

    /**
     * True when this engine runs {@code p} and the planner's rule picks it: 2-D depthwise with one output per channel, no input
     * dilation, input and output rows of at most {@code 2*lanes - 1} columns, and kernels at most 3 wide (the kernels' register
     * path) unless there are fewer channels than lanes (wider kernels on {@code >= lanes} channels measured faster channel-blocked,
     * {@link DepthwiseBlocked}); {@code algorithm} not switched off.
     */
    static boolean suits(Kernels k, ConvPlan p, String algorithm) {
        if (!Planner.enabled(algorithm) || p.spatialRank() != 2 || p.batchGroups() != 1) return false;
        int c = p.channels();
        if (c < 2 || p.featureGroups() != c || p.kernelChannels() != 1 || p.outChannels() != c) return false;
        if (p.kernelSize()[1] > 3 && c >= k.lanes()) return false;
        return narrowRows(k, p);
    }

    /** No input dilation, and input and output rows of at most {@code 2*lanes - 1} columns (read as at most two vectors). */
    private static boolean narrowRows(Kernels k, ConvPlan p) {
        int[] ld = p.inputDilation(), sp = p.spatial(), q = p.outSize();
        int max = 2 * k.lanes() - 1;
        return ld[0] == 1 && ld[1] == 1 && q[0] >= 1 && q[1] >= 1 && sp[1] <= max && q[1] <= max;
    }

    /**
     * The forward rule: {@link #suits}, or one input channel per group with several outputs each (a depthwise conv with a channel
     * multiplier; a conv of one-channel images such as MNIST's first layer) and a 3x3 kernel, on the same narrow rows: each
     * source row is gathered once for all the outputs of its channel ({@link DepthwiseRowsKernels#rowsOuts}).
     *
     * <p>Measured single-threaded (CPU time, 2026-11-24) against the engine chosen before: 256x1x28x28 -> 4 3x3 s2 (MNIST's
     * first layer) 111 against 244 µs (shifted-gemm), 8x32x28x28 -> 64 3x3 in 32 groups 285 against 463 µs (depthwise),
     * 64x1x28x28 -> 32 3x3 (rows of 28: one plane at a time) 1117 against 1261 µs; a 5x5 kernel (LeNet's 128x1x28x28 -> 6,
     * no register path) was 3x slower, so wider kernels are left to the other engines.
     */
    static boolean suitsForward(Kernels k, ConvPlan p) {
        if (suits(k, p, "depthwise-rows")) return true;
        if (!Planner.enabled("depthwise-rows") || p.spatialRank() != 2 || p.batchGroups() != 1) return false;
        int c = p.channels();
        if (p.kernelChannels() != 1 || p.featureGroups() != c || p.outChannels() <= c) return false;
        return p.kernelSize()[0] == 3 && p.kernelSize()[1] == 3 && narrowRows(k, p);
    }

    /**
     * The planner's rule for the kernel gradient: {@link #suits} (switch {@code depthwise-rows-dw}), and gradient rows of at most one
     * vector unless there are fewer channels than lanes (two-vector rows measured faster channel-blocked, {@link DepthwiseBlocked}).
     */
    static boolean suitsGradKernel(Kernels k, ConvPlan p) {
        return suits(k, p, "depthwise-rows-dw") && (p.outSize()[1] <= k.lanes() || p.channels() < k.lanes());
    }

    /** A short description for the planner. */
    static String describe(Kernels k, ConvPlan p) {
        int[] sp = p.spatial(), ks = p.kernelSize(), s = p.strides(), q = p.outSize();
        int outs = p.outChannels() / p.channels();
        return (outs > 1 ? outs + " outputs from each of " : "") + p.channels() + " planes per image of " + sp[0] + "x" + sp[1] + " -> " + q[0] + "x" + q[1] + " (rows of at most " + (2 * k.lanes() - 1)
                + " columns), " + ks[0] + "x" + ks[1] + " taps" + (s[0] * s[1] > 1 ? ", strides " + s[0] + "x" + s[1] : "");
    }

    /** Rows of the forward conv (and of the kernel gradient, which reads the same input rows per output row). */
    private static DepthwiseRowsKernels.Rows forwardRows(ConvPlan p, int lanes) {
        int[] sp = p.spatial(), q = p.outSize(), k = p.kernelSize(), s = p.strides(), d = p.kernelDilation(), lo = p.padLow();
        int[] start = new int[q[0] + 1], ky = new int[q[0] * k[0]], src = new int[q[0] * k[0]];
        int e = 0;
        for (int r = 0; r < q[0]; r++) {
            start[r] = e;
            for (int a = 0; a < k[0]; a++) {
                int sr = r * s[0] + a * d[0] - lo[0];
                if (sr < 0 || sr >= sp[0]) continue;
                ky[e] = a;
                src[e++] = sr;
            }
        }
        start[q[0]] = e;
        int nv = (q[1] + lanes - 1) / lanes, width = nv * lanes;
        float[] idx = new float[k[1] * width];
        for (int b = 0; b < k[1]; b++) {
            for (int j = 0; j < width; j++) {
                int col = j * s[1] + b * d[1] - lo[1];
                idx[b * width + j] = j < q[1] && col >= 0 && col < sp[1] ? col : sp[1];
            }
        }
        // a 3-tall kernel: output row r reads input rows r*s0 - lo0 + j*d0 with kernel row j
        int[] affine = k[0] == 3 ? new int[] {s[0], -lo[0], d[0], sp[0], 0, 1, 2} : null;
        return new DepthwiseRowsKernels.Rows(start, ky, src, idx, nv, k[1], affine);
    }

    /** Rows of the input gradient: destination rows are input rows, sources gradient rows. */
    private static DepthwiseRowsKernels.Rows gradInputRows(ConvPlan p, int lanes) {
        int[] sp = p.spatial(), q = p.outSize(), k = p.kernelSize(), s = p.strides(), d = p.kernelDilation(), lo = p.padLow();
        int[] start = new int[sp[0] + 1], ky = new int[sp[0] * k[0]], src = new int[sp[0] * k[0]];
        int e = 0;
        for (int r = 0; r < sp[0]; r++) {
            start[r] = e;
            for (int a = k[0] - 1; a >= 0; a--) {
                int t = r + lo[0] - a * d[0];
                if (Math.floorMod(t, s[0]) != 0 || t < 0 || t / s[0] >= q[0]) continue;
                ky[e] = a;
                src[e++] = t / s[0];
            }
        }
        start[sp[0]] = e;
        int nv = (sp[1] + lanes - 1) / lanes, width = nv * lanes;
        float[] idx = new float[k[1] * width];
        for (int b = 0; b < k[1]; b++) {
            for (int j = 0; j < width; j++) {
                int t = j + lo[1] - b * d[1];
                boolean in = j < sp[1] && Math.floorMod(t, s[1]) == 0 && t >= 0 && t / s[1] < q[1];
                idx[b * width + j] = in ? t / s[1] : q[1];
            }
        }
        // a 3-tall kernel without row stride: input row r reads gradient rows r + lo0 - 2*d0 + j*d0 with kernel row 2 - j
        int[] affine = k[0] == 3 && s[0] == 1 ? new int[] {1, lo[0] - 2 * d[0], d[0], q[0], 2, 1, 0} : null;
        return new DepthwiseRowsKernels.Rows(start, ky, src, idx, nv, k[1], affine);
    }

    /** Planes per work item: enough items for the threads to balance, few enough that taking one costs little. */
    private static int chunk(int planes) { return Math.max(1, planes / (16 * Threads.threads())); }

    /** The forward conv into the zeroed canonical {@code out}; each input plane feeds the {@code O/C} output planes of its channel. */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] w, float[] out) {
        DepthwiseRowsKernels rk = DepthwiseRowsKernels.of(kern);
        DepthwiseRowsKernels.Rows rows = forwardRows(p, rk.lanes());
        int[] sp = p.spatial(), q = p.outSize(), k = p.kernelSize();
        int c = p.channels(), outs = p.outChannels() / c, planes = p.batch() * c, taps = k[0] * k[1], inPlane = sp[0] * sp[1], outPlane = q[0] * q[1];
        int per = chunk(planes), items = (planes + per - 1) / per;
        long work = (long) planes * outs * outPlane * taps;
        Threads.parallelFor(items, ShiftedConv.threadsFor(work), it -> {
            for (int pl = it * per, end = Math.min(planes, pl + per); pl < end; pl++) {
                if (outs == 1) rk.rows(rows, x, pl * inPlane, sp[1], w, (pl % c) * taps, out, pl * outPlane, q[1], q[0]);
                else rk.rowsOuts(rows, x, pl * inPlane, sp[1], w, (pl % c) * outs * taps, taps, outs, out, pl * outs * outPlane, outPlane, q[1], q[0]);
            }
        });
    }

    /** The input gradient, canonical {@code [N][C][H][W]}, from the canonical kernel and output gradient. */
    static float[] gradInput(Kernels kern, ConvPlan p, float[] w, float[] gr) {
        DepthwiseRowsKernels rk = DepthwiseRowsKernels.of(kern);
        DepthwiseRowsKernels.Rows rows = gradInputRows(p, rk.lanes());
        int[] sp = p.spatial(), q = p.outSize(), k = p.kernelSize();
        int c = p.channels(), planes = p.batch() * c, taps = k[0] * k[1], inPlane = sp[0] * sp[1], outPlane = q[0] * q[1];
        float[] dx = SpareArrays.zeroed(planes * inPlane);
        int per = chunk(planes), items = (planes + per - 1) / per;
        long work = (long) planes * outPlane * taps;
        Threads.parallelFor(items, ShiftedConv.threadsFor(work), it -> {
            for (int pl = it * per, end = Math.min(planes, pl + per); pl < end; pl++) {
                rk.rows(rows, gr, pl * outPlane, q[1], w, (pl % c) * taps, dx, pl * inPlane, sp[1], sp[0]);
            }
        });
        return dx;
    }

    /** The kernel gradient into the zeroed canonical {@code dw} ({@code [C][1][K0][K1]}). */
    static void gradKernel(Kernels kern, ConvPlan p, float[] x, float[] gr, float[] dw) {
        DepthwiseRowsKernels rk = DepthwiseRowsKernels.of(kern);
        DepthwiseRowsKernels.Rows rows = forwardRows(p, rk.lanes());
        int[] sp = p.spatial(), q = p.outSize(), k = p.kernelSize();
        int c = p.channels(), batch = p.batch(), taps = k[0] * k[1], inPlane = sp[0] * sp[1], outPlane = q[0] * q[1];
        int width = rows.nv() * rk.lanes();
        long work = (long) batch * c * outPlane * taps;
        Threads.parallelFor(c, ShiftedConv.threadsFor(work), ci -> {
            float[] acc = Scratch.floats(Scratch.PART, taps * width);
            java.util.Arrays.fill(acc, 0, taps * width, 0f);
            for (int n = 0; n < batch; n++) {
                int pl = n * c + ci;
                rk.dots(rows, gr, pl * outPlane, q[1], q[0], x, pl * inPlane, sp[1], acc);
            }
            for (int t = 0; t < taps; t++) {
                float s = 0f;
                for (int j = 0; j < width; j++) s += acc[t * width + j];
                dw[ci * taps + t] = s;
            }
        });
    }
}
