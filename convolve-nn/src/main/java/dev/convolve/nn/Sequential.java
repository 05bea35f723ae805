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

    @Override
    protected Variable forward(Variable x) {
        for (Module m : layers) x = m.apply(x);
        return x;
    }

    @Override
    public String describe() { return "Sequential(" + layers.size() + " layers)"; }
}
