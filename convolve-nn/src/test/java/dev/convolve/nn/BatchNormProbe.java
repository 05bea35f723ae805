package dev.convolve.nn;

import dev.convolve.autograd.Variable;

/** Runs a batch norm with given parameter variables (so a gradient check can perturb them). */
final class BatchNormProbe {
    private BatchNormProbe() {}

    static Variable apply(BatchNorm bn, Variable x, Variable gamma, Variable beta) {
        bn.onParameterReplaced("weight", gamma);
        bn.onParameterReplaced("bias", beta);
        bn.train(true);
        return bn.apply(x);
    }
}
