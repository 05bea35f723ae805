package dev.convolve.nn;

import dev.convolve.autograd.Variable;

/**
 * Elementwise activations as layers: ReLU, LeakyReLU, GELU, sigmoid, tanh, and softmax along an axis.
 *
 * {@snippet :
 * new Sequential(Conv.conv2d(1, 4, 3, 2, 1), Activation.relu());
 * }
 */
public final class Activation extends Module {
    /** The function an {@link Activation} applies. */
    public enum Kind { RELU, LEAKY_RELU, GELU, SIGMOID, TANH, SOFTMAX }

    private final Kind kind;
    private final double slope;
    private final int axis;

    private Activation(Kind kind, double slope, int axis) {
        this.kind = kind;
        this.slope = slope;
        this.axis = axis;
    }

    public static Activation relu() { return new Activation(Kind.RELU, 0, 0); }

    /** PyTorch's default slope is 0.01. */
    public static Activation leakyRelu(double slope) { return new Activation(Kind.LEAKY_RELU, slope, 0); }

    public static Activation gelu() { return new Activation(Kind.GELU, 0, 0); }

    public static Activation sigmoid() { return new Activation(Kind.SIGMOID, 0, 0); }

    public static Activation tanh() { return new Activation(Kind.TANH, 0, 0); }

    /** Softmax along {@code axis} (1 for {@code [N, classes]}). */
    public static Activation softmax(int axis) { return new Activation(Kind.SOFTMAX, 0, axis); }

    public Kind kind() { return kind; }

    @Override
    protected Variable forward(Variable x) {
        return switch (kind) {
            case RELU -> x.relu();
            case LEAKY_RELU -> x.leakyRelu(slope);
            case GELU -> x.gelu();
            case SIGMOID -> x.sigmoid();
            case TANH -> x.tanh();
            case SOFTMAX -> x.softmax(axis);
        };
    }

    @Override
    public String describe() {
        return switch (kind) {
            case RELU -> "ReLU";
            case LEAKY_RELU -> "LeakyReLU(" + slope + ")";
            case GELU -> "GELU";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case SOFTMAX -> "Softmax(axis=" + axis + ")";
        };
    }
}
