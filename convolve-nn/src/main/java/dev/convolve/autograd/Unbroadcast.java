package dev.convolve.autograd;

import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * The one place where broadcasting is undone: a gradient shaped like a broadcast result is summed over the axes
 * that broadcasting added (leading axes) or stretched (axes of size 1 in the input), giving the input's shape.
 */
public final class Unbroadcast {
    private Unbroadcast() {}

    /** Sums {@code g} down to {@code target} (which must broadcast to {@code g}'s shape). */
    public static Tensor to(Tensor g, Shape target) {
        Shape gs = g.shape();
        if (gs.equals(target)) return g;
        int r = gs.rank(), lead = r - target.rank();
        int count = 0;
        int[] tmp = new int[r];
        for (int i = 0; i < r; i++) {
            if (i < lead || (target.dim(i - lead) == 1 && gs.dim(i) != 1)) tmp[count++] = i;
        }
        int[] axes = java.util.Arrays.copyOf(tmp, count);
        Tensor s = count == 0 ? g : g.sum(axes, true);
        return s.reshape(target.dims());
    }
}
