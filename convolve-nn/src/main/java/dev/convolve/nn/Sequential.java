package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import java.util.ArrayList;
import java.util.List;

/** Modules applied one after another; children are named {@code 0, 1, 2, ...} as in PyTorch. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    public Sequential(List<? extends Module> layers) {
        for (Module m : layers) add(m);
    }

    /** Appends a layer. */
    public Sequential add(Module m) {
        addChild(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    public List<Module> layers() { return List.copyOf(layers); }

    public Module get(int i) { return layers.get(i); }

    public int size() { return layers.size(); }

    private Layout inputLayout = Layout.BATCH_FIRST;

    /**
     * Declares that the layers are built for {@code layout}: the model still takes batch-first input and converts it
     * on entry (the last layers are expected to return batch-first results, as {@link Flatten} and
     * {@link GlobalAvgPool} built for that layout do).
     */
    public Sequential withInputLayout(Layout layout) {
        this.inputLayout = layout;
        return this;
    }

    public Layout inputLayout() { return inputLayout; }

    /** Runs the layers in order; a Conv or a BatchNorm (training) followed by a ReLU runs as one fused primitive. */
    @Override
    protected Variable forward(Variable x) { return forwardLaidOut(inputLayout.fromBatchFirst(x)); }

    /**
     * Runs the model on input already in its {@link #inputLayout()} (the trainer gathers batch-last batches
     * directly, saving a transpose).
     */
    public Variable applyLaidOut(Variable x) {
        Variable y = forwardLaidOut(x);
        recordOutput(y);
        return y;
    }

    private Variable forwardLaidOut(Variable x) {
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof Conv c && i + 1 < layers.size() && layers.get(i + 1) instanceof Activation a && a.kind() == Activation.Kind.RELU) {
                x = c.forwardRelu(x);
                Summary.record(c, x);
                a.recordOutput(x);
                i++;
                continue;
            }
            if (m instanceof BatchNorm bn && bn.isTraining() && i + 1 < layers.size() && layers.get(i + 1) instanceof Activation a
                    && a.kind() == Activation.Kind.RELU) {
                x = bn.forwardRelu(x);
                Summary.record(bn, x);
                a.recordOutput(x);
                i++;
                continue;
            }
            x = m.apply(x);
        }
        return x;
    }

    @Override
    public String describe() { return "Sequential(" + layers.size() + " layers)"; }
}
