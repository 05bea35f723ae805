package dev.convolve.tensor;

/** Elementwise arithmetic with broadcasting and Nx's type rules. */
final class Elementwise {
    private Elementwise() {}

    static Tensor binary(Tensor a, Tensor b, BinaryOp op) {
        DType merged = DType.merge(a.dtype(), b.dtype());
        DType compute = op.computeType(merged);
        DType out = op.resultType(merged);
        if (op == BinaryOp.QUOTIENT && !merged.isInteger()) {
            throw new IllegalArgumentException("quotient: expects integer tensors, got " + a.describe() + " and " + b.describe());
        }
        Shape os = Movement.broadcastShapes(op.nxName, a.shape(), b.shape());
        if (compute == DType.F32 && out == DType.F32 && a.dtype() == DType.F32 && b.dtype() == DType.F32) {
            return Tensor.wrap(DType.F32, os, binaryF32((float[]) a.data(), a.shape(), (float[]) b.data(), b.shape(), os, op));
        }
        int[] sa = Movement.broadcastStrides(a.shape(), os);
        int[] sb = Movement.broadcastStrides(b.shape(), os);
        Object r = Buffers.allocate(out, os.size());
        int n = os.size();
        if (n == 0) return Tensor.wrap(out, os, r);
        int rank = os.rank();
        int[] dims = os.dims();
        int[] idx = new int[rank];
        int ia = 0, ib = 0;
        boolean integer = compute.isInteger();
        boolean unsigned = compute == DType.U64;
        Object da = a.data(), db = b.data();
        DType ta = a.dtype(), tb = b.dtype();
        for (int i = 0; i < n; i++) {
            if (integer) {
                long v = op.apply(Buffers.getLong(ta, da, ia), Buffers.getLong(tb, db, ib), unsigned);
                Buffers.setLong(out, r, i, op.isComparison() ? v : compute.wrap(v));
            } else {
                double v = op.apply(toDouble(ta, da, ia), toDouble(tb, db, ib));
                if (op.isComparison()) Buffers.setLong(out, r, i, (long) v);
                else Buffers.setDouble(out, r, i, v);
            }
            for (int k = rank - 1; k >= 0; k--) {
                idx[k]++;
                ia += sa[k];
                ib += sb[k];
                if (idx[k] < dims[k]) break;
                ia -= sa[k] * dims[k];
                ib -= sb[k] * dims[k];
                idx[k] = 0;
            }
        }
        return Tensor.wrap(out, os, r);
    }

    private static double toDouble(DType t, Object d, int i) {
        return Buffers.getDouble(t, d, i);
    }

    /** f32 (op) f32 with the inner axis as a tight loop. */
    private static float[] binaryF32(float[] a, Shape as, float[] b, Shape bs, Shape os, BinaryOp op) {
        int n = os.size();
        float[] r = new float[n];
        if (n == 0) return r;
        if (as.equals(bs)) {
            for (int i = 0; i < n; i++) r[i] = f32(op, a[i], b[i]);
            return r;
        }
        if (bs.size() == 1 && as.equals(os)) {
            float y = b[0];
            for (int i = 0; i < n; i++) r[i] = f32(op, a[i], y);
            return r;
        }
        if (as.size() == 1 && bs.equals(os)) {
            float x = a[0];
            for (int i = 0; i < n; i++) r[i] = f32(op, x, b[i]);
            return r;
        }
        int rank = os.rank();
        int[] sa = Movement.broadcastStrides(as, os);
        int[] sb = Movement.broadcastStrides(bs, os);
        int[] dims = os.dims();
        int inner = dims[rank - 1];
        int ia0 = sa[rank - 1], ib0 = sb[rank - 1];
        int[] idx = new int[rank];
        int ia = 0, ib = 0, o = 0;
        while (o < n) {
            for (int j = 0, pa = ia, pb = ib; j < inner; j++, pa += ia0, pb += ib0) r[o + j] = f32(op, a[pa], b[pb]);
            o += inner;
            for (int k = rank - 2; k >= 0; k--) {
                idx[k]++;
                ia += sa[k];
                ib += sb[k];
                if (idx[k] < dims[k]) break;
                ia -= sa[k] * dims[k];
                ib -= sb[k] * dims[k];
                idx[k] = 0;
            }
        }
        return r;
    }

