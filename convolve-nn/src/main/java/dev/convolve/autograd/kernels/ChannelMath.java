package dev.convolve.autograd.kernels;

/**
 * Per-channel loops of batch normalization on f32 data viewed as {@code [outer][channels][inner]} (channel
 * {@code c} owns the rows {@code (o * channels + c) * inner} for every {@code o}). Each method handles the channels
 * {@code [c0, c1)}, so callers can split channels across threads. The SIMD implementation ({@code ChannelMathSimd})
 * keeps float vector partial sums per row and adds them in double precision; the scalar one is the fallback.
 */
interface ChannelMath {
    /** Mean and biased variance (two passes) of each channel. */
    void meanVar(float[] x, int outer, int channels, int inner, int c0, int c1, double[] mean, double[] var);

    /** {@code xhat = (x - mean) * invStd}, {@code y = xhat * gamma + beta}, then max(y, 0) when {@code relu}. */
    void normalize(float[] x, int outer, int channels, int inner, int c0, int c1, float[] mean, float[] invStd, float[] gamma, float[] beta,
                   boolean relu, float[] xhat, float[] y);

    /**
     * Sums of {@code g'} and {@code g' * xhat} per channel, with {@code g' = relu ? g * (y > 0) : g}; when {@code relu}
     * the masked gradient is written to {@code gm}.
     */
    void gradSums(float[] g, float[] y, float[] xhat, boolean relu, float[] gm, int outer, int channels, int inner, int c0, int c1,
                  double[] sumG, double[] sumGX);

    /** {@code dx = k * (g - meanG - xhat * meanGX)} per channel, with {@code k = gamma * invStd}. */
    void gradInput(float[] g, float[] xhat, int outer, int channels, int inner, int c0, int c1, float[] k, float[] meanG, float[] meanGX, float[] dx);

    /** {@code y = max(a + b, 0)} over [from, to). */
    void addRelu(float[] a, float[] b, float[] y, int from, int to);

    /** {@code r = v > 0 ? g : 0} over [from, to) (the ReLU backward, v being its input or output). */
    void reluGrad(float[] v, float[] g, float[] r, int from, int to);

    /** {@code y = max(x, 0)} over [from, to). */
    void relu(float[] x, float[] y, int from, int to);

    /** The implementation in use (SIMD when available). */
    static ChannelMath get() { return Holder.INSTANCE; }

    final class Holder {
        private Holder() {}

        static final ChannelMath INSTANCE = choose();

        private static ChannelMath choose() {
            if (Gemm.get() != Gemm.scalar()) {
                try {
                    return (ChannelMath) Class.forName("dev.convolve.autograd.kernels.ChannelMathSimd").getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    // fall through
                }
            }
            return new ChannelMathScalar();
        }
    }
}
