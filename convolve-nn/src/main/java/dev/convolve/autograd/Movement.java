package dev.convolve.autograd;

import dev.convolve.ops.Pad;
import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Shape primitives: reshape, transpose, slice, reverse, broadcast, pad, concatenate. */
final class Movement {
    private Movement() {}

    static Variable reshape(Variable a, int[] shape) {
        Tensor x = a.value();
        Tensor out = x.reshape(shape);
        if (out.shape().equals(x.shape())) return a;
        int[] back = x.dims();
        return Variable.record(out, (g, n) -> new Tensor[] {g.reshape(back)}, a);
    }

    static Variable flatten(Variable a, int startAxis) {
        Tensor x = a.value();
        int s = startAxis < 0 ? startAxis + x.rank() : startAxis;
        if (s < 0 || s >= x.rank()) {
            throw new IllegalArgumentException("flatten: start axis " + startAxis + " out of range for shape " + x.shape().toTuple());
        }
        int[] d = new int[s + 1];
        int rest = 1;
        for (int i = 0; i < x.rank(); i++) {
            if (i < s) d[i] = x.dim(i);
            else rest *= x.dim(i);
        }
        d[s] = rest;
        return reshape(a, d);
    }

    static Variable transpose(Variable a, int[] perm) {
        Tensor x = a.value();
        int r = x.rank();
        int[] p = perm.length == 0 ? reversed(r) : perm.clone();
        Tensor out = x.transpose(p);
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[p[i]] = i;
        return Variable.record(out, (g, n) -> new Tensor[] {g.transpose(inv)}, a);
    }

    private static int[] reversed(int r) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = r - 1 - i;
        return p;
    }

    /**
     * Slice gradient: the slice read {@code count} elements at {@code b + k * stride} (b = the start clamped as Nx
     * does), so its gradient scatters back with padding: low {@code b}, interior {@code stride - 1}, high the rest.
     */
    static Variable slice(Variable a, int[] start, int[] lengths, int[] strides) {
        Tensor x = a.value();
        Tensor out = x.slice(start, lengths, strides);
        int r = x.rank();
        int[] lo = new int[r], hi = new int[r], in = new int[r];
        for (int i = 0; i < r; i++) {
            int d = x.dim(i);
            int b = Math.min(start[i], d - lengths[i]);
            int count = out.dim(i);
            lo[i] = b;
            in[i] = strides[i] - 1;
            int end = count == 0 ? b : b + (count - 1) * strides[i] + 1;
            hi[i] = d - end;
        }
        PadConfig back = new PadConfig(lo, hi, in);
        return Variable.record(out, (g, n) -> new Tensor[] {Pad.pad(g, 0.0, back)}, a);
    }

    static Variable sliceAxis(Variable a, int start, int length, int axis) {
        Tensor x = a.value();
        int ax = x.shape().normalizeAxis(axis);
        int r = x.rank();
        int[] st = new int[r], len = x.dims(), str = new int[r];
        java.util.Arrays.fill(str, 1);
        st[ax] = start;
        len[ax] = length;
        return slice(a, st, len, str);
    }

    static Variable reverse(Variable a, int[] axes) {
        int[] ax = axes.clone();
        return Variable.record(a.value().reverse(ax), (g, n) -> new Tensor[] {g.reverse(ax)}, a);
    }

    static Variable broadcastTo(Variable a, int[] shape) {
        Tensor x = a.value();
        Tensor out = x.broadcastTo(shape);
        if (out.shape().equals(x.shape())) return a;
        return Variable.record(out, (g, n) -> new Tensor[] {Unbroadcast.to(g, x.shape())}, a);
    }

    /**
     * Pad gradient, derived once: output position {@code j = lo + k * (interior + 1)} holds input element {@code k}
     * (SPEC 1). So {@code dx[k] = g[lo + k * (interior + 1)]} when that position exists, and 0 when a negative
     * edge cut the element away. Both cases at once: pad {@code g} with the negated edges {@code (-lo, -hi)}
     * (positive edges are cropped off, negative ones become zeros for the cut elements), which leaves the
     * interior-dilated input axis of length {@code len + (len - 1) * interior}; then take every
     * {@code (interior + 1)}-th element from 0.
     */
    static Variable pad(Variable a, double value, PadConfig config) {
        Tensor x = a.value();
        Tensor out = Pad.pad(x, value, config);
        int r = x.rank();
        int[] lo = config.low(), hi = config.high(), in = config.interior();
        int[] nlo = new int[r], nhi = new int[r];
        int[] start = new int[r], lengths = new int[r], strides = new int[r];
        boolean plain = true;
        for (int i = 0; i < r; i++) {
            nlo[i] = -lo[i];
            nhi[i] = -hi[i];
            int len = x.dim(i);
            lengths[i] = len == 0 ? 0 : (len - 1) * (in[i] + 1) + 1;
            strides[i] = in[i] + 1;
            plain &= in[i] == 0;
        }
        PadConfig undo = new PadConfig(nlo, nhi, new int[r]);
        boolean strided = !plain;
        return Variable.record(out, (g, n) -> {
            Tensor c = Pad.pad(g, 0.0, undo);
            return new Tensor[] {strided ? c.slice(start, lengths, strides) : c};
        }, a);
    }

    static Variable concatenate(List<Variable> parts, int axis) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concatenate: expected at least one tensor");
        List<Tensor> values = new ArrayList<>(parts.size());
        for (Variable v : parts) values.add(v.value());
        Tensor out = Tensor.concatenate(values, axis);
        int ax = out.shape().normalizeAxis(axis);
        int[] sizes = new int[parts.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = values.get(i).dim(ax);
        return Variable.record(out, (g, needs) -> {
            Tensor[] r = new Tensor[sizes.length];
            int off = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (needs[i]) r[i] = g.sliceAxis(off, sizes[i], ax);
                off += sizes[i];
            }
            return r;
        }, parts.toArray(new Variable[0]));
    }

    static Variable stack(List<Variable> parts, int axis) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: expected at least one tensor");
        List<Variable> expanded = new ArrayList<>(parts.size());
        for (Variable v : parts) expanded.add(v.newAxis(axis));
        int a = axis < 0 ? axis + parts.get(0).rank() + 1 : axis;
        return concatenate(expanded, a);
    }
}
