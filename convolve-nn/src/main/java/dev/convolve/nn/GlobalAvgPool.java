package dev.convolve.nn;

import dev.convolve.autograd.Variable;

/** Global average pooling: the mean over every spatial axis, {@code [N, C, S1..Sn] -> [N, C]}. */
public final class GlobalAvgPool extends Module {
    @Override
    protected Variable forward(Variable x) {
        if (x.rank() < 3) throw new IllegalArgumentException("global average pool: expected [N, C, spatial...], got " + x.value().describe());
        int[] axes = new int[x.rank() - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
        return x.mean(axes);
    }

    @Override
    public String describe() { return "GlobalAvgPool"; }
}
