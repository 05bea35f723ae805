package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import org.junit.jupiter.api.Test;

/** What the planner chooses for the families of the benchmark table, and that it says why. */
class PlannerTest {
    private static final FastBackend FAST = FastBackend.create();

    static ConvPlan plan(int n, int c, int h, int w, int k, int r, int stride, int pad, int groups) {
        ConvOptions o = ConvOptions.defaults().withStrides(stride).withPadding(Padding.explicit(new int[] {pad, pad}, new int[] {pad, pad}))
                .withFeatureGroupSize(groups);
        return ConvPlan.of(Shape.of(n, c, h, w), DType.F32, Shape.of(k, c / groups, r, r), DType.F32, o);
    }

    /**
     * batch-lanes' tile on two threads: 64 images with a 4x4 output are one block of 64 lanes and one item (slices keep to
     * 16 points), so the tile drops to blocks of 32 for two items; 256 images are four blocks of 64 either way.
     */
    @Test
    void batchLanesTileGivesEachThreadABlock() {
        Kernels k = FAST.kernels();
        if (k.lanes() != 16) return;
        assertEquals(4, BatchConv.chooseTile(k, 16, 64, 1, 1)[1]);
        assertEquals(2, BatchConv.chooseTile(k, 16, 64, 1, 2)[1]);
        assertEquals(4, BatchConv.chooseTile(k, 16, 256, 1, 2)[1]);
        assertEquals(4, BatchConv.chooseTile(k, 16, 64, 2, 2)[1]);
    }

