package dev.convolve.backend.fast;

import dev.convolve.plan.ConvPlan;
import java.util.List;

/**
 * Chooses the algorithm for a conv call from its shape and says why. Ask it through
 * {@link FastBackend#explain(ConvPlan)}.
 */
public final class Planner {
    private Planner() {}

    /**
     * Algorithms switched off with the system property {@code convolve.fast.disable} (comma-separated names such as
     * {@code winograd-4x4,batch-lanes,bcast-o}), to compare a path with the general one it replaces; read once.
     */
    private static final java.util.Set<String> DISABLED = java.util.Set.of(
            System.getProperty("convolve.fast.disable", "").trim().isEmpty() ? new String[0] : System.getProperty("convolve.fast.disable").trim().split("\\s*,\\s*"));

    /** False when {@code algorithm} was switched off by {@code convolve.fast.disable}. */
    static boolean enabled(String algorithm) { return !DISABLED.contains(algorithm); }

    /**
     * The algorithm chosen for a call: a short name, the reason (built when asked for: a call that only runs the choice
     * does not pay for the text), and how to run it.
     */
    public record Choice(String algorithm, java.util.function.Supplier<String> why, Runner runner) {
        Choice(String algorithm, String reason, Runner runner) { this(algorithm, () -> reason, runner); }

        /** Why this algorithm: the rule that chose it and the geometry it runs with. */
        public String reason() { return why.get(); }

        void run(Kernels k, ConvPlan p, float[] x, float[] w, float[] out) { runner.run(k, p, x, w, out); }

        @Override
        public String toString() { return algorithm + " (" + reason() + ")"; }
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

    /** The max/min pooling gradient ({@code windowSelectScatter} on f32). */
    static Choice chooseWindowGradient(Kernels k, dev.convolve.plan.WindowPlan p) {
        if (WindowGrad.suits(p)) {
            return new Choice("phase-route", "2-D windows: per plane, the selected tap of every window as a code plane (vectors over padded "
                    + "stride phases), then each input phase gathers the gradients of the windows that selected it; " + k.describe(), null);
        }
        return new Choice("scatter", "per window: the first maximum (minimum) found by plain loops over the taps, its gradient added there", null);
    }

    /** The window-sum (average pooling) gradient on f32. */
    static Choice chooseWindowSumGradient(Kernels k, dev.convolve.plan.WindowPlan p) {
        ConvPlan c = WindowSumGrad.convPlan(p);
        if (c != null) {
            return new Choice("phase-sum", "2-D windows: the input gradient of a depthwise conv with a kernel of ones, per plane and stride phase "
                    + "(" + Depthwise.describe(c) + "); " + k.describe(), null);
        }
        return new Choice("pad-window-sum", "the output gradient padded (interior zeros for strides) and summed over windows", null);
    }

