package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * The input gradient of f32 convs without batch groups: the gradient conv of {@link dev.convolve.backend.ConvGradients#input}
 * (planned by {@link Planner#gradInputPlan}), with its kernel (output and input channels swapped inside each feature group, every
 * spatial axis reversed) built by one direct loop instead of general tensor transposes, which walk a 1x1 kernel one element
 * at a time.
 */
final class GradInput {
    private GradInput() {}

    /** The flipped kernel of the last call on this thread (reused: steady-state calls allocate only their result). */
    private static final ThreadLocal<float[][]> FLIPPED = ThreadLocal.withInitial(() -> new float[1][]);

    static boolean suits(ConvPlan p, Tensor gradOut) {
        return p.batchGroups() == 1 && gradOut.dtype() == DType.F32;
    }

    /** {@code dx} in the input's physical layout, f32. */
    static Tensor run(Kernels kern, ConvPlan p, Tensor kernel, Tensor gradOut) {
        ConvPlan gp = Planner.gradInputPlan(p);
        float[] w = Canonical.f32(kernel, p.kernelPermutation());
        float[] g = Canonical.f32(gradOut, p.outputPermutation());
        Planner.Choice choice = Planner.chooseGradConv(kern, gp);
        // the engines that store every output of a forward conv do so for the gradient conv too (its input dilation leaves
        // some outputs without taps only where FullWrite says so)
        float[] dx = FullWrite.freshOutput(choice, gp);
        if (choice.algorithm().equals(ChannelLanesConv.NAME)) {
            // these two read their weights straight from the forward kernel: no flipped copy
            ChannelLanesConv.runFromForward(kern, gp, g, w, dx);
        } else if (choice.algorithm().startsWith("winograd-")) {
            Winograd.runFromForward(kern, gp, g, w, dx);
        } else {
            choice.run(kern, gp, g, flip(w, p.featureGroups(), p.outChannels(), p.kernelChannels(), (int) Canonical.product(p.kernelSize())), dx);
        }
        return inInputLayout(p, dx);
    }

    /** An engine's depthwise input gradient: canonical {@code dx} from the canonical kernel and output gradient. */
    @FunctionalInterface
    interface DepthwiseDx {
        float[] run(Kernels k, ConvPlan p, float[] w, float[] g);
    }

    /** {@code dx} of a depthwise conv by {@code engine} (such as {@link Depthwise#gradInput}) in the input's physical layout, f32. */
    static Tensor depthwise(Kernels kern, ConvPlan p, Tensor kernel, Tensor gradOut, DepthwiseDx engine) {
        float[] w = Canonical.f32(kernel, p.kernelPermutation());
        float[] g = Canonical.f32(gradOut, p.outputPermutation());
        return inInputLayout(p, engine.run(kern, p, w, g));
    }

    /** The canonical f32 input gradient {@code dx} as a tensor in {@code p}'s input layout. */
    private static Tensor inInputLayout(ConvPlan p, float[] dx) {
        Tensor t = Tensor.wrap(DType.F32, p.canonicalInputShape(), dx);
        int[] perm = p.inputPermutation();
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) identity &= perm[i] == i;
        return identity ? t : t.transpose(Canonical.inverse(perm));
    }

    /** {@code [O][I][K]} (O = gf * og) to {@code [gf * I][og][K]} with the spatial taps reversed. */
    static float[] flip(float[] w, int gf, int o, int i, int taps) {
        int og = o / gf;
        float[][] slot = FLIPPED.get();
        float[] f = slot[0];
        if (f == null || f.length < w.length) slot[0] = f = new float[w.length];
        float[] dst = f;
        // one item per (group, input channel): its [og][taps] block of the result, written front to back; all threads when big
        Threads.parallelFor(gf * i, w.length >= GemmConv.PARALLEL_PACK ? Threads.threads() : 1, item -> {
            int gi = item / i, ii = item % i;
            for (int oo = 0; oo < og; oo++) {
                int s = ((gi * og + oo) * i + ii) * taps, d = ((gi * i + ii) * og + oo) * taps + taps - 1;
                for (int t = 0; t < taps; t++) dst[d - t] = w[s + t];
            }
        });
        return f;
    }
}
