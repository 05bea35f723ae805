package dev.convolve.data;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Shuffled, seeded mini-batches of a {@link LabeledImages} set: epoch {@code e} visits the images in a
 * permutation drawn from {@code (seed, e)} alone, so a run resumed at an epoch boundary sees exactly the
 * batches the uninterrupted run would have. The last batch is smaller when the batch size does not divide the
 * count. Optional augmentation shifts each image by up to {@code maxShift} pixels (zero fill) and mirrors it left-right
 * with probability 1/2, drawn from the same generator.
 */
public final class Batches {
    /** Byte value to [0, 1]. */
    private static final float[] TO_UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) TO_UNIT[i] = i * (1f / 255f);
    }

    private final LabeledImages data;
    private final int batchSize;
    private final long seed;
    private final int maxShift;

    /** One batch: f32 images {@code [n, 1, h, w]} in [0, 1] and s32 labels {@code [n]}. */
    public record Batch(Tensor images, Tensor labels) {
        public int size() { return labels.dim(0); }
    }

    private final boolean flip;

    /** @throws IllegalArgumentException for a non-positive batch size or a negative shift */
    public Batches(LabeledImages data, int batchSize, long seed, int maxShift) { this(data, batchSize, seed, maxShift, false); }

    /** As {@link #Batches(LabeledImages, int, long, int)}, mirroring each image left-right with probability 1/2 when {@code flip}. */
    public Batches(LabeledImages data, int batchSize, long seed, int maxShift, boolean flip) {
        if (batchSize < 1) throw new IllegalArgumentException("batches: batch size must be positive, got " + batchSize);
        if (maxShift < 0) throw new IllegalArgumentException("batches: shift must be non-negative, got " + maxShift);
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.maxShift = maxShift;
        this.flip = flip;
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
        // Shifted images leave zeros where no source pixel lands.
        float[] x = maxShift > 0 ? dev.convolve.autograd.kernels.StepBuffers.zeroedFloats(n * hw) : dev.convolve.autograd.kernels.StepBuffers.floats(n * hw);
        int[] y = new int[n];
        byte[] px = data.pixels();
        int[] dy = new int[n], dx = new int[n];
        boolean[] mirror = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = data.labels()[order[from + i]];
            if (maxShift > 0) {
                dy[i] = shifts.nextInt(2 * maxShift + 1) - maxShift;
                dx[i] = shifts.nextInt(2 * maxShift + 1) - maxShift;
            }
            if (flip) mirror[i] = shifts.nextBoolean();
        }
        // Element (image i, row r, column c) goes to i*hw + r*w + c (batch first) or (r*w + c)*n + i (batch last);
        // batch-last visits images in blocks of 16 so that its writes stay within a few cache lines.
        int[] src = new int[n];
        for (int i = 0; i < n; i++) src[i] = order[from + i] * hw;
        if (!batchLast) {
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < h; r++) {
                    int sr = r - dy[i];
                    if (sr < 0 || sr >= h) continue;
                    int c0 = Math.max(0, dx[i]), c1 = Math.min(w, w + dx[i]);
                    int so = src[i] + sr * w - dx[i], d = i * hw + r * w;
                    if (mirror[i]) {
                        for (int c = c0; c < c1; c++) x[d + w - 1 - c] = TO_UNIT[px[so + c] & 0xFF];
                    } else {
                        for (int c = c0; c < c1; c++) x[d + c] = TO_UNIT[px[so + c] & 0xFF];
                    }
                }
            }
        } else {
            // Two halves of the pixel rows in parallel (each element is written once, so the result is the same).
            int blocks = (n + 15) / 16;
            int parts = n * hw >= 65536 ? Math.min(2, dev.convolve.backend.Threads.threads()) : 1;
            dev.convolve.autograd.kernels.Workers.run(parts, part -> {
                int r0 = h * part / parts, r1 = h * (part + 1) / parts;
                for (int b = 0; b < blocks; b++) {
                    int i0 = b * 16, i1 = Math.min(n, i0 + 16);
                    boolean noShift = maxShift == 0 && !flip;
                    for (int r = r0; r < r1; r++) {
                        for (int c = 0; c < w; c++) {
                            int p = r * w + c, d = p * n;
                            if (noShift) {
                                for (int i = i0; i < i1; i++) x[d + i] = TO_UNIT[px[src[i] + p] & 0xFF];
                            } else {
                                for (int i = i0; i < i1; i++) {
                                    int sr = r - dy[i], sc = (mirror[i] ? w - 1 - c : c) - dx[i];
                                    if (sr >= 0 && sr < h && sc >= 0 && sc < w) x[d + i] = TO_UNIT[px[src[i] + sr * w + sc] & 0xFF];
                                }
                            }
                        }
                    }
                }
            });
        }
        Shape shape = batchLast ? Shape.of(1, h, w, n) : Shape.of(n, 1, h, w);
        return new Batch(Tensor.wrap(DType.F32, shape, x), Tensor.wrap(DType.S32, Shape.of(n), y));
    }
}
