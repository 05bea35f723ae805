package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The Winograd path (3x3, stride 1, 16+ channels per group) against the reference: odd sizes, any padding, layouts, groups, tile edges. */
class WinogradTest {
    private static final Backend REF = Backends.reference();
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    static RandomConvCase winogradCase(long seed) {
        return winogradCase(seed, new int[] {16, 17, 24, 33}, new int[] {16, 19, 32, 40}, true);
    }

    /**
     * A random case with {@code c} input and {@code o} output channels per group from {@code cs} and {@code os}; with
     * {@code grouped}, two or three feature groups in a quarter of the cases (drawn from a stream of their own, so that a
     * seed gives the same case as before groups were drawn when it has none).
     */
    static RandomConvCase winogradCase(long seed, int[] cs, int[] os, boolean grouped) {
        return winogradCase(seed, cs, os, grouped, 3);
    }

    /** As above with an {@code r x r} kernel (3 or 5) and a case the engine of that size takes. */
    static RandomConvCase winogradCase(long seed, int[] cs, int[] os, boolean grouped, int size) {
        SplittableRandom r = new SplittableRandom(seed), rg = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        while (true) {
            int c = cs[r.nextInt(cs.length)], o = os[r.nextInt(os.length)], groups = grouped && rg.nextInt(4) == 0 ? rg.nextInt(2, 4) : 1;
            int n = r.nextInt(1, 4), h = r.nextInt(4, 24), w = r.nextInt(4, 24);
            int pm = size;
            int[] lo = {r.nextInt(-1, pm), r.nextInt(-1, pm)}, hi = {r.nextInt(-1, pm), r.nextInt(-1, pm)};
            ConvOptions opt = ConvOptions.defaults().withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(groups);
            if (r.nextInt(4) == 0) opt = opt.withLayout("NHWC", "HWIO", "NHWC");
            Tensor xc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c * groups, h, w});
            Tensor kc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o * groups, c, size, size});
            RandomConvCase rc = RandomConvCase.inLayout(seed, xc, kc, opt);
            if (rc != null && (size == 3 ? Winograd.suits(rc.plan()) : size == 5 ? Winograd.shapeFits5(rc.plan()) : Winograd.suits7(rc.plan()))) return rc;
        }
    }

    @Property(tries = 60)
    void winogradMatchesReference(@ForAll long seed) {
        RandomConvCase c = winogradCase(seed);
        assertEquals("winograd-4x4", FAST.explain(c.plan()).algorithm());
        FastConvPropertyTest.check(FAST, c);
    }

    /**
     * Output planes four wide, as wide as a tile: a whole tile's 16 positions of a channel are one run of the output, stored
     * as whole vectors ({@code Job.store}). Heights of 4 to 9 (cut last tiles), 16 to 40 output channels (a partial last block
     * of 16), forward and input gradient against the reference.
     */
    @Property(tries = 20)
    void planesAsWideAsATileMatchReference(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = r.nextInt(1, 6), c = r.nextBoolean() ? 16 : 33, o = new int[] {16, 32, 40}[r.nextInt(3)], h = r.nextInt(4, 10);
        ConvOptions opt = ConvOptions.defaults().withPadding(1, 1, 1, 1);
        RandomConvCase rc = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c, h, 4}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c, 3, 3}), opt);
        assertEquals(4, rc.plan().outSize()[1]);
        assertTrue(Winograd.suits(rc.plan()), rc::toString);
        FastConvPropertyTest.check(FAST, rc);
        FastGradPropertyTest.checkInput(FAST, rc);
    }

    /**
     * Output rows wide enough for runs of whole tiles side by side ({@code Job.storeRun}: 2 to 4 tiles of 4 outputs per
     * store): widths 8 to 41 (runs of 4, cut by the row's end, by a cut last tile and by the end of a block of tiles), 16 to
     * 40 output channels (a partial last block of 16, stored tile by tile), forward and input gradient; in a fifth of the
     * cases 256 channels each way, which takes the path by blocks of output channels ({@code Job.outBlock}).
     */
    @Property(tries = 20)
    void runsOfTilesMatchReference(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean wide = r.nextInt(5) == 0;
        int n = wide ? 1 : r.nextInt(1, 4), c = wide ? 256 : r.nextBoolean() ? 16 : 24;
        int o = wide ? 256 : new int[] {16, 32, 40}[r.nextInt(3)], h = r.nextInt(4, wide ? 9 : 14), w = r.nextInt(8, wide ? 18 : 42);
        ConvOptions opt = ConvOptions.defaults().withPadding(1, 1, 1, 1);
        RandomConvCase rc = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c, h, w}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c, 3, 3}), opt);
        assertEquals("winograd-4x4", FAST.explain(rc.plan()).algorithm(), rc::toString);
        FastConvPropertyTest.check(FAST, rc);
        FastGradPropertyTest.checkInput(FAST, rc);
    }

    /** Channels enough that U outgrows the L2 cache: big blocks of tiles ({@code Winograd.Job.blockTiles}). */
    @Property(tries = 8)
    void manyChannelsMatchReference(@ForAll long seed) {
        RandomConvCase c = winogradCase(seed, new int[] {81, 96, 100}, new int[] {90, 97, 112}, true);
        assertTrue(Winograd.Job.blockTiles(Winograd.XI, 96, 96, 6) > 48);
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 50)
    void winogradKernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = winogradCase(seed);
        assertEquals("winograd-dw", FAST.explainGradKernel(c.plan()).algorithm());
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    /** 4 and 8 feature groups on two threads: whole groups on each thread, forward and both gradients against the reference. */
    @Property(tries = 12)
    void wholeGroupsPerThreadMatchReference(@ForAll long seed) {
        int saved = dev.convolve.backend.Threads.threads();
        dev.convolve.backend.Threads.setThreads(2);
        try {
            SplittableRandom r = new SplittableRandom(seed);
            // 32 channels per group each way and 32+ tiles, so that grouped convs take Winograd (MIN_GROUP_WORK)
            int groups = r.nextBoolean() ? 4 : 8, c = r.nextBoolean() ? 32 : 33, o = r.nextBoolean() ? 32 : 40;
            int n = 2, h = r.nextInt(16, 21), w = r.nextInt(16, 21), lo = r.nextInt(0, 2), hi = r.nextInt(0, 2);
            ConvOptions opt = ConvOptions.defaults().withPadding(Padding.explicit(new int[] {lo, lo}, new int[] {hi, hi})).withFeatureGroupSize(groups);
            Tensor xc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c * groups, h, w});
            Tensor kc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o * groups, c, 3, 3});
            RandomConvCase rc = RandomConvCase.inLayout(seed, xc, kc, opt);
            assertTrue(Winograd.wholeGroups(groups, 2));
            assertEquals("winograd-4x4", FAST.explain(rc.plan()).algorithm(), rc::toString);
            FastConvPropertyTest.check(FAST, rc);
            FastGradPropertyTest.checkInput(FAST, rc);
            assertEquals("winograd-dw", FAST.explainGradKernel(rc.plan()).algorithm(), rc::toString);
            FastGradPropertyTest.checkKernel(FAST, rc);
        } finally {
            dev.convolve.backend.Threads.setThreads(saved);
        }
    }

    /** The kernel gradient with one copy of the whole input and gradient first, the path of planes too big for copies per block. */
    @Property(tries = 20)
    void winogradKernelGradientFromWholeCopiesMatchesReference(@ForAll long seed) {
        long saved = GradKernelWinograd.Job.localCopyFloats;
        GradKernelWinograd.Job.localCopyFloats = 0;
        try {
            RandomConvCase c = winogradCase(seed);
            assertEquals("winograd-dw", FAST.explainGradKernel(c.plan()).algorithm());
            FastGradPropertyTest.checkKernel(FAST, c);
        } finally {
            GradKernelWinograd.Job.localCopyFloats = saved;
        }
    }

    /**
     * A case jqwik found (seed -21774098860204): winograd-dw's error was 1.1x the direct sum's bound, within the
     * Winograd allowance ({@link Close#algorithmFactor}).
     */
    @Test
    void winogradKernelGradientFoundCaseIsWithinWinogradTolerance() {
        RandomConvCase c = winogradCase(-21774098860204L, new int[] {16, 17, 24, 33}, new int[] {16, 19, 32, 40}, false);
        assertEquals("winograd-dw", FAST.explainGradKernel(c.plan()).algorithm());
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    /**
     * Another (seed 2970): a kernel gradient over one image's 4x4 output, a reduction of 16 terms, where the transforms' error
     * was 4.0x the direct sum's bound; {@link Close#algorithmFactor} counts such short reductions as one 6x6 tile's 36 terms.
     */
    @Test
    void winogradKernelGradientOverOneTileIsWithinWinogradTolerance() {
        RandomConvCase c = winogradCase(2970L, new int[] {16, 17, 24, 33}, new int[] {16, 19, 32, 40}, false);
        assertEquals("f32[1][32][4][4]", c.plan().outputType() + "" + c.plan().outputShape());
        assertEquals("winograd-dw", FAST.explainGradKernel(c.plan()).algorithm());
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 10)
    void scalarWinogradKernelGradientMatchesReference(@ForAll long seed) {
        FastGradPropertyTest.checkKernel(SCALAR, winogradCase(seed));
    }

    @Property(tries = 15)
    void scalarWinogradMatchesReference(@ForAll long seed) {
        FastConvPropertyTest.check(SCALAR, winogradCase(seed));
    }

    @Property(tries = 20)
    void winogradSmallItemsMatchReference(@ForAll long seed) {
        int saved = ShiftedConv.itemBudgetFloats;
        ShiftedConv.itemBudgetFloats = 3000;
        try {
            FastConvPropertyTest.check(FAST, winogradCase(seed));
        } finally {
            ShiftedConv.itemBudgetFloats = saved;
        }
    }

    /** 5x5 cases: 17 input channels only for the kernel gradient (the forward engine takes 32 or more). */
    static RandomConvCase winograd5Case(long seed) {
        return winogradCase(seed, new int[] {17, 32, 33, 40}, new int[] {16, 19, 32, 40}, true, 5);
    }

    /** F(2x2, 5x5): forward, input gradient (planned as the forward conv it runs) and F(5x5, 2x2) kernel gradient. */
    @Property(tries = 40)
    void winograd5x5MatchesReference(@ForAll long seed) {
        RandomConvCase c = winograd5Case(seed);
        if (Winograd.suits5(c.plan())) assertEquals("winograd-5x5", FAST.explain(c.plan()).algorithm());
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 30)
    void winograd5x5InputGradientMatchesReference(@ForAll long seed) {
        FastGradPropertyTest.checkInput(FAST, winograd5Case(seed));
    }

    @Property(tries = 40)
    void winograd5x5KernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = winograd5Case(seed);
        assertEquals("winograd-5x5-dw", FAST.explainGradKernel(c.plan()).algorithm());
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 10)
    void scalarWinograd5x5MatchesReference(@ForAll long seed) {
        RandomConvCase c = winograd5Case(seed);
        FastConvPropertyTest.check(SCALAR, c);
        FastGradPropertyTest.checkKernel(SCALAR, c);
    }

    /** F(2x2, 7x7) and F(7x7, 2x2), eight points: forward, input gradient (planned as the forward conv it runs), kernel gradient, scalar twins. */
    static RandomConvCase winograd7Case(long seed) {
        return winogradCase(seed, new int[] {32, 33, 40}, new int[] {16, 19, 32, 40}, true, 7);
    }

    @Property(tries = 30)
    void winograd7x7MatchesReference(@ForAll long seed) {
        RandomConvCase c = winograd7Case(seed);
        assertEquals("winograd-7x7", FAST.explain(c.plan()).algorithm());
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 20)
    void winograd7x7InputGradientMatchesReference(@ForAll long seed) {
        FastGradPropertyTest.checkInput(FAST, winograd7Case(seed));
    }

    @Property(tries = 30)
    void winograd7x7KernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = winograd7Case(seed);
        assertEquals("winograd-7x7-dw", FAST.explainGradKernel(c.plan()).algorithm());
        FastGradPropertyTest.checkKernel(FAST, c);
    }

    @Property(tries = 8)
    void scalarWinograd7x7MatchesReference(@ForAll long seed) {
        RandomConvCase c = winograd7Case(seed);
        FastConvPropertyTest.check(SCALAR, c);
        FastGradPropertyTest.checkKernel(SCALAR, c);
    }

    /** The forward's transforms at their most work: batch 16, 128 channels each way, 14x14 planes (the benchmark's 5x5 row). */
    @Test
    void inceptionLayerIsWithinTolerance() {
        ConvOptions o = ConvOptions.defaults().withPadding(Padding.explicit(new int[] {2, 2}, new int[] {2, 2}));
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 4, 128, 14, 14);
        Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.1, 128, 128, 5, 5);
        ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
        assertEquals("winograd-5x5", FAST.explain(p).algorithm());
        FastConvPropertyTest.check(FAST, new RandomConvCase(0, x, w, o, p));
    }

    /**
     * Transformed kernels above 2M floats run by blocks of output channels ({@code Winograd.Job#byOut}), and so do their
     * kernel gradients ({@code GradKernelWinograd.Job#byOut}) and input gradients (the forward kernel read in place): 3x3,
     * 5x5 and 7x7, input and output channels past a whole block (250 of 256, 272 in blocks of 16), two groups, odd planes; few tiles
     * (the kernel's part transformed by chunks of input channels) and 64 tiles (all input channels at once).
     */
    @Test
    void bigKernelsRunByOutputBlocks() {
        int[][] cases = {{2, 250, 9, 10, 250, 3, 1, 1}, {1, 256, 8, 7, 272, 3, 1, 1}, {1, 256, 6, 6, 256, 5, 2, 1}, {1, 192, 6, 7, 176, 7, 3, 1},
                {1, 512, 5, 5, 512, 3, 1, 2}, {4, 256, 14, 13, 256, 3, 1, 1}};
        boolean[] chunked = new boolean[2];
        for (int[] v : cases) {
            ConvOptions o = ConvOptions.defaults().withPadding(Padding.explicit(new int[] {v[6], v[6]}, new int[] {v[6], v[6]})).withFeatureGroupSize(v[7]);
            Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, v[0], v[1], v[2], v[3]);
            Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.1, v[4], v[1] / v[7], v[5], v[5]);
            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
            Winograd.Job job = new Winograd.Job(FAST.kernels(), p, 0, null, null, null, false);
            assertTrue(job.byOut || FAST.kernels().lanes() != 16, () -> p.toString());
            chunked[job.chunked ? 1 : 0] = true;
            assertTrue(FAST.explain(p).algorithm().startsWith("winograd"), () -> FAST.explain(p).toString());
            ConvPlan gp = Planner.gradInputPlan(p);
            assertTrue(new Winograd.Job(FAST.kernels(), gp, 0, null, null, null, true).byOut || FAST.kernels().lanes() != 16, () -> gp.toString());
            assertTrue(FAST.explain(gp).algorithm().startsWith("winograd"), () -> FAST.explain(gp).toString());
            RandomConvCase rc = new RandomConvCase(0, x, w, o, p);
            FastConvPropertyTest.check(FAST, rc);
            assertTrue(new GradKernelWinograd.Job(FAST.kernels(), p, 0, null, null).byOut, () -> p.toString());
            FastGradPropertyTest.checkKernel(FAST, rc);
            FastGradPropertyTest.checkInput(FAST, rc);
        }
        assertTrue(chunked[0] && chunked[1] || FAST.kernels().lanes() != 16, "both ways of transforming the kernel's part ran");
    }

    @Test
    void resnetLayerIsWithinTolerance() {
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 2, 64, 56, 56);
        Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.1, 64, 64, 3, 3);
        ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), ConvOptions.defaults().withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1})));
        FastConvPropertyTest.check(FAST, new RandomConvCase(0, x, w, ConvOptions.defaults().withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1})), p));
    }
}
