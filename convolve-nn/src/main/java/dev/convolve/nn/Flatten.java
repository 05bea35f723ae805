package dev.convolve.nn;

import dev.convolve.autograd.Variable;

/**
 * Flattens every axis from {@code startAxis} (default 1) into one: {@code [N, C, H, W] -> [N, C*H*W]}. Built for
 * {@link Layout#BATCH_LAST}, it takes {@code [C, H, W, N]} and gives the same batch-first {@code [N, C*H*W]}
 * (elements in C, H, W order, as PyTorch's flatten of the batch-first tensor).
 */
public final class Flatten extends Module {
    private final int startAxis;
    private final Layout layout;

    public Flatten() { this(1, Layout.BATCH_FIRST); }

    public Flatten(int startAxis) { this(startAxis, Layout.BATCH_FIRST); }

    public Flatten(Layout layout) { this(1, layout); }

    public Flatten(int startAxis, Layout layout) {
        this.startAxis = startAxis;
        this.layout = layout;
    }

    @Override
    protected Variable forward(Variable x) {
        if (layout == Layout.BATCH_LAST) {
            int n = x.dim(x.rank() - 1);
            Variable flat = x.reshape(-1, n);
            return flat.dim(0) == 1 ? flat.reshape(n, 1) : flat.transpose(1, 0);
        }
        return x.flatten(startAxis);
    }

    @Override
    public String describe() { return "Flatten"; }
}