    static Choice chooseGradKernel(Kernels k, ConvPlan p) {
        if (PlaneLanesGradKernel.force && PlaneLanesGradKernel.supports(k, p)) return planeLanesDw(k, p);
        if (TapListGradKernel.force && TapListGradKernel.supports(k, p)) return tapListDw(k, p);
        if (DepthwiseRows.suitsGradKernel(k, p)) {
            return new Choice("depthwise-rows-dw", () -> "depthwise on narrow rows: per channel, each gradient row times the input rows its "
                    + "taps read, gathered by one permutation per kernel column, a vector sum per tap over the batch; "
                    + DepthwiseRows.describe(k, p) + "; " + k.describe(), DepthwiseRows::gradKernel);
        }
        if (DepthwiseBlocked.suits(k, p, "depthwise-blocked-dw")) {
            return new Choice("depthwise-blocked-dw", () -> "depthwise on small planes: per block of channels (in the vector lanes), every "
                    + "image's input and gradient copied into blocks, one vector sum per tap over the batch, no sums across lanes; "
                    + DepthwiseBlocked.describe(k, p) + "; " + k.describe(), DepthwiseBlocked::gradKernel);
        }
        if (Depthwise.suits(p, "depthwise-dw")) {
            return new Choice("depthwise-dw", () -> "depthwise: per channel, every image's padded stride phases correlated with its gradient "
                    + "planes, one vector partial sum per tap over all rows and images; " + Depthwise.describe(p) + "; " + k.describe(),
                    Depthwise::gradKernel);
        }
        if (GradKernelWinograd.suits(p)) {
            return new Choice("winograd-dw", () -> "3x3, stride 1: Winograd F(3x3, 4x4) over 4x4 tiles of the output gradient, 36 GEMMs summed "
                    + "over the tiles (4x fewer multiply-adds), channel-blocked copies of input and gradient; " + k.describe(),
                    GradKernelWinograd::run);
        }
        if (GradKernelWinograd.suits5(p)) {
            return new Choice("winograd-5x5-dw", () -> "5x5, stride 1: Winograd F(5x5, 2x2) over 2x2 tiles of the output gradient, 36 GEMMs summed "
                    + "over the tiles (2.8x fewer multiply-adds), channel-blocked copies of input and gradient; " + k.describe(),
                    GradKernelWinograd::run);
        }
        if (GradKernelWinograd.suits7(p)) {
            return new Choice("winograd-7x7-dw", () -> "7x7, stride 1: Winograd F(7x7, 2x2) with eight points over 2x2 tiles of the output "
                    + "gradient, 64 GEMMs summed over the tiles (3x fewer multiply-adds), channel-blocked copies of input and gradient; "
                    + k.describe(), GradKernelWinograd::run);
        }
        if (!DenseConv.force && !GradKernelBatch.force && TapListGradKernel.suits(k, p)) return tapListDw(k, p);
        if (!DenseConv.force && GradKernelBatch.suits(k, p)) {
            return new Choice(GradKernelBatch.NAME, () -> "small planes, big batch: dot products with the images in the vector lanes, the input "
                    + "in the forward pass's batch-lanes layout and the gradient as [O][image block][position][lanes], register tiles of up "
                    + "to " + GradKernelBatch.MR + " output channels x " + GradKernelBatch.NC + " (channel, tap) columns; " + k.describe(),
                    GradKernelBatch::run);
        }
        if (DenseConv.suits(p, "dense-matrix-dw")) {
            return new Choice("dense-matrix-dw", () -> "tiny planes: the gradient of the conv matrix as one packed GEMM [C*positions x batch] x "
                    + "[batch x O*positions], folded onto the taps; " + DenseConv.describe(p) + "; " + k.describe(), DenseConv::gradKernel);
        }
        if (GradKernelGemm.suits(k, p)) {
            return new Choice("gemm-dw", () -> {
                GradKernelGemm.Job j = new GradKernelGemm.Job(k, p, new float[0], new float[0]);
                return "kernel gradient as one packed GEMM per group over the whole batch: [O x batch*positions] x [batch*positions x C*taps], "
                        + (j.identity ? "B read from the input in place order" : "B gathered from the input (im2col)") + ", tile " + j.gemm.mr
                        + "x" + j.gemm.nr + ", " + j.chunks + " reduction chunk(s); " + k.describe();
            }, GradKernelGemm::run);
        }
        if (PlaneLanesGradKernel.suits(k, p)) return planeLanesDw(k, p);
        if (GradKernelWide.suits(k, p)) {
            return new Choice("bcast-o", () -> "kernel gradient with the " + (p.featureGroups() > 1
                    ? p.outChannels() / p.featureGroups() + " output channels of each of " + p.featureGroups() + " groups (one group at a time)"
                    : p.outChannels() + " output channels") + " in the vector lanes: broadcast input x gradient rows, accumulated in "
                    + "registers over the positions; " + k.describe(), GradKernelWide::run);
        }
        int groups = Math.max(p.featureGroups(), p.batchGroups());
        return new Choice("dot", () -> "kernel gradient as dot products over the positions (lanes along the reduction), "
                + (p.outChannels() / groups) + " output channels per group; " + k.describe(), GradKernel::run);
    }

