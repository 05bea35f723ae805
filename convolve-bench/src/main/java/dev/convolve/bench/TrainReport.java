package dev.convolve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints {@link TrainBench}'s rounds and summaries: an aligned table per round and a summary, or one JSON line each. */
public final class TrainReport implements TrainBench.Sink {

    /**
     * What ran where, for the header and the machine line.
     *
     * @param java  the Java version of both JVMs
     * @param torch PyTorch's version
     */
    public record Setup(int epochs, int threads, int rounds, String java, String torch, String python, String anchor, int cores, String cpu) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final boolean json;
    private final Setup setup;

    public TrainReport(PrintWriter out, boolean json, Setup setup) {
        this.out = out;
        this.json = json;
        this.setup = setup;
    }

    /** The lines before the first round (nothing in JSON mode). */
    public void header() {
        if (json) return;
        Setup s = setup;
        out.println(String.format(Locale.ROOT, "# bench train: simple_cnn, fast.ai's recipe (%d epochs: lr 0.4 for %d, then 0.1 for %d), %d thread%s each side, %d round%s",
                s.epochs(), s.epochs() / 2, s.epochs() / 2, s.threads(), s.threads() == 1 ? "" : "s", s.rounds(), s.rounds() == 1 ? "" : "s"));
        out.println("# ours: convolve train in a child JVM (Java " + s.java() + "); PyTorch " + s.torch() + " (" + s.python() + ") running " + s.anchor());
        out.println("# img/s: training images over the epochs' training time (whole run: all epochs; test evaluation, data loading and start-up excluded)");
        out.flush();
    }

    @Override
    public void starting(String dataset, int round, int rounds, boolean oursFirst) {
        if (json) return;
        out.println();
        out.println(String.format(Locale.ROOT, "# round %d/%d on %s: %s...", round, rounds, dataset, oursFirst ? "ours, then PyTorch" : "PyTorch, then ours"));
        out.flush();
    }

