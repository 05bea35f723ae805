package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The 1x1 conv on the input and output where they lie ({@link PointwiseConv}) against the reference: random 1x1 convs of
 * rank 1 to 3 whose planes have fewer positions than a tile, a whole number of tiles, or tiles and a rest (the rows of
 * (image, position) pairs), input channels over several chunks, output channels over several work items' blocks (the block
 * made small), forward and input gradient, vector and scalar kernels; and the plans it does not take.
 */
class PointwiseConvTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    /** A 1x1 conv of 16 to 300 input channels onto 8 to 200 (a multiple of 8) over 1 to 12 images. */
    static RandomConvCase pointwiseCase(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(3);
        int batch = 1 + r.nextInt(12), c = 16 + r.nextInt(r.nextBoolean() ? 40 : 285), o = 8 * (1 + r.nextInt(r.nextBoolean() ? 4 : 25));
        int[] side = {r.nextInt(4) == 0 ? 96 : 60, 13, 5};
        int[] xs = new int[n + 2], ws = new int[n + 2];
        xs[0] = batch; xs[1] = c; ws[0] = o; ws[1] = c;
        for (int i = 0; i < n; i++) { xs[i + 2] = 1 + r.nextInt(side[n - 1]); ws[i + 2] = 1; }
        Tensor x = Tensor.randomNormal(seed, DType.F32, 0, 1, xs);
        Tensor w = Tensor.randomNormal(seed + 1, DType.F32, 0, 0.3, ws);
        ConvOptions opts = ConvOptions.defaults();
        return new RandomConvCase(seed, x, w, opts, ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), opts));
    }

    @Property(tries = 150)
    void pointwiseMatchesReference(@ForAll long seed) {
        int block = PointwiseConv.blockOutMax;
        PointwiseConv.force = true;
        // blocks of 8 or 16 output channels: several work items over the output channels
        if (seed % 3 == 0) PointwiseConv.blockOutMax = seed % 2 == 0 ? 8 : 16;
        try {
            RandomConvCase c = pointwiseCase(seed);
            assertEquals(PointwiseConv.NAME, FAST.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
        } finally {
            PointwiseConv.force = false;
            PointwiseConv.blockOutMax = block;
        }
    }

    @Property(tries = 40)
    void scalarPointwiseMatchesReference(@ForAll long seed) {
        PointwiseConv.force = true;
        try {
            RandomConvCase c = pointwiseCase(seed);
            assertEquals(PointwiseConv.NAME, SCALAR.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(SCALAR, c);
        } finally {
            PointwiseConv.force = false;
        }
    }

    /** Strides, padding, groups, fewer than 16 input channels or output channels not a multiple of 8 are left to the other engines. */
    @Test
    void leavesOtherConvsToOtherEngines() {
        int[][] cases = {
            // N, C, H, W, O, stride, pad, groups
            {2, 32, 7, 7, 32, 2, 0, 1},
            {2, 32, 7, 7, 32, 1, 1, 1},
            {2, 32, 7, 7, 32, 1, 0, 2},
            {2, 8, 7, 7, 32, 1, 0, 1},
            {2, 32, 7, 7, 20, 1, 0, 1},
        };
        for (int[] v : cases) {
            ConvOptions o = ConvOptions.defaults().withStrides(v[5]).withPadding(v[6], v[6], v[6], v[6]).withFeatureGroupSize(v[7]);
            Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, v[0], v[1], v[2], v[3]);
            Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.3, v[4], v[1] / v[7], 1, 1);
            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
            assertFalse(PointwiseConv.supports(FAST.kernels(), p), p::toString);
            FastConvPropertyTest.check(FAST, new RandomConvCase(0, x, w, o, p));
        }
    }
}
