package dev.convolve.train;

import dev.convolve.autograd.Variable;
import dev.convolve.nn.Models;
import dev.convolve.optim.Adam;
import dev.convolve.optim.Optimizer;
import dev.convolve.optim.Schedule;
import dev.convolve.optim.Sgd;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that defines a training run. {@link #defaults(String)} gives each built-in model its recipe:
 *
 * <ul>
 *   <li>{@code simple-cnn}: fast.ai's, from the seed: batch 256, plain SGD, lr 0.4 for the first half of the
 *       epochs then lr / 4 (0.1) for the second half, 10 epochs (5 + 5).</li>
 *   <li>{@code lenet5}: Adam, one-cycle to lr 3e-3, batch 128, 10 epochs (with PyTorch's default initialization,
 *       LeNet sits on a plateau at first, and SGD with momentum at lr 0.1 can kill its ReLUs when it leaves it).</li>
 *   <li>{@code resnet}: SGD with Nesterov momentum 0.9, weight decay 5e-4, one-cycle to lr 0.2, batch 128,
 *       label smoothing 0.1, random shifts of up to 2 pixels, 10 epochs (Fashion-MNIST: with horizontal flips, 15 epochs).</li>
 * </ul>
 *
 * @param schedule {@code fastai} (lr then lr/4 at half-time), {@code constant}, {@code onecycle} or {@code cosine}
 * @param optimizer {@code sgd}, {@code adam}, {@code adamw} or {@code adabelief}
 */
public record Recipe(String model, String dataset, int epochs, int batchSize, String optimizer, double lr, double momentum,
                     boolean nesterov, double weightDecay, String schedule, double labelSmoothing, int shift, boolean flip, long seed, int trainLimit) {

    public Recipe {
        model = Models.normalize(model);
        if (epochs < 1) throw new IllegalArgumentException("train: epochs must be at least 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("train: batch size must be at least 1, got " + batchSize);
        if (!(lr > 0)) throw new IllegalArgumentException("train: learning rate must be positive, got " + lr);
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        schedule = schedule.toLowerCase(Locale.ROOT).replace("-", "");
        if (!java.util.List.of("sgd", "adam", "adamw", "adabelief").contains(optimizer)) {
            throw new IllegalArgumentException("train: unknown optimizer '" + optimizer + "', expected sgd, adam, adamw or adabelief");
        }
        if (!java.util.List.of("fastai", "constant", "onecycle", "cosine").contains(schedule)) {
            throw new IllegalArgumentException("train: unknown schedule '" + schedule + "', expected fastai, constant, onecycle or cosine");
        }
        if (shift < 0 || trainLimit < 0) throw new IllegalArgumentException("train: shift and limit must be non-negative");
    }

    /**
     * The built-in recipe of {@code model} on {@code dataset}.
     *
     * @throws IllegalArgumentException for an unknown model
     */
    public static Recipe defaults(String model, String dataset) {
        String m = Models.normalize(model);
        return switch (m) {
            case "simple-cnn" -> new Recipe(m, dataset, 10, 256, "sgd", 0.4, 0, false, 0, "fastai", 0, 0, false, 42, 0);
            case "lenet5" -> new Recipe(m, dataset, 10, 128, "adam", 3e-3, 0, false, 0, "onecycle", 0, 0, false, 42, 0);
            case "resnet" -> {
                boolean fashion = dataset != null && dataset.startsWith("fashion");
                // Fashion-MNIST: 15 epochs (10 reached 91.7% test accuracy, 15 reached 92.1%; about 11 minutes on 2 cores)
                yield new Recipe(m, dataset, fashion ? 15 : 10, 128, "sgd", 0.2, 0.9, true, 5e-4, "onecycle", 0.1, 2, fashion, 42, 0);
            }
            default -> throw new IllegalArgumentException("model: unknown model '" + model + "', expected one of " + String.join(", ", Models.NAMES));
        };
    }

    public Recipe withEpochs(int e) { return new Recipe(model, dataset, e, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, flip, seed, trainLimit); }

    public Recipe withBatchSize(int b) { return new Recipe(model, dataset, epochs, b, optimizer, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, flip, seed, trainLimit); }

    public Recipe withLr(double l) { return new Recipe(model, dataset, epochs, batchSize, optimizer, l, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, flip, seed, trainLimit); }

    public Recipe withSeed(long s) { return new Recipe(model, dataset, epochs, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, flip, s, trainLimit); }

    public Recipe withTrainLimit(int n) { return new Recipe(model, dataset, epochs, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, flip, seed, n); }

    public Recipe withSchedule(String s) { return new Recipe(model, dataset, epochs, batchSize, optimizer, lr, momentum, nesterov, weightDecay, s, labelSmoothing, shift, flip, seed, trainLimit); }

    public Recipe withFlip(boolean f) { return new Recipe(model, dataset, epochs, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, f, seed, trainLimit); }

    public Recipe withShift(int s) { return new Recipe(model, dataset, epochs, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, s, flip, seed, trainLimit); }

    public Recipe withLabelSmoothing(double l) { return new Recipe(model, dataset, epochs, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, l, shift, flip, seed, trainLimit); }

    public Recipe withDataset(String d) { return new Recipe(model, d, epochs, batchSize, optimizer, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, flip, seed, trainLimit); }

    /** A different optimizer with its usual settings: SGD keeps this recipe's momentum; Adam-like ones drop it. */
    public Recipe withOptimizer(String o, double weightDecay) {
        return new Recipe(model, dataset, epochs, batchSize, o, lr, momentum, nesterov, weightDecay, schedule, labelSmoothing, shift, flip, seed, trainLimit);
    }

    public Recipe withMomentum(double m, boolean nest) { return new Recipe(model, dataset, epochs, batchSize, optimizer, lr, m, nest, weightDecay, schedule, labelSmoothing, shift, flip, seed, trainLimit); }

    /** The optimizer this recipe names, over {@code params}. */
    public Optimizer optimizer(Map<String, Variable> params) {
        return switch (optimizer) {
            case "sgd" -> new Sgd(params, lr, momentum, 0, weightDecay, nesterov && momentum > 0);
            case "adam" -> new Adam(Adam.Kind.ADAM, params, lr, 0.9, 0.999, 1e-8, 0, weightDecay);
            case "adamw" -> new Adam(Adam.Kind.ADAMW, params, lr, 0.9, 0.999, 1e-8, 0, weightDecay);
            case "adabelief" -> new Adam(Adam.Kind.ADABELIEF, params, lr, 0.9, 0.999, 1e-16, 1e-16, weightDecay);
            default -> throw new IllegalStateException(optimizer);
        };
    }

    /** The learning-rate schedule over {@code stepsPerEpoch * epochs} steps. */
    public Schedule schedule(int stepsPerEpoch) {
        long total = (long) stepsPerEpoch * epochs;
        return switch (schedule) {
            case "fastai" -> epochs < 2 ? Schedule.constant(lr) : Schedule.piecewise(new long[] {(long) stepsPerEpoch * (epochs / 2)}, lr, lr / 4);
            case "constant" -> Schedule.constant(lr);
            case "onecycle" -> Schedule.oneCycle(lr, Math.max(2, total));
            case "cosine" -> Schedule.cosine(lr, 0, Math.min(stepsPerEpoch, total / 10), total);
            default -> throw new IllegalStateException(schedule);
        };
    }

    /** The recipe as strings (checkpoint metadata and the final JSON). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("dataset", dataset);
        m.put("epochs", Integer.toString(epochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("optimizer", optimizer);
        m.put("lr", Double.toString(lr));
        m.put("momentum", Double.toString(momentum));
        m.put("nesterov", Boolean.toString(nesterov));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("schedule", schedule);
        m.put("label_smoothing", Double.toString(labelSmoothing));
        m.put("shift", Integer.toString(shift));
        m.put("flip", Boolean.toString(flip));
        m.put("seed", Long.toString(seed));
        m.put("train_limit", Integer.toString(trainLimit));
        return m;
    }

    /**
     * The recipe saved by {@link #toMap()}.
     *
     * @throws IllegalArgumentException when a field is missing or malformed
     */
    public static Recipe fromMap(Map<String, String> m) {
        try {
            return new Recipe(m.get("model"), m.get("dataset"), Integer.parseInt(m.get("epochs")), Integer.parseInt(m.get("batch_size")),
                    m.get("optimizer"), Double.parseDouble(m.get("lr")), Double.parseDouble(m.get("momentum")), Boolean.parseBoolean(m.get("nesterov")),
                    Double.parseDouble(m.get("weight_decay")), m.get("schedule"), Double.parseDouble(m.get("label_smoothing")),
                    Integer.parseInt(m.get("shift")), Boolean.parseBoolean(m.getOrDefault("flip", "false")), Long.parseLong(m.get("seed")), Integer.parseInt(m.get("train_limit")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint: the recipe in the metadata is incomplete or malformed (" + e.getMessage() + ")");
        }
    }
}
