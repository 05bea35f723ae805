package dev.convolve.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Training speed side by side with PyTorch ({@code convolve bench train}): per round, our training (a child JVM
 * running {@code convolve train}) and the PyTorch anchor ({@code torch_mnist.py}) run one after the other as separate
 * processes, the order alternating between rounds (ours first in odd rounds, PyTorch first in even ones), and both
 * outputs are parsed into {@link TrainRun}s; a {@link Summary} per dataset takes medians over the rounds.
 */
public final class TrainBench {
    private TrainBench() {}

    /** How long one child process (one training run) may take. */
    static final long CHILD_TIMEOUT_SECONDS = 3600;

    /**
     * What to run.
     *
     * @param datasets    dataset ids, run one after the other ("mnist", "fashion-mnist")
     * @param rounds      rounds per dataset
     * @param epochs      training epochs per run, both sides
     * @param threads     threads, both sides
     * @param ours        our training's command line for a dataset id
     * @param torch       the anchor's command line for a dataset id
     * @param busySampleMillis how long to sample other processes' CPU use before each round (0: not at all)
     */
    public record Options(List<String> datasets, int rounds, int epochs, int threads, Function<String, List<String>> ours,
                          Function<String, List<String>> torch, long busySampleMillis) {}

    /** Receives the rounds and summaries as they complete. */
    public interface Sink {
        /** A round is about to start. */
        default void starting(String dataset, int round, int rounds, boolean oursFirst) {}

        void round(Round r);

        void summary(Summary s);
    }

    /**
     * One round: both runs on one dataset, and how busy the machine was.
     *
     * @param first       whether this is the first round of the whole command (the load average before it is not
     *                    raised by our own earlier runs)
     * @param loadBefore  {@code /proc/loadavg} before the round (null when unknown)
     * @param loadAfter   {@code /proc/loadavg} after it
     * @param busyBefore  cores' worth of CPU other processes used just before the round (NaN when not sampled)
     */
    public record Round(String dataset, int index, int of, boolean oursFirst, boolean first, TrainRun ours, TrainRun torch, double[] loadBefore,
                        double[] loadAfter, double busyBefore, double busySampleSeconds) {

        /** Whole-training images per second, ours over PyTorch's. */
        public double ratio() {
            return ours.imagesPerSecond() / torch.imagesPerSecond();
        }

        /** Median per-epoch images per second, ours over PyTorch's. */
        public double epochRatio() {
            return ours.medianEpochImagesPerSecond() / torch.medianEpochImagesPerSecond();
        }

        /**
         * Why this round's ratios are unreliable, or null: more than half of every core busy before it, by the load
         * average (first round only: later rounds' load average includes our own previous runs) or by the CPU other
         * processes used in the sample just before it.
         */
        public String busyReason(int cores) {
            double limit = BUSY_PER_CORE * cores;
            if (first && loadBefore != null && loadBefore[0] > limit) {
                return String.format(Locale.ROOT, "load average %.2f on %d cores before round %d", loadBefore[0], cores, index);
            }
            if (!Double.isNaN(busyBefore) && busyBefore > limit) {
                return String.format(Locale.ROOT, "other processes used %.2f of %d cores in the %.1f s before round %d", busyBefore, cores, busySampleSeconds, index);
            }
            return null;
        }
    }

    /** Load per core above which a round counts as run on a busy machine. */
    public static final double BUSY_PER_CORE = 0.5;

    /** Medians over the rounds of one dataset. */
    public record Summary(String dataset, List<Round> rounds) {
        public Summary {
            rounds = List.copyOf(rounds);
            if (rounds.isEmpty()) throw new IllegalArgumentException("a summary needs at least one round");
        }

        public double oursImagesPerSecond() { return median(rounds, r -> r.ours().imagesPerSecond()); }

        public double torchImagesPerSecond() { return median(rounds, r -> r.torch().imagesPerSecond()); }

        /** Median over rounds of the per-round ratio (each round pairs runs made close together). */
        public double ratio() { return median(rounds, Round::ratio); }

        /** The ratio of the two medians. */
        public double ratioOfMedians() { return oursImagesPerSecond() / torchImagesPerSecond(); }

        public double oursEpochImagesPerSecond() { return median(rounds, r -> r.ours().medianEpochImagesPerSecond()); }

        public double torchEpochImagesPerSecond() { return median(rounds, r -> r.torch().medianEpochImagesPerSecond()); }

        public double epochRatio() { return median(rounds, Round::epochRatio); }

        public double oursAccuracy() { return median(rounds, r -> r.ours().testAccuracy()); }

        public double torchAccuracy() { return median(rounds, r -> r.torch().testAccuracy()); }

        public double oursWallSeconds() { return median(rounds, r -> r.ours().wallSeconds()); }

        public double torchWallSeconds() { return median(rounds, r -> r.torch().wallSeconds()); }

        /** Rounds run on a busy machine. */
        public long busyRounds(int cores) { return rounds.stream().filter(r -> r.busyReason(cores) != null).count(); }
    }

