package dev.convolve.autograd;

import dev.convolve.tensor.Tensor;

/**
 * The backward rule of one primitive: given the gradient of the loss with respect to the primitive's output,
 * returns the gradient with respect to each input (a vector-Jacobian product). {@code needs[i]} says whether
 * input {@code i} wants a gradient; a rule may return null for inputs that do not, and should skip their work.
 * Returned gradients must have the shape of the corresponding input (broadcasting is undone by the rule, see
 * {@link Unbroadcast}).
 */
@FunctionalInterface
public interface Rule {
    Tensor[] apply(Tensor gradOut, boolean[] needs);
}
