package dev.convolve.autograd;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * A tensor that remembers how it was computed, so gradients can flow back to it (PyTorch's autograd tensor).
 *
 * <p>Leaves are made with {@link #parameter} (wants a gradient) or {@link #constant} (does not). Every operation
 * on variables returns a new variable; when gradient recording is on ({@link GradMode}) and one of its inputs
 * wants a gradient, the result records the operation's backward {@link Rule}. {@link #backward()} then walks
 * the recorded graph in reverse topological order and <em>adds</em> the gradient into {@link #grad()} of every
 * leaf that wants one (as PyTorch does; call {@link #zeroGrad()} between steps). For the functional style of
 * {@code jax.value_and_grad} see {@link Grad}.
 *
 * {@snippet :
 * Variable w = Variable.parameter(Tensor.of(new double[] {1, 2}));
 * Variable loss = w.multiply(w).sum();     // sum(w^2)
 * loss.backward();
 * w.grad();                                // [2.0, 4.0]
 * }
 *
 * <p>Only floating-point tensors can want gradients. Shapes of every operation follow {@link Tensor}'s rules
 * (NumPy broadcasting, Nx types); invalid shapes throw {@link IllegalArgumentException} from the forward call.
 */
public final class Variable {
    private Tensor value;
    private Tensor grad;
    private final boolean requiresGrad;
    private final Rule rule;
    private final Variable[] inputs;
    private String name;

    private Variable(Tensor value, boolean requiresGrad, Rule rule, Variable[] inputs) {
        this.value = Objects.requireNonNull(value, "value");
        this.requiresGrad = requiresGrad;
        this.rule = rule;
        this.inputs = inputs;
    }

    // ------------------------------------------------------------------ creation

    /** A leaf that does not want a gradient. */
    public static Variable constant(Tensor value) { return new Variable(value, false, null, null); }

    /**
     * A leaf that wants a gradient (a trainable parameter or an input being differentiated).
     *
     * @throws IllegalArgumentException when the tensor is not floating point
     */
    public static Variable parameter(Tensor value) {
        if (!value.dtype().isFloat()) {
            throw new IllegalArgumentException("autograd: only floating-point tensors can have gradients, got " + value.describe());
        }
        return new Variable(value, true, null, null);
    }

    /**
     * The result of a primitive: records {@code rule} when recording is on and some input wants a gradient,
     * otherwise returns a constant. For use by the primitives' implementations (and user-defined primitives).
     */
    public static Variable record(Tensor value, Rule rule, Variable... inputs) {
        if (!GradMode.isEnabled()) return constant(value);
        boolean any = false;
        for (Variable v : inputs) any |= v.requiresGrad;
        if (!any) return constant(value);
        return new Variable(value, true, rule, inputs.clone());
    }

    // ------------------------------------------------------------------ accessors

    /** The computed value. */
    public Tensor value() { return value; }

    /** The accumulated gradient of a leaf after {@link #backward()}, or null if none has arrived yet. */
    public Tensor grad() { return grad; }

    /** True when gradients flow to (or through) this variable. */
    public boolean requiresGrad() { return requiresGrad; }

    /** True for variables made by {@link #parameter} or {@link #constant}, false for results of operations. */
    public boolean isLeaf() { return rule == null; }

    /** Forgets the accumulated gradient. */
    public void zeroGrad() { grad = null; }

    /** Sets the accumulated gradient (optimizers and checkpoint code). */
    public void setGrad(Tensor g) { grad = g; }

    /**
     * Replaces the value of a leaf, as an optimizer step does (shape and type must not change).
     *
     * @throws IllegalArgumentException for a non-leaf or a different shape or type
     */
    public void assign(Tensor newValue) {
        if (!isLeaf()) throw new IllegalArgumentException("autograd: only leaves can be assigned, not the result of an operation");
        if (!newValue.shape().equals(value.shape()) || newValue.dtype() != value.dtype()) {
            throw new IllegalArgumentException("autograd: assign must keep the type and shape " + value.describe() + ", got " + newValue.describe());
        }
        value = newValue;
    }

    /** A name shown in error messages and summaries (optional). */
    public String name() { return name; }

    public Variable named(String n) { this.name = n; return this; }

    public DType dtype() { return value.dtype(); }

    public int rank() { return value.rank(); }

    public int[] dims() { return value.dims(); }

    public int dim(int axis) { return value.dim(axis); }

    /** A constant holding the same value, cut off from the graph (PyTorch's {@code detach}). */
    public Variable detach() { return constant(value); }

    Rule rule() { return rule; }

    Variable[] inputs() { return inputs; }

    void accumulate(Tensor g) { grad = grad == null ? g : Accumulate.add(grad, g); }

    // ------------------------------------------------------------------ backward

    /**
     * Back-propagates from this scalar (a tensor with one element): adds d(this)/d(leaf) into the gradient of every
     * leaf that wants one.
     *
     * @throws IllegalArgumentException when this variable has more than one element or records nothing
     */
    public void backward() {
        if (value.size() != 1) {
            throw new IllegalArgumentException("backward: implicit gradient needs a scalar output, got " + value.describe()
                    + "; pass the output gradient with backward(gradient)");
        }
        backward(Tensor.full(1.0, value.dtype(), value.dims()));
    }

    /** Back-propagates the output gradient {@code seed} (shaped like this variable). */
    public void backward(Tensor seed) {
        if (!requiresGrad) {
            throw new IllegalArgumentException("backward: this variable does not depend on any parameter (no gradient is recorded)");
        }
        if (!seed.shape().equals(value.shape())) {
            throw new IllegalArgumentException("backward: the gradient must have the output's shape " + value.describe() + ", got " + seed.describe());
        }
        Backprop.run(this, seed.asType(value.dtype()));
    }

    // ------------------------------------------------------------------ elementwise (broadcasting)

    public Variable add(Variable o) { return Elementwise.add(this, o); }

    public Variable add(double c) { return Elementwise.addScalar(this, c); }

    public Variable subtract(Variable o) { return Elementwise.subtract(this, o); }

    public Variable subtract(double c) { return Elementwise.addScalar(this, -c); }

    public Variable multiply(Variable o) { return Elementwise.multiply(this, o); }

    public Variable multiply(double c) { return Elementwise.scale(this, c); }

    public Variable divide(Variable o) { return Elementwise.divide(this, o); }

    public Variable divide(double c) { return Elementwise.scale(this, 1.0 / c); }

    /** {@code this ^ exponent} elementwise. */
    public Variable pow(double exponent) { return Elementwise.powScalar(this, exponent); }

    /** {@code this ^ exponent} elementwise, differentiable in both (the base must be positive where the exponent's gradient is wanted). */
    public Variable pow(Variable exponent) { return Elementwise.pow(this, exponent); }

    /** Elementwise maximum; on ties the gradient is split equally. */
    public Variable maximum(Variable o) { return Elementwise.maximum(this, o); }

    /** Elementwise minimum; on ties the gradient is split equally. */
    public Variable minimum(Variable o) { return Elementwise.minimum(this, o); }

    public Variable negate() { return Elementwise.scale(this, -1.0); }

    public Variable square() { return Elementwise.powScalar(this, 2.0); }

    public Variable abs() { return Unary.abs(this); }

    public Variable exp() { return Unary.exp(this); }

    public Variable log() { return Unary.log(this); }

    public Variable sqrt() { return Unary.sqrt(this); }

    public Variable rsqrt() { return Unary.rsqrt(this); }

    public Variable tanh() { return Unary.tanh(this); }

    public Variable sigmoid() { return Unary.sigmoid(this); }

    public Variable erf() { return Unary.erf(this); }

    public Variable sin() { return Unary.sin(this); }

    public Variable cos() { return Unary.cos(this); }

    /** {@code max(x, 0)}; the gradient at 0 is 0 (as PyTorch). */
    public Variable relu() { return Activations.relu(this); }

    /** {@code x} for positive x, {@code slope * x} otherwise. */
    public Variable leakyRelu(double slope) { return Activations.leakyRelu(this, slope); }

    /** GELU with the exact erf form, {@code x * (1 + erf(x / sqrt 2)) / 2} (PyTorch's default). */
    public Variable gelu() { return Activations.gelu(this); }

    /** Limits to [min, max]; the gradient passes where {@code min <= x <= max}. */
    public Variable clip(double min, double max) { return Unary.clip(this, min, max); }

    /** Converts to another floating type; the gradient is converted back. */
    public Variable asType(DType type) { return Unary.asType(this, type); }

    // ------------------------------------------------------------------ shape

    public Variable reshape(int... shape) { return Movement.reshape(this, shape); }

    /** Keeps axes before {@code startAxis} and flattens the rest into one (PyTorch's {@code flatten(start_dim)}). */
    public Variable flatten(int startAxis) { return Movement.flatten(this, startAxis); }

    /** Permutes the axes: axis {@code i} of the result is axis {@code perm[i]}; no argument reverses the axes. */
    public Variable transpose(int... perm) { return Movement.transpose(this, perm); }

    public Variable newAxis(int axis) { return Movement.reshape(this, value.newAxis(axis).dims()); }

    public Variable squeeze(int... axes) { return Movement.reshape(this, value.squeeze(axes).dims()); }

    /** Nx's slice with strides; see {@link Tensor#slice(int[], int[], int[])}. */
    public Variable slice(int[] start, int[] lengths, int[] strides) { return Movement.slice(this, start, lengths, strides); }

    public Variable sliceAxis(int start, int length, int axis) { return Movement.sliceAxis(this, start, length, axis); }

    public Variable reverse(int... axes) { return Movement.reverse(this, axes); }

    public Variable broadcastTo(int... shape) { return Movement.broadcastTo(this, shape); }

    /** Nx's pad with a constant: low/high (negative crops) and interior padding per axis. */
    public Variable pad(double value, PadConfig config) { return Movement.pad(this, value, config); }

    /** Joins along an existing axis. */
    public static Variable concatenate(List<Variable> parts, int axis) { return Movement.concatenate(parts, axis); }

    /** Joins equally shaped variables along a new axis. */
    public static Variable stack(List<Variable> parts, int axis) { return Movement.stack(parts, axis); }

    // ------------------------------------------------------------------ reductions

    /** Sum over the given axes (all when none). */
    public Variable sum(int... axes) { return Reduce.sum(this, axes, false); }

    public Variable sum(int[] axes, boolean keepAxes) { return Reduce.sum(this, axes, keepAxes); }

    public Variable mean(int... axes) { return Reduce.mean(this, axes, false); }

    public Variable mean(int[] axes, boolean keepAxes) { return Reduce.mean(this, axes, keepAxes); }

    /** Maximum over axes; the gradient is shared equally among tied maxima. */
    public Variable reduceMax(int... axes) { return Reduce.extreme(this, axes, false, true); }

    public Variable reduceMax(int[] axes, boolean keepAxes) { return Reduce.extreme(this, axes, keepAxes, true); }

    public Variable reduceMin(int... axes) { return Reduce.extreme(this, axes, false, false); }

    public Variable reduceMin(int[] axes, boolean keepAxes) { return Reduce.extreme(this, axes, keepAxes, false); }

    /** Product over axes (zeros handled exactly). */
    public Variable product(int... axes) { return Reduce.product(this, axes, false); }

    // ------------------------------------------------------------------ linear algebra and normalisation

    /** Matrix product with NumPy's rules, batch axes broadcasting; see {@link Tensor#matmul}. */
    public Variable matmul(Variable o) { return LinearAlgebra.matmul(this, o); }

    /** Softmax along {@code axis}, computed stably. */
    public Variable softmax(int axis) { return Activations.softmax(this, axis); }

    /** Log-softmax along {@code axis}, computed stably. */
    public Variable logSoftmax(int axis) { return Activations.logSoftmax(this, axis); }

    @Override
    public String toString() {
        return "Variable" + (name == null ? "" : "(" + name + ")") + "[" + value.describe() + (requiresGrad ? ", requires grad" : "") + "]";
    }
}