    /** The median (the mean of the middle two for an even count); NaN for none. */
    public static double median(double... values) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        return median(rounds.stream().mapToDouble(f).toArray());
    }

    /** Runs every round of every dataset; returns the summaries. */
    public static List<Summary> run(Options o, Sink sink) throws IOException, InterruptedException {
        List<Summary> out = new ArrayList<>();
        int k = 0;
        for (String dataset : o.datasets()) {
            List<Round> rounds = new ArrayList<>();
            for (int r = 1; r <= o.rounds(); r++, k++) {
                boolean oursFirst = k % 2 == 0;
                sink.starting(dataset, r, o.rounds(), oursFirst);
                double busy = o.busySampleMillis() > 0 ? Machine.busyCores(o.busySampleMillis()) : Double.NaN;
                double[] before = Machine.loadAverage();
                TrainRun ours, torch;
                if (oursFirst) {
                    ours = runOurs(o, dataset);
                    torch = runTorch(o, dataset);
                } else {
                    torch = runTorch(o, dataset);
                    ours = runOurs(o, dataset);
                }
                Round round = new Round(dataset, r, o.rounds(), oursFirst, k == 0, ours, torch, before, Machine.loadAverage(), busy, o.busySampleMillis() / 1000.0);
                rounds.add(round);
                sink.round(round);
            }
            Summary s = new Summary(dataset, rounds);
            out.add(s);
            sink.summary(s);
        }
        return out;
    }

    static TrainRun runOurs(Options o, String dataset) throws IOException, InterruptedException {
        Output r = exec(o.ours().apply(dataset), Map.of(), CHILD_TIMEOUT_SECONDS);
        if (r.code() == 2) {
            // bad input: the train command's own message, without its "convolve train: " prefix
            throw new IllegalArgumentException(lastLine(r.err()).replaceFirst("^convolve train: ", ""));
        }
        if (r.code() != 0) throw new IOException("our training (convolve train) failed with exit code " + r.code() + ": " + lastLine(r.err()));
        TrainRun run = TrainRun.parseOurs(r.out(), r.seconds());
        checkEpochs(run, o.epochs(), "convolve train");
        return run;
    }

    static TrainRun runTorch(Options o, String dataset) throws IOException, InterruptedException {
        String t = Integer.toString(o.threads());
        Output r = exec(o.torch().apply(dataset), Map.of("OMP_NUM_THREADS", t, "MKL_NUM_THREADS", t), CHILD_TIMEOUT_SECONDS);
        if (r.code() != 0) throw new IOException("the PyTorch anchor failed with exit code " + r.code() + ": " + lastLine(r.err()));
        TrainRun run = TrainRun.parseTorch(r.out(), r.seconds());
        checkEpochs(run, o.epochs(), "the PyTorch anchor");
        return run;
    }

    private static void checkEpochs(TrainRun run, int epochs, String who) throws IOException {
        if (run.epochs().size() != epochs) throw new IOException(who + " printed " + run.epochs().size() + " epoch lines, expected " + epochs);
    }

    /** A finished child process: exit code, its two outputs, and its wall-clock seconds. */
    record Output(int code, String out, String err, double seconds) {}

    /** Runs {@code cmd} (with {@code env} added) to its end; its output goes through temporary files. */
    static Output exec(List<String> cmd, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("convolve-bench-train");
        Path out = dir.resolve("stdout"), err = dir.resolve("stderr");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot run " + cmd.getFirst() + ": " + e.getMessage());
            }
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), seconds);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(dir);
        }
    }

    /** The last non-blank line of {@code s} that is not the JVM's incubator notice, or "(no message)". */
    static String lastLine(String s) {
        String[] lines = s.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.isEmpty() && !l.startsWith("WARNING: Using incubator modules")) return l;
        }
        return "(no message)";
    }

    /**
     * The PyTorch version {@code python} imports.
     *
     * @throws IOException with the reason (not executable, or torch does not import) in a few words
     */
    public static String torchVersion(String python) throws IOException, InterruptedException {
        Output r;
        try {
            r = exec(List.of(python, "-c", "import torch; print(torch.__version__)"), Map.of("OMP_NUM_THREADS", "1"), 300);
        } catch (IOException e) {
            throw new IOException(python + " cannot be run");
        }
        String v = r.out().strip();
        if (r.code() != 0 || v.isEmpty()) throw new IOException(python + " cannot import torch (" + lastLine(r.err()) + ")");
        return v.lines().reduce((a, b) -> b).orElse(v).strip();
    }

    /** A python and the torch version it imports. */
    public record Python(String command, String torchVersion) {}

    /**
     * The python to run the anchor with: {@code given}, or else the first of {@code /usr/bin/python3} and the
     * {@code python3} on PATH that imports torch.
     *
     * @throws IllegalArgumentException one line saying to install python3-torch, when none does
     */
    public static Python findPython(String given) throws InterruptedException {
        List<String> candidates = given != null ? List.of(given) : List.of(TorchRunner.PYTHON, "python3");
        List<String> reasons = new ArrayList<>();
        for (String c : candidates) {
            try {
                return new Python(c, torchVersion(c));
            } catch (IOException e) {
                reasons.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException("PyTorch is not available: " + String.join("; ", reasons)
                + "; install it (Debian/Ubuntu: apt-get install python3-torch) or give --python PATH of a python3 that has torch");
    }
}