    /** The input gradient is the conv {@link dev.convolve.backend.ConvGradients} builds; this is the planner's choice for it. */
    static Choice chooseGradInput(Kernels k, ConvPlan p) {
        if (DepthwiseRows.suits(k, p, "depthwise-rows-dx")) {
            return new Choice("depthwise-rows-dx", "depthwise on narrow rows: each input-gradient row a sum over the gradient rows that reach "
                    + "it, gathered (stride classes and padding in the index vectors), written once; " + DepthwiseRows.describe(k, p)
                    + "; " + k.describe(), null);
        }
        if (DepthwiseBlocked.suitsGradInput(k, p)) {
            return new Choice("depthwise-blocked-dx", "depthwise on small planes: per (image, block of channels in the vector lanes), the "
                    + "zero-padded gradient block correlated with the taps of each (row, column) stride class of the input; "
                    + DepthwiseBlocked.describe(k, p) + "; " + k.describe(), null);
        }
        if (Depthwise.suits(p, "depthwise-dx")) {
            return new Choice("depthwise-dx", "depthwise: per channel, each stride phase of the input gradient as a depthwise correlation of the "
                    + "padded output gradient with that phase's taps" + (p.strides()[1] > 1 ? ", phases interleaved at the end" : ", written in place")
                    + "; " + Depthwise.describe(p) + "; " + k.describe(), null);
        }
        if (p.batchGroups() > 1) {
            return new Choice("conv-transpose", "one gradient conv per batch group (ConvGradients), each planned like a forward conv", null);
        }
        ConvPlan g = gradInputPlan(p);
        Choice c = chooseGradConv(k, g);
        return new Choice(c.algorithm(), "the forward engine on the gradient conv " + g.canonicalInputShape() + " * " + g.canonicalKernelShape()
                + (anyAbove1(p.strides()) ? " (strides become input dilation: output phases)" : "") + ": " + c.reason(), null);
    }

    /**
     * The engine of the input-gradient conv {@code g} ({@link #gradInputPlan}): {@link #choose}'s, except that plane-lanes
     * takes it from batch-lanes with few images on several threads ({@link PlaneLanes#beforeBatchLanesOnGradInput}).
     */
    static Choice chooseGradConv(Kernels k, ConvPlan g) {
        Choice c = choose(k, g);
        if (c.algorithm().equals("batch-lanes") && PlaneLanes.beforeBatchLanesOnGradInput(k, g)) {
            return TapListConv.beforePlaneLanesOnGradInput(k, g) ? tapList(k, g) : planeLanes(k, g);
        }
        return c;
    }

    /** The plan of the input-gradient conv, as {@link dev.convolve.backend.ConvGradients#input} forms it (no batch groups). */
    static ConvPlan gradInputPlan(ConvPlan p) {
        int n = p.spatialRank(), gf = p.featureGroups();
        int[] k = p.kernelSize(), s = p.strides(), kd = p.kernelDilation(), ld = p.inputDilation(), lo = p.padLow(), sp = p.spatial(), q = p.outSize();
        int[] plo = new int[n], phi = new int[n];
        for (int a = 0; a < n; a++) {
            int dk = ConvPlan.dilate(k[a], kd[a]);
            int dg = ConvPlan.dilate(q[a], s[a]);
            plo[a] = dk - 1 - lo[a];
            phi[a] = (sp[a] - 1) * ld[a] + dk - dg - plo[a];
        }
        int[] gShape = p.canonicalOutputShape().dims();
        int[] wShape = new int[n + 2];
        wShape[0] = gf * p.kernelChannels();
        wShape[1] = p.outChannels() / gf;
        System.arraycopy(k, 0, wShape, 2, n);
        dev.convolve.plan.ConvOptions o = dev.convolve.plan.ConvOptions.defaults()
                .withStrides(dev.convolve.plan.AxisValues.of(ld))
                .withInputDilation(dev.convolve.plan.AxisValues.of(s))
                .withKernelDilation(dev.convolve.plan.AxisValues.of(kd))
                .withPadding(dev.convolve.plan.Padding.explicit(plo, phi))
                .withFeatureGroupSize(gf);
        return ConvPlan.of(dev.convolve.tensor.Shape.of(gShape), p.outputType(), dev.convolve.tensor.Shape.of(wShape), p.outputType(), o);
    }

    private static boolean anyAbove1(int[] a) {
        for (int v : a) if (v > 1) return true;
        return false;
    }

