package dev.convolve.plan;

import java.util.Arrays;

/**
 * Options of the window (pooling) reductions, with Nx's names and defaults: one window size per axis of the
 * tensor (batch and channel axes included), strides 1, padding valid, window dilations 1. {@code countIncludePad}
 * only affects the mean: true divides by the full window size (Nx, PyTorch's default), false by the number of
 * real input elements in the window (ONNX's default).
 */
public record WindowOptions(int[] windowDimensions, AxisValues strides, Padding padding, AxisValues windowDilations, boolean countIncludePad) {

    public WindowOptions {
        if (windowDimensions == null) throw new IllegalArgumentException("window: window dimensions are required");
        windowDimensions = windowDimensions.clone();
        if (strides == null) strides = AxisValues.all(1);
        if (padding == null) padding = Padding.valid();
        if (windowDilations == null) windowDilations = AxisValues.all(1);
    }

    /** A window of the given size on each axis, Nx's defaults for the rest. */
    public static WindowOptions of(int... windowDimensions) {
        return new WindowOptions(windowDimensions, null, null, null, true);
    }

    @Override public int[] windowDimensions() { return windowDimensions.clone(); }

    public WindowOptions withStrides(int s) { return withStrides(AxisValues.all(s)); }

    public WindowOptions withStrides(int... s) { return withStrides(AxisValues.of(s)); }

    public WindowOptions withStrides(AxisValues s) { return new WindowOptions(windowDimensions, s, padding, windowDilations, countIncludePad); }

    public WindowOptions withPadding(Padding p) { return new WindowOptions(windowDimensions, strides, p, windowDilations, countIncludePad); }

    /** Explicit padding as {@code lo0, hi0, lo1, hi1, ...}, one pair per axis of the tensor. */
    public WindowOptions withPadding(int... loHi) { return withPadding(Padding.pairs(loHi)); }

    public WindowOptions withWindowDilations(int d) { return withWindowDilations(AxisValues.all(d)); }

    public WindowOptions withWindowDilations(int... d) { return withWindowDilations(AxisValues.of(d)); }

    public WindowOptions withWindowDilations(AxisValues d) { return new WindowOptions(windowDimensions, strides, padding, d, countIncludePad); }

    public WindowOptions withCountIncludePad(boolean c) { return new WindowOptions(windowDimensions, strides, padding, windowDilations, c); }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowOptions w && Arrays.equals(w.windowDimensions, windowDimensions) && w.strides.equals(strides)
                && w.padding.equals(padding) && w.windowDilations.equals(windowDilations) && w.countIncludePad == countIncludePad;
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(Arrays.hashCode(windowDimensions), strides, padding, windowDilations, countIncludePad); }

    @Override
    public String toString() {
        return "WindowOptions[window=" + Arrays.toString(windowDimensions) + ", strides=" + strides + ", padding=" + padding
                + ", windowDilations=" + windowDilations + ", countIncludePad=" + countIncludePad + "]";
    }
}
