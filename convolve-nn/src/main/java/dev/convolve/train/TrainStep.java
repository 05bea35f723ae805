package dev.convolve.train;

import dev.convolve.autograd.Variable;
import dev.convolve.autograd.kernels.StepBuffers;
import dev.convolve.data.Batches;
import dev.convolve.nn.Losses;
import dev.convolve.nn.Metrics;
import dev.convolve.nn.Module;
import dev.convolve.nn.Sequential;
import dev.convolve.optim.Optimizer;
import dev.convolve.optim.Schedule;
import java.util.Iterator;

/**
 * One optimizer step of the training loop: takes the next batch, runs forward, cross-entropy, backward and the
 * optimizer step with the scheduled learning rate, and counts the right predictions. The {@link Trainer} runs it on
 * the real data and the {@link Warmup} on random images of the same shape, so the JIT compiles exactly the code the
 * epochs run before they start. Each step's large arrays come from, and go back to, its {@link StepBuffers}.
 */
final class TrainStep {
    private final Module model;
    private final Optimizer opt;
    private final Schedule schedule;
    private final double labelSmoothing;
    private final boolean batchLast;
    private final StepBuffers buffers = new StepBuffers();

    /** Outcome of the last {@link #run}: the batch size and its number of right predictions. */
    int size, right;

    TrainStep(Module model, Optimizer opt, Schedule schedule, double labelSmoothing, boolean batchLast) {
        this.model = model;
        this.opt = opt;
        this.schedule = schedule;
        this.labelSmoothing = labelSmoothing;
        this.batchLast = batchLast;
    }

    Optimizer optimizer() { return opt; }

    /** Trains on {@code batches.next()}; returns the batch's mean loss (also sets {@link #size} and {@link #right}). */
    double run(Iterator<Batches.Batch> batches) {
        try (StepBuffers.Scope s = buffers.step()) {
            Batches.Batch batch = batches.next();
            opt.setLearningRate(schedule.at(opt.steps()));
            Variable logits = batchLast ? ((Sequential) model).applyLaidOut(Variable.constant(batch.images())) : model.apply(batch.images());
            Variable loss = Losses.crossEntropy(logits, batch.labels(), labelSmoothing);
            loss.backward();
            opt.step();
            opt.zeroGrad();
            size = batch.labels().size();
            right = Metrics.correct(logits.value(), batch.labels());
            return loss.value().item();
        }
    }
}