    private static float f32(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / y;
            default -> (float) op.apply((double) x, (double) y);
        };
    }

    static Tensor binaryNumber(Tensor a, double value, BinaryOp op, boolean numberFirst) {
        DType t = DType.mergeNumber(a.dtype(), value);
        Tensor s = Tensor.full(value, t);
        return numberFirst ? binary(s, a, op) : binary(a, s, op);
    }

    static Tensor binaryNumber(Tensor a, long value, BinaryOp op, boolean numberFirst) {
        DType t = DType.mergeNumber(a.dtype(), value);
        Tensor s = Tensor.full(value, t);
        return numberFirst ? binary(s, a, op) : binary(a, s, op);
    }

    static Tensor unary(Tensor a, UnaryOp op) {
        DType out = op.resultType(a.dtype());
        int n = a.size();
        Object r = Buffers.allocate(out, n);
        if (a.dtype() == DType.F32) {
            float[] x = (float[]) a.data();
            float[] y = (float[]) r;
            switch (op) {
                case NEGATE -> { for (int i = 0; i < n; i++) y[i] = -x[i]; }
                case ABS -> { for (int i = 0; i < n; i++) y[i] = Math.abs(x[i]); }
                case EXP -> { for (int i = 0; i < n; i++) y[i] = (float) Math.exp(x[i]); }
                default -> { for (int i = 0; i < n; i++) y[i] = (float) op.apply((double) x[i]); }
            }
        } else if (out.isInteger()) {
            boolean unsigned = out.isUnsigned();
            for (int i = 0; i < n; i++) Buffers.setLong(out, r, i, out.wrap(op.apply(a.getFlatLong(i), unsigned)));
        } else {
            for (int i = 0; i < n; i++) Buffers.setDouble(out, r, i, op.apply(a.getFlat(i)));
        }
        return Tensor.wrap(out, a.shape(), r);
    }

    static Tensor clip(Tensor a, double min, double max) {
        DType t = a.dtype();
        int n = a.size();
        Object r = Buffers.allocate(t, n);
        if (t == DType.F32) {
            float[] x = (float[]) a.data();
            float[] y = (float[]) r;
            float lo = (float) min, hi = (float) max;
            for (int i = 0; i < n; i++) y[i] = Float.isNaN(x[i]) ? x[i] : Math.min(Math.max(x[i], lo), hi);
        } else if (t.isInteger()) {
            for (int i = 0; i < n; i++) {
                double v = a.getFlat(i);
                Buffers.setDouble(t, r, i, Math.min(Math.max(v, min), max));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = a.getFlat(i);
                Buffers.setDouble(t, r, i, Double.isNaN(v) ? v : Math.min(Math.max(v, min), max));
            }
        }
        return Tensor.wrap(t, a.shape(), r);
    }

    static Tensor select(Tensor pred, Tensor onTrue, Tensor onFalse) {
        Shape s = Movement.broadcastShapes("select", Movement.broadcastShapes("select", pred.shape(), onTrue.shape()), onFalse.shape());
        DType t = DType.merge(onTrue.dtype(), onFalse.dtype());
        Tensor p = pred.broadcastTo(s.dims());
        Tensor x = onTrue.asType(t).broadcastTo(s.dims());
        Tensor y = onFalse.asType(t).broadcastTo(s.dims());
        Object r = Buffers.allocate(t, s.size());
        for (int i = 0; i < s.size(); i++) {
            Tensor src = p.getFlat(i) != 0 ? x : y;
            System.arraycopy(src.data(), i, r, i, 1);
        }
        return Tensor.wrap(t, s, r);
    }
}
