package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Inverted dropout: in training, zeroes each element with probability {@code p} and scales the rest by
 * {@code 1 / (1 - p)}; the identity in evaluation. The masks come from a generator seeded at construction (and by
 * {@link #reseed}), so runs are reproducible.
 */
public final class Dropout extends Module {
    private final double p;
    private SplittableRandom random;

    /** @throws IllegalArgumentException unless {@code 0 <= p < 1} */
    public Dropout(double p) { this(p, 0); }

    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        this.p = p;
        this.random = new SplittableRandom(seed);
    }

    /** Restarts the mask generator (the trainer does this per epoch for exact resumption). */
    public void reseed(long seed) { random = new SplittableRandom(seed); }

    @Override
    protected Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        int n = x.value().size();
        double scale = 1 / (1 - p);
        double[] m = new double[n];
        for (int i = 0; i < n; i++) m[i] = random.nextDouble() >= p ? scale : 0;
        Tensor mask = Tensor.wrap(m, x.dims()).asType(x.dtype());
        return x.multiply(Variable.constant(mask));
    }

    @Override
    public String describe() { return "Dropout(" + p + ")"; }

}
