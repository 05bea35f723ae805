package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a model: maps a batch to a batch and owns named trainable parameters (PyTorch's {@code nn.Module}).
 *
 * <p>Call a module with {@link #apply(Variable)} (PyTorch's {@code module(x)}); subclasses implement
 * {@link #forward(Variable)}. Parameters are {@link Variable} leaves that want gradients; non-trainable state
 * (batch-norm running statistics) lives in {@link Buffer}s. Names follow PyTorch's {@code state_dict}:
 * {@code "0.weight"}, {@code "3.block.1.running_mean"}.
 *
 * <p>Modules start in training mode; {@link #train(boolean)} switches this module and its children (dropout and
 * batch norm behave differently in evaluation).
 */
public abstract class Module {
    private final Map<String, Variable> params = new LinkedHashMap<>();
    private final Map<String, Init> inits = new LinkedHashMap<>();
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The computation of this module on a batch. */
    protected abstract Variable forward(Variable x);

    /** A one-line description such as {@code Conv2d(1, 4, kernel=3x3, stride=2, padding=1)}. */
    public abstract String describe();

    /** Runs the module on {@code x} (records the output shape when a {@link Summary} is being built). */
    public final Variable apply(Variable x) {
        Variable y = forward(x);
        Summary.record(this, y);
        return y;
    }

    /** Runs the module on a tensor (a constant input). */
    public final Variable apply(Tensor x) { return apply(Variable.constant(x)); }

    // ------------------------------------------------------------------ registration (for subclasses)

    /** Registers a trainable parameter with its initializer and returns it. */
    protected final Variable addParameter(String name, Tensor initial, Init init) {
        Variable v = Variable.parameter(initial).named(name);
        params.put(name, v);
        inits.put(name, init);
        return v;
    }

    /** Registers non-trainable state saved in checkpoints. */
    protected final Buffer addBuffer(String name, Tensor initial) {
        Buffer b = new Buffer(initial);
        buffers.put(name, b);
        return b;
    }

    /** Registers a child module under {@code name}. */
    protected final <M extends Module> M addChild(String name, M child) {
        children.put(name, child);
        return child;
    }

    /** The direct children in registration order. */
    public final Map<String, Module> children() { return java.util.Collections.unmodifiableMap(children); }

    // ------------------------------------------------------------------ parameters and state

    /** Every trainable parameter of this module and its descendants, by qualified name, in a stable order. */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    /** Every buffer of this module and its descendants, by qualified name. */
    public final Map<String, Buffer> namedBuffers() {
        Map<String, Buffer> out = new LinkedHashMap<>();
        collect("", null, out);
        return out;
    }

    private void collect(String prefix, Map<String, Variable> ps, Map<String, Buffer> bs) {
        if (ps != null) params.forEach((k, v) -> ps.put(prefix + k, v));
        if (bs != null) buffers.forEach((k, v) -> bs.put(prefix + k, v));
        children.forEach((k, c) -> c.collect(prefix + k + ".", ps, bs));
    }

    /** The trainable parameters in order. */
    public final List<Variable> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Total number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Variable v : parameters()) n += v.value().size();
        return n;
    }

    /** Number of trainable scalars owned directly by this module (not its children). */
    public final long ownParameterCount() {
        long n = 0;
        for (Variable v : params.values()) n += v.value().size();
        return n;
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        for (Variable v : parameters()) v.zeroGrad();
    }

    /**
     * Re-draws every parameter from its initializer, reproducibly: parameter number {@code i} (in
     * {@link #namedParameters()} order) uses a generator seeded from {@code seed} and {@code i}.
     */
    public final Module initialize(long seed) {
        int[] index = {0};
        initializeTree(seed, index);
        return this;
    }

    private void initializeTree(long seed, int[] index) {
        for (Map.Entry<String, Variable> e : params.entrySet()) {
            Variable v = e.getValue();
            long s = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + index[0]++).nextLong();
            v.assign(inits.get(e.getKey()).create(s, v.dtype(), v.dims()));
        }
        for (Module c : children.values()) c.initializeTree(seed, index);
    }

    /** Converts every parameter and buffer to {@code type} (f64 for gradient checks). */
    public final Module to(DType type) {
        for (Map.Entry<String, Variable> e : params.entrySet()) {
            Variable old = e.getValue();
            Variable nv = Variable.parameter(old.value().asType(type)).named(old.name());
            e.setValue(nv);
            onParameterReplaced(e.getKey(), nv);
        }
        for (Buffer b : buffers.values()) b.set(b.get().asType(type));
        for (Module c : children.values()) c.to(type);
        return this;
    }

    /** Subclasses that keep a parameter in a field update it here after {@link #to(DType)}. */
    protected void onParameterReplaced(String name, Variable replacement) {}

    /** The parameter registered under {@code name} on this module. */
    protected final Variable parameter(String name) { return params.get(name); }

    // ------------------------------------------------------------------ mode

    /** Switches training ({@code true}) or evaluation mode for this module and its descendants. */
    public final Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    /** Evaluation mode ({@code train(false)}). */
    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    @Override
    public String toString() { return describe(); }
}
