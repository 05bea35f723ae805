package dev.convolve.backend.fast;

import dev.convolve.plan.ConvPlan;
import java.util.Set;

/**
 * Whether a forward engine stores every element of the output, so that {@link FastBackend#convInto} can hand it a used
 * buffer without zeroing it first. The engines below store each output they compute (the first reduction block stores,
 * later ones add); none of them visits an output position that no tap reaches, and with input dilation some positions get
 * no tap at all (their output phase has no sub-problem), so those plans are zeroed first whatever the engine.
 * {@code FullWriteTest} runs every engine into outputs filled with NaN.
 */
final class FullWrite {
    private FullWrite() {}

    private static final Set<String> ENGINES = Set.of("gemm", "shifted-gemm", "winograd-4x4", "winograd-5x5", "winograd-7x7",
            "channel-lanes", "batch-lanes", "im2col-gemm", "dense-matrix", "depthwise", "depthwise-blocked", "depthwise-rows",
            PlaneLanes.NAME, TapListConv.NAME, PointwiseConv.NAME);

    static boolean of(Planner.Choice c, ConvPlan p) {
        return ENGINES.contains(c.algorithm()) && everyOutputHasTaps(p);
    }

    /**
     * A fresh output for engine {@code c} on {@code p}: left unzeroed ({@link FreshArrays#forFullWrite}) when {@code c} stores
     * every element, zeroed otherwise. The full-write test (it builds the plan's sub-problems) runs only where skipping the
     * zeroing can happen at all.
     */
    static float[] freshOutput(Planner.Choice c, ConvPlan p) {
        int n = p.outputShape().size();
        return n >= FreshArrays.MIN_FLOATS && FreshArrays.uninitialized() && of(c, p) ? FreshArrays.forFullWrite(n) : SpareArrays.zeroed(n);
    }

    /** True when the sub-problems' grids cover the whole output: every output position has a tap inside the input. */
    static boolean everyOutputHasTaps(ConvPlan p) {
        return SubProblem.coverEveryOutput(SubProblem.of(p), p.outSize());
    }
}
