package dev.convolve.train;

import dev.convolve.autograd.GradMode;
import dev.convolve.autograd.Variable;
import dev.convolve.data.LabeledImages;
import dev.convolve.nn.ConfusionMatrix;
import dev.convolve.nn.Losses;
import dev.convolve.nn.Metrics;
import dev.convolve.nn.Module;

/**
 * A model's loss, accuracy and confusion matrix on a labelled set, computed in evaluation mode without
 * recording gradients, in batches.
 */
public record Evaluation(double loss, double accuracy, ConfusionMatrix confusion, int count) {

    /** Evaluates {@code model} on {@code data} (restores the model's previous mode afterwards). */
    public static Evaluation of(Module model, LabeledImages data, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        ConfusionMatrix cm = new ConfusionMatrix(data.classes());
        double lossSum = 0;
        try (GradMode.Scope s = GradMode.disabled()) {
            for (int from = 0; from < data.count(); from += batchSize) {
                int n = Math.min(batchSize, data.count() - from);
                Variable logits = model.apply(data.images(from, n));
                var labels = data.labels(from, n);
                lossSum += Losses.crossEntropy(logits, labels).value().item() * n;
                cm.add(labels.toIntArray(), Metrics.predictions(logits.value()));
            }
        } finally {
            model.train(wasTraining);
        }
        int n = data.count();
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, cm.accuracy(), cm, n);
    }
}
