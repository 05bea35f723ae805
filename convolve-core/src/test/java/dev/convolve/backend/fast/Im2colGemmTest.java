package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The whole-batch im2col GEMM on convs with one output per image that reads every input float once, in order (MNIST's last
 * conv: 2x2 planes under a 3x3 kernel): its panels are block transposes of the images' rows ({@code rowsOfImages}), with
 * batches that leave partial blocks of images and channel counts that leave partial blocks of rows; against the reference.
 */
class Im2colGemmTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    /** A random conv with a 1x1 output per image whose taps inside the input cover it, planned as im2col-gemm. */
    static RandomConvCase wholeInputCase(long seed, FastBackend fast) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int n = r.nextInt(1, 80), c = r.nextInt(1, 40), o = r.nextInt(1, 20), h = r.nextInt(1, 4), w = r.nextInt(1, 4);
            int[] lo = {r.nextInt(0, 2), r.nextInt(0, 2)}, hi = {r.nextInt(0, 2), r.nextInt(0, 2)};
            if (h + lo[0] + hi[0] < 3 || w + lo[1] + hi[1] < 3 || h + lo[0] + hi[0] > 5 || w + lo[1] + hi[1] > 5) continue;
            // every input position under the kernel: the padding before each axis at most what the kernel can reach
            if (lo[0] + h > 3 || lo[1] + w > 3) continue;
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(3, 3)).withPadding(Padding.explicit(lo, hi));
            RandomConvCase rc = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {n, c, h, w}),
                    RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c, 3, 3}), opt);
            if (rc == null || fast.explain(rc.plan()).algorithm().equals("im2col-gemm") == false) continue;
            return rc;
        }
        throw new AssertionError("no whole-input im2col case from seed " + seed);
    }

    @Property(tries = 150)
    void wholeInputPanelsMatchReference(@ForAll long seed) {
        Im2colGemm.force = true;
        try {
            RandomConvCase c = wholeInputCase(seed, FAST);
            ConvPlan p = c.plan();
            Im2colGemm.Job job = new Im2colGemm.Job(FAST.kernels(), p, SubProblem.of(p), new float[0], new float[(int) c.kernel().shape().size()]);
            assertTrue(job.rowsOfImages[0], c::toString);
            FastConvPropertyTest.check(FAST, c);
            if (seed % 3 == 0) FastConvPropertyTest.check(SCALAR, wholeInputCase(seed, SCALAR));
        } finally {
            Im2colGemm.force = false;
        }
    }
}
