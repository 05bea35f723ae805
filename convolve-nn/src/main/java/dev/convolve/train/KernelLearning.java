package dev.convolve.train;

import dev.convolve.autograd.Functional;
import dev.convolve.autograd.Grad;
import dev.convolve.autograd.Variable;
import dev.convolve.nn.Conv;
import dev.convolve.nn.Init;
import dev.convolve.nn.Losses;
import dev.convolve.optim.Adam;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seeds' "learn a kernel back from input/output pairs" examples, each as the seed runs it:
 *
 * <ul>
 *   <li>{@link #d2l}: Dive into Deep Learning. The 6x8 stripe image X (ones, columns 2..5 zero), Y = corr2d(X, [1, -1]);
 *       a 1x2 conv layer, 10 steps of gradient descent (lr 3e-2) on the summed squared error, printing the loss
 *       every 2 steps. The book ends at [0.9895, -0.9874].</li>
 *   <li>{@link #probml}: probml's JAX version: the same data and loss, differentiated with
 *       {@code valueAndGrad} (the analogue of {@code jax.value_and_grad}).</li>
 *   <li>{@link #nx}: the Nx/Axon Livebook: 15 MNIST test images (not normalized, 0..255) and their vertical
 *       edges {@code conv(x, [-1, 0, 1], padding: same)}; a 3x3 conv (same padding, zeros init, no bias) trained
 *       with Adam (lr 1e-2) on the mean squared error, batch 1. The true 3x3 kernel is [[0,0,0],[-1,0,1],[0,0,0]].</li>
 * </ul>
 */
public final class KernelLearning {
    private KernelLearning() {}

    /** What a run learned: the kernel beside the true one, and the loss trace. */
    public record Result(String name, Tensor learned, Tensor truth, List<String> log, double finalLoss) {
        /** Largest absolute difference between learned and true taps. */
        public double maxError() { return learned.asType(DType.F64).maxAbsDiff(truth.asType(DType.F64)); }
    }

    /** The stripe image of d2l and probml: 6x8 ones with columns 2..5 set to 0, as [1, 1, 6, 8]. */
    public static Tensor stripe() {
        float[] x = new float[48];
        for (int i = 0; i < 6; i++) for (int j = 0; j < 8; j++) x[i * 8 + j] = (j >= 2 && j < 6) ? 0 : 1;
        return Tensor.wrap(x, 1, 1, 6, 8);
    }

    /** The edge kernel [1, -1] as [1, 1, 1, 2]. */
    public static Tensor edgeKernel() { return Tensor.fromFloats(new float[] {1, -1}, 1, 1, 1, 2); }

    /**
     * d2l's loop: {@code steps} updates {@code k -= lr * grad} of {@code sum((conv(X, k) - Y)^2)}, starting from
     * {@code initial} ([1, 1, 1, 2]); logs the loss every 2 steps as the book does.
     */
    public static Result d2l(Tensor initial, int steps, double lr) {
        Tensor x = stripe();
        Tensor y = dev.convolve.ops.Conv.conv(x, edgeKernel());
        Conv layer = new Conv(1, 1, new int[] {1, 2}, ConvOptions.defaults(), false, Init.uniform(-0.07, 0.07));
        layer.weight().assign(initial.asType(DType.F32));
        List<String> log = new ArrayList<>();
        double last = Double.NaN;
        for (int i = 0; i < steps; i++) {
            layer.zeroGrad();
            Variable yHat = layer.apply(x);
            Variable l = Losses.sumSquaredError(yHat, Variable.constant(y));
            l.backward();
            last = l.value().item();
            Tensor w = layer.weight().value();
            layer.weight().assign(w.subtract(layer.weight().grad().multiply(lr)).asType(DType.F32));
            if ((i + 1) % 2 == 0) log.add(String.format("batch %d, loss %.3f", i + 1, last));
        }
        return new Result("d2l", layer.weight().value().reshape(1, 2), edgeKernel().reshape(1, 2), log, last);
    }

    /** d2l with MXNet's default initialization, uniform in [-0.07, 0.07] (drawn from {@code seed}). */
    public static Result d2l(long seed) {
        return d2l(Tensor.randomUniform(seed, DType.F32, -0.07, 0.07, 1, 1, 1, 2), 10, 3e-2);
    }

    /**
     * probml's loop with {@link Grad#valueAndGrad}: {@code l, grads = value_and_grad(step)(params, X, Y)};
     * {@code params -= 3e-2 * grads}, 10 times, logging every 2 steps.
     */
    public static Result probml(Tensor initial, int steps, double lr) {
        Tensor x = stripe();
        Tensor y = dev.convolve.ops.Conv.conv(x, edgeKernel());
        Grad.ValueAndGrad step = Grad.valueAndGrad(p ->
                Functional.conv(Variable.constant(x), p[0], ConvOptions.defaults()).subtract(Variable.constant(y)).square().sum());
        Tensor params = initial.asType(DType.F32);
        List<String> log = new ArrayList<>();
        double last = Double.NaN;
        for (int i = 0; i < steps; i++) {
            Grad.Result r = step.apply(params);
            last = r.value().item();
            params = params.subtract(r.grad(0).multiply(lr));
            if ((i + 1) % 2 == 0) log.add(String.format("batch %d, loss %.3f", i + 1, last));
        }
        return new Result("probml", params.reshape(1, 2), edgeKernel().reshape(1, 2), log, last);
    }

    /** probml with Flax's default kernel init (LeCun normal, std 1/sqrt(2) here) drawn from {@code seed}. */
    public static Result probml(long seed) {
        return probml(Tensor.randomNormal(seed, DType.F32, 0, 1 / Math.sqrt(2), 1, 1, 1, 2).clip(-2 / Math.sqrt(2), 2 / Math.sqrt(2)), 10, 3e-2);
    }

    /** The Nx Livebook's true kernel: [-1, 0, 1] on the middle row of a 3x3. */
    public static Tensor nxTruth() {
        return Tensor.fromFloats(new float[] {0, 0, 0, -1, 0, 1, 0, 0, 0}, 1, 1, 3, 3);
    }

    /**
     * The Nx Livebook's run: {@code images} ([n, 1, 28, 28], values 0..255) and their edges under [-1, 0, 1]
     * (same padding); a 3x3 zero-initialized conv without bias, Adam(lr), mean squared error, batch 1, for
     * {@code epochs} epochs. Logs as Axon does: at the start of each epoch, the running average of every loss so far.
     */
    public static Result nx(Tensor images, int epochs, double lr) {
        Tensor x = images.asType(DType.F32);
        Tensor edge = Tensor.fromFloats(new float[] {-1, 0, 1}, 1, 1, 1, 3);
        ConvOptions same = ConvOptions.defaults().withPadding(Padding.same());
        Conv layer = new Conv(1, 1, new int[] {3, 3}, same, false, Init.zeros());
        layer.initialize(0);
        Map<String, Variable> params = layer.namedParameters();
        Adam adam = Adam.adam(params, lr);
        int n = x.dim(0);
        Tensor[] inputs = new Tensor[n], targets = new Tensor[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = x.sliceAxis(i, 1, 0);
            targets[i] = dev.convolve.ops.Conv.conv(inputs[i], edge, same);
        }
        List<String> log = new ArrayList<>();
        double epochLoss = Double.NaN, total = 0;
        long count = 0;
        for (int e = 0; e < epochs; e++) {
            // Axon prints, at the first batch of each epoch, the running average loss of every step so far.
            log.add(String.format("Epoch: %d, Batch: 0, loss: %.7f", e, count == 0 ? 0.0 : total / count));
            double sum = 0;
            for (int i = 0; i < n; i++) {
                adam.zeroGrad();
                Variable loss = Losses.meanSquaredError(layer.apply(inputs[i]), Variable.constant(targets[i]));
                loss.backward();
                adam.step();
                sum += loss.value().item();
            }
            total += sum;
            count += n;
            epochLoss = sum / n;
        }
        return new Result("nx", layer.weight().value().reshape(3, 3), nxTruth().reshape(3, 3), log, epochLoss);
    }
}
