package dev.convolve.nn;

import dev.convolve.autograd.Variable;

/** Flattens every axis from {@code startAxis} (default 1) into one: {@code [N, C, H, W] -> [N, C*H*W]}. */
public final class Flatten extends Module {
    private final int startAxis;

    public Flatten() { this(1); }

    public Flatten(int startAxis) { this.startAxis = startAxis; }

    @Override
    protected Variable forward(Variable x) { return x.flatten(startAxis); }

    @Override
    public String describe() { return "Flatten"; }
}