    static Choice choose(Kernels k, ConvPlan p) {
        // engines forced by tests come first
        if (ChannelLanesConv.force && ChannelLanesConv.suits(k, p)) return channelLanes(k, p);
        if (DenseConv.force && DenseConv.suits(p, "dense-matrix")) return dense(k, p);
        if (PlaneLanes.force && PlaneLanes.supports(k, p)) return planeLanes(k, p);
        if (TapListConv.force && TapListConv.supports(k, p)) return tapList(k, p);
        if (PointwiseConv.force && PointwiseConv.supports(k, p)) return pointwise(k, p);
        if (DepthwiseRows.suitsForward(k, p)) {
            return new Choice("depthwise-rows", () -> "depthwise on narrow rows: per plane, each output row a sum of the input rows its taps read, "
                    + "gathered straight from the plane by one permutation per kernel column (strides and padding in the index vectors), "
                    + "weights broadcast; " + DepthwiseRows.describe(k, p) + "; " + k.describe(), DepthwiseRows::run);
        }
        if (DepthwiseBlocked.suits(k, p, "depthwise-blocked")) {
            return new Choice("depthwise-blocked", () -> "depthwise on small planes: per (image, block of channels), the planes copied into one "
                    + "zero-padded block with the channels in the vector lanes, each output vector a sum of taps (weights in registers), "
                    + "transposed back; " + DepthwiseBlocked.describe(k, p) + "; " + k.describe(), DepthwiseBlocked::run);
        }
        if (Depthwise.suits(p, "depthwise")) {
            return new Choice("depthwise", () -> "per (image, channel) plane: padded stride phases in a small buffer, output rows as weighted sums "
                    + "of shifted rows (columns in the lanes, weights in registers); " + Depthwise.describe(p) + "; " + k.describe(), Depthwise::run);
        }
        if (TapListConv.sideBySideFirst(k, p)) return tapList(k, p);
        if (Winograd.suits(p)) {
            return new Choice("winograd-4x4", () -> "3x3, stride 1, " + p.channels() + " -> " + p.outChannels() + " channels"
                    + (p.featureGroups() > 1 ? " in " + p.featureGroups() + " groups (one at a time)" : "") + ": Winograd F(4x4, 3x3), 36 GEMMs of "
                    + "[O x C] x [C x tiles] (4x fewer multiply-adds), 6x6 patches read from a zero-padded copy in blocks of " + k.lanes() + " channels; "
                    + k.describe(), Winograd::run);
        }
        if (Winograd.suits5(p)) {
            return new Choice("winograd-5x5", () -> "5x5, stride 1, " + p.channels() + " -> " + p.outChannels() + " channels"
                    + (p.featureGroups() > 1 ? " in " + p.featureGroups() + " groups (one at a time)" : "") + ": Winograd F(2x2, 5x5), 36 GEMMs of "
                    + "[O x C] x [C x tiles] (2.8x fewer multiply-adds), 6x6 patches read from a zero-padded copy in blocks of "
                    + k.lanes() + " channels; " + k.describe(), Winograd::run);
        }
        if (Winograd.suits7(p)) {
            return new Choice("winograd-7x7", () -> "7x7, stride 1, " + p.channels() + " -> " + p.outChannels() + " channels"
                    + (p.featureGroups() > 1 ? " in " + p.featureGroups() + " groups (one at a time)" : "") + ": Winograd F(2x2, 7x7) with eight "
                    + "points, 64 GEMMs of [O x C] x [C x tiles] (3x fewer multiply-adds), 8x8 patches read from a zero-padded copy in blocks of "
                    + k.lanes() + " channels; " + k.describe(), Winograd::run);
        }
        if (TapListConv.suits(k, p)) return PlaneLanes.beforeTapList(k, p) ? planeLanes(k, p) : tapList(k, p);
        if (DenseConv.suits(p, "dense-matrix")) return dense(k, p);
        // the sub-problems once: the rules below look at them (computing them takes about 0.2 µs, a tenth of a tiny conv)
        List<SubProblem> subs = SubProblem.of(p);
        if (PointwiseConv.suits(k, p)) return pointwise(k, p);
        if (ChannelLanesConv.first(k, p) && ChannelLanesConv.suits(k, p, subs)) {
            return PlaneLanes.beforeChannelLanes(k, p, subs) ? planeLanes(k, p) : channelLanes(k, p);
        }
        if (GemmConv.suits(p, subs)) {
            boolean across = GemmConv.acrossBatch(k, p, subs.get(0));
            long cols = subs.get(0).gridSize() * (across ? p.outBatch() : 1);
            return new Choice("gemm", () -> {
                Gemm g = Gemm.choose(GemmKernels.of(k), p.outChannels() / p.featureGroups(), (int) Math.min(Integer.MAX_VALUE, cols));
                String phases = subs.size() == 1 ? "" : ", " + subs.size() + " output phases (input dilation)";
                return "1x1 kernel: packed GEMM [O x C] x [C x positions] "
                    + (across ? "over the whole batch (small planes: column blocks run across images)" : "per image")
                    + ", weights packed once, input blocks packed for "
                    + "the L2 cache, tile " + g.mr + "x" + g.nr + phases + "; " + k.describe();
            }, GemmConv::run);
        }
        if (Im2colGemm.suits(k, p, subs)) {
            return new Choice("im2col-gemm", () -> {
                long q = subs.get(0).gridSize();
                Gemm g = Gemm.choose(GemmKernels.of(k), p.outChannels() / p.featureGroups(), (int) Math.min(Integer.MAX_VALUE, q * p.outBatch()));
                String phases = subs.size() == 1 ? "" : ", " + subs.size() + " output phases (input dilation), each over its own taps";
                return "small planes (" + q + " outputs per image" + (subs.size() == 1 ? "" : " and phase") + ") and batch "
                    + p.outBatch() + ": one packed GEMM per group [O x C*taps] x [C*taps x batch*positions] over the whole batch, im2col "
                    + "blocks gathered for the L2 cache, tile " + g.mr + "x" + g.nr + phases + "; " + k.describe();
            }, (kk, pp, x, w, out) -> new Im2colGemm.Job(kk, pp, subs, x, w).run(out));
        }
        if (PlaneLanes.suits(k, p, subs)) return planeLanes(k, p);
        if (BatchConv.suits(k, p, subs)) {
            return new Choice("batch-lanes", () -> {
                int[] t = BatchConv.chooseTile(k, p, subs);
                String phases = subs.size() == 1 ? "" : ", " + subs.size() + " output phases (input dilation)";
                return "small planes (at most " + BatchConv.MAX_GRID + " outputs per image) and batch " + p.outBatch()
                    + ": images in the vector lanes, tile " + t[0] + "x" + t[1] * k.lanes() + phases + "; " + k.describe();
            }, (kk, pp, x, w, out) -> BatchConv.run(kk, pp, subs, x, w, out));
        }
        if (ChannelLanesConv.suits(k, p, subs)) return PlaneLanes.beforeChannelLanes(k, p, subs) ? planeLanes(k, p) : channelLanes(k, p);
        return new Choice("shifted-gemm", () -> {
            int mr = ShiftedConv.chooseRows(p.outChannels() / Math.max(p.featureGroups(), p.batchGroups()));
            String phases = subs.size() == 1 ? "" : ", " + subs.size() + " output phases (input dilation)";
            boolean direct = !subs.isEmpty() && subs.get(0).readsInputDirectly();
            return "implicit GEMM over shifted input views, tile " + mr + "x" + k.gemmVectors(mr) * k.lanes()
                    + (direct ? ", input read in place" : ", input copied as padded stride phases") + phases + "; " + k.describe();
        }, ShiftedConv::run);
    }

