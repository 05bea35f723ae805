package dev.convolve.bench;

import java.util.Locale;

/**
 * One row of a benchmark run: our median time for a case and direction, what it means in GFLOP/s and in percent
 * of the measured peak, and PyTorch's median from the same run when it was compared (NaN otherwise).
 *
 * @param ratio         PyTorch's time divided by ours: above 1 means we are faster
 * @param outputReused  our forward conv wrote into one output kept across calls instead of a fresh one
 */
public record Measurement(BenchCase benchCase, String direction, String algorithm, double micros, double gflops, double percentOfPeak,
                          double torchMicros, double ratio, boolean outputReused) {

    /**
     * One JSON object on one line: case, direction, algorithm, micros, gflops, percent_of_peak, the PyTorch figures when present,
     * and {@code "output":"reused"} when the output was kept across calls.
     */
    public String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\"case\":\"").append(benchCase.name()).append("\",\"shape\":\"").append(benchCase.shape()).append("\",\"direction\":\"")
                .append(direction).append("\",\"algorithm\":\"").append(algorithm.replace("\"", "'")).append("\",\"micros\":").append(num(micros))
                .append(",\"gflops\":").append(num(gflops)).append(",\"percent_of_peak\":").append(num(percentOfPeak));
        if (!Double.isNaN(torchMicros)) {
            b.append(",\"torch_micros\":").append(num(torchMicros)).append(",\"torch_gflops\":").append(num(torchGflops()))
                    .append(",\"ratio\":").append(num(ratio));
        }
        if (outputReused) b.append(",\"output\":\"reused\"");
        return b.append('}').toString();
    }

    /** PyTorch's GFLOP/s for the same work. */
    public double torchGflops() {
        return Double.isNaN(torchMicros) ? Double.NaN : gflops * micros / torchMicros;
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "null";
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
