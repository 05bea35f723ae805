package dev.convolve.tensor;

import java.util.Arrays;

/** Reductions over axes: sum, product, mean, max, min, argmax, argmin. */
final class Reductions {
    private Reductions() {}

    enum Kind { SUM, PRODUCT, MEAN, MAX, MIN }

    /** Nx's {@code to_aggregate}: the type of a sum or product. */
    static DType aggregate(DType t) {
        return switch (t) {
            case U64, S64 -> DType.S64;
            case U8, U16, U32 -> DType.U32;
            case S8, S16, S32 -> DType.S32;
            default -> t;
        };
    }

    static Tensor reduce(Tensor t, Kind kind, int[] axes, boolean keepAxes) {
        Shape s = t.shape();
        int r = s.rank();
        boolean[] red = new boolean[r];
        if (axes.length == 0) Arrays.fill(red, true);
        for (int a : axes) {
            int n = s.normalizeAxis(a);
            if (red[n] && axes.length > 0) {
                throw new IllegalArgumentException(kind.name().toLowerCase() + ": axes " + Arrays.toString(axes) + " contain a repeated axis, for shape " + s.toTuple());
            }
            red[n] = true;
        }
        DType out = switch (kind) {
            case SUM, PRODUCT -> aggregate(t.dtype());
            case MEAN -> t.dtype().toFloating();
            case MAX, MIN -> t.dtype();
        };
        int[] outDims = new int[r];
        int count = 1;
        for (int i = 0; i < r; i++) {
            outDims[i] = red[i] ? 1 : s.dim(i);
            if (red[i]) count *= s.dim(i);
        }
        Shape kept = Shape.of(outDims);
        int[] outStrides = kept.strides();
        int[] map = new int[r];
        for (int i = 0; i < r; i++) map[i] = red[i] ? 0 : outStrides[i];
        int m = kept.size();
        int n = t.size();
        boolean integer = out.isInteger() || (t.dtype().isInteger() && kind != Kind.MEAN);
        Object res = Buffers.allocate(out, m);
        if (integer) {
            long[] acc = new long[m];
            boolean unsigned = t.dtype().isUnsigned();
            long init = switch (kind) {
                case PRODUCT -> 1;
                case MAX -> t.dtype().minLong();
                case MIN -> t.dtype().maxLong();
                default -> 0;
            };
            Arrays.fill(acc, init);
            forEach(s, map, (i, o) -> {
                long v = t.getFlatLong(i);
                switch (kind) {
                    case SUM -> acc[o] += v;
                    case PRODUCT -> acc[o] *= v;
                    case MAX -> acc[o] = (unsigned ? Long.compareUnsigned(v, acc[o]) > 0 : v > acc[o]) ? v : acc[o];
                    case MIN -> acc[o] = (unsigned ? Long.compareUnsigned(v, acc[o]) < 0 : v < acc[o]) ? v : acc[o];
                    default -> throw new IllegalStateException();
                }
            });
            for (int o = 0; o < m; o++) Buffers.setLong(out, res, o, out.wrap(acc[o]));
        } else {
            double[] acc = new double[m];
            double init = switch (kind) {
                case PRODUCT -> 1;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
                default -> 0;
            };
            Arrays.fill(acc, init);
            if (t.dtype() == DType.F32 && (kind == Kind.SUM || kind == Kind.MEAN)) {
                float[] x = (float[]) t.data();
                forEach(s, map, (i, o) -> acc[o] += x[i]);
            } else {
                forEach(s, map, (i, o) -> {
                    double v = t.getFlat(i);
                    switch (kind) {
                        case SUM, MEAN -> acc[o] += v;
                        case PRODUCT -> acc[o] *= v;
                        case MAX -> acc[o] = (Double.isNaN(v) || v > acc[o]) ? v : acc[o];
                        case MIN -> acc[o] = (Double.isNaN(v) || v < acc[o]) ? v : acc[o];
                    }
                });
            }
            for (int o = 0; o < m; o++) {
                double v = kind == Kind.MEAN ? acc[o] / count : acc[o];
                Buffers.setDouble(out, res, o, v);
            }
        }
        Tensor kt = Tensor.wrap(out, kept, res);
        if (keepAxes) return kt;
        int[] fin = java.util.stream.IntStream.range(0, r).filter(i -> !red[i]).map(i -> outDims[i]).toArray();
        return kt.reshape(fin);
    }

    interface IndexVisitor { void visit(int in, int out); }

    /** Calls {@code v} for every input position with its output position ({@code sum(idx_k * map_k)}). */
    static void forEach(Shape s, int[] map, IndexVisitor v) {
        int n = s.size();
        if (n == 0) return;
        int r = s.rank();
        if (r == 0) { v.visit(0, 0); return; }
        int[] dims = s.dims();
        int[] idx = new int[r];
        int o = 0;
        for (int i = 0; i < n; i++) {
            v.visit(i, o);
            for (int k = r - 1; k >= 0; k--) {
                idx[k]++;
                o += map[k];
                if (idx[k] < dims[k]) break;
                o -= map[k] * dims[k];
                idx[k] = 0;
            }
        }
    }

    static Tensor argExtreme(Tensor t, int axis, boolean max) {
        Shape s = t.shape();
        int a = s.normalizeAxis(axis);
        int len = s.dim(a);
        String op = max ? "argmax" : "argmin";
        if (len == 0) throw new IllegalArgumentException(op + ": cannot take the " + op + " of an empty axis, shape " + s.toTuple());
        int inner = s.strides()[a];
        int outer = s.size() / Math.max(1, len * inner);
        int[] res = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * len * inner + j;
                int best = 0;
                double bv = t.getFlat(base);
                for (int k = 1; k < len && !Double.isNaN(bv); k++) {
                    double v = t.getFlat(base + k * inner);
                    if (Double.isNaN(v) || (max ? v > bv : v < bv)) {
                        bv = v;
                        best = k;
                    }
                }
                res[o * inner + j] = best;
            }
        }
        int[] dims = new int[s.rank() - 1];
        for (int i = 0, j = 0; i < s.rank(); i++) if (i != a) dims[j++] = s.dim(i);
        return Tensor.wrap(DType.S32, Shape.of(dims), res);
    }
}
