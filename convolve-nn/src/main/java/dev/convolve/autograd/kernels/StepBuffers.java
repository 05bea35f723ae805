package dev.convolve.autograd.kernels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycled float arrays for the large tensors of a training step (batch images, conv outputs, their gradients),
 * so that a training loop does not allocate megabytes per step.
 *
 * <p>A training loop owns one {@code StepBuffers} and wraps each step in {@link #step()}: while the scope is open,
 * {@link #floats} on that thread hands out arrays that earlier steps gave back; closing the scope gives back every
 * array handed out in it. Nothing from a step may be used after its scope closes (the loop reads the loss and the
 * predictions inside the scope). Outside a scope, and on other threads, {@link #floats} simply allocates, so the
 * kernels behave as before for every other caller. Without recycling, a small model's training allocates its whole
 * activations every step (about 6 MB per batch of 256 for fast.ai's simple_cnn, 1.4 GB per MNIST epoch): the heap
 * grows, and every new page of it is faulted in and missed in cache.
 */
public final class StepBuffers {
    private static final ThreadLocal<StepBuffers> ACTIVE = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final ArrayList<float[]> lent = new ArrayList<>();
    private Thread owner;

    /** The scope of one step; closing it gives back every array handed out since {@link #step()}. */
    public final class Scope implements AutoCloseable {
        private Scope() {}

        @Override
        public void close() {
            ACTIVE.remove();
            owner = null;
            for (float[] a : lent) free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
            lent.clear();
        }
    }

    /**
     * Opens a step on the calling thread.
     *
     * @throws IllegalStateException when a step of these buffers, or of others on this thread, is already open
     */
    public Scope step() {
        if (owner != null) throw new IllegalStateException("step buffers: a step is already open on " + owner.getName());
        if (ACTIVE.get() != null) throw new IllegalStateException("step buffers: another step is open on this thread");
        owner = Thread.currentThread();
        ACTIVE.set(this);
        return new Scope();
    }

    /**
     * A float array of length {@code n}. Inside a step on this thread it may be a recycled array with arbitrary
     * contents (the caller must write every element before reading it); otherwise a new, zeroed array.
     */
    public static float[] floats(int n) {
        StepBuffers b = ACTIVE.get();
        return b == null ? new float[n] : b.take(n);
    }

    /** As {@link #floats}, but always zeroed. */
    public static float[] zeroedFloats(int n) {
        StepBuffers b = ACTIVE.get();
        if (b == null) return new float[n];
        float[] a = b.take(n);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    private float[] take(int n) {
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null || q.isEmpty() ? new float[n] : q.pop();
        lent.add(a);
        return a;
    }
}
