package dev.convolve.tensor;

import java.util.Arrays;
import java.util.List;

/** Shape-changing operations: reshape, transpose, slice, reverse, broadcast, concatenate. */
final class Movement {
    private Movement() {}

    static Shape reshapeShape(Shape from, int[] to) {
        int auto = -1;
        long known = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (auto >= 0) throw new IllegalArgumentException("reshape: at most one axis may be -1, got " + Arrays.toString(to));
                auto = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException("reshape: axis sizes must be non-negative or -1, got " + Arrays.toString(to));
            } else {
                known *= to[i];
            }
        }
        int[] dims = to.clone();
        if (auto >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer the -1 axis of " + Arrays.toString(to) + " for shape " + from.toTuple() + " with " + from.size() + " elements");
            }
            dims[auto] = (int) (from.size() / known);
            known *= dims[auto];
        }
        if (known != from.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape, current shape " + from.toTuple() + " is not compatible with new shape " + Shape.of(dims).toTuple());
        }
        return Shape.of(dims);
    }

    static Tensor transpose(Tensor t, int[] perm) {
        int r = t.rank();
        int[] p = perm;
        if (p.length == 0) {
            p = new int[r];
            for (int i = 0; i < r; i++) p[i] = r - 1 - i;
        }
        checkPermutation("transpose", p, t.shape());
        boolean identity = true;
        for (int i = 0; i < r; i++) identity &= p[i] == i;
        if (identity) return t;
        int[] st = t.shape().strides();
        int[] dims = new int[r];
        int[] gs = new int[r];
        for (int i = 0; i < r; i++) {
            dims[i] = t.shape().dim(p[i]);
            gs[i] = st[p[i]];
        }
        return Tensor.wrap(t.dtype(), Shape.of(dims), StridedCopy.gather(t.data(), 0, gs, dims));
    }

    /** Checks that {@code perm} is a permutation of 0..rank-1 with the error texts Nx uses. */
    static void checkPermutation(String op, int[] perm, Shape shape) {
        int r = shape.rank();
        if (perm.length != r) {
            throw new IllegalArgumentException(op + ": expected length of permutation (" + perm.length + ") to match rank of shape (" + r + "), for shape " + shape.toTuple());
        }
        boolean[] seen = new boolean[r];
        for (int a : perm) {
            if (a < 0 || a >= r || seen[a]) {
                throw new IllegalArgumentException(op + ": " + Arrays.toString(perm) + " is not a permutation of the axes 0.." + (r - 1) + " of shape " + shape.toTuple());
            }
            seen[a] = true;
        }
    }

    static Shape newAxisShape(Shape s, int axis) {
        int r = s.rank();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) throw new IllegalArgumentException("new_axis: axis " + axis + " out of range for shape " + s.toTuple() + " (rank " + r + ")");
        int[] d = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) d[i] = i == a ? 1 : s.dim(j++);
        return Shape.of(d);
    }

    static Shape squeezeShape(Shape s, int[] axes) {
        int r = s.rank();
        boolean[] drop = new boolean[r];
        if (axes.length == 0) {
            for (int i = 0; i < r; i++) drop[i] = s.dim(i) == 1;
        } else {
            for (int a : axes) {
                int n = s.normalizeAxis(a);
                if (s.dim(n) != 1) {
                    throw new IllegalArgumentException("squeeze: cannot squeeze axis " + a + " of size " + s.dim(n) + ", only axes of size 1, for shape " + s.toTuple());
                }
                drop[n] = true;
            }
        }
        return Shape.of(java.util.stream.IntStream.range(0, r).filter(i -> !drop[i]).map(s::dim).toArray());
    }

    static Tensor slice(Tensor t, int[] start, int[] lengths, int[] strides) {
        Shape s = t.shape();
        int r = s.rank();
        if (start.length != r || lengths.length != r || strides.length != r) {
            throw new IllegalArgumentException("slice: start (" + start.length + "), lengths (" + lengths.length + ") and strides (" + strides.length
                    + ") must each have one entry per axis of shape " + s.toTuple());
        }
        int[] st = s.strides();
        int offset = 0;
        int[] dims = new int[r];
        int[] gs = new int[r];
        for (int i = 0; i < r; i++) {
            int d = s.dim(i);
            if (lengths[i] < 0 || lengths[i] > d) {
                throw new IllegalArgumentException("slice: length " + lengths[i] + " at axis " + i + " must be between 0 and the axis size " + d + ", for shape " + s.toTuple());
            }
            if (strides[i] < 1) throw new IllegalArgumentException("slice: strides must be positive, got " + Arrays.toString(strides));
            if (start[i] < 0) throw new IllegalArgumentException("slice: start indices must be non-negative, got " + Arrays.toString(start));
            int b = Math.min(start[i], d - lengths[i]); // Nx clamps the start so the slice fits
            int count = lengths[i] == 0 ? 0 : (lengths[i] - 1) / strides[i] + 1;
            dims[i] = count;
            gs[i] = st[i] * strides[i];
            offset += b * st[i];
        }
        return Tensor.wrap(t.dtype(), Shape.of(dims), StridedCopy.gather(t.data(), offset, gs, dims));
    }

    static Tensor reverse(Tensor t, int[] axes) {
        Shape s = t.shape();
        int r = s.rank();
        boolean[] rev = new boolean[r];
        if (axes.length == 0) Arrays.fill(rev, true);
        for (int a : axes) rev[s.normalizeAxis(a)] = true;
        int[] st = s.strides();
        int[] gs = st.clone();
        int offset = 0;
        for (int i = 0; i < r; i++) {
            if (rev[i] && s.dim(i) > 0) {
                offset += (s.dim(i) - 1) * st[i];
                gs[i] = -st[i];
            }
        }
        return Tensor.wrap(t.dtype(), s, StridedCopy.gather(t.data(), offset, gs, s.dims()));
    }

    /** The broadcast shape of two shapes (trailing axes aligned), or an error naming both. */
    static Shape broadcastShapes(String op, Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] d = new int[r];
        for (int i = 0; i < r; i++) {
            int ia = i - (r - a.rank()), ib = i - (r - b.rank());
            int da = ia < 0 ? 1 : a.dim(ia), db = ib < 0 ? 1 : b.dim(ib);
            if (da == db || db == 1) d[i] = da;
            else if (da == 1) d[i] = db;
            else {
                throw new IllegalArgumentException(op + ": cannot broadcast shapes " + a.toTuple() + " and " + b.toTuple()
                        + ", axis sizes must be equal or 1 (aligned at the last axis)");
            }
        }
        return Shape.of(d);
    }

    /** Strides that read {@code from} as if broadcast to {@code to} (zero on repeated axes). */
    static int[] broadcastStrides(Shape from, Shape to) {
        int r = to.rank();
        int[] st = from.strides();
        int[] gs = new int[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - from.rank());
            gs[i] = (j < 0 || from.dim(j) == 1) ? 0 : st[j];
        }
        return gs;
    }

    static Tensor broadcastTo(Tensor t, Shape target) {
        Shape b = broadcastShapes("broadcast", t.shape(), target);
        if (!b.equals(target)) {
            throw new IllegalArgumentException("broadcast: cannot broadcast shape " + t.shape().toTuple() + " to " + target.toTuple());
        }
        if (t.shape().equals(target)) return t;
        return Tensor.wrap(t.dtype(), target, StridedCopy.gather(t.data(), 0, broadcastStrides(t.shape(), target), target.dims()));
    }

    static Tensor concatenate(List<Tensor> ts, int axis) {
        if (ts.isEmpty()) throw new IllegalArgumentException("concatenate: expected at least one tensor");
        Tensor first = ts.get(0);
        int r = first.rank();
        if (r == 0) throw new IllegalArgumentException("concatenate: cannot concatenate scalars");
        int a = first.shape().normalizeAxis(axis);
        DType type = first.dtype();
        int total = 0;
        for (Tensor t : ts) {
            if (t.rank() != r) {
                throw new IllegalArgumentException("concatenate: all tensors must have the same rank, got " + first.shape().toTuple() + " and " + t.shape().toTuple());
            }
            for (int i = 0; i < r; i++) {
                if (i != a && t.shape().dim(i) != first.shape().dim(i)) {
                    throw new IllegalArgumentException("concatenate: shapes " + first.shape().toTuple() + " and " + t.shape().toTuple()
                            + " must match on every axis but the concatenation axis " + a);
                }
            }
            type = DType.merge(type, t.dtype());
            total += t.shape().dim(a);
        }
        int[] dims = first.dims();
        dims[a] = total;
        Shape out = Shape.of(dims);
        Object dst = Buffers.allocate(type, out.size());
        int outer = 1;
        for (int i = 0; i < a; i++) outer *= dims[i];
        int innerOut = out.size() / Math.max(outer, 1);
        int col = 0;
        for (Tensor t : ts) {
            Tensor c = t.asType(type);
            int chunk = c.size() / Math.max(outer, 1);
            for (int o = 0; o < outer; o++) System.arraycopy(c.data(), o * chunk, dst, o * innerOut + col, chunk);
            col += chunk;
        }
        return Tensor.wrap(type, out, dst);
    }
}
