package dev.convolve.data;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Shuffled, seeded mini-batches of a {@link LabeledImages} set: epoch {@code e} visits the images in a
 * permutation drawn from {@code (seed, e)} alone, so a run resumed at an epoch boundary sees exactly the
 * batches the uninterrupted run would have. The last batch is smaller when the batch size does not divide the
 * count. Optional augmentation shifts each image by up to {@code maxShift} pixels (zero fill), drawn from the same
 * generator.
 */
public final class Batches {
    private final LabeledImages data;
    private final int batchSize;
    private final long seed;
    private final int maxShift;

    /** One batch: f32 images {@code [n, 1, h, w]} in [0, 1] and s32 labels {@code [n]}. */
    public record Batch(Tensor images, Tensor labels) {
        public int size() { return labels.dim(0); }
    }

    /** @throws IllegalArgumentException for a non-positive batch size or a negative shift */
    public Batches(LabeledImages data, int batchSize, long seed, int maxShift) {
        if (batchSize < 1) throw new IllegalArgumentException("batches: batch size must be positive, got " + batchSize);
        if (maxShift < 0) throw new IllegalArgumentException("batches: shift must be non-negative, got " + maxShift);
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.maxShift = maxShift;
    }

    /** Number of batches per epoch. */
    public int count() { return (data.count() + batchSize - 1) / batchSize; }

    public int batchSize() { return batchSize; }

    /** The visiting order of epoch {@code epoch} (a Fisher-Yates shuffle from the epoch's own generator). */
    public int[] order(int epoch) {
        int n = data.count();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = generator(epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    private SplittableRandom generator(int epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (epoch + 1));
    }

    /** The batches of one epoch, in order. */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        SplittableRandom shifts = generator(epoch).split();
        return () -> new java.util.Iterator<>() {
            int b = 0;

            @Override public boolean hasNext() { return b < count(); }

            @Override public Batch next() {
                int from = b * batchSize, n = Math.min(batchSize, data.count() - from);
                b++;
                return gather(order, from, n, shifts);
            }
        };
    }

    private Batch gather(int[] order, int from, int n, SplittableRandom shifts) {
        int h = data.height(), w = data.width(), hw = h * w;
        float[] x = new float[n * hw];
        int[] y = new int[n];
        byte[] px = data.pixels();
        for (int i = 0; i < n; i++) {
            int idx = order[from + i];
            y[i] = data.labels()[idx];
            int src = idx * hw, dst = i * hw;
            if (maxShift == 0) {
                for (int k = 0; k < hw; k++) x[dst + k] = (px[src + k] & 0xFF) * (1f / 255f);
            } else {
                int dy = shifts.nextInt(2 * maxShift + 1) - maxShift, dx = shifts.nextInt(2 * maxShift + 1) - maxShift;
                for (int r = 0; r < h; r++) {
                    int sr = r - dy;
                    if (sr < 0 || sr >= h) continue;
                    for (int c = 0; c < w; c++) {
                        int sc = c - dx;
                        if (sc < 0 || sc >= w) continue;
                        x[dst + r * w + c] = (px[src + sr * w + sc] & 0xFF) * (1f / 255f);
                    }
                }
            }
        }
        return new Batch(Tensor.wrap(DType.F32, Shape.of(n, 1, h, w), x), Tensor.wrap(DType.S32, Shape.of(n), y));
    }
}
