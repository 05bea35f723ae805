package dev.convolve.optim;

import java.util.Arrays;

/**
 * A learning rate as a function of the optimizer step (0-based), set before each step by the trainer.
 *
 * <ul>
 *   <li>{@link #constant}</li>
 *   <li>{@link #piecewise}: fast.ai's recipe of the seed, 0.4 for 5 epochs then 0.1 for 5, is
 *       {@code piecewise(new long[] {5 * stepsPerEpoch}, 0.4, 0.1)}</li>
 *   <li>{@link #cosine}: linear warm-up, then cosine decay to {@code minLr}</li>
 *   <li>{@link #oneCycle}: Smith's one-cycle policy as PyTorch's {@code OneCycleLR} (cosine annealing): from
 *       {@code maxLr / divFactor} up to {@code maxLr} over the first {@code pctStart} of the steps, then down to
 *       {@code maxLr / (divFactor * finalDivFactor)}</li>
 * </ul>
 */
@FunctionalInterface
public interface Schedule {
    /** The learning rate for step {@code step}. */
    double at(long step);

    static Schedule constant(double lr) { return s -> lr; }

    /**
     * {@code values[i]} from boundary {@code i - 1} (inclusive) to boundary {@code i} (exclusive).
     *
     * @throws IllegalArgumentException unless there is one more value than boundaries and boundaries increase
     */
    static Schedule piecewise(long[] boundaries, double... values) {
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("schedule: piecewise needs one more value than boundaries, got " + values.length
                    + " values and " + boundaries.length + " boundaries");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) throw new IllegalArgumentException("schedule: boundaries must increase, got " + Arrays.toString(boundaries));
        }
        long[] b = boundaries.clone();
        double[] v = values.clone();
        return s -> {
            int i = 0;
            while (i < b.length && s >= b[i]) i++;
            return v[i];
        };
    }

    /** Linear warm-up over {@code warmup} steps, then cosine decay from {@code maxLr} to {@code minLr} at {@code total}. */
    static Schedule cosine(double maxLr, double minLr, long warmup, long total) {
        if (total < 1) throw new IllegalArgumentException("schedule: total steps must be positive, got " + total);
        return s -> {
            if (s < warmup) return maxLr * (s + 1) / warmup;
            double t = Math.min(1.0, (double) (s - warmup) / Math.max(1, total - warmup));
            return minLr + (maxLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * t));
        };
    }

    /** One-cycle with PyTorch's defaults: {@code pctStart 0.3, divFactor 25, finalDivFactor 1e4}. */
    static Schedule oneCycle(double maxLr, long total) { return oneCycle(maxLr, total, 0.3, 25, 1e4); }

    /** PyTorch's {@code OneCycleLR} with cosine annealing (two phases). */
    static Schedule oneCycle(double maxLr, long total, double pctStart, double divFactor, double finalDivFactor) {
        if (total < 2) throw new IllegalArgumentException("schedule: one-cycle needs at least 2 steps, got " + total);
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("schedule: pctStart must be in (0, 1), got " + pctStart);
        double initial = maxLr / divFactor, fin = initial / finalDivFactor;
        double peak = pctStart * total - 1;
        double end = total - 1;
        return s -> {
            if (s <= peak) return anneal(initial, maxLr, s / peak);
            return anneal(maxLr, fin, Math.min(1.0, (s - peak) / (end - peak)));
        };
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }
}
