package dev.convolve.nn;

import dev.convolve.autograd.Variable;

/**
 * A residual connection: {@code activation(body(x) + shortcut(x))}, the shortcut being the identity when null.
 * {@link #basicBlock} builds ResNet's basic block (two 3x3 convs with batch norm; a strided 1x1 conv with batch
 * norm on the shortcut when the shape changes).
 */
public final class Residual extends Module {
    private final Module body, shortcut;
    private final boolean relu;

    public Residual(Module body, Module shortcut, boolean reluAfter) {
        this.body = addChild("body", body);
        this.shortcut = shortcut == null ? null : addChild("shortcut", shortcut);
        this.relu = reluAfter;
    }

    /** ResNet's basic block from {@code in} to {@code out} channels, downsampling by {@code stride}. */
    public static Residual basicBlock(int in, int out, int stride) {
        Sequential body = new Sequential(
                conv3x3(in, out, stride), new BatchNorm(out), Activation.relu(),
                conv3x3(out, out, 1), new BatchNorm(out));
        Module shortcut = null;
        if (stride != 1 || in != out) {
            shortcut = new Sequential(
                    new Conv(in, out, new int[] {1, 1}, dev.convolve.plan.ConvOptions.defaults().withStrides(stride), false, Init.kaimingNormal()),
                    new BatchNorm(out));
        }
        return new Residual(body, shortcut, true);
    }

    static Conv conv3x3(int in, int out, int stride) {
        return new Conv(in, out, new int[] {3, 3},
                dev.convolve.plan.ConvOptions.defaults().withStrides(stride).withPadding(1, 1, 1, 1), false, Init.kaimingNormal());
    }

    @Override
    protected Variable forward(Variable x) {
        Variable y = body.apply(x);
        Variable s = shortcut == null ? x : shortcut.apply(x);
        Variable sum = y.add(s);
        return relu ? sum.relu() : sum;
    }

    @Override
    public String describe() { return "Residual(" + (shortcut == null ? "identity" : "projection") + " shortcut)"; }
}
