package dev.convolve.optim;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, in place (as PyTorch's optimizers do): at construction each
 * parameter's value is copied into storage the optimizer owns, and every {@link #step()} overwrites it. Keep
 * no references to a parameter's old {@code value()} across steps.
 *
 * <p>State (momentum buffers, moment estimates, the step count) can be saved and restored with {@link #state()}
 * and {@link #loadState(Map)}, so training resumes exactly.
 */
public abstract class Optimizer {
    private final List<String> names = new ArrayList<>();
    private final List<Variable> params = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    protected double learningRate;
    protected long steps;

    /** One parameter's storage and state, as float or double arrays (the parameter's type). */
    protected static final class Slot {
        final float[] f;
        final double[] d;
        final int n;
        final Map<String, Object> state = new LinkedHashMap<>();

        Slot(Object data) {
            f = data instanceof float[] a ? a : null;
            d = data instanceof double[] a ? a : null;
            n = f != null ? f.length : d.length;
        }

        /** A zeroed state array of the parameter's element type, created on first use. */
        Object buffer(String name) { return state.computeIfAbsent(name, k -> f != null ? new float[n] : new double[n]); }
    }

    /**
     * @param params named parameters (e.g. {@code model.namedParameters()}); each must be a floating-point leaf
     * @throws IllegalArgumentException for a non-positive learning rate or an unsupported parameter type
     */
    protected Optimizer(Map<String, Variable> params, double learningRate) {
        if (!(learningRate > 0)) throw new IllegalArgumentException(name() + ": learning rate must be positive, got " + learningRate);
        this.learningRate = learningRate;
        for (Map.Entry<String, Variable> e : params.entrySet()) {
            Variable v = e.getValue();
            DType t = v.dtype();
            if (t != DType.F32 && t != DType.F64) {
                throw new IllegalArgumentException(name() + ": parameter " + e.getKey() + " is " + v.value().describe() + "; only f32 and f64 are supported");
            }
            Object own = t == DType.F32 ? v.value().toFloatArray() : v.value().toDoubleArray();
            v.assign(Tensor.wrap(t, v.value().shape(), own));
            names.add(e.getKey());
            this.params.add(v);
            slots.add(new Slot(own));
        }
    }

    /** Short name used in messages and checkpoints, e.g. {@code sgd}. */
    public abstract String name();

    /** Updates one parameter (arrays of length {@code n}) given its gradient. */
    protected abstract void update(Slot p, float[] gf, double[] gd);

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g == null) continue;
            Slot s = slots.get(i);
            if (s.f != null) update(s, g.dtype() == DType.F32 ? g.floatData() : g.toFloatArray(), null);
            else update(s, null, g.dtype() == DType.F64 ? g.doubleData() : g.toDoubleArray());
        }
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        for (Variable v : params) v.zeroGrad();
    }

    public final double learningRate() { return learningRate; }

    /** Sets the learning rate for the next steps (schedules call this). */
    public final void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(name() + ": learning rate must be non-negative and finite, got " + lr);
        this.learningRate = lr;
    }

    /** Number of {@link #step()} calls so far. */
    public final long steps() { return steps; }

    /** The optimizer's state as named tensors ({@code <param>.<buffer>}, and {@code step}). */
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.scalar(steps));
        for (int i = 0; i < slots.size(); i++) {
            Shape shape = params.get(i).value().shape();
            for (Map.Entry<String, Object> e : slots.get(i).state.entrySet()) {
                Object arr = e.getValue();
                DType t = arr instanceof float[] ? DType.F32 : DType.F64;
                Object copy = arr instanceof float[] a ? a.clone() : ((double[]) arr).clone();
                out.put(names.get(i) + "." + e.getKey(), Tensor.wrap(t, shape, copy));
            }
        }
        return out;
    }

    /**
     * Restores state saved by {@link #state()} of an optimizer of the same kind over the same parameters.
     *
     * @throws IllegalArgumentException when an entry names an unknown parameter or has the wrong shape
     */
    public final void loadState(Map<String, Tensor> state) {
        Tensor st = state.get("step");
        steps = st == null ? 0 : st.getFlatLong(0);
        for (Slot s : slots) s.state.clear();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (e.getKey().equals("step")) continue;
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            int i = dot < 0 ? -1 : names.indexOf(key.substring(0, dot));
            if (i < 0) throw new IllegalArgumentException(name() + ": optimizer state '" + key + "' names no parameter of this model");
            Slot s = slots.get(i);
            Tensor t = e.getValue();
            if (t.size() != s.n) {
                throw new IllegalArgumentException(name() + ": optimizer state '" + key + "' has " + t.size() + " values, the parameter " + s.n);
            }
            s.state.put(key.substring(dot + 1), s.f != null ? t.toFloatArray() : t.toDoubleArray());
        }
    }
}
