package dev.convolve.vision.bench;

import dev.convolve.backend.Threads;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.Filters;
import dev.convolve.vision.Kernel;
import dev.convolve.vision.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Times the filters on the images of {@code ../shared/anchors/cv_filter.py} (1920x1080 RGB, u8 random and the same
 * as f32 in [0, 1]) and prints one line per case in that script's format, the median of several timed rounds, with
 * the process's CPU time per call beside it.
 * Run side by side with the script: {@code convolve-vision/bench/compare-opencv.sh}.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp convolve-all.jar dev.convolve.vision.bench.FilterTimings [rounds] [minSecondsPerRound]}
 */
public final class FilterTimings {
    private FilterTimings() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double minTime = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        Random rnd = new Random(0);
        byte[] px = new byte[1080 * 1920 * 3];
        rnd.nextBytes(px);
        Tensor img = Tensor.wrap(DType.U8, Shape.of(1080, 1920, 3), px);
        float[] f = new float[px.length];
        for (int i = 0; i < f.length; i++) f[i] = (px[i] & 0xFF) / 255f;
        Tensor imgf = Tensor.wrap(DType.F32, Shape.of(1080, 1920, 3), f);
        FilterOptions o = FilterOptions.defaults();
        Kernel g5 = Kernels.gaussian(5, 1.0), g15 = Kernels.gaussian(15, 3.0);
        Kernel n5 = nonSeparable(g5), n15 = nonSeparable(g15);
        System.out.println("# convolve filters, " + Filters.implementation() + ", " + Threads.threads() + " threads, median of " + rounds
                + " rounds after a warm-up");
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"convolve gaussian u8 1080p rgb 5x5", (Supplier<Tensor>) () -> Filters.apply(img, g5, o)});
        rows.add(new Object[] {"convolve gaussian u8 1080p rgb 15x15", (Supplier<Tensor>) () -> Filters.apply(img, g15, o)});
        rows.add(new Object[] {"convolve direct f32 1080p rgb 5x5 (non-separable)", (Supplier<Tensor>) () -> Filters.apply(imgf, n5, o)});
        rows.add(new Object[] {"convolve direct f32 1080p rgb 15x15 (non-separable)", (Supplier<Tensor>) () -> Filters.apply(imgf, n15, o)});
        rows.add(new Object[] {"convolve sobel-x f32 1080p rgb 3x3", (Supplier<Tensor>) () -> Filters.apply(imgf, Kernels.named("sobel-x"), o)});
        // Warm-up: the JIT compiles the loops (its threads' CPU time would otherwise be counted in the first rounds).
        for (int pass = 0; pass < 2; pass++) {
            for (Object[] r : rows) {
                @SuppressWarnings("unchecked")
                Supplier<Tensor> fn = (Supplier<Tensor>) r[1];
                time(fn, 0.5);
            }
        }
        for (Object[] r : rows) {
            @SuppressWarnings("unchecked")
            Supplier<Tensor> fn = (Supplier<Tensor>) r[1];
            double[] t = new double[rounds], cpu = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                double[] m = time(fn, minTime);
                t[i] = m[0];
                cpu[i] = m[1];
            }
            Arrays.sort(t);
            Arrays.sort(cpu);
            System.out.println(String.format(Locale.ROOT, "%-55s %9.2f ms   (cpu %8.2f ms)", r[0], t[rounds / 2] * 1e3, cpu[rounds / 2] * 1e3));
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** The Gaussian's weights with a deterministic perturbation that makes the matrix non-separable (rank > 1). */
    static Kernel nonSeparable(Kernel k) {
        double[] w = k.weights();
        for (int i = 0; i < w.length; i++) w[i] *= 1 + 0.01 * ((i * 7919) % 13 - 6) / 6.0;
        Kernel n = new Kernel(k.name() + "-perturbed", k.rows(), k.cols(), w);
        if (n.separable().isPresent()) throw new IllegalStateException("perturbed kernel is still separable");
        return n;
    }

    /**
     * Seconds per call: wall-clock time and the process's CPU time (all threads), the second being what a loaded
     * machine does not inflate.
     */
    static double[] time(Supplier<Tensor> fn, double minTime) {
        fn.get();
        int n = 0;
        long t0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
        while (true) {
            fn.get();
            n++;
            double t = (System.nanoTime() - t0) / 1e9;
            if (t > minTime && n >= 5) return new double[] {t / n, (OS.getProcessCpuTime() - c0) / 1e9 / n};
        }
    }
}
