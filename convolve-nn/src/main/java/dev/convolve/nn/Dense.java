package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear}: input {@code [N, in]}, weight {@code [out, in]}, bias
 * {@code [out]}, output {@code x W^T + b} of shape {@code [N, out]}. PyTorch's default initialization.
 */
public final class Dense extends Module {
    private final int in, out;
    private Variable weight, bias;

    public Dense(int in, int out) { this(in, out, true, Init.pytorchWeight()); }

    /**
     * @throws IllegalArgumentException when a size is not positive
     */
    public Dense(int in, int out, boolean bias, Init weightInit) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("dense: sizes must be positive, got " + in + " in and " + out + " out");
        this.in = in;
        this.out = out;
        weight = addParameter("weight", weightInit.create(0, DType.F32, new int[] {out, in}), weightInit);
        if (bias) {
            Init bi = Init.pytorchBias(in);
            this.bias = addParameter("bias", bi.create(1, DType.F32, new int[] {out}), bi);
        }
    }

    @Override
    protected void onParameterReplaced(String name, Variable v) {
        if (name.equals("weight")) weight = v;
        else bias = v;
    }

    public Variable weight() { return weight; }

    public Variable bias() { return bias; }

    @Override
    protected Variable forward(Variable x) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException("dense: expected input [N, " + in + "], got " + x.value().describe());
        }
        Variable y = x.matmul(weight.transpose());
        return bias == null ? y : ChannelOps.addBias(y, bias, 1);
    }

    @Override
    public String describe() { return "Dense(" + in + ", " + out + (bias == null ? ", no bias" : "") + ")"; }
}
