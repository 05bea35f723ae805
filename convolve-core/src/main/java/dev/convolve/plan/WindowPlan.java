package dev.convolve.plan;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import java.util.Arrays;

/**
 * A validated window reduction: for every output position {@code q}, the window covers padded-input
 * coordinates {@code q*s + t*d - lo} for {@code t in [0, w)}, per axis, over all axes of the tensor.
 */
public final class WindowPlan {
    private final Shape inputShape, outputShape;
    private final DType inputType;
    private final int[] window, strides, dilations, padLow, padHigh;
    private final boolean countIncludePad;

    private WindowPlan(Shape in, DType t, int[] window, int[] strides, int[] dilations, int[] lo, int[] hi, Shape out, boolean countIncludePad) {
        this.inputShape = in; this.inputType = t; this.window = window; this.strides = strides; this.dilations = dilations;
        this.padLow = lo; this.padHigh = hi; this.outputShape = out; this.countIncludePad = countIncludePad;
    }

    /**
     * Validates a window operation named {@code op} (for example {@code window_max}).
     *
     * @throws IllegalArgumentException naming the rule, the input shape and the window
     */
    public static WindowPlan of(String op, Shape input, DType type, WindowOptions o) {
        int[] w = o.windowDimensions();
        String ctx = "for input " + type + input + " and window " + Arrays.toString(w);
        int r = input.rank();
        if (w.length != r) {
            throw new IllegalArgumentException(op + ": invalid window dimensions, rank of shape (" + r + ") does not match rank of window (" + w.length + "), " + ctx);
        }
        for (int v : w) {
            if (v < 1) throw new IllegalArgumentException(op + ": window dimensions must be positive, " + ctx);
        }
        int[] s = resolveAll(op, "strides", o.strides(), r, ctx);
        int[] d = resolveAll(op, "window dilations", o.windowDilations(), r, ctx);
        int[] lo = new int[r], hi = new int[r], dw = new int[r];
        for (int i = 0; i < r; i++) dw[i] = ConvPlan.dilate(w[i], d[i]);
        ConvPlan.resolvePadding(op, o.padding(), input.dims(), dw, s, null, lo, hi, ctx);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int padded = input.dim(i) + lo[i] + hi[i];
            if (padded < dw[i]) {
                throw new IllegalArgumentException(op + ": window dimensions would result in empty tensor: on axis " + i + " the dilated window has size " + dw[i]
                        + " but the padded input only " + padded + " (size " + input.dim(i) + ", padding " + lo[i] + ":" + hi[i] + "), " + ctx);
            }
            out[i] = Math.floorDiv(padded - dw[i], s[i]) + 1;
        }
        return new WindowPlan(input, type, w, s, d, lo, hi, Shape.of(out), o.countIncludePad());
    }

    private static int[] resolveAll(String op, String what, AxisValues v, int r, String ctx) {
        if (!v.isScalar()) {
            try {
                return v.resolve(op, what, r, ctx);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("per spatial axis", "per axis of the tensor").replace(" spatial axes", " axes"));
            }
        }
        return v.resolve(op, what, r, ctx);
    }

    public Shape inputShape() { return inputShape; }

    public DType inputType() { return inputType; }

    public Shape outputShape() { return outputShape; }

    public int rank() { return window.length; }

    public int[] window() { return window.clone(); }

    public int[] strides() { return strides.clone(); }

    public int[] dilations() { return dilations.clone(); }

    public int[] padLow() { return padLow.clone(); }

    public int[] padHigh() { return padHigh.clone(); }

    public boolean countIncludePad() { return countIncludePad; }

    /** Number of elements in one (undilated) window: the divisor of a mean that counts padding. */
    public long windowSize() {
        long s = 1;
        for (int v : window) s *= v;
        return s;
    }

    @Override
    public String toString() {
        return "WindowPlan[input=" + inputType + inputShape + ", window=" + Arrays.toString(window) + ", strides=" + Arrays.toString(strides)
                + ", dilations=" + Arrays.toString(dilations) + ", padding=" + Arrays.toString(padLow) + ":" + Arrays.toString(padHigh)
                + ", output=" + outputShape + "]";
    }
}
