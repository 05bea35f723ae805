package dev.convolve.autograd.kernels;

import dev.convolve.backend.Threads;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Memory-bound f32 loops of training, vectorised ({@link ChannelMath}) and split across the kernel threads when
 * large: ReLU and its backward, a residual {@code relu(a + b)}, and batch normalization's per-channel passes.
 */
public final class FusedF32 {
    private FusedF32() {}

    /** Elements below which one thread does the work. */
    private static final int PARALLEL_ELEMENTS = 1 << 16;

    private static int parts(int n) { return n < PARALLEL_ELEMENTS ? 1 : Math.max(1, Threads.threads()); }

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tensor x) {
        float[] a = x.floatData(), y = new float[a.length];
        int t = parts(a.length);
        Workers.run(t, i -> ChannelMath.get().relu(a, y, (int) ((long) a.length * i / t), (int) ((long) a.length * (i + 1) / t)));
        return Tensor.wrap(DType.F32, x.shape(), y);
    }

    /** {@code v > 0 ? g : 0} (ReLU backward; {@code v} is the ReLU's input or output). */
    public static Tensor reluGrad(Tensor v, Tensor g) {
        float[] a = v.floatData(), gv = g.floatData(), r = new float[a.length];
        int t = parts(a.length);
        Workers.run(t, i -> ChannelMath.get().reluGrad(a, gv, r, (int) ((long) a.length * i / t), (int) ((long) a.length * (i + 1) / t)));
        return Tensor.wrap(DType.F32, v.shape(), r);
    }

    /** {@code max(a + b, 0)} for equally shaped f32 tensors. */
    public static Tensor addRelu(Tensor a, Tensor b) {
        float[] x = a.floatData(), z = b.floatData(), y = new float[x.length];
        int t = parts(x.length);
        Workers.run(t, i -> ChannelMath.get().addRelu(x, z, y, (int) ((long) x.length * i / t), (int) ((long) x.length * (i + 1) / t)));
        return Tensor.wrap(DType.F32, a.shape(), y);
    }

    /** Per-channel mean and biased variance of {@code x} viewed as {@code [outer][channels][inner]}. */
    public static void meanVar(float[] x, int outer, int channels, int inner, double[] mean, double[] var) {
        int t = Math.min(parts(x.length), channels);
        Workers.run(t, i -> ChannelMath.get().meanVar(x, outer, channels, inner, channels * i / t, channels * (i + 1) / t, mean, var));
    }

    /** Writes {@code xhat} and {@code y = relu?(xhat * gamma + beta)}. */
    public static void normalize(float[] x, int outer, int channels, int inner, float[] mean, float[] invStd, float[] gamma, float[] beta, boolean relu,
                                 float[] xhat, float[] y) {
        int t = Math.min(parts(x.length), channels);
        Workers.run(t, i -> ChannelMath.get().normalize(x, outer, channels, inner, channels * i / t, channels * (i + 1) / t, mean, invStd, gamma, beta,
                relu, xhat, y));
    }

    /** Per-channel sums of the (ReLU-masked) gradient and of its product with {@code xhat}. */
    public static void gradSums(float[] g, float[] y, float[] xhat, boolean relu, float[] gm, int outer, int channels, int inner, double[] sumG, double[] sumGX) {
        int t = Math.min(parts(g.length), channels);
        Workers.run(t, i -> ChannelMath.get().gradSums(g, y, xhat, relu, gm, outer, channels, inner, channels * i / t, channels * (i + 1) / t, sumG, sumGX));
    }

    /** {@code dx = k * (g - meanG - xhat * meanGX)} per channel. */
    public static void gradInput(float[] g, float[] xhat, int outer, int channels, int inner, float[] k, float[] meanG, float[] meanGX, float[] dx) {
        int t = Math.min(parts(g.length), channels);
        Workers.run(t, i -> ChannelMath.get().gradInput(g, xhat, outer, channels, inner, channels * i / t, channels * (i + 1) / t, k, meanG, meanGX, dx));
    }
}
