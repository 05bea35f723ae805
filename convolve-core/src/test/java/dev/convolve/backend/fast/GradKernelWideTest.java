package dev.convolve.backend.fast;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The kernel gradient with the output channels in the lanes ({@code bcast-o}) against the reference, on planes wide enough
 * that the output gradient is moved onto the grid by 16x16 block transposes (rows of 16+ positions), with channel counts
 * that leave partial vectors and one or two blocks of channels (96: two blocks of three vectors), strides (1 and 2 in runs
 * along the grid rows, 3 by offsets per step), padding, one
 * or two spatial axes and two or three feature groups; vector and scalar tiles.
 */
class GradKernelWideTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    /** A random conv whose kernel gradient {@code FAST} plans as {@code bcast-o}. */
    static RandomConvCase wideCase(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            // feature groups (each o output channels, c input channels) in a third of the cases
            int groups = r.nextInt(3) == 0 ? r.nextInt(2, 4) : 1;
            int n = r.nextInt(1, 4), c = r.nextInt(1, 6), o = new int[] {16, 17, 24, 32, 40, 64, 96, 128}[r.nextInt(8)];
            boolean oneAxis = r.nextInt(4) == 0;
            int h = oneAxis ? 1 : r.nextInt(8, 40), w = r.nextInt(16, 70), k = new int[] {1, 3, 5}[r.nextInt(3)];
            // strides 1 and 2 take the runs along grid rows (Job.runs), 3 the per-step offsets
            int s = r.nextInt(1, 4), pad = r.nextInt(0, k);
            ConvOptions opt = (oneAxis
                    ? ConvOptions.defaults().withStrides(AxisValues.of(s)).withPadding(Padding.explicit(new int[] {pad}, new int[] {pad}))
                    : ConvOptions.defaults().withStrides(AxisValues.of(s, s)).withPadding(Padding.explicit(new int[] {pad, pad}, new int[] {pad, pad})))
                    .withFeatureGroupSize(groups);
            int ci = c * groups, oi = o * groups;
            int[] xs = oneAxis ? new int[] {n, ci, w} : new int[] {n, ci, h, w}, ks = oneAxis ? new int[] {oi, c, k} : new int[] {oi, c, k, k};
            RandomConvCase rc = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, xs), RandomConvCase.values(r.nextLong(), DType.F32, ks), opt);
            if (rc != null && FAST.explainGradKernel(rc.plan()).algorithm().equals("bcast-o")) return rc;
        }
        throw new AssertionError("no bcast-o case from seed " + seed);
    }

    /**
     * Long 1-D signals, whose items are bands of the signal (each copies the stretch its grid points read, from a place
     * that depends on the band), with strides, dilation and padding, against the reference.
     */
    @Property(tries = 12)
    void longSignalsInBandsMatchReference(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = r.nextInt(1, 3), c = r.nextInt(24, 40), o = new int[] {48, 64}[r.nextInt(2)], w = r.nextInt(4000, 8000), k = new int[] {3, 9}[r.nextInt(2)];
        int s = r.nextInt(1, 3), d = r.nextInt(1, 3), pad = r.nextInt(0, k);
        ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(s)).withKernelDilation(AxisValues.of(d))
                .withPadding(Padding.explicit(new int[] {pad}, new int[] {k - 1 - pad}));
        RandomConvCase rc = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c, w}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c, k}), opt);
        org.junit.jupiter.api.Assertions.assertEquals("bcast-o", FAST.explainGradKernel(rc.plan()).algorithm());
        FastGradPropertyTest.checkKernel(FAST, rc);
    }

    /**
     * Bands that read only padding: a 1-D signal of 16 with 3 padding before it and a 1-tap kernel, in bands of one or two grid
     * points (a tiny item budget), so that the first band's two points lie before the signal. Its copy's source index was -1
     * with nothing to copy, which {@code System.arraycopy} rejects (found by {@link FastGradPropertyTest}'s small items).
     */
    @org.junit.jupiter.api.Test
    void bandsWhollyInThePadding() {
        int saved = ShiftedConv.itemBudgetFloats;
        ShiftedConv.itemBudgetFloats = 50;
        try {
            ConvOptions opt = ConvOptions.defaults().withPadding(Padding.explicit(new int[] {3}, new int[] {0}));
            RandomConvCase rc = RandomConvCase.inLayout(7, RandomConvCase.values(1, DType.F32, new int[] {3, 2, 16}),
                    RandomConvCase.values(2, DType.F32, new int[] {17, 2, 1}), opt);
            org.junit.jupiter.api.Assertions.assertEquals("bcast-o", FAST.explainGradKernel(rc.plan()).algorithm());
            FastGradPropertyTest.checkKernel(FAST, rc);
            FastGradPropertyTest.checkKernel(SCALAR, rc);
        } finally {
            ShiftedConv.itemBudgetFloats = saved;
        }
    }

    @Property(tries = 150)
    void kernelGradientMatchesReference(@ForAll long seed) {
        RandomConvCase c = wideCase(seed);
        FastGradPropertyTest.checkKernel(FAST, c);
        if (seed % 3 == 0) FastGradPropertyTest.checkKernel(SCALAR, c);
    }
}
