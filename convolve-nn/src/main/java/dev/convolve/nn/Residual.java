package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.plan.ConvOptions;

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

    /** ResNet's basic block from {@code in} to {@code out} channels, downsampling by {@code stride}, batch-first. */
    public static Residual basicBlock(int in, int out, int stride) { return basicBlock(in, out, stride, Layout.BATCH_FIRST); }

    /** ResNet's basic block for activations of {@code layout}. */
    public static Residual basicBlock(int in, int out, int stride, Layout layout) {
        Sequential body = new Sequential(
                conv(layout, in, out, 3, stride), new BatchNorm(out).inLayout(layout), Activation.relu(),
                conv(layout, out, out, 3, 1), new BatchNorm(out).inLayout(layout));
        Module shortcut = null;
        if (stride != 1 || in != out) {
            shortcut = new Sequential(conv(layout, in, out, 1, stride), new BatchNorm(out).inLayout(layout));
        }
        return new Residual(body, shortcut, true);
    }

    private static Conv conv(Layout layout, int in, int out, int k, int stride) {
        int p = k / 2;
        return new Conv(in, out, new int[] {k, k},
                layout.convOptions(ConvOptions.defaults().withStrides(stride).withPadding(p, p, p, p), 2), false, Init.kaimingNormal());
    }

    @Override
    protected Variable forward(Variable x) {
        Variable y = body.apply(x);
        Variable s = shortcut == null ? x : shortcut.apply(x);
        return relu ? y.addRelu(s) : y.add(s);
    }

    @Override
    public String describe() { return "Residual(" + (shortcut == null ? "identity" : "projection") + " shortcut)"; }
}
