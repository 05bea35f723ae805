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
        SplittableRandom r = new SplittableRandom(seed), rg = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        while (true) {
            int c = cs[r.nextInt(cs.length)], o = os[r.nextInt(os.length)], groups = grouped && rg.nextInt(4) == 0 ? rg.nextInt(2, 4) : 1;
            int n = r.nextInt(1, 4), h = r.nextInt(4, 24), w = r.nextInt(4, 24);
            int[] lo = {r.nextInt(-1, 3), r.nextInt(-1, 3)}, hi = {r.nextInt(-1, 3), r.nextInt(-1, 3)};
            ConvOptions opt = ConvOptions.defaults().withPadding(Padding.explicit(lo, hi)).withFeatureGroupSize(groups);
            if (r.nextInt(4) == 0) opt = opt.withLayout("NHWC", "HWIO", "NHWC");
            Tensor xc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c * groups, h, w});
            Tensor kc = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o * groups, c, 3, 3});
            RandomConvCase rc = RandomConvCase.inLayout(seed, xc, kc, opt);
            if (rc != null && Winograd.suits(rc.plan())) return rc;
        }
    }

    @Property(tries = 60)
    void winogradMatchesReference(@ForAll long seed) {
        RandomConvCase c = winogradCase(seed);
        assertEquals("winograd-4x4", FAST.explain(c.plan()).algorithm());
        FastConvPropertyTest.check(FAST, c);
    }

    /** Channels enough that U outgrows the L2 cache: big blocks of tiles ({@code Winograd.Job.blockTiles}). */
    @Property(tries = 8)
    void manyChannelsMatchReference(@ForAll long seed) {
        RandomConvCase c = winogradCase(seed, new int[] {81, 96, 100}, new int[] {90, 97, 112}, true);
        assertTrue(Winograd.Job.blockTiles(96, 96, 6) > 48);
        FastConvPropertyTest.check(FAST, c);
    }

    @Property(tries = 50)
    void winogradKernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = winogradCase(seed);
        assertEquals("winograd-dw", FAST.explainGradKernel(c.plan()).algorithm());
        FastGradPropertyTest.checkKernel(FAST, c);
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

    @Test
    void resnetLayerIsWithinTolerance() {
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 2, 64, 56, 56);
        Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.1, 64, 64, 3, 3);
        ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), ConvOptions.defaults().withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1})));
        FastConvPropertyTest.check(FAST, new RandomConvCase(0, x, w, ConvOptions.defaults().withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1})), p));
    }
}
