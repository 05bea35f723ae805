package dev.convolve.bench;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Threads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a benchmark table: for each case and direction, our median time over several rounds and, with
 * {@link Options#compare}, PyTorch's median from samples interleaved with ours (ours, PyTorch, ours, ...), so
 * both see the same machine load, each sample after a pause of {@link #SETTLE_MS} in which the other side's threads
 * go idle.
 */
public final class ConvBench {
    private ConvBench() {}

    /**
     * What to run.
     *
     * @param cases         the shapes
     * @param backward      also time forward+backward (both directions are reported)
     * @param threads       threads for us and for PyTorch
     * @param compare       run PyTorch side by side
     * @param rounds        samples per side; the median is reported
     * @param sampleSeconds length of one sample
     * @param peakGflops    the ceiling for "percent of peak" (NaN: not shown)
     * @param warmupSeconds the least warm-up per case and direction (the JIT needs a second or two)
     * @param reuseOutput   forward convs write into one output kept across calls ({@code Backend.convInto}, as a loop over video
     *                      frames would) instead of a fresh tensor per call, whose memory the JVM zeroes first
     */
    public record Options(List<BenchCase> cases, boolean backward, int threads, boolean compare, int rounds, double sampleSeconds, double peakGflops,
                          double warmupSeconds, boolean reuseOutput) {
        public Options {
            cases = List.copyOf(cases);
            if (threads < 1) throw new IllegalArgumentException("bench: --threads must be at least 1, got " + threads);
            if (rounds < 1) throw new IllegalArgumentException("bench: --rounds must be at least 1, got " + rounds);
            if (!(sampleSeconds > 0)) throw new IllegalArgumentException("bench: the sample time must be positive, got " + sampleSeconds);
            if (!(warmupSeconds >= 0)) throw new IllegalArgumentException("bench: the warm-up time must not be negative, got " + warmupSeconds);
        }
    }

    /** Receives rows as they are measured, and one-line notes. */
    public interface Sink {
        void row(Measurement m);

        void note(String line);
    }

    /**
     * Runs the table on {@code backend} and returns the rows.
     *
     * @throws IOException when PyTorch was asked for and cannot run (the message says why)
     */
    public static List<Measurement> run(Options o, Backend backend, Sink sink) throws IOException {
        int saved = Threads.threads();
        Threads.setThreads(o.threads());
        List<Measurement> rows = new ArrayList<>();
        TorchRunner torch = null;
        try {
            if (o.compare()) {
                torch = TorchRunner.start(o.threads());
                sink.note("PyTorch " + torch.version() + " via " + TorchRunner.PYTHON + ", " + o.threads() + " thread(s), samples interleaved with ours, each after a "
                        + SETTLE_MS + " ms pause");
            }
            if (o.reuseOutput()) sink.note("forward convs write into one output kept across calls (Conv.convInto); forward+backward allocates its results");
            int id = 0;
            for (BenchCase c : o.cases()) {
                id++;
                List<Boolean> dirs = o.backward() ? List.of(false, true) : List.of(false);
                for (boolean backward : dirs) {
                    if (backward && !Workload.hasBackward(c)) continue;
                    Measurement m = measure(c, id, backward, backend, torch, o);
                    rows.add(m);
                    sink.row(m);
                }
            }
        } finally {
            if (torch != null) torch.close();
            Threads.setThreads(saved);
        }
        return rows;
    }

    private static Measurement measure(BenchCase c, int id, boolean backward, Backend backend, TorchRunner torch, Options o) throws IOException {
        Workload w = Workload.of(c, backward, backend, o.reuseOutput());
        Workload.warmUp(w, o.warmupSeconds());
        double[] ours = new double[o.rounds()];
        double[] theirs = new double[o.rounds()];
        for (int r = 0; r < o.rounds(); r++) {
            if (torch != null) settle();
            ours[r] = Workload.secondsPerCall(w, o.sampleSeconds());
            if (torch != null) {
                settle();
                theirs[r] = torch.secondsPerCall(id, c, backward, o.sampleSeconds());
            }
        }
        double us = median(ours) * 1e6;
        double flops = c.flops() * (backward ? (c.kind() == BenchCase.Kind.CONV ? 3 : 2) : 1);
        double gflops = flops / us / 1e3;
        double pct = c.kind() == BenchCase.Kind.CONV ? 100 * gflops / o.peakGflops() : Double.NaN;
        double tus = torch == null ? Double.NaN : median(theirs) * 1e6;
        boolean reused = o.reuseOutput() && !backward && c.kind() == BenchCase.Kind.CONV;
        return new Measurement(c, backward ? "forward+backward" : "forward", w.algorithm(), us, gflops, pct, tus, tus / us, reused);
    }

    /**
     * The pause before each sample when PyTorch runs beside us, so that the other side's idle threads have gone to sleep:
     * PyTorch's OpenMP workers spin for about 9 ms after its last call (measured: 9 ms of CPU time over a 200 ms sleep
     * after a 1x1 conv), which took 3-6% from our next sample on the 1x1 rows (pointwise-28x28 4.48-4.52 against
     * 4.22-4.23 ms with the pause); ours spin for 50 µs.
     */
    static final long SETTLE_MS = 30;

    static void settle() {
        try {
            Thread.sleep(SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
