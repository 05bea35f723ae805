package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.backend.WindowReduction;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * Compiles the kernels ahead of use. Until C2 has compiled a method that uses the Vector API, every vector operation
 * runs as plain Java objects, 100 to 1000 times slower (and a deoptimised method drops back there), so the first calls
 * of a program crawl. A daemon thread of low priority therefore runs every tile shape, with its tails and masks, a few
 * hundred times (about half a second of one core) as soon as the backend is created, on its own thread only.
 * {@link #engines} does the same for whole convs, gradients and poolings (a few seconds; used by tests and tools that
 * want a settled JIT). Switched off with {@code -Dconvolve.nowarmup=true}.
 */
final class Warmup {
    private Warmup() {}

    private static volatile boolean started;

    static void start(Kernels k) {
        if (started || Boolean.getBoolean("convolve.nowarmup")) return;
        started = true;
        Thread t = new Thread(() -> Threads.sequential(() -> kernels(k)), "convolve-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Every micro-kernel, with full vectors, tails and masks. */
    static void kernels(Kernels k) {
        int l = k.lanes();
        float[] a = new float[8 * 64 * 8], b = new float[4096], c = new float[4096], big = new float[8192];
        int[] off = new int[64];
        for (int i = 0; i < off.length; i++) off[i] = i * 7;
        int[] rows = new int[32];
        for (int i = 0; i < rows.length; i++) rows[i] = i * 64;
        int[] tiles = k.dotTiles();
        int[] idx = new int[l];
        for (int rep = 0; rep < 400; rep++) {
            for (int mr = 1; mr <= 8; mr++) k.gemm(mr, k.gemmVectors(mr), a, 0, mr, 64, b, 0, off, 0, c, 0, 8 * l);
            k.gemm(6, 4, a, 0, 6, 64, b, 0, off, 0, c, 0, 4 * l);
            k.gemm(4, 4, a, 0, 4, 64, b, 0, off, 0, c, 0, 4 * l);
            k.gemm(8, 2, a, 0, 8, 64, b, 0, off, 0, c, 0, 4 * l);
            k.gemm(8, 1, a, 0, 8, 64, b, 0, off, 0, c, 0, 4 * l);
            for (int nv = 1; nv <= 4; nv++) k.bcast(nv, b, rows, 0, 0, 64, a, 0, 4 * l, c, 0, 4 * l);
            for (int i = 0; i < tiles.length; i += 2) k.dot(tiles[i], tiles[i + 1], b, rows, 0, 0, c, rows, 0, 0, 4 * l, a, 0, 16);
            k.wino4Input(big, 0, idx, 0, off, big, c, 0, 16);
            k.wino4Output(big, 0, 16, c, a, 0, 4 * k.lanes());
            k.wino4Kernel(big, 0, 16, c, big, 4096, 16);
            for (int len : new int[] {3 * l, 3 * l + 5}) {
                k.windowMax(b, 0, off, 4, c, 0, len, 0f);
                k.windowMin(b, 0, off, 4, c, 0, len, 0f);
                k.windowSum(b, 0, off, 4, c, 0, len, 0f);
            }
            planeKernels(k, b, c, off);
            for (int n = 1; n <= 40; n += 13) {
                k.deinterleave(b, 0, n, c, 0, 1024);
                k.copy(b, 0, c, 0, n);
                k.copyRows(b, 0, 48, c, 0, 50, 4, n);
                k.deinterleaveRows(b, 0, 90, 4, n, c, 0, 1024, 45);
            }
        }
    }

    /** The per-plane kernels of {@link Depthwise} and {@link WindowGrad}: 1, 9 and 25 taps, whole rows and tails, strides 1 and 2. */
    private static void planeKernels(Kernels k, float[] b, float[] c, int[] off) {
        DepthwiseKernels dk = DepthwiseKernels.of(k);
        WindowGradKernels wk = WindowGradKernels.of(k);
        int l = dk.lanes();
        int[] cols = {1, 30, 0, 29};
        float[] acc = new float[25 * l];
        for (int n : new int[] {l - 3, 3 * l, 3 * l + 5}) {
            for (int taps : new int[] {1, 4, 9, 25}) {
                dk.taps(b, 0, 64, off, b, 0, taps, c, 0, 64, 4, n, false);
                dk.taps(b, 0, 64, off, b, 0, taps, c, 0, 64, 4, n, true);
                dk.dots(b, 0, 64, b, 0, 64, off, taps, 4, n, acc, 0);
            }
            wk.select(b, 0, 64, off, 9, true, c, 0, 64, 4, n);
            wk.route(b, c, 0, 64, off, acc, 4, c, 2048, 64, 4, n);
        }
        for (int s = 1; s <= 2; s++) dk.splitRows(b, 1, 64, 4, 60, s, 1, c, 0, 40, 1024, 31, 0f, cols);
        dk.mergeRow2(b, 0, 512, c, 0, 60, 1, 31);
        dk.laneSum(acc, 0);
    }

    /** Small calls of every algorithm, forward and both gradients, and pooling. */
    static void engines(FastBackend fast) {
        Object[][] convs = {
                // input, kernel, stride, padding, groups: Winograd, flat, batch lanes, plane lanes (and grouped: its gradients' phases and plane-lanes-dw), 1x1, depthwise, strided, 1-D, 3-D
                {new int[] {2, 16, 12, 12}, new int[] {16, 16, 3, 3}, 1, 1, 1},
                {new int[] {4, 1, 28, 28}, new int[] {4, 1, 3, 3}, 2, 1, 1},
                {new int[] {64, 4, 6, 6}, new int[] {8, 4, 3, 3}, 2, 1, 1},
                {new int[] {64, 4, 14, 14}, new int[] {8, 4, 3, 3}, 2, 1, 1},
                {new int[] {2, 32, 14, 14}, new int[] {32, 4, 3, 3}, 2, 1, 8},
                {new int[] {64, 8, 4, 4}, new int[] {16, 8, 3, 3}, 1, 1, 1},
                {new int[] {2, 32, 14, 14}, new int[] {32, 32, 1, 1}, 1, 0, 1},
                {new int[] {2, 16, 20, 20}, new int[] {16, 1, 3, 3}, 1, 1, 16},
                {new int[] {2, 16, 20, 20}, new int[] {16, 1, 3, 3}, 2, 1, 16},
                {new int[] {2, 16, 20, 20}, new int[] {16, 1, 5, 5}, 1, 2, 16},
                {new int[] {2, 16, 64}, new int[] {16, 16, 5}, 1, 2, 1},
                {new int[] {1, 4, 6, 10, 10}, new int[] {8, 4, 3, 3, 3}, 1, 1, 1},
        };
        for (int rep = 0; rep < 150; rep++) {
            for (Object[] cv : convs) {
                int[] xs = (int[]) cv[0], ks = (int[]) cv[1];
                int s = (int) cv[2], p = (int) cv[3], g = (int) cv[4], n = xs.length - 2;
                int[] pads = new int[n];
                java.util.Arrays.fill(pads, p);
                ConvOptions o = ConvOptions.defaults().withStrides(s).withPadding(Padding.explicit(pads, pads)).withFeatureGroupSize(g);
                Tensor x = Tensor.full(0.5, DType.F32, xs), w = Tensor.full(0.25, DType.F32, ks);
                ConvPlan plan = ConvPlan.of(x.shape(), DType.F32, w.shape(), DType.F32, o);
                Tensor y = fast.conv(plan, x, w);
                fast.convGradInput(plan, w, y);
                fast.convGradKernel(plan, x, y);
            }
            Tensor img = Tensor.full(1.0, DType.F32, 2, 8, 20, 20);
            for (int[] win : new int[][] {{1, 1, 2, 2}, {1, 1, 3, 3}}) {
                int pd = win[2] == 3 ? 1 : 0;
                WindowOptions wo = WindowOptions.of(win).withStrides(1, 1, 2, 2).withPadding(Padding.explicit(new int[] {0, 0, pd, pd}, new int[] {0, 0, pd, pd}));
                WindowPlan wp = WindowPlan.of("window_max", Shape.of(2, 8, 20, 20), DType.F32, wo);
                Tensor m = fast.window(wp, WindowReduction.MAX, img);
                fast.window(wp, WindowReduction.SUM, img);
                fast.windowSelectScatter(wp, true, img, m);
                fast.windowSumTranspose(wp, m);
            }
        }
    }
}
