package dev.convolve.autograd.kernels;

/**
 * Sums of vector lanes in one fixed order, whether or not the JIT has compiled the kernel.
 *
 * <p>{@code reduceLanes(ADD)} of the Vector API may add the lanes of a float vector in any order, and does: compiled
 * by C2 on x86 it adds them as a halving tree, interpreted or compiled by C1 one after the other. A kernel's results
 * then depend on whether it has been compiled yet. For batch norm this mattered: its per-channel means are sensitive,
 * and resnet's gradients differed by up to 3% between the two (the layout test failed now and then, depending on what
 * the JIT had compiled when it ran). The per-row sums (batch-norm statistics and gradient sums, bias gradients) store
 * the vector to a scratch array and add its lanes here, as the halving tree - lane {@code i} plus lane
 * {@code i + n/2}, then the same on the first half, down to one - which is C2's order on x86, so the compiled results
 * there are unchanged. The conv and GEMM kernels, which reduce 16 vectors per small tile, keep {@code reduceLanes}
 * (a sum through memory costs them half their speed); the training warm-up has them compiled before the first step.
 */
final class Lanes {
    private Lanes() {}

    /** The sum of {@code a[o .. o+n)}, {@code n} a power of two, by halving (may overwrite the first half). */
    static float sum(float[] a, int o, int n) {
        if (n == 16) {
            float b0 = a[o] + a[o + 8], b1 = a[o + 1] + a[o + 9], b2 = a[o + 2] + a[o + 10], b3 = a[o + 3] + a[o + 11];
            float b4 = a[o + 4] + a[o + 12], b5 = a[o + 5] + a[o + 13], b6 = a[o + 6] + a[o + 14], b7 = a[o + 7] + a[o + 15];
            return ((b0 + b4) + (b2 + b6)) + ((b1 + b5) + (b3 + b7));
        }
        if (n == 8) {
            float b0 = a[o] + a[o + 4], b1 = a[o + 1] + a[o + 5], b2 = a[o + 2] + a[o + 6], b3 = a[o + 3] + a[o + 7];
            return (b0 + b2) + (b1 + b3);
        }
        if (n == 4) return (a[o] + a[o + 2]) + (a[o + 1] + a[o + 3]);
        for (int h = n >> 1; h > 0; h >>= 1) {
            for (int i = o; i < o + h; i++) a[i] += a[i + h];
        }
        return a[o];
    }
}
