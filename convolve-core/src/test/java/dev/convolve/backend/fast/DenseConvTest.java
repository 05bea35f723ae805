package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The conv-matrix path ({@link DenseConv}) against the reference over random tiny convs of rank 1 to 3 (strides, padding on
 * either side, kernel and input dilation), forward and both gradients, vector and scalar kernels; and the rule.
 */
class DenseConvTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    static RandomConvCase denseCase(long seed) {
        return RandomConvCase.geometric(seed, 40, 9, new int[] {6, 6, 3}, 3, 2, 3, p -> DenseConv.supports(p, "dense-matrix"));
    }

    /** The planner's count of non-zero links (per axis, no table) against the position table's, over random geometries. */
    @Property(tries = 300)
    void linksCountTheTable(@ForAll long seed) {
        ConvPlan p = denseCase(seed).plan();
        long table = DenseConv.positions(p, new int[(int) (Canonical.product(p.outSize()) * Canonical.product(p.kernelSize()))]);
        assertEquals(table, DenseConv.links(p), p::toString);
    }

    /** Forced, the dense path runs a one-channel 3x3 conv that depthwise-rows would otherwise take (a case jqwik once drew). */
    @Test
    void forcedDenseComesFirst() {
        Tensor x = RandomConvCase.values(1, DType.F32, new int[] {13, 1, 3, 3});
        Tensor w = RandomConvCase.values(2, DType.F32, new int[] {3, 1, 3, 3});
        RandomConvCase c = RandomConvCase.inLayout(3, x, w, ConvOptions.defaults().withStrides(2, 1)
                .withPadding(Padding.explicit(new int[] {1, 0}, new int[] {1, 0})));
        assertEquals("depthwise-rows", FAST.explain(c.plan()).algorithm());
        DenseConv.force = true;
        try {
            assertEquals("dense-matrix", FAST.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(FAST, c);
        } finally {
            DenseConv.force = false;
        }
    }

    @Property(tries = 150)
    void denseMatchesReference(@ForAll long seed) {
        DenseConv.force = true;
        try {
            RandomConvCase c = denseCase(seed);
            assertEquals("dense-matrix", FAST.explain(c.plan()).algorithm(), c::toString);
            assertEquals("dense-matrix-dw", FAST.explainGradKernel(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
            FastGradPropertyTest.checkKernel(FAST, c);
        } finally {
            DenseConv.force = false;
        }
    }

    /**
     * MNIST's fourth layer (O x Q = 64 columns, a multiple of the lanes: the broadcast tiles over the images' rows, 20 images
     * so the last tile is partial) and a shape with 45 columns (the packed product), forward and input gradient, vector and
     * scalar kernels.
     */
    @Test
    void rowTilesAndPackedProductMatchReference() {
        int[][] cases = {{20, 16, 4, 4, 16}, {7, 3, 5, 5, 5}, {13, 8, 4, 4, 8}};
        for (int[] v : cases) {
            ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1}));
            Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, v[0], v[1], v[2], v[3]);
            Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.3, v[4], v[1], 3, 3);
            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
            RandomConvCase rc = new RandomConvCase(0, x, w, o, p);
            DenseConv.force = true;
            try {
                for (FastBackend b : new FastBackend[] {FAST, SCALAR}) {
                    assertEquals("dense-matrix", b.explain(p).algorithm(), p::toString);
                    FastConvPropertyTest.check(b, rc);
                    FastGradPropertyTest.checkInput(b, rc);
                }
            } finally {
                DenseConv.force = false;
            }
        }
    }

    @Property(tries = 50)
    void scalarDenseMatchesReference(@ForAll long seed) {
        DenseConv.force = true;
        try {
            RandomConvCase c = denseCase(seed);
            FastConvPropertyTest.check(SCALAR, c);
            FastGradPropertyTest.checkKernel(SCALAR, c);
        } finally {
            DenseConv.force = false;
        }
    }

    @Test
    void chosenForTinyPlanesOnly() {
        // mnist-l4: 4x4 -> 2x2, stride 2: the matrix is 39% full
        // the tap lists take it now (no multiply-adds by zero: 69 against 86 µs on one thread); with them off, this path
        assertEquals(Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : "dense-matrix", FAST.explain(plan(256, 16, 4, 16, 3, 2, 1)).algorithm());
        assertTrue(DenseConv.suits(plan(256, 16, 4, 16, 3, 2, 1), "dense-matrix"));
        // its kernel gradient is the tap lists' (TapListGradKernel); with 64 output channels it stays here
        assertEquals(Planner.enabled(TapListGradKernel.NAME) ? TapListGradKernel.NAME : "batch-lanes-dw",
                FAST.explainGradKernel(plan(256, 16, 4, 16, 3, 2, 1)).algorithm());
        // and with 64 output channels too (133 against 303 µs in dense-matrix-dw on two threads)
        assertEquals(Planner.enabled(TapListGradKernel.NAME) ? TapListGradKernel.NAME : "dense-matrix-dw",
                FAST.explainGradKernel(plan(256, 16, 4, 64, 3, 2, 1)).algorithm());
        assertTrue(DenseConv.suits(plan(256, 16, 4, 64, 3, 2, 1), "dense-matrix-dw"));
        // a 28x28 plane is far too big, and a small batch does not pay
        assertFalse(DenseConv.suits(plan(256, 1, 28, 4, 3, 2, 1), "dense-matrix"));
        assertFalse(DenseConv.suits(plan(4, 16, 4, 16, 3, 2, 1), "dense-matrix"));
        // 7x7 -> 4x4 stride 2: 18% full, three times too many multiply-adds
        assertFalse(DenseConv.suits(plan(256, 8, 7, 16, 3, 2, 1), "dense-matrix"));
        assertTrue(DenseConv.describe(plan(256, 16, 4, 16, 3, 2, 1)).contains("39% of it non-zero"), () -> DenseConv.describe(plan(256, 16, 4, 16, 3, 2, 1)));
    }

    private static ConvPlan plan(int n, int c, int side, int o, int k, int stride, int pad) {
        return ConvPlan.of(Shape.of(n, c, side, side), DType.F32, Shape.of(o, c, k, k), DType.F32,
                ConvOptions.defaults().withStrides(stride).withPadding(pad, pad, pad, pad));
    }
}
