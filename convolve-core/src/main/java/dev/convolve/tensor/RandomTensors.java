package dev.convolve.tensor;

import java.util.SplittableRandom;

/** Seeded random tensors. The same seed, type and shape always give the same values. */
final class RandomTensors {
    private RandomTensors() {}

    static Tensor uniform(long seed, DType type, double low, double high, Shape shape) {
        if (!(low < high)) throw new IllegalArgumentException("random_uniform: low (" + low + ") must be below high (" + high + ")");
        SplittableRandom r = new SplittableRandom(seed);
        Object d = Buffers.allocate(type, shape.size());
        for (int i = 0; i < shape.size(); i++) {
            double v = low + (high - low) * r.nextDouble();
            if (type.isInteger()) Buffers.setLong(type, d, i, (long) Math.floor(v));
            else Buffers.setDouble(type, d, i, v);
        }
        return Tensor.wrap(type, shape, d);
    }

    static Tensor normal(long seed, DType type, double mean, double std, Shape shape) {
        if (!(std >= 0)) throw new IllegalArgumentException("random_normal: standard deviation must be non-negative, got " + std);
        SplittableRandom r = new SplittableRandom(seed);
        Object d = Buffers.allocate(type, shape.size());
        int n = shape.size();
        for (int i = 0; i < n; i += 2) {
            // Box-Muller: two independent normals per pair of uniforms.
            double u1 = 1.0 - r.nextDouble(), u2 = r.nextDouble();
            double rad = Math.sqrt(-2.0 * Math.log(u1));
            Buffers.setDouble(type, d, i, mean + std * rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) Buffers.setDouble(type, d, i + 1, mean + std * rad * Math.sin(2 * Math.PI * u2));
        }
        return Tensor.wrap(type, shape, d);
    }
}
