package dev.convolve.backend.fast;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
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

    /**
     * The GEMM kernel gradient split into blocks of columns, each over the whole reduction (fewer groups than threads, 768+
     * columns: {@code GradKernelGemm.Job.byColumns}), on two threads: 128 to 160 input channels, 3x3 and 3x2 kernels, strides,
     * padding on one side, small planes and enough images for two to a few reduction blocks, against the reference.
     */
    @Property(tries = 30)
    void gemmGradKernelByColumnsMatchesReference(@ForAll long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int c = 128 + r.nextInt(33), o = 8 + r.nextInt(33), batch, h = 3 + r.nextInt(10), w = 3 + r.nextInt(10);
        int kh = 3, kw = r.nextInt(3) == 0 ? 2 : 3, s = 1 + r.nextInt(2), pad = r.nextInt(2);
        // more than one reduction block (384 steps) of images x positions: enough work for two threads
        int q = ((h + pad - kh) / s + 1) * ((w + pad - kw) / s + 1);
        batch = 384 / q + 1 + r.nextInt(seed % 3 == 0 ? 2000 / q + 1 : 3);
        ConvOptions opt = ConvOptions.defaults().withStrides(new int[] {s, s})
                .withPadding(Padding.explicit(new int[] {pad, 0}, new int[] {0, pad}));
        RandomConvCase cs = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {batch, c, h, w}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c, kh, kw}), opt);
        if (cs == null) return;
        int savedThreads = dev.convolve.backend.Threads.threads();
        dev.convolve.backend.Threads.setThreads(2);
        GradKernelGemm.force = true;
        try {
            GradKernelGemm.Job job = new GradKernelGemm.Job(FAST.kernels(), cs.plan(), new float[0], new float[0]);
            net.jqwik.api.Assume.that(job.chunks > 1 || job.byColumns); // else too little work for two threads
            org.junit.jupiter.api.Assertions.assertTrue(job.byColumns, cs::toString);
            checkKernel(FAST, cs);
        } finally {
            GradKernelGemm.force = false;
            dev.convolve.backend.Threads.setThreads(savedThreads);
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