    private static Choice pointwise(Kernels k, ConvPlan p) {
        return new Choice(PointwiseConv.NAME, () -> {
            long q = Canonical.product(p.outSize());
            int nr = k.gemmVectors(PointwiseConv.MR) * k.lanes();
            return "1x1, stride 1: per image the GEMM [O x C] x [C x " + q + " positions] on the input and output where they lie, tile "
                    + PointwiseConv.MR + " output channels x " + nr + " positions" + (q % nr == 0 ? "" : ", the last " + q % nr
                    + " positions of each image as rows of (image, position) with the output channels in the vector lanes")
                    + "; " + k.describe();
        }, PointwiseConv::run);
    }

    private static Choice planeLanes(Kernels k, ConvPlan p) {
        return new Choice(PlaneLanes.NAME, () -> "small output planes: each image's output plane in the vector lanes, the input "
                + "gathered per (channel, row phase, kernel column) into arrays with the output's row length, so that every tap is one "
                + "contiguous load across the plane, weights broadcast; " + PlaneLanes.describe(k, p) + "; " + k.describe(), PlaneLanes::run);
    }

    private static Choice planeLanesDw(Kernels k, ConvPlan p) {
        return new Choice(PlaneLanesGradKernel.NAME, () -> "small output planes: each image's input gathered as the forward plane-lanes "
                + "engine gathers it (every tap one contiguous run across the plane), dot products of the gradient planes with those "
                + "runs, register tiles of up to " + PlaneLanesGradKernel.MR + " output channels x " + PlaneLanesGradKernel.NC
                + " (channel, tap) columns, vector sums over the images, lanes summed once; " + PlaneLanes.describe(k, p) + "; "
                + k.describe(), PlaneLanesGradKernel::run);
    }