    @Override
    public void round(TrainBench.Round r) {
        String busy = r.busyReason(setup.cores());
        if (json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("dataset", r.dataset());
            n.put("round", r.index());
            n.put("order", r.oursFirst() ? "ours,torch" : "torch,ours");
            n.set("ours", run(r.ours()));
            n.set("torch", run(r.torch()));
            n.put("ratio", round(r.ratio(), 3));
            n.put("epoch_ratio", round(r.epochRatio(), 3));
            n.set("load_before", load(r.loadBefore()));
            n.set("load_after", load(r.loadAfter()));
            if (!Double.isNaN(r.busyBefore())) n.put("busy_cores_before", round(r.busyBefore(), 2));
            n.put("busy", busy != null);
            if (busy != null) n.put("warning", "machine busy: ratios unreliable (" + busy + ")");
            out.println(n);
            out.flush();
            return;
        }
        out.println(String.format(Locale.ROOT, "round %d/%d %s: load average %s before, %s after%s", r.index(), r.of(), r.dataset(), loadText(r.loadBefore()),
                loadText(r.loadAfter()), Double.isNaN(r.busyBefore()) ? ""
                        : String.format(Locale.ROOT, "; other processes %.2f of %d cores before", r.busyBefore(), setup.cores())));
        out.println(String.format(Locale.ROOT, "%-12s %7s %8s %12s %12s %7s %9s %9s", "epoch", "lr", "lr torch", "ours img/s", "torch img/s", "ratio", "ours acc", "torch acc"));
        List<TrainRun.Epoch> a = r.ours().epochs(), b = r.torch().epochs();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            TrainRun.Epoch x = i < a.size() ? a.get(i) : null, y = i < b.size() ? b.get(i) : null;
            out.println(String.format(Locale.ROOT, "%-12d %7s %8s %12s %12s %7s %9s %9s", i + 1, x == null ? "-" : lr(x.lr()), y == null ? "-" : lr(y.lr()),
                    x == null ? "-" : ips(x.imagesPerSecond()), y == null ? "-" : ips(y.imagesPerSecond()),
                    x == null || y == null ? "-" : ratio(x.imagesPerSecond() / y.imagesPerSecond()),
                    x == null ? "-" : acc(x.testAccuracy()), y == null ? "-" : acc(y.testAccuracy())));
        }
        out.println(String.format(Locale.ROOT, "%-29s %12s %12s %7s %9s %9s", "whole run", ips(r.ours().imagesPerSecond()), ips(r.torch().imagesPerSecond()),
                ratio(r.ratio()), acc(r.ours().testAccuracy()), acc(r.torch().testAccuracy())));
        out.println(String.format(Locale.ROOT, "%-29s %12s %12s %7s", "median epoch", ips(r.ours().medianEpochImagesPerSecond()),
                ips(r.torch().medianEpochImagesPerSecond()), ratio(r.epochRatio())));
        out.println(String.format(Locale.ROOT, "%-29s %12.1f %12.1f", "wall seconds", r.ours().wallSeconds(), r.torch().wallSeconds()));
        if (busy != null) out.println("warning: machine busy: ratios unreliable (" + busy + ")");
        out.flush();
    }

    @Override
    public void summary(TrainBench.Summary s) {
        List<TrainBench.Round> rounds = s.rounds();
        double[] after = rounds.getLast().loadAfter();
        int cores = setup.cores();
        List<String> reasons = new ArrayList<>();
        for (TrainBench.Round r : rounds) {
            String why = r.busyReason(cores);
            if (why != null) reasons.add(why);
        }
        if (json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("summary", true);
            n.put("dataset", s.dataset());
            n.put("rounds", rounds.size());
            n.put("epochs", setup.epochs());
            n.put("threads", setup.threads());
            ObjectNode o = n.putObject("ours"), t = n.putObject("torch");
            o.put("images_per_second", Math.round(s.oursImagesPerSecond()));
            t.put("images_per_second", Math.round(s.torchImagesPerSecond()));
            o.put("median_epoch_images_per_second", Math.round(s.oursEpochImagesPerSecond()));
            t.put("median_epoch_images_per_second", Math.round(s.torchEpochImagesPerSecond()));
            o.put("test_accuracy", round(s.oursAccuracy(), 4));
            t.put("test_accuracy", round(s.torchAccuracy(), 4));
            o.put("wall_seconds", round(s.oursWallSeconds(), 1));
            t.put("wall_seconds", round(s.torchWallSeconds(), 1));
            n.put("ratio", round(s.ratio(), 3));
            n.put("ratio_of_medians", round(s.ratioOfMedians(), 3));
            n.put("epoch_ratio", round(s.epochRatio(), 3));
            n.put("cores", cores);
            n.put("cpu", setup.cpu());
            n.put("java", setup.java());
            n.put("torch_version", setup.torch());
            n.set("load_before", load(rounds.getFirst().loadBefore()));
            n.set("load_after", load(after));
            n.put("busy_rounds", reasons.size());
            if (!reasons.isEmpty()) n.put("warning", "machine busy: ratios unreliable (" + String.join("; ", reasons) + ")");
            out.println(n);
            out.flush();
            return;
        }
        out.println();
        out.println(String.format(Locale.ROOT, "summary %s: median of %d round%s, %d epochs, %d thread%s each side", s.dataset(), rounds.size(),
                rounds.size() == 1 ? "" : "s", setup.epochs(), setup.threads(), setup.threads() == 1 ? "" : "s"));
        out.println(String.format(Locale.ROOT, "%-20s %12s %12s %11s", "", "ours", "torch", "ours/torch"));
        out.println(String.format(Locale.ROOT, "%-20s %12s %12s %11s   (ratio of the medians %s)", "whole-run img/s", ips(s.oursImagesPerSecond()),
                ips(s.torchImagesPerSecond()), ratio(s.ratio()), ratio(s.ratioOfMedians())));
        out.println(String.format(Locale.ROOT, "%-20s %12s %12s %11s", "median epoch img/s", ips(s.oursEpochImagesPerSecond()), ips(s.torchEpochImagesPerSecond()),
                ratio(s.epochRatio())));
        out.println(String.format(Locale.ROOT, "%-20s %12s %12s %11s   (ours %s, torch %s)", "test accuracy", acc(s.oursAccuracy()), acc(s.torchAccuracy()), "",
                range(rounds, true), range(rounds, false)));
        out.println(String.format(Locale.ROOT, "%-20s %12.1f %12.1f", "wall seconds", s.oursWallSeconds(), s.torchWallSeconds()));
        out.println(String.format(Locale.ROOT, "machine: %d cores (%s), Java %s, torch %s; load average %s before, %s after", cores, setup.cpu(), setup.java(),
                setup.torch(), loadText(rounds.getFirst().loadBefore()), loadText(after)));
        if (!reasons.isEmpty()) {
            out.println(String.format(Locale.ROOT, "warning: machine busy: ratios unreliable (%d of %d rounds: %s)", reasons.size(), rounds.size(), String.join("; ", reasons)));
        }
        out.flush();
    }

    private static String range(List<TrainBench.Round> rounds, boolean ours) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (TrainBench.Round r : rounds) {
            double a = (ours ? r.ours() : r.torch()).testAccuracy();
            lo = Math.min(lo, a);
            hi = Math.max(hi, a);
        }
        return acc(lo) + ".." + acc(hi);
    }

    private static ObjectNode run(TrainRun r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("images_per_second", Math.round(r.imagesPerSecond()));
        n.put("median_epoch_images_per_second", Math.round(r.medianEpochImagesPerSecond()));
        n.put("test_accuracy", round(r.testAccuracy(), 4));
        n.put("wall_seconds", round(r.wallSeconds(), 1));
        n.put("train_seconds", round(r.trainSeconds(), 2));
        if (!Double.isNaN(r.reportedImagesPerSecond())) n.put("reported_images_per_second", Math.round(r.reportedImagesPerSecond()));
        ArrayNode e = n.putArray("epoch_images_per_second");
        for (TrainRun.Epoch x : r.epochs()) e.add(Math.round(x.imagesPerSecond()));
        ArrayNode a = n.putArray("epoch_test_accuracy");
        for (TrainRun.Epoch x : r.epochs()) a.add(round(x.testAccuracy(), 4));
        return n;
    }

    private static ArrayNode load(double[] l) {
        ArrayNode a = JSON.createArrayNode();
        if (l != null) for (double v : l) a.add(v);
        return a;
    }

    static String loadText(double[] l) {
        return l == null ? "unknown" : String.format(Locale.ROOT, "%.2f %.2f %.2f", l[0], l[1], l[2]);
    }

    private static String lr(double v) { return String.format(Locale.ROOT, "%.4f", v); }

    private static String ips(double v) { return String.format(Locale.ROOT, "%.0f", v); }

    private static String ratio(double v) { return String.format(Locale.ROOT, "%.2fx", v); }

    private static String acc(double v) { return String.format(Locale.ROOT, "%.4f", v); }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) return v;
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }
}
