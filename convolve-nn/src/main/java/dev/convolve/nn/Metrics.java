package dev.convolve.nn;

import dev.convolve.tensor.Tensor;

/** Classification metrics: accuracy and the confusion matrix. */
public final class Metrics {
    private Metrics() {}

    /** The predicted class of each row of logits {@code [N, C]} (the first maximum). */
    public static int[] predictions(Tensor logits) {
        if (logits.rank() != 2) throw new IllegalArgumentException("predictions: expected logits [N, C], got " + logits.describe());
        int n = logits.dim(0), c = logits.dim(1);
        int[] p = new int[n];
        if (logits.dtype() == dev.convolve.tensor.DType.F32) {
            float[] z = logits.floatData();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < c; j++) if (z[i * c + j] > z[i * c + best]) best = j;
                p[i] = best;
            }
            return p;
        }
        return logits.argmax(1).toIntArray();
    }

    /** Fraction of rows whose highest logit is at the label. */
    public static double accuracy(Tensor logits, Tensor labels) {
        int right = correct(logits, labels), rows = logits.dim(0);
        return rows == 0 ? 0 : (double) right / rows;
    }

    /** How many rows have their highest logit at the label. */
    public static int correct(Tensor logits, Tensor labels) {
        int[] p = predictions(logits), y = labels.toIntArray();
        if (p.length != y.length) {
            throw new IllegalArgumentException("accuracy: " + p.length + " predictions but " + y.length + " labels");
        }
        int right = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == y[i]) right++;
        return right;
    }

    /** {@code counts[true][predicted]} for {@code classes} classes. */
    public static ConfusionMatrix confusion(int classes, int[] labels, int[] predicted) {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        m.add(labels, predicted);
        return m;
    }
}