    private static Choice tapList(Kernels k, ConvPlan p) {
        return new Choice(TapListConv.NAME, () -> "small planes, big batch: per output position a product over its own list of the "
                + "taps that land on the input (none in the padding), the images as the tile's rows and read where they lie, the output "
                + "channels in the vector lanes, weights packed once, blocks of positions transposed out; " + TapListConv.describe(k, p)
                + "; " + k.describe(), TapListConv::run);
    }

    private static Choice tapListDw(Kernels k, ConvPlan p) {
        return new Choice(TapListGradKernel.NAME, () -> "small planes, big batch: per list of the forward's tap lists, the kernel "
                + "gradient of its (channel, tap) entries as a product over (image, position) steps, inputs broadcast where they lie, the "
                + "gradient copied once as [image][position][channel] with the output channels in the vector lanes, the lists' sums added "
                + "per tap; " + TapListConv.describe(k, p) + "; " + k.describe(), TapListGradKernel::run);
    }

    private static Choice dense(Kernels k, ConvPlan p) {
        return new Choice("dense-matrix", () -> "tiny planes: the conv matrix, one GEMM [batch x C*positions] x [C*positions x O*positions] over "
                + "the tensors as they lie (no gathers; " + (DenseConv.broadcastRows(k, p) ? "broadcast tiles over the images' rows, nothing packed" : "packed")
                + "); " + DenseConv.describe(p) + "; " + k.describe(), DenseConv::run);
    }

    private static Choice channelLanes(Kernels k, ConvPlan p) {
        return new Choice(ChannelLanesConv.NAME, () -> {
            int og = p.outChannels() / p.featureGroups();
            int nv = ChannelLanesConv.vectors(og, k.lanes());
            int[] q = p.outSize();
            boolean phases = ChannelLanesConv.inputDilated(p);
            String what = phases ? SubProblem.of(p).size() + " output phases (input dilation), "
                    : anyAbove1(p.strides()) ? "strided, "
                    : ChannelLanesConv.pointwise(p) ? "1x1 on a small plane (" + Canonical.product(q) + " positions), "
                    : "unstrided, " + p.kernelChannels() + " input channels x " + Canonical.product(p.kernelSize()) + " taps per output, ";
            boolean last = ChannelLanesConv.channelsLast(p);
            String input = last ? "each image copied channels-last into a zero-padded plane, each kernel row one run of steps"
                    : ChannelLanesConv.readsInPlace(p) ? "input read in place" : "each image copied into zero-padded planes";
            String out = phases ? "each phase's outputs stored at their interleaved positions" : "blocks of positions transposed out";
            return what + og + " output channels per group, output rows of " + q[q.length - 1] + ": direct conv with "
                    + "the output channels in the vector lanes, tile " + ChannelLanesConv.rows(k, p) + " positions x " + nv * k.lanes() + " channels, "
                    + "weights packed " + (last ? "once, tap-major, " : "once, ") + input + " (images split along their first axis when there are few), " + out + "; " + k.describe();
        }, ChannelLanesConv::run);
    }
}
