package dev.convolve.backend.fast;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The kernel gradient with the batch in the lanes ({@code batch-lanes-dw}) against the reference: forced on random plans
 * (every option but input dilation and batch groups, which it does not take: those fall to the other engines), and as
 * planned on MNIST-like layers with batches of 2 to 16 vectors that leave a partial block of images, channel counts that
 * leave partial tiles, strides, padding, kernel dilation and feature groups; vector and scalar tiles.
 */
class GradKernelBatchTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 150)
    void forcedMatchesReference(@ForAll long seed) {
        GradKernelBatch.force = true;
        try {
            RandomConvCase c = RandomConvCase.bigBatch(seed);
            FastGradPropertyTest.checkKernel(FAST, c);
            if (seed % 3 == 0) FastGradPropertyTest.checkKernel(SCALAR, c);
            FastGradPropertyTest.checkKernel(FAST, RandomConvCase.of(seed, false));
        } finally {
            GradKernelBatch.force = false;
        }
    }

    /** A random conv whose kernel gradient {@code backend} plans as {@code batch-lanes-dw}. */
    static RandomConvCase plannedCase(FastBackend backend, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int groups = r.nextInt(4) == 0 ? r.nextInt(2, 4) : 1;
            int n = new int[] {32, 47, 64, 130, 256}[r.nextInt(5)], c = r.nextInt(1, 9), o = new int[] {1, 3, 4, 7, 8, 13, 16, 24}[r.nextInt(8)];
            int h = r.nextInt(2, 34), w = r.nextInt(2, 34), k = new int[] {1, 2, 3, 5}[r.nextInt(4)];
            int s = r.nextInt(1, 3), d = r.nextInt(4) == 0 ? 2 : 1, pad = r.nextInt(0, k);
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(s, s)).withKernelDilation(AxisValues.of(d, d))
                    .withPadding(Padding.explicit(new int[] {pad, pad}, new int[] {pad, k - 1 - pad})).withFeatureGroupSize(groups);
            int ci = c * groups, oi = o * groups;
            RandomConvCase rc = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, ci, h, w}),
                    RandomConvCase.values(r.nextLong(), DType.F32, new int[] {oi, c, k, k}), opt);
            if (rc != null && backend.explainGradKernel(rc.plan()).algorithm().equals(GradKernelBatch.NAME)) return rc;
        }
        throw new AssertionError("no batch-lanes-dw case from seed " + seed);
    }

    @Property(tries = 60)
    void plannedMatchesReference(@ForAll long seed) {
        FastGradPropertyTest.checkKernel(FAST, plannedCase(FAST, seed));
        if (seed % 4 == 0) FastGradPropertyTest.checkKernel(SCALAR, plannedCase(SCALAR, seed));
    }

    /** A batch whose copies would not fit a Java array goes to the other engines (no overflowing offsets). */
    @org.junit.jupiter.api.Test
    void hugeBatchesAreLeftToTheOthers() {
        VectorKernels k = new VectorKernels();
        org.junit.jupiter.api.Assertions.assertTrue(GradKernelBatch.suits(k, PlannerTest.plan(256, 8, 7, 7, 16, 3, 2, 1, 1)));
        org.junit.jupiter.api.Assertions.assertFalse(GradKernelBatch.suits(k, PlannerTest.plan(1 << 22, 8, 7, 7, 16, 3, 2, 1, 1)));
        org.junit.jupiter.api.Assertions.assertFalse(GradKernelBatch.suits(k, PlannerTest.plan(1 << 19, 8, 14, 14, 16, 3, 2, 1, 1)));
    }

    /**
     * The lanes past the batch hold zeros, not another image's values: with a batch of 130 (two lanes of the last block used)
     * the last block's first channel is copied right after the previous block's last channel, so a NaN in that channel of an
     * image in lane 5 (image 117) must not reach lane 5 of the last block (no image there): the first channel's kernel
     * gradient stays finite and equal to the reference's (the last channel's is NaN in both).
     */
    @org.junit.jupiter.api.Test
    void lanesPastTheBatchAreZero() {
        dev.convolve.backend.Threads.sequential(() -> {
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(2, 2)).withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1}));
            float[] x = RandomConvCase.values(4, DType.F32, new int[] {130, 8, 7, 7}).toFloatArray();
            for (int i = 0; i < 49; i++) x[(117 * 8 + 7) * 49 + i] = Float.NaN;
            dev.convolve.tensor.Tensor xt = dev.convolve.tensor.Tensor.wrap(DType.F32, dev.convolve.tensor.Shape.of(130, 8, 7, 7), x);
            RandomConvCase c = RandomConvCase.inLayout(3, xt, RandomConvCase.values(5, DType.F32, new int[] {16, 8, 3, 3}), opt);
            dev.convolve.tensor.Tensor g = FastGradPropertyTest.gradOut(c);
            float[] got;
            GradKernelBatch.force = true; // (the planner takes tap-list-dw here)
            try {
                org.junit.jupiter.api.Assertions.assertEquals(GradKernelBatch.NAME, FAST.explainGradKernel(c.plan()).algorithm());
                got = FAST.convGradKernel(c.plan(), c.input(), g).toFloatArray();
            } finally {
                GradKernelBatch.force = false;
            }
            float[] want = dev.convolve.backend.Backends.reference().convGradKernel(c.plan(), c.input(), g).toFloatArray();
            for (int o = 0; o < 16; o++) {
                for (int t = 0; t < 9; t++) {
                    int i = (o * 8) * 9 + t;
                    org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(got[i]), "dw[" + o + "][0][" + t + "] = " + got[i]);
                    org.junit.jupiter.api.Assertions.assertEquals(want[i], got[i], 1e-3 * (1 + Math.abs(want[i])), "dw[" + o + "][0][" + t + "]");
                    org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(got[(o * 8 + 7) * 9 + t]));
                }
            }
        });
    }
}
