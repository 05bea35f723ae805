package dev.convolve.nn;

import dev.convolve.autograd.Variable;
import dev.convolve.plan.ConvOptions;

/**
 * Where the batch axis of image activations lives.
 *
 * <ul>
 *   <li>{@link #BATCH_FIRST}: {@code [N, C, H, W]}, PyTorch's default and the layout models take and give.</li>
 *   <li>{@link #BATCH_LAST}: {@code [C, H, W, N]}, a memory format for training small images in large batches
 *       (in the spirit of PyTorch's {@code channels_last}): every tap of a convolution is a contiguous run over the
 *       batch, so convs, pooling and batch norm become plain vector loops. Models built in this layout convert
 *       their input on entry and return {@code [N, classes]}; parameters have the same shapes and names in
 *       both layouts, so checkpoints are interchangeable.</li>
 * </ul>
 */
public enum Layout {
    BATCH_FIRST, BATCH_LAST;

    /** The channel axis of a rank-{@code r} activation. */
    public int channelAxis(int r) { return this == BATCH_FIRST ? 1 : 0; }

    /** The batch axis of a rank-{@code r} activation. */
    public int batchAxis(int r) { return this == BATCH_FIRST ? 0 : r - 1; }

    /** The spatial axes of a rank-{@code r} activation. */
    public int[] spatialAxes(int r) {
        int[] a = new int[r - 2];
        for (int i = 0; i < a.length; i++) a[i] = this == BATCH_FIRST ? i + 2 : i + 1;
        return a;
    }

    /** {@code options} with the permutations of this layout for {@code spatialRank} spatial axes (kernel stays OIHW). */
    public ConvOptions convOptions(ConvOptions options, int spatialRank) {
        if (this == BATCH_FIRST) return options;
        String sp = "DHW".substring(3 - Math.min(3, spatialRank));
        if (spatialRank > 3) throw new IllegalArgumentException("layout: batch-last convs support up to 3 spatial axes, got " + spatialRank);
        return options.withLayout("C" + sp + "N", "OI" + sp, "C" + sp + "N");
    }

    /** A batch-first activation in this layout (moves axis 0 to the end for {@link #BATCH_LAST}). */
    public Variable fromBatchFirst(Variable x) {
        if (this == BATCH_FIRST) return x;
        int r = x.rank();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = (i + 1) % r;
        return x.transpose(p);
    }

    /** An activation of this layout in the batch-first layout. */
    public Variable toBatchFirst(Variable x) {
        if (this == BATCH_FIRST) return x;
        int r = x.rank();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = (i + r - 1) % r;
        return x.transpose(p);
    }
}
