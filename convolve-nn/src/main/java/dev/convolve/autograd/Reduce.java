package dev.convolve.autograd;

import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/** Reductions over axes and their gradients (broadcast back over the reduced axes). */
final class Reduce {
    private Reduce() {}

    /** The input's shape with every reduced axis set to 1, and the number of reduced elements. */
    private static int[] keptDims(Shape s, int[] axes) {
        int r = s.rank();
        int[] d = s.dims();
        if (axes.length == 0) {
            java.util.Arrays.fill(d, 1);
            return d;
        }
        for (int a : axes) d[s.normalizeAxis(a)] = 1;
        return d;
    }

    static Variable sum(Variable a, int[] axes, boolean keep) {
        Tensor x = a.value();
        Tensor out = FastMath.sum(x, axes, keep);
        int[] kept = keptDims(x.shape(), axes);
        int[] full = x.dims();
        return Variable.record(out, (g, n) -> new Tensor[] {FastMath.broadcast(g.reshape(kept), full)}, a);
    }

    static Variable mean(Variable a, int[] axes, boolean keep) {
        Tensor x = a.value();
        int[] kept = keptDims(x.shape(), axes);
        int count = x.size() / Math.max(1, Shape.of(kept).size());
        if (x.size() == 0) count = 0;
        Tensor out = FastMath.sum(x.dtype().isFloat() ? x : x.asType(x.dtype().toFloating()), axes, keep).multiply(1.0 / count);
        int[] full = x.dims();
        double scale = 1.0 / count;
        return Variable.record(out, (g, n) -> new Tensor[] {FastMath.broadcast(g.reshape(kept).multiply(scale), full)}, a);
    }

    /** Max or min: the gradient is shared equally among the elements equal to the extreme (as JAX does). */
    static Variable extreme(Variable a, int[] axes, boolean keep, boolean max) {
        Tensor x = a.value();
        Tensor outKept = max ? x.reduceMax(axes, true) : x.reduceMin(axes, true);
        int[] kept = outKept.dims();
        Tensor out = keep ? outKept : outKept.reshape(dropAxes(x.shape(), axes));
        return Variable.record(out, (g, n) -> {
            Tensor hit = x.equal(outKept).asType(g.dtype());
            Tensor count = hit.sum(axes, true);
            return new Tensor[] {hit.multiply(g.reshape(kept).divide(count))};
        }, a);
    }

    /**
     * Product: d/dx_i = product of the other elements. Computed without dividing by zero: with p the product of the
     * non-zero elements and z the number of zeros in the group, the gradient is p / x_i when z = 0, p at the single
     * zero when z = 1, and 0 otherwise.
     */
    static Variable product(Variable a, int[] axes, boolean keep) {
        Tensor x = a.value();
        Tensor out = x.product(axes);
        if (keep) out = out.reshape(keptDims(x.shape(), axes));
        int[] kept = keptDims(x.shape(), axes);
        return Variable.record(out, (g, n) -> {
            Tensor zero = x.equal(Tensor.zerosLike(x)).asType(x.dtype());
            Tensor nonZero = Tensor.select(zero, Tensor.full(1.0, x.dtype()), x);
            Tensor p = nonZero.product(axes).reshape(kept);
            Tensor z = zero.sum(axes, true);
            Tensor noZeros = z.equal(Tensor.zerosLike(z)).asType(x.dtype());
            Tensor oneZero = z.equal(Tensor.full(1.0, z.dtype(), z.dims())).asType(x.dtype());
            Tensor whenNone = p.divide(nonZero).multiply(noZeros);
            Tensor whenOne = p.multiply(oneZero).multiply(zero);
            return new Tensor[] {whenNone.add(whenOne).multiply(g.reshape(kept))};
        }, a);
    }

    private static int[] dropAxes(Shape s, int[] axes) {
        boolean[] drop = new boolean[s.rank()];
        if (axes.length == 0) java.util.Arrays.fill(drop, true);
        for (int ax : axes) drop[s.normalizeAxis(ax)] = true;
        int c = 0;
        for (boolean b : drop) if (!b) c++;
        int[] d = new int[c];
        for (int i = 0, j = 0; i < s.rank(); i++) if (!drop[i]) d[j++] = s.dim(i);
        return d;
    }
}
