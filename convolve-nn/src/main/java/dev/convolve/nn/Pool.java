package dev.convolve.nn;

import dev.convolve.autograd.Functional;
import dev.convolve.autograd.Variable;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import java.util.Arrays;

/**
 * Max and average pooling over the spatial axes of {@code [N, C, S1..Sn]}, as PyTorch's {@code MaxPool2d} and
 * {@code AvgPool2d}: windows of {@code kernel} per spatial axis, {@code stride} (PyTorch's default: the kernel
 * size), symmetric zero padding {@code padding} (max pooling pads with -Inf). Average pooling counts padding in
 * the divisor unless {@code countIncludePad} is false. The gradient of max pooling goes to the chosen element.
 */
public final class Pool extends Module {
    private final boolean max;
    private final int[] kernel, stride, padding;
    private final boolean countIncludePad;

    private Pool(boolean max, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        if (kernel.length == 0 || kernel.length != stride.length || kernel.length != padding.length) {
            throw new IllegalArgumentException("pool: kernel " + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride)
                    + " and padding " + Arrays.toString(padding) + " must have one entry per spatial axis");
        }
        this.max = max;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.countIncludePad = countIncludePad;
    }

    /** {@code MaxPool2d(k)}: a k x k window with stride k. */
    public static Pool max2d(int k) { return max2d(k, k, 0); }

    public static Pool max2d(int k, int stride, int padding) {
        return new Pool(true, new int[] {k, k}, new int[] {stride, stride}, new int[] {padding, padding}, true);
    }

    /** {@code AvgPool2d(k)}: a k x k window with stride k. */
    public static Pool avg2d(int k) { return avg2d(k, k, 0); }

    public static Pool avg2d(int k, int stride, int padding) {
        return new Pool(false, new int[] {k, k}, new int[] {stride, stride}, new int[] {padding, padding}, true);
    }

    /** Pooling of any spatial rank. */
    public static Pool of(boolean max, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return new Pool(max, kernel, stride, padding, countIncludePad);
    }

    @Override
    protected Variable forward(Variable x) {
        int n = kernel.length;
        if (x.rank() != n + 2) {
            throw new IllegalArgumentException("pool: expected input [N, C, " + n + " spatial axes], got " + x.value().describe());
        }
        int[] w = new int[n + 2], s = new int[n + 2], lo = new int[n + 2];
        w[0] = w[1] = s[0] = s[1] = 1;
        for (int i = 0; i < n; i++) {
            w[i + 2] = kernel[i];
            s[i + 2] = stride[i];
            lo[i + 2] = padding[i];
        }
        WindowOptions o = WindowOptions.of(w).withStrides(s).withPadding(Padding.explicit(lo, lo)).withCountIncludePad(countIncludePad);
        return max ? Functional.windowMax(x, o) : Functional.windowMean(x, o);
    }

    @Override
    public String describe() {
        return (max ? "MaxPool" : "AvgPool") + kernel.length + "d(kernel=" + join(kernel) + ", stride=" + join(stride)
                + (Arrays.stream(padding).anyMatch(p -> p != 0) ? ", padding=" + join(padding) : "") + ")";
    }

    private static String join(int[] k) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k.length; i++) sb.append(i > 0 ? "x" : "").append(k[i]);
        return sb.toString();
    }
}
