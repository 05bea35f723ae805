package dev.convolve.testing;

import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * An independent oracle for the window reductions of SPEC.md section 3: it materialises the input padded with the
 * reduction's identity (0, 1, the type's lowest or highest value, +-Inf for floats), then takes every (dilated)
 * window with plain loops. Integer sums and products wrap in the input type as Nx's do; float reductions run in
 * double precision and are rounded once. The mean is {@code window_sum / divisor} where the divisor is the full
 * window size or, without {@code countIncludePad}, the number of real input elements in the window.
 */
public final class WindowOracle {
    private WindowOracle() {}

    /** The reductions. */
    public enum Op { SUM, PRODUCT, MAX, MIN, MEAN }

    /**
     * @param value     the result (input type; floating for the mean)
     * @param magnitude per element, the sum of |element| over the window (0 for integer results)
     */
    public record Result(Tensor value, double[] magnitude) {}

    public static Result reduce(Tensor x, Op op, WindowOptions o) {
        int r = x.rank();
        int[] w = o.windowDimensions();
        int[] s = o.strides().expand("oracle", "strides", r, "");
        int[] d = o.windowDilations().expand("oracle", "dilations", r, "");
        int[] dims = x.dims();
        int[] lo = new int[r], hi = new int[r], q = new int[r];
        for (int i = 0; i < r; i++) {
            int dw = (w[i] - 1) * d[i] + 1;
            switch (o.padding()) {
                case Padding.Valid v -> { }
                case Padding.Same same -> {
                    lo[i] = (dw - 1) / 2;
                    hi[i] = dw - 1 - lo[i];
                }
                case Padding.SameUpper su -> {
                    int out = -Math.floorDiv(-dims[i], s[i]);
                    int t = Math.max(0, (out - 1) * s[i] + dw - dims[i]);
                    lo[i] = t / 2;
                    hi[i] = t - t / 2;
                }
                case Padding.SameLower sl -> {
                    int out = -Math.floorDiv(-dims[i], s[i]);
                    int t = Math.max(0, (out - 1) * s[i] + dw - dims[i]);
                    lo[i] = t - t / 2;
                    hi[i] = t / 2;
                }
                case Padding.Explicit e -> {
                    lo[i] = e.low()[i];
                    hi[i] = e.high()[i];
                }
            }
            int padded = dims[i] + lo[i] + hi[i];
            if (padded < dw) throw new IllegalArgumentException("oracle: window larger than the padded input on axis " + i);
            q[i] = Math.floorDiv(padded - dw, s[i]) + 1;
        }
        DType t = x.dtype();
        boolean integer = t.isInteger() && op != Op.MEAN;
        // The padded input: real[] says whether a padded position holds an input element, src[] which one.
        int[] pDims = new int[r];
        for (int i = 0; i < r; i++) pDims[i] = dims[i] + lo[i] + hi[i];
        int[] src = new int[Index.size(pDims)];
        int[] xst = x.shape().strides();
        if (src.length > 0) {
            int[] idx = new int[r];
            int f = 0;
            do {
                int off = 0;
                for (int i = 0; i < r && off >= 0; i++) {
                    int j = idx[i] - lo[i];
                    off = (j < 0 || j >= dims[i]) ? -1 : off + j * xst[i];
                }
                src[f++] = off;
            } while (r > 0 && Index.next(idx, pDims));
        }
        int total = Index.size(q);
        double[] val = new double[total], mag = new double[total];
        long[] ival = new long[total];
        int[] pst = Index.strides(pDims);
        int[] out = new int[r];
        for (int f = 0; f < total; f++) {
            long accL = switch (op) { case PRODUCT -> 1; case MAX -> integer ? t.minLong() : 0; case MIN -> integer ? t.maxLong() : 0; default -> 0; };
            double accD = switch (op) { case PRODUCT -> 1; case MAX -> Double.NEGATIVE_INFINITY; case MIN -> Double.POSITIVE_INFINITY; default -> 0; };
            double accM = 0;
            int real = 0;
            int[] tap = new int[r];
            do {
                int p = 0;
                for (int i = 0; i < r; i++) p += (out[i] * s[i] + tap[i] * d[i]) * pst[i];
                int at = src[p];
                if (at >= 0) real++;
                if (integer) {
                    long v = at >= 0 ? x.getFlatLong(at) : identity(op, t);
                    accL = switch (op) {
                        case SUM -> accL + v;
                        case PRODUCT -> accL * v;
                        case MAX -> t == DType.U64 ? (Long.compareUnsigned(v, accL) > 0 ? v : accL) : Math.max(v, accL);
                        case MIN -> t == DType.U64 ? (Long.compareUnsigned(v, accL) < 0 ? v : accL) : Math.min(v, accL);
                        case MEAN -> throw new IllegalStateException();
                    };
                } else {
                    double v = at >= 0 ? x.getFlat(at) : identity(op);
                    accM += Math.abs(v);
                    accD = switch (op) {
                        case SUM, MEAN -> accD + v;
                        case PRODUCT -> accD * v;
                        case MAX -> (Double.isNaN(v) || Double.isNaN(accD)) ? Double.NaN : Math.max(v, accD);
                        case MIN -> (Double.isNaN(v) || Double.isNaN(accD)) ? Double.NaN : Math.min(v, accD);
                    };
                }
            } while (r > 0 && Index.next(tap, w));
            if (op == Op.MEAN) {
                long divisor = o.countIncludePad() ? Index.size(w) : real;
                val[f] = accD / divisor;
                mag[f] = accM / divisor;
            } else {
                val[f] = accD;
                ival[f] = accL;
                mag[f] = accM;
            }
            if (r > 0) Index.next(out, q);
        }
        Shape shape = Shape.of(q);
        Tensor value = integer ? Values.integers(t, shape, ival) : Values.floats(op == Op.MEAN ? t.toFloating() : t, shape, val);
        return new Result(value, mag);
    }

    /** The value the input is padded with for an integer reduction. */
    static long identity(Op op, DType t) {
        return switch (op) {
            case SUM, MEAN -> 0;
            case PRODUCT -> 1;
            case MAX -> t.minLong();
            case MIN -> t.maxLong();
        };
    }

    static double identity(Op op) {
        return switch (op) {
            case SUM, MEAN -> 0;
            case PRODUCT -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

}
