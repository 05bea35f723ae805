package dev.convolve.backend.fast;

import dev.convolve.plan.AxisValues;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The general engine ({@code shifted-gemm}) on output rows of two vectors or more, where its tiles walk along each row
 * ({@code rowWalk}): rows that are and are not whole vectors, output channels that leave a partial row block, several
 * images per item, one to three spatial axes, strides and padding; against the reference, with vector and scalar kernels.
 */
class ShiftedConvTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    /** A random conv that {@code fast} plans as {@code shifted-gemm}, with output rows of at least 32 positions walked row by row. */
    static RandomConvCase wideRowCase(long seed, FastBackend fast) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int axes = new int[] {1, 2, 2, 2, 3}[r.nextInt(5)];
            int n = r.nextInt(1, 5), c = r.nextInt(1, 5), o = r.nextInt(1, 20), k = new int[] {1, 3, 5}[r.nextInt(3)];
            int s = r.nextInt(3) == 0 ? 2 : 1, pad = r.nextInt(0, k);
            int[] xs = new int[axes + 2], ks = new int[axes + 2], st = new int[axes], lo = new int[axes];
            xs[0] = n;
            xs[1] = c;
            ks[0] = o;
            ks[1] = c;
            for (int i = 0; i < axes; i++) {
                xs[i + 2] = i == axes - 1 ? r.nextInt(32 * s, 90) : r.nextInt(2, axes == 3 ? 6 : 12);
                ks[i + 2] = Math.min(k, xs[i + 2]);
                st[i] = s;
                lo[i] = pad;
            }
            ConvOptions opt = ConvOptions.defaults().withStrides(AxisValues.of(st)).withPadding(Padding.explicit(lo, lo));
            RandomConvCase rc = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, xs), RandomConvCase.values(r.nextLong(), DType.F32, ks), opt);
            if (rc == null) continue;
            ConvPlan p = rc.plan();
            int[] q = p.outSize();
            if (q[q.length - 1] >= 32 && fast.explain(p).algorithm().equals("shifted-gemm") && walksRows(fast, rc)) return rc;
        }
        throw new AssertionError("no wide-row shifted-gemm case from seed " + seed);
    }

    @Property(tries = 150)
    void wideRowsMatchReference(@ForAll long seed) {
        FastConvPropertyTest.check(FAST, wideRowCase(seed, FAST));
        if (seed % 3 == 0) FastConvPropertyTest.check(SCALAR, wideRowCase(seed, SCALAR));
    }

    /** Whether a sub-problem of {@code c} runs its tiles along the rows (input copied into planes, rows of 2+ vectors). */
    private static boolean walksRows(FastBackend fast, RandomConvCase c) {
        ConvPlan p = c.plan();
        float[] w = new float[(int) c.kernel().shape().size()];
        for (SubProblem sp : SubProblem.of(p)) if (new ShiftedConv.Job(fast.kernels(), p, sp, new float[0], w, new float[0]).rowWalk) return true;
        return false;
    }
}
