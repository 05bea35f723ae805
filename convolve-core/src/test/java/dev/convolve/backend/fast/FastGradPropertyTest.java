package dev.convolve.backend.fast;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The fast backend's conv gradients against the reference's, over random option combinations and layouts. */
class FastGradPropertyTest {
    private static final Backend REF = Backends.reference();
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 300)
    void gradKernelMatchesReference(@ForAll long seed) {
        checkKernel(FAST, RandomConvCase.of(seed, false));
    }

    @Property(tries = 300)
    void gradInputMatchesReference(@ForAll long seed) {
        checkInput(FAST, RandomConvCase.of(seed, false));
    }

    @Property(tries = 60)
    void bigBatchGradientsMatchReference(@ForAll long seed) {
        RandomConvCase c = RandomConvCase.bigBatch(seed);
        checkKernel(FAST, c);
        checkInput(FAST, c);
    }

    @Property(tries = 80)
    void scalarGradientsMatchReference(@ForAll long seed) {
        RandomConvCase c = RandomConvCase.of(seed, false);
        checkKernel(SCALAR, c);
        checkInput(SCALAR, c);
    }

    @Property(tries = 80)
    void smallItemGradientsMatchReference(@ForAll long seed) {
        int saved = ShiftedConv.itemBudgetFloats;
        ShiftedConv.itemBudgetFloats = 50;
        try {
            RandomConvCase c = RandomConvCase.of(seed, false);
            checkKernel(FAST, c);
            checkInput(FAST, c);
        } finally {
            ShiftedConv.itemBudgetFloats = saved;
        }
    }

    /** The whole-batch GEMM kernel gradient on every plan it can compute (strides, padding, dilations, groups, odd sizes). */
    @Property(tries = 200)
    void gemmGradKernelMatchesReference(@ForAll long seed) {
        GradKernelGemm.force = true;
        try {
            RandomConvCase c = RandomConvCase.of(seed, false);
            checkKernel(FAST, c);
            if (seed % 4 == 0) checkKernel(SCALAR, c);
            RandomConvCase b = RandomConvCase.bigBatch(seed);
            checkKernel(FAST, b);
        } finally {
            GradKernelGemm.force = false;
        }
    }

    static Tensor gradOut(RandomConvCase c) {
        return Tensor.randomNormal(c.seed() ^ 0x5eed, DType.F64, 0, 1, c.plan().outputShape().dims()).asType(DType.F32);
    }

    static void checkKernel(Backend fast, RandomConvCase c) {
        ConvPlan p = c.plan();
        Tensor g = gradOut(c);
        Tensor expected = REF.convGradKernel(p, c.input(), g);
        Tensor actual = fast.convGradKernel(p, c.input(), g);
        Tensor magnitude = REF.convGradKernel(p, c.input().asType(DType.F64).abs(), g.asType(DType.F64).abs()).asType(DType.F32);
        long terms = (long) p.outBatch();
        for (int v : p.outSize()) terms *= v;
        String algorithm = fast instanceof FastBackend fb ? fb.explainGradKernel(p).algorithm() : "";
        Close.check(expected, actual, magnitude, Close.algorithmFactor(algorithm, terms) * Close.tolerance(DType.F32, terms), "grad kernel, " + c,
                Close.mixesTiles(algorithm));
    }

    static void checkInput(Backend fast, RandomConvCase c) {
        ConvPlan p = c.plan();
        Tensor g = gradOut(c);
        Tensor expected = REF.convGradInput(p, c.kernel(), g);
        Tensor actual = fast.convGradInput(p, c.kernel(), g);
        Tensor magnitude = REF.convGradInput(p, c.kernel().asType(DType.F64).abs(), g.asType(DType.F64).abs()).asType(DType.F32);
        long terms = (long) p.outChannels() * Canonical.product(p.kernelSize());
        String algorithm = fast instanceof FastBackend fb ? fb.explainGradInput(p).algorithm() : "";
        Close.check(expected, actual, magnitude, Close.algorithmFactor(algorithm, terms) * Close.tolerance(DType.F32, terms), "grad input, " + c,
                Close.mixesTiles(algorithm));
    }
}
