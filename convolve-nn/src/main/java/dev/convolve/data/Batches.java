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

    /** The batches of one epoch, in order, images batch-first {@code [n, 1, h, w]}. */
    public Iterable<Batch> epoch(int epoch) { return epoch(epoch, false); }

    /**
     * The batches of one epoch; with {@code batchLast} the images come as {@code [1, h, w, n]} (the batch-last memory
     * format of {@code dev.convolve.nn.Layout}), the same values transposed.
     */
    public Iterable<Batch> epoch(int epoch, boolean batchLast) {
        int[] order = order(epoch);
        SplittableRandom shifts = generator(epoch).split();
        return () -> new java.util.Iterator<>() {
            int b = 0;

            @Override public boolean hasNext() { return b < count(); }

            @Override public Batch next() {
                int from = b * batchSize, n = Math.min(batchSize, data.count() - from);
                b++;
                return gather(order, from, n, shifts, batchLast);
            }
        };
    }

    private Batch gather(int[] order, int from, int n, SplittableRandom shifts, boolean batchLast) {
        int h = data.height(), w = data.width(), hw = h * w;
        float[] x = new float[n * hw];
        int[] y = new int[n];
        byte[] px = data.pixels();
        int[] dy = new int[n], dx = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = data.labels()[order[from + i]];
            if (maxShift > 0) {
                dy[i] = shifts.nextInt(2 * maxShift + 1) - maxShift;
                dx[i] = shifts.nextInt(2 * maxShift + 1) - maxShift;
            }
        }
        // Element (image i, row r, column c) goes to i*hw + r*w + c (batch first) or (r*w + c)*n + i (batch last);
        // images are visited in blocks of 16 so batch-last writes stay within a few cache lines.
        for (int i0 = 0; i0 < n; i0 += 16) {
            int i1 = Math.min(n, i0 + 16);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int p = r * w + c;
                    for (int i = i0; i < i1; i++) {
                        int sr = r - dy[i], sc = c - dx[i];
                        float v = (sr < 0 || sr >= h || sc < 0 || sc >= w) ? 0f : (px[order[from + i] * hw + sr * w + sc] & 0xFF) * (1f / 255f);
                        x[batchLast ? p * n + i : i * hw + p] = v;
                    }
                }
            }
        }
        Shape shape = batchLast ? Shape.of(1, h, w, n) : Shape.of(n, 1, h, w);
        return new Batch(Tensor.wrap(DType.F32, shape, x), Tensor.wrap(DType.S32, Shape.of(n), y));
    }
}
