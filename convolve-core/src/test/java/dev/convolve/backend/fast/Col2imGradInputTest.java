package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The input gradient as GEMM + fold ({@link Col2imGradInput}) against the reference on every plan it can compute (strides,
 * padding on one side or negative, kernel dilation, groups, layouts, 1-D to 3-D, batch 1), forced, with the vector and the
 * scalar kernels, and with tiny column blocks so that blocks cross image boundaries.
 */
class Col2imGradInputTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    private static void forced(Runnable r) {
        Col2imGradInput.force = true;
        try {
            r.run();
        } finally {
            Col2imGradInput.force = false;
        }
    }

    @Property(tries = 200)
    void matchesReference(@ForAll long seed) {
        forced(() -> {
            RandomConvCase c = RandomConvCase.of(seed, false);
            FastGradPropertyTest.checkInput(FAST, c);
            if (seed % 4 == 0) FastGradPropertyTest.checkInput(SCALAR, c);
            FastGradPropertyTest.checkInput(FAST, RandomConvCase.bigBatch(seed));
        });
    }

    @Property(tries = 80)
    void smallBlocksMatchReference(@ForAll long seed) {
        int saved = Col2imGradInput.maxBlock;
        Col2imGradInput.maxBlock = new SplittableRandom(seed).nextInt(1, 40);
        try {
            forced(() -> {
                FastGradPropertyTest.checkInput(FAST, RandomConvCase.bigBatch(seed));
                FastGradPropertyTest.checkInput(SCALAR, RandomConvCase.of(seed, false));
            });
        } finally {
            Col2imGradInput.maxBlock = saved;
        }
    }

    /** Strided 3x3 and 5x5 layers of the kind it is chosen for, with odd sizes, batch 1 and padding on one side only. */
    @Property(tries = 40)
    void stridedLayersMatchReference(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int batch = new int[] {1, 2, 5, 9}[r.nextInt(4)], c = r.nextInt(1, 20), o = r.nextInt(8, 40), side = r.nextInt(3, 17);
        int k = r.nextBoolean() ? 3 : 5, s = r.nextInt(2, 4), lo = r.nextInt(0, k / 2 + 1), hi = r.nextInt(0, k / 2 + 1);
        Tensor x = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {batch, c, side, side + 1});
        Tensor w = RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c, k, k});
        ConvOptions opt = ConvOptions.defaults().withStrides(new int[] {s, s}).withPadding(Padding.explicit(new int[] {lo, 0}, new int[] {hi, lo}));
        ConvPlan p;
        try {
            p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), opt);
        } catch (IllegalArgumentException e) {
            return; // empty output
        }
        RandomConvCase rc = new RandomConvCase(seed, x, w, opt, p);
        FastGradPropertyTest.checkInput(FAST, rc);
        forced(() -> {
            FastGradPropertyTest.checkInput(FAST, rc);
            FastGradPropertyTest.checkInput(SCALAR, rc);
        });
    }

    @Property(tries = 20)
    void chosenForStridedLayersWithPlanesAndChannels(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int side = r.nextInt(12, 40), c = r.nextInt(4, 64), o = r.nextInt(8, 128);
        ConvPlan p = ConvPlan.of(dev.convolve.tensor.Shape.of(64, c, side, side), DType.F32, dev.convolve.tensor.Shape.of(o, c, 3, 3), DType.F32,
                ConvOptions.defaults().withStrides(new int[] {2, 2}).withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1})));
        assertEquals("col2im-gemm", FAST.explainGradInput(p).algorithm(), p::toString);
    }
}
