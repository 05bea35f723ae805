package dev.convolve.autograd;

import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The functional way in, in the spirit of {@code jax.value_and_grad}: turn a function of tensors that returns a
 * scalar into one that returns the value and the gradient with respect to every argument. Nothing is kept between
 * calls (fresh leaves each time), so it composes with any optimizer loop.
 *
 * {@snippet :
 * // probml: learn the [1, -1] kernel with a sum of squared errors
 * var step = Grad.valueAndGrad(args -> Functional.conv(Variable.constant(x), args[0], ConvOptions.defaults())
 *         .subtract(Variable.constant(y)).square().sum());
 * Grad.Result r = step.apply(kernel);   // r.value(): the loss, r.grads().get(0): d loss / d kernel
 * }
 */
public final class Grad {
    private Grad() {}

    /** A function of variables returning a scalar variable. */
    @FunctionalInterface
    public interface Fn {
        Variable apply(Variable... args);
    }

    /** The value of the function and its gradient with respect to each argument (zeros for unused arguments). */
    public record Result(Tensor value, List<Tensor> grads) {
        public Result {
            grads = Collections.unmodifiableList(new ArrayList<>(grads));
        }

        /** Gradient with respect to argument {@code i}. */
        public Tensor grad(int i) { return grads.get(i); }
    }

    /** {@code f} differentiated with respect to all its arguments. */
    @FunctionalInterface
    public interface ValueAndGrad {
        Result apply(Tensor... args);
    }

    /**
     * Returns a function computing {@code f(args)} and its gradient with respect to every argument.
     *
     * @throws IllegalArgumentException (when applied) if {@code f} does not return a scalar or an argument is not floating point
     */
    public static ValueAndGrad valueAndGrad(Fn f) {
        return args -> {
            Variable[] vars = new Variable[args.length];
            for (int i = 0; i < args.length; i++) vars[i] = Variable.parameter(args[i]);
            Variable out;
            try (GradMode.Scope s = GradMode.enabled()) {
                out = f.apply(vars);
            }
            if (out.value().size() != 1) {
                throw new IllegalArgumentException("value_and_grad: the function must return a scalar, got " + out.value().describe());
            }
            if (out.requiresGrad()) out.backward();
            List<Tensor> grads = new ArrayList<>(args.length);
            for (Variable v : vars) grads.add(v.grad() != null ? v.grad() : Tensor.zerosLike(v.value()));
            return new Result(out.value().reshape(), grads);
        };
    }

    /** Just the gradients of {@code f} at {@code args} ({@code jax.grad}). */
    public static List<Tensor> grad(Fn f, Tensor... args) { return valueAndGrad(f).apply(args).grads(); }
}
