package dev.convolve.backend.fast;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The fast backend against the reference oracle over random option combinations, sizes, layouts and types. */
class FastConvPropertyTest {
    private static final Backend REF = Backends.reference();
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 400)
    void convMatchesReference(@ForAll long seed) {
        RandomConvCase c = RandomConvCase.of(seed, true);
        check(FAST, c);
    }

    @Property(tries = 120)
    void scalarKernelsMatchReference(@ForAll long seed) {
        check(SCALAR, RandomConvCase.of(seed, false));
    }

    @Property(tries = 100)
    void bigBatchesMatchReference(@ForAll long seed) {
        check(FAST, RandomConvCase.bigBatch(seed));
    }

    @Property(tries = 30)
    void scalarBigBatchesMatchReference(@ForAll long seed) {
        check(SCALAR, RandomConvCase.bigBatch(seed));
    }

    @Property(tries = 120)
    void smallItemsMatchReference(@ForAll long seed) {
        int saved = ShiftedConv.itemBudgetFloats;
        ShiftedConv.itemBudgetFloats = 40;
        try {
            check(FAST, RandomConvCase.of(seed, false));
        } finally {
            ShiftedConv.itemBudgetFloats = saved;
        }
    }

    /** The whole-batch im2col GEMM on every plan it can compute (strides, padding, dilations, groups, odd sizes). */
    @Property(tries = 200)
    void im2colGemmMatchesReference(@ForAll long seed) {
        Im2colGemm.force = true;
        try {
            RandomConvCase c = RandomConvCase.of(seed, false);
            check(FAST, c);
            if (seed % 4 == 0) check(SCALAR, c);
            check(FAST, RandomConvCase.bigBatch(seed));
        } finally {
            Im2colGemm.force = false;
        }
    }

    static void check(Backend fast, RandomConvCase c) {
        ConvPlan p = c.plan();
        Tensor expected = REF.conv(p, c.input(), c.kernel());
        Tensor actual = fast.conv(p, c.input(), c.kernel());
        String ctx = c + " via " + FAST.explain(p);
        if (p.outputType().isInteger() || (c.input().dtype().isInteger() && c.kernel().dtype().isInteger())) {
            Close.exact(expected, actual, ctx);
            return;
        }
        Tensor ax = c.input().asType(DType.F64).abs(), ak = c.kernel().asType(DType.F64).abs();
        ConvPlan pa = ConvPlan.of(ax.shape(), ax.dtype(), ak.shape(), ak.dtype(), c.options());
        Tensor magnitude = REF.conv(pa, ax, ak);
        long terms = (long) p.kernelChannels() * Canonical.product(p.kernelSize());
        String algorithm = fast instanceof FastBackend fb ? fb.explain(p).algorithm() : "";
        Close.check(expected, actual, magnitude, Close.algorithmFactor(algorithm, terms) * Close.tolerance(p.outputType(), terms), ctx,
                Close.mixesTiles(algorithm));
    }
}