    @Test
    void choosesPerShape() {
        assertEquals("winograd-4x4", FAST.explain(plan(8, 64, 56, 56, 64, 3, 1, 1, 1)).algorithm());
        assertEquals("winograd-4x4", FAST.explain(plan(64, 64, 7, 7, 64, 3, 1, 1, 1)).algorithm());
        // 5x5 stride 1: Winograd F(2x2, 5x5) forward (so also the input gradient) with 32+ input and 16+ output channels above
        // MIN_GROUP_WORK (16 tiles x 32 x 32 is below), F(5x5, 2x2) for the kernel gradient with 16+ each way; strided 5x5 not
        // at all
        assertEquals("winograd-5x5", FAST.explain(plan(16, 128, 14, 14, 128, 5, 1, 2, 1)).algorithm());
        assertEquals("winograd-5x5", FAST.explainGradInput(plan(16, 128, 14, 14, 128, 5, 1, 2, 1)).algorithm());
        assertEquals("winograd-5x5-dw", FAST.explainGradKernel(plan(16, 128, 14, 14, 128, 5, 1, 2, 1)).algorithm());
        assertEquals("winograd-5x5", FAST.explain(plan(8, 64, 56, 56, 64, 5, 1, 2, 1)).algorithm());
        assertEquals("winograd-5x5", FAST.explain(plan(8, 32, 7, 7, 32, 5, 1, 0, 1)).algorithm());
        assertEquals("shifted-gemm", FAST.explain(plan(8, 16, 64, 64, 64, 5, 1, 2, 1)).algorithm());
        assertEquals("winograd-5x5-dw", FAST.explainGradKernel(plan(8, 16, 32, 32, 64, 5, 1, 2, 1)).algorithm());
        assertFalse(FAST.explain(plan(1, 32, 8, 8, 32, 5, 1, 2, 1)).algorithm().startsWith("winograd"));
        assertEquals("winograd-5x5-dw", FAST.explainGradKernel(plan(1, 32, 8, 8, 32, 5, 1, 2, 1)).algorithm());
        assertFalse(FAST.explain(plan(8, 64, 28, 28, 64, 5, 2, 2, 1)).algorithm().startsWith("winograd"));
        assertFalse(FAST.explain(plan(256, 6, 14, 14, 16, 5, 1, 0, 1)).algorithm().startsWith("winograd"));
        // 7x7 stride 1: Winograd with eight points, F(2x2, 7x7) forward and input gradient with 32+ input channels, F(7x7, 2x2)
        // for the kernel gradient with 16+ each way
        assertEquals("winograd-7x7", FAST.explain(plan(8, 64, 28, 28, 64, 7, 1, 3, 1)).algorithm());
        assertEquals("winograd-7x7-dw", FAST.explainGradKernel(plan(8, 64, 28, 28, 64, 7, 1, 3, 1)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(8, 64, 28, 28, 64, 7, 2, 3, 1)).algorithm());
        assertEquals("winograd-7x7", FAST.explainGradInput(plan(8, 64, 28, 28, 64, 7, 1, 3, 1)).algorithm());
        assertEquals("winograd-7x7", FAST.explain(plan(8, 32, 48, 48, 32, 7, 1, 3, 1)).algorithm());
        assertEquals("shifted-gemm", FAST.explain(plan(8, 3, 224, 224, 64, 7, 2, 3, 1)).algorithm());
        assertEquals("gemm", FAST.explain(plan(8, 256, 28, 28, 256, 1, 1, 0, 1)).algorithm());
        // 1x1 on 7x7 to 14x14 planes with weights up to 128K and 1024+ columns: on the input where it lies (PointwiseConv.suits)
        assertEquals("pointwise-in-place", FAST.explain(plan(64, 64, 14, 14, 64, 1, 1, 0, 1)).algorithm());
        assertEquals("pointwise-in-place", FAST.explain(plan(64, 128, 7, 7, 128, 1, 1, 0, 1)).algorithm());
        assertEquals("pointwise-in-place", FAST.explain(plan(32, 256, 10, 10, 512, 1, 1, 0, 1)).algorithm());
        assertEquals("pointwise-in-place", FAST.explainGradInput(plan(64, 128, 7, 7, 256, 1, 1, 0, 1)).algorithm());
        assertEquals("channel-lanes", FAST.explain(plan(8, 2048, 7, 7, 512, 1, 1, 0, 1)).algorithm());
        assertEquals("channel-lanes", FAST.explain(plan(1, 512, 7, 7, 512, 1, 1, 0, 1)).algorithm());
        assertEquals("gemm", FAST.explain(plan(256, 32, 4, 4, 64, 1, 1, 0, 1)).algorithm());
        assertEquals("channel-lanes", FAST.explain(plan(64, 32, 28, 28, 64, 1, 2, 0, 1)).algorithm());
        assertEquals("depthwise-blocked", FAST.explain(plan(8, 128, 56, 56, 128, 3, 1, 1, 128)).algorithm());
        assertEquals("depthwise-rows-dx", FAST.explainGradInput(plan(8, 256, 28, 28, 256, 3, 2, 1, 256)).algorithm());
        assertEquals("depthwise-rows", FAST.explain(plan(256, 1, 28, 28, 4, 3, 2, 1, 1)).algorithm());
        assertEquals("depthwise-rows", FAST.explain(plan(8, 32, 28, 28, 64, 3, 1, 1, 32)).algorithm());
        assertEquals("shifted-gemm", FAST.explain(plan(128, 1, 28, 28, 6, 5, 1, 2, 1)).algorithm());
        String tl = TapListConv.NAME;
        assertEquals(tl, FAST.explain(plan(256, 8, 7, 7, 16, 3, 2, 1, 1)).algorithm());
        assertEquals("plane-lanes", FAST.explain(plan(256, 4, 14, 14, 8, 3, 2, 1, 1)).algorithm());
        assertEquals("plane-lanes", FAST.explain(plan(256, 4, 14, 14, 8, 5, 2, 2, 1)).algorithm());
        assertEquals(tl, FAST.explain(plan(64, 64, 14, 14, 128, 3, 2, 1, 1)).algorithm());
        assertEquals(tl, FAST.explain(plan(64, 32, 28, 28, 64, 3, 2, 1, 1)).algorithm());
        assertEquals("channel-lanes", FAST.explain(plan(8, 256, 14, 14, 512, 3, 2, 1, 1)).algorithm());
        assertEquals("shifted-gemm", FAST.explain(plan(1, 1, 28, 28, 1, 3, 1, 0, 1)).algorithm());
        assertEquals(tl, FAST.explain(plan(256, 16, 4, 4, 16, 3, 2, 1, 1)).algorithm());
        assertEquals(tl, FAST.explain(plan(256, 16, 2, 2, 10, 3, 2, 1, 1)).algorithm());
        assertEquals(tl, FAST.explainGradInput(plan(256, 16, 4, 4, 16, 3, 2, 1, 1)).algorithm());
        // LeNet's 14x14 -> 10x10 with one vector of outputs: tap-list only where its 16-image tiles read side by side
        assertEquals(FAST.kernels().lanes() == 16 ? tl : "batch-lanes", FAST.explain(plan(256, 6, 14, 14, 16, 5, 1, 0, 1)).algorithm());
        // not where it measured slower: 3-channel 32x32 planes, 8 images
        assertEquals("shifted-gemm", FAST.explain(plan(64, 3, 32, 32, 16, 3, 1, 1, 1)).algorithm());
        assertEquals("channel-lanes", FAST.explain(plan(8, 128, 28, 28, 256, 3, 2, 1, 1)).algorithm());
        // the MNIST layers' input gradients stay on batch-lanes (mnist-l1's in plane-lanes: 399 against 275 µs on one thread)
        assertEquals("batch-lanes", FAST.explainGradInput(plan(256, 1, 28, 28, 4, 3, 2, 1, 1)).algorithm());
        assertEquals("batch-lanes", FAST.explainGradInput(plan(256, 4, 14, 14, 8, 3, 2, 1, 1)).algorithm());
        assertEquals("batch-lanes", FAST.explainGradInput(plan(256, 8, 7, 7, 16, 3, 2, 1, 1)).algorithm());
        assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(plan(256, 16, 4, 4, 16, 3, 2, 1, 1)).algorithm());
        assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(plan(64, 64, 14, 14, 128, 3, 2, 1, 1)).algorithm());
        assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(plan(64, 32, 28, 28, 64, 3, 2, 1, 1)).algorithm());
        assertEquals("batch-lanes-dw", FAST.explainGradKernel(plan(256, 4, 14, 14, 8, 3, 2, 1, 1)).algorithm());
        // mnist-l3 and other one-vector layers of several lists: the tap lists (0.81x the time of batch-lanes-dw on two threads)
        assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(plan(256, 8, 7, 7, 16, 3, 2, 1, 1)).algorithm());
        assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(plan(128, 8, 10, 10, 16, 3, 2, 1, 1)).algorithm());
        assertEquals("batch-lanes-dw", FAST.explainGradKernel(plan(256, 4, 14, 14, 8, 5, 2, 2, 1)).algorithm());
        assertEquals("batch-lanes-dw", FAST.explainGradKernel(plan(256, 16, 2, 2, 10, 3, 2, 1, 1)).algorithm());
        assertEquals("batch-lanes-dw", FAST.explainGradKernel(plan(64, 3, 32, 32, 16, 3, 1, 1, 1)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(32, 3, 64, 64, 32, 3, 1, 1, 1)).algorithm());
        // the tap lists: 403 against 684 µs in gemm-dw on two threads
        assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(plan(128, 32, 8, 8, 64, 3, 2, 1, 1)).algorithm());
        assertEquals("winograd-dw", FAST.explainGradKernel(plan(8, 64, 56, 56, 64, 3, 1, 1, 1)).algorithm());
        assertEquals("gemm-dw", FAST.explainGradKernel(plan(8, 256, 28, 28, 256, 1, 1, 0, 1)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(8, 64, 28, 28, 64, 3, 2, 1, 1)).algorithm());
        // 196 outputs per image: the GEMM from 512 output channels, bcast-o below; bcast-o again at 784 outputs per image
        assertEquals("gemm-dw", FAST.explainGradKernel(plan(8, 256, 28, 28, 512, 3, 2, 1, 1)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(8, 128, 28, 28, 256, 3, 2, 1, 1)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(32, 128, 28, 28, 128, 3, 2, 1, 1)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(8, 128, 56, 56, 256, 3, 2, 1, 1)).algorithm());
        assertEquals("batch-lanes-dw", FAST.explainGradKernel(plan(256, 1, 28, 28, 4, 3, 2, 1, 1)).algorithm());
        assertEquals("depthwise-blocked-dw", FAST.explainGradKernel(plan(8, 128, 56, 56, 128, 3, 1, 1, 128)).algorithm());
        // grouped, one group at a time: Winograd for 3x3 stride 1 with 16+ channels per group, else bcast-o from a vector of
        // output channels per group, the GEMM for 1x1 kernels, dot below
        assertEquals("winograd-4x4", FAST.explain(plan(8, 256, 28, 28, 256, 3, 1, 1, 4)).algorithm());
        assertEquals("winograd-4x4", FAST.explainGradInput(plan(8, 256, 28, 28, 256, 3, 1, 1, 4)).algorithm());
        assertEquals("winograd-dw", FAST.explainGradKernel(plan(8, 256, 28, 28, 256, 3, 1, 1, 4)).algorithm());
        assertEquals("winograd-dw", FAST.explainGradKernel(plan(32, 512, 7, 7, 512, 3, 1, 1, 8)).algorithm());
        // little work per group (16 tiles of 16 channels each way): a direct engine (plane-lanes: 133 against shifted-gemm's
        // 160 µs on two threads); the kernel gradient stays Winograd's
        assertEquals("plane-lanes", FAST.explain(plan(1, 256, 14, 14, 256, 3, 1, 1, 16)).algorithm());
        assertEquals("winograd-4x4", FAST.explain(plan(1, 128, 28, 28, 128, 3, 1, 1, 4)).algorithm());
        assertEquals("winograd-dw", FAST.explainGradKernel(plan(1, 256, 14, 14, 256, 3, 1, 1, 16)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(8, 256, 28, 28, 512, 3, 2, 1, 4)).algorithm());
        assertEquals("winograd-5x5-dw", FAST.explainGradKernel(plan(8, 64, 56, 56, 64, 5, 1, 2, 2)).algorithm());
        assertEquals("bcast-o", FAST.explainGradKernel(plan(8, 64, 56, 56, 64, 5, 2, 2, 2)).algorithm());
        assertEquals("gemm-dw", FAST.explainGradKernel(plan(8, 1024, 14, 14, 1024, 1, 1, 0, 32)).algorithm());
        assertEquals("dot", FAST.explainGradKernel(plan(8, 64, 56, 56, 64, 3, 1, 1, 8)).algorithm());
    }

    @Test
    void theInputGradientIsPlannedAsTheConvItRuns() {
        ConvPlan p = plan(8, 64, 56, 56, 64, 3, 1, 1, 1);
        Planner.Choice c = FAST.explainGradInput(p);
        assertEquals("winograd-4x4", c.algorithm());
        ConvPlan g = Planner.gradInputPlan(p);
        assertEquals(p.inputShape(), g.outputShape());
        ConvPlan strided = plan(256, 4, 14, 14, 8, 3, 2, 1, 1);
        assertTrue(FAST.explainGradInput(strided).reason().contains("output phases"), FAST.explainGradInput(strided).reason());
        assertEquals(strided.canonicalInputShape(), Planner.gradInputPlan(strided).outputShape());
    }

    @Test
    void explanationsSayWhy() {
        String r = FAST.explain(plan(8, 64, 56, 56, 64, 3, 1, 1, 1)).toString();
        assertTrue(r.startsWith("winograd-4x4 ("), r);
        assertTrue(r.contains("F(4x4, 3x3)"), r);
        assertFalse(FAST.simd().isBlank());
        String s = FastBackend.scalar().explain(plan(8, 64, 56, 56, 64, 3, 1, 1, 1)).reason();
        assertTrue(s.contains("scalar"), s);
    }
}
