package dev.convolve.bench;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import java.util.Arrays;
import java.util.Locale;

/**
 * One benchmark shape: a conv ({@code input [N, C, S...] * kernel [O, C/groups, K...]}) or a pooling layer
 * ({@code window} over the spatial axes of {@code input}), with a stride and a symmetric padding per spatial
 * axis, written as PyTorch writes them.
 *
 * @param name     a label for tables (for example {@code resnet-56x56-64-64-b8})
 * @param kind     conv, max pooling or average pooling (average counts padding, as PyTorch's default)
 * @param input    {@code [N, C, S1..Sn]}
 * @param kernel   conv: {@code [O, C/groups, K1..Kn]}; pooling: the window {@code [K1..Kn]}
 * @param stride   per spatial axis
 * @param pad      per spatial axis, applied on both sides
 * @param groups   feature groups (conv only)
 */
public record BenchCase(String name, Kind kind, int[] input, int[] kernel, int[] stride, int[] pad, int groups) {

    /** What the case measures. */
    public enum Kind { CONV, MAX_POOL, AVG_POOL }

    public BenchCase {
        input = input.clone(); kernel = kernel.clone(); stride = stride.clone(); pad = pad.clone();
        int n = input.length - 2;
        if (n < 1) throw new IllegalArgumentException("bench: a case needs at least one spatial axis, got input " + Arrays.toString(input));
        int kn = kind == Kind.CONV ? kernel.length - 2 : kernel.length;
        if (kn != n || stride.length != n || pad.length != n) {
            throw new IllegalArgumentException("bench: case " + name + " has " + n + " spatial axes but kernel " + Arrays.toString(kernel)
                    + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(pad));
        }
        for (int i = 0; i < n; i++) {
            if (stride[i] < 1) throw new IllegalArgumentException("bench: stride must be at least 1, got " + Arrays.toString(stride) + " in case " + name);
            if (pad[i] < 0) throw new IllegalArgumentException("bench: padding must not be negative, got " + Arrays.toString(pad) + " in case " + name);
        }
        if (kind == Kind.CONV) {
            if (groups < 1 || input[1] % groups != 0 || kernel[0] % groups != 0 || kernel[1] != input[1] / groups) {
                throw new IllegalArgumentException("bench: case " + name + ": channels " + input[1] + ", kernel " + Arrays.toString(kernel)
                        + " and groups " + groups + " do not fit (kernel input channels must be channels / groups)");
            }
        }
        for (int i = 0; i < n; i++) {
            int k = kind == Kind.CONV ? kernel[i + 2] : kernel[i];
            if (input[i + 2] + 2 * pad[i] < k) {
                throw new IllegalArgumentException("bench: case " + name + ": the kernel " + Arrays.toString(kernel) + " does not fit in input "
                        + Arrays.toString(input) + " padded by " + Arrays.toString(pad));
            }
        }
    }

    @Override public int[] input() { return input.clone(); }
    @Override public int[] kernel() { return kernel.clone(); }
    @Override public int[] stride() { return stride.clone(); }
    @Override public int[] pad() { return pad.clone(); }

    /** A 2-D conv: {@code N x C x H x W * K x (C/groups) x R x S}. */
    public static BenchCase conv2d(String name, int n, int c, int h, int w, int k, int r, int s, int stride, int pad, int groups) {
        return new BenchCase(name, Kind.CONV, new int[] {n, c, h, w}, new int[] {k, c / groups, r, s}, new int[] {stride, stride}, new int[] {pad, pad}, groups);
    }

