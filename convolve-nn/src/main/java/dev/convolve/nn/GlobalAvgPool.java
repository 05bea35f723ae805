package dev.convolve.nn;

import dev.convolve.autograd.Variable;

/**
 * Global average pooling: the mean over every spatial axis, giving batch-first {@code [N, C]} whatever the input
 * layout ({@code [N, C, S...]}, or {@code [C, S..., N]} when built for {@link Layout#BATCH_LAST}).
 */
public final class GlobalAvgPool extends Module {
    private final Layout layout;

    public GlobalAvgPool() { this(Layout.BATCH_FIRST); }

    public GlobalAvgPool(Layout layout) { this.layout = layout; }

    @Override
    protected Variable forward(Variable x) {
        if (x.rank() < 3) throw new IllegalArgumentException("global average pool: expected [N, C, spatial...], got " + x.value().describe());
        Variable m = x.mean(layout.spatialAxes(x.rank()));
        return layout == Layout.BATCH_LAST ? m.transpose(1, 0) : m;
    }

    @Override
    public String describe() { return "GlobalAvgPool"; }
}
