package dev.convolve.nn;

import dev.convolve.tensor.Tensor;

/** Non-trainable module state kept in checkpoints, such as batch norm's running mean and variance. */
public final class Buffer {
    private Tensor value;

    Buffer(Tensor value) { this.value = value; }

    public Tensor get() { return value; }

    /**
     * Replaces the value (same shape).
     *
     * @throws IllegalArgumentException when the shape differs
     */
    public void set(Tensor v) {
        if (!v.shape().equals(value.shape())) {
            throw new IllegalArgumentException("buffer: expected shape " + value.shape().toTuple() + ", got " + v.describe());
        }
        value = v;
    }
}
