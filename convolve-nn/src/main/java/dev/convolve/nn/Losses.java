package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * Loss functions returning a scalar variable.
 *
 * <ul>
 *   <li>{@link #meanSquaredError}: {@code mean((prediction - target)^2)} (Axon's {@code :mean_squared_error},
 *       PyTorch's {@code MSELoss}).</li>
 *   <li>{@link #crossEntropy}: PyTorch's {@code F.cross_entropy} on logits {@code [N, C]} and class indices
 *       {@code [N]}, averaged over the batch, with optional label smoothing. Fused and numerically stable: it
 *       works with {@code logits - max} and log-sum-exp, and its gradient is {@code (softmax - target) / N}.</li>
 * </ul>
 */
public final class Losses {
    private Losses() {}

    /**
     * Mean of the squared differences.
     *
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public static Variable meanSquaredError(Variable prediction, Variable target) {
        return prediction.subtract(target).square().mean();
    }

    /** Sum of the squared differences (d2l's and probml's loss). */
    public static Variable sumSquaredError(Variable prediction, Variable target) {
        return prediction.subtract(target).square().sum();
    }

    /** Cross-entropy from logits and integer class labels, averaged over the batch. */
    public static Variable crossEntropy(Variable logits, Tensor labels) { return crossEntropy(logits, labels, 0.0); }

    /**
     * Cross-entropy from logits {@code [N, C]} and labels {@code [N]} (integers in {@code [0, C)}), averaged over
     * the batch. With label smoothing {@code e}, the target is {@code 1 - e} on the label plus {@code e / C} on
     * every class (PyTorch's {@code label_smoothing}).
     *
     * @throws IllegalArgumentException for wrong shapes, labels out of range, or smoothing outside [0, 1]
     */
    public static Variable crossEntropy(Variable logits, Tensor labels, double labelSmoothing) {
        Tensor z = logits.value();
        if (z.rank() != 2) throw new IllegalArgumentException("cross_entropy: expected logits [N, C], got " + z.describe());
        int n = z.dim(0), c = z.dim(1);
        if (labels.rank() != 1 || labels.dim(0) != n) {
            throw new IllegalArgumentException("cross_entropy: expected " + n + " labels for logits " + z.describe() + ", got " + labels.describe());
        }
        if (!labels.dtype().isInteger()) throw new IllegalArgumentException("cross_entropy: labels must be integers, got " + labels.describe());
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("cross_entropy: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        int[] y = labels.toIntArray();
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= c) {
                throw new IllegalArgumentException("cross_entropy: label " + y[i] + " at position " + i + " is outside [0, " + c + ") for logits " + z.describe());
            }
        }
        double[] zd = z.dtype() == DType.F64 ? z.doubleData() : null;
        float[] zf = z.dtype() == DType.F32 ? z.floatData() : null;
        if (zd == null && zf == null) zd = z.toDoubleArray();
        double on = 1 - labelSmoothing + labelSmoothing / c, off = labelSmoothing / c;
        // Softmax rows kept for the backward pass.
        double[] prob = new double[n * c];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, zf != null ? zf[row + j] : zd[row + j]);
            double sum = 0, dotTarget = 0;
            for (int j = 0; j < c; j++) {
                double s = (zf != null ? zf[row + j] : zd[row + j]) - max;
                double e = Math.exp(s);
                prob[row + j] = e;
                sum += e;
                dotTarget += (j == y[i] ? on : off) * s;
            }
            double lse = Math.log(sum);
            for (int j = 0; j < c; j++) prob[row + j] /= sum;
            total += lse - dotTarget; // sum_j target_j * (lse - s_j), targets summing to 1
        }
        DType t = z.dtype().isFloat() ? z.dtype() : DType.F32;
        Tensor loss = Tensor.full(total / n, t);
        return Variable.record(loss, (g, needs) -> {
            double scale = g.item() / n;
            double[] d = new double[n * c];
            for (int i = 0; i < n; i++) {
                int row = i * c;
                for (int j = 0; j < c; j++) d[row + j] = (prob[row + j] - (j == y[i] ? on : off)) * scale;
            }
            return new Tensor[] {Tensor.wrap(DType.F64, Shape.of(n, c), d).asType(z.dtype())};
        }, logits);
    }
}
