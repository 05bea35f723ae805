package dev.convolve.nn;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Parameter initializers. Fans follow PyTorch: for a weight {@code [out, in, k1..kn]} (conv) or {@code [out, in]}
 * (dense), {@code fanIn = in * k1 * ... * kn} and {@code fanOut = out * k1 * ... * kn}.
 *
 * <ul>
 *   <li>{@link #zeros()}, {@link #ones()}, {@link #constant(double)}</li>
 *   <li>{@link #kaimingUniform()} / {@link #kaimingNormal()}: He et al. for ReLU, std {@code sqrt(2 / fanIn)}</li>
 *   <li>{@link #glorotUniform()} / {@link #glorotNormal()}: Xavier, variance {@code 2 / (fanIn + fanOut)}</li>
 *   <li>{@link #pytorchWeight()} / {@link #pytorchBias(int)}: PyTorch's defaults for Conv and Linear,
 *       {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} (kaiming_uniform with a = sqrt 5) for both</li>
 * </ul>
 */
@FunctionalInterface
public interface Init {
    /** A tensor of the given type and shape, drawn reproducibly from {@code seed}. */
    Tensor create(long seed, DType type, int[] shape);

    static Init zeros() { return (s, t, d) -> Tensor.zeros(t, d); }

    static Init ones() { return constant(1.0); }

    static Init constant(double v) { return (s, t, d) -> Tensor.full(v, t, d); }

    static Init uniform(double low, double high) { return (s, t, d) -> Tensor.randomUniform(s, t, low, high, d); }

    static Init normal(double mean, double std) { return (s, t, d) -> Tensor.randomNormal(s, t, mean, std, d); }

    static Init kaimingUniform() {
        return (s, t, d) -> {
            double bound = Math.sqrt(6.0 / fanIn(d));
            return Tensor.randomUniform(s, t, -bound, bound, d);
        };
    }

    static Init kaimingNormal() { return (s, t, d) -> Tensor.randomNormal(s, t, 0, Math.sqrt(2.0 / fanIn(d)), d); }

    static Init glorotUniform() {
        return (s, t, d) -> {
            double bound = Math.sqrt(6.0 / (fanIn(d) + fanOut(d)));
            return Tensor.randomUniform(s, t, -bound, bound, d);
        };
    }

    static Init glorotNormal() { return (s, t, d) -> Tensor.randomNormal(s, t, 0, Math.sqrt(2.0 / (fanIn(d) + fanOut(d))), d); }

    /** PyTorch's default weight init for Conv and Linear: {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}. */
    static Init pytorchWeight() {
        return (s, t, d) -> {
            double bound = 1.0 / Math.sqrt(fanIn(d));
            return Tensor.randomUniform(s, t, -bound, bound, d);
        };
    }

    /** PyTorch's default bias init, {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} with the fan-in of the layer's weight. */
    static Init pytorchBias(int weightFanIn) {
        return (s, t, d) -> {
            double bound = 1.0 / Math.sqrt(weightFanIn);
            return Tensor.randomUniform(s, t, -bound, bound, d);
        };
    }

    /** Fan-in of a weight shape: every axis but the first (1 for a vector). */
    static int fanIn(int[] d) {
        if (d.length < 2) return Math.max(1, d.length == 1 ? d[0] : 1);
        int f = 1;
        for (int i = 1; i < d.length; i++) f *= d[i];
        return Math.max(f, 1);
    }

    /** Fan-out of a weight shape: the first axis times the receptive field. */
    static int fanOut(int[] d) {
        if (d.length < 2) return Math.max(1, d.length == 1 ? d[0] : 1);
        int f = d[0];
        for (int i = 2; i < d.length; i++) f *= d[i];
        return Math.max(f, 1);
    }

    /** Initializer by name: zeros, ones, kaiming-uniform, kaiming-normal, glorot-uniform, glorot-normal, pytorch. */
    static Init byName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
            case "zeros" -> zeros();
            case "ones" -> ones();
            case "kaiming-uniform", "he-uniform" -> kaimingUniform();
            case "kaiming-normal", "he-normal" -> kaimingNormal();
            case "glorot-uniform", "xavier-uniform" -> glorotUniform();
            case "glorot-normal", "xavier-normal" -> glorotNormal();
            case "pytorch", "default" -> pytorchWeight();
            default -> throw new IllegalArgumentException("init: unknown initializer '" + name
                    + "', expected zeros, ones, kaiming-uniform, kaiming-normal, glorot-uniform, glorot-normal or pytorch");
        };
    }
}