    /**
     * Parses {@code N,C,H,W,K,R,S[,stride[,pad[,groups]]]} (a 2-D conv as PyTorch's conv2d takes it).
     *
     * @throws IllegalArgumentException naming the text and what is wrong
     */
    public static BenchCase parse(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        if (parts.length < 7 || parts.length > 10) {
            throw new IllegalArgumentException("bench: --case expects N,C,H,W,K,R,S[,stride[,pad[,groups]]], got '" + text + "'");
        }
        int[] v = new int[10];
        v[7] = 1; v[8] = 0; v[9] = 1;
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bench: --case expects integers N,C,H,W,K,R,S[,stride[,pad[,groups]]], got '" + parts[i] + "' in '" + text + "'");
            }
            if (v[i] < (i == 8 ? 0 : 1)) {
                throw new IllegalArgumentException("bench: --case values must be positive (padding non-negative), got '" + text + "'");
            }
        }
        String name = String.format(Locale.ROOT, "%dx%dx%dx%d*%dx%dx%d", v[0], v[1], v[2], v[3], v[4], v[1] / Math.max(1, v[9]), v[5])
                + (v[6] != v[5] ? "x" + v[6] : "") + (v[7] != 1 ? "-s" + v[7] : "") + (v[8] != 0 ? "-p" + v[8] : "") + (v[9] != 1 ? "-g" + v[9] : "");
        if (v[1] % v[9] != 0) {
            throw new IllegalArgumentException("bench: --case '" + text + "': channels " + v[1] + " are not divisible by groups " + v[9]);
        }
        return conv2d(name, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    public int spatialRank() { return input.length - 2; }

    /** Output sizes per spatial axis. */
    public int[] outSize() {
        int n = spatialRank();
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            int k = kind == Kind.CONV ? kernel[i + 2] : kernel[i];
            q[i] = (input[i + 2] + 2 * pad[i] - k) / stride[i] + 1;
        }
        return q;
    }

    /**
     * Floating-point operations of the forward pass: {@code 2 N O Q (C/groups) K} multiply-adds for a conv (taps in
     * padding counted, as PyTorch's anchor counts them); one operation per window element for pooling.
     */
    public double flops() {
        double q = 1;
        for (int v : outSize()) q *= v;
        if (kind == Kind.CONV) {
            double k = 1;
            for (int i = 2; i < kernel.length; i++) k *= kernel[i];
            return 2.0 * input[0] * kernel[0] * q * kernel[1] * k;
        }
        double w = 1;
        for (int v : kernel) w *= v;
        return (double) input[0] * input[1] * q * w;
    }

    /** The conv options of the case (Nx terms). */
    public ConvOptions convOptions() {
        return ConvOptions.defaults().withStrides(stride).withPadding(Padding.explicit(pad, pad)).withFeatureGroupSize(groups);
    }

    /** The window options of a pooling case: window 1 on batch and channel axes. */
    public WindowOptions windowOptions() {
        int r = input.length;
        int[] w = new int[r], s = new int[r], p = new int[r];
        w[0] = 1; w[1] = 1; s[0] = 1; s[1] = 1;
        for (int i = 2; i < r; i++) {
            w[i] = kernel[i - 2];
            s[i] = stride[i - 2];
            p[i] = pad[i - 2];
        }
        return WindowOptions.of(w).withStrides(s).withPadding(Padding.explicit(p, p));
    }

    /** The case as the JSON object the PyTorch script reads. */
    String toJson() {
        String k = switch (kind) { case CONV -> "conv"; case MAX_POOL -> "maxpool"; case AVG_POOL -> "avgpool"; };
        return "{\"kind\":\"" + k + "\",\"input\":" + Arrays.toString(input) + ",\"kernel\":" + Arrays.toString(kernel) + ",\"stride\":"
                + Arrays.toString(stride) + ",\"pad\":" + Arrays.toString(pad) + ",\"groups\":" + groups + "}";
    }

    /** A compact description: {@code 8x64x56x56 * 64x64x3x3 stride 1 pad 1}. */
    public String shape() {
        StringBuilder b = new StringBuilder(dims(input));
        if (kind == Kind.CONV) b.append(" * ").append(dims(kernel));
        else b.append(kind == Kind.MAX_POOL ? " max " : " avg ").append(dims(kernel));
        b.append(" s").append(uniform(stride)).append(" p").append(uniform(pad));
        if (groups != 1) b.append(" g").append(groups);
        return b.toString();
    }

    private static String uniform(int[] a) {
        for (int v : a) if (v != a[0]) return dims(a);
        return Integer.toString(a[0]);
    }

    private static String dims(int[] a) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.length; i++) b.append(i == 0 ? "" : "x").append(a[i]);
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BenchCase c && c.name.equals(name) && c.kind == kind && Arrays.equals(c.input, input) && Arrays.equals(c.kernel, kernel)
                && Arrays.equals(c.stride, stride) && Arrays.equals(c.pad, pad) && c.groups == groups;
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(input); }

    @Override
    public String toString() { return name + " [" + shape() + "]"; }
}
