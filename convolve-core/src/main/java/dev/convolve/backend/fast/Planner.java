package dev.convolve.backend.fast;

import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * Chooses the algorithm for a conv call from its shape and says why. Ask it through
 * {@link FastBackend#explain(ConvPlan)}.
 */
public final class Planner {
    private Planner() {}

    /** The algorithm chosen for a call: a short name, the reason, and how to run it. */
    public record Choice(String algorithm, String reason, Runner runner) {
        void run(Kernels k, ConvPlan p, float[] x, float[] w, float[] out) { runner.run(k, p, x, w, out); }

        @Override
        public String toString() { return algorithm + " (" + reason + ")"; }
    }

    /** Runs a conv on canonical f32 arrays into a zeroed output. */
    @FunctionalInterface
    interface Runner {
        void run(Kernels k, ConvPlan p, float[] x, float[] w, float[] out);
    }

    static Choice chooseWindow(Kernels k, dev.convolve.plan.WindowPlan p) {
        Pooling.Geometry g = Pooling.Geometry.of(p);
        return new Choice("phase-window", g.planes() + " planes of " + g.in().length + " spatial axes, split into stride phases and padded "
                + "with the identity, taps reduced over vector tiles; " + k.describe(), null);
    }

    static Choice chooseGradKernel(Kernels k, ConvPlan p) {
        int groups = Math.max(p.featureGroups(), p.batchGroups());
        return new Choice("dot", "kernel gradient as dot products over the positions (lanes along the reduction), "
                + (p.outChannels() / groups) + " output channels per group; " + k.describe(), null);
    }

    static Choice chooseGradInput(Kernels k, ConvPlan p) {
        // the input gradient is a conv (ConvGradients); explain that conv
        return new Choice("conv-transpose", "the forward engine on the gradient conv: " + describeTranspose(p), null);
    }

    private static String describeTranspose(ConvPlan p) {
        int[] s = p.strides();
        boolean strided = false;
        for (int v : s) strided |= v > 1;
        return strided ? "strides become input dilation, split into output phases (sub-pixel form)" : "stride 1: a padded conv with the flipped kernel";
    }

    static Choice choose(Kernels k, ConvPlan p) {
        List<SubProblem> subs = SubProblem.of(p);
        int groups = Math.max(p.featureGroups(), p.batchGroups());
        int og = p.outChannels() / groups;
        int mr = ShiftedConv.chooseRows(og);
        String phases = subs.size() == 1 ? "" : ", " + subs.size() + " output phases (input dilation)";
        boolean direct = !subs.isEmpty() && subs.get(0).readsInputDirectly();
        String reason = "implicit GEMM over shifted input views, tile " + mr + "x" + k.gemmVectors(mr) * k.lanes()
                + (direct ? ", input read in place" : ", input copied as padded stride phases") + phases + "; " + k.describe();
        return new Choice("shifted-gemm", reason, ShiftedConv::run);
    }
}
