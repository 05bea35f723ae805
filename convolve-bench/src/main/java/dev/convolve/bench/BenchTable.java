package dev.convolve.bench;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints measurements as an aligned text table, one row at a time. */
public final class BenchTable implements ConvBench.Sink {
    private final PrintWriter out;
    private final boolean json;
    private final boolean compare;
    private boolean header;

    public BenchTable(PrintWriter out, boolean json, boolean compare) {
        this.out = out;
        this.json = json;
        this.compare = compare;
    }

    @Override
    public void row(Measurement m) {
        if (json) {
            out.println(m.toJson());
            out.flush();
            return;
        }
        if (!header) {
            header = true;
            out.println(compare
                    ? String.format(Locale.ROOT, "%-28s %-17s %11s %9s %6s %11s %9s %7s  %s", "case", "direction", "micros", "GFLOP/s", "%peak", "torch us", "torch GF", "ratio", "algorithm")
                    : String.format(Locale.ROOT, "%-28s %-17s %11s %9s %6s  %s", "case", "direction", "micros", "GFLOP/s", "%peak", "algorithm"));
        }
        String pct = Double.isNaN(m.percentOfPeak()) ? "-" : String.format(Locale.ROOT, "%.0f", m.percentOfPeak());
        if (compare) {
            out.println(String.format(Locale.ROOT, "%-28s %-17s %11.1f %9.2f %6s %11.1f %9.2f %6.2fx  %s", m.benchCase().name(), m.direction(), m.micros(), m.gflops(), pct,
                    m.torchMicros(), m.torchGflops(), m.ratio(), m.algorithm()));
        } else {
            out.println(String.format(Locale.ROOT, "%-28s %-17s %11.1f %9.2f %6s  %s", m.benchCase().name(), m.direction(), m.micros(), m.gflops(), pct, m.algorithm()));
        }
        out.flush();
    }

    @Override
    public void note(String line) {
        if (json) return;
        out.println("# " + line);
        out.flush();
    }
}
