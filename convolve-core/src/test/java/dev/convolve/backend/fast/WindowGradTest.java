package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The phase-route pooling gradient against the reference (which sums in f64; ours adds in f32 in the same order): windows 1-4 with strides 1-3, dilation, padding on one
 * side or both, ties and NaNs, max and min; vector and scalar kernels.
 */
class WindowGradTest {
    private static final Backend REF = Backends.reference();
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    record Case(Tensor x, Tensor source, WindowPlan plan) {}

    static Case random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int n = r.nextInt(1, 3), c = r.nextInt(1, 4);
            int h = new int[] {1, 2, 3, 5, 7, 8, 13, 16, 17, 29, 40}[r.nextInt(11)], w = new int[] {1, 2, 3, 5, 7, 8, 13, 16, 17, 29, 40}[r.nextInt(11)];
            int[] win = {1, 1, r.nextInt(1, 5), r.nextInt(1, 5)}, s = {1, 1, r.nextInt(1, 4), r.nextInt(1, 4)};
            int[] d = {1, 1, r.nextInt(4) == 0 ? 2 : 1, r.nextInt(4) == 0 ? 2 : 1};
            int[] lo = {0, 0, r.nextInt(0, 3), r.nextInt(0, 3)}, hi = {0, 0, r.nextInt(0, 3), r.nextInt(0, 3)};
            Tensor x = Tensor.randomNormal(r.nextLong(), DType.F64, 0, 1, n, c, h, w).asType(DType.F32);
            if (r.nextInt(3) == 0) x = x.multiply(2).round();   // ties: the first maximum wins
            if (r.nextInt(6) == 0) {
                float[] v = x.floatData().clone();
                for (int i = 0; i < v.length; i += r.nextInt(1, 9)) v[i] = r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
                x = Tensor.wrap(DType.F32, x.shape(), v);
            }
            try {
                WindowOptions o = WindowOptions.of(win).withStrides(s).withWindowDilations(d).withPadding(Padding.explicit(lo, hi));
                WindowPlan p = WindowPlan.of("window_max", x.shape(), x.dtype(), o);
                Tensor src = Tensor.randomNormal(r.nextLong(), DType.F64, 0, 1, p.outputShape().dims()).asType(DType.F32);
                return new Case(x, src, p);
            } catch (IllegalArgumentException e) {
                // empty output: draw again
            }
        }
    }

    static void check(Backend fast, Case c) {
        for (boolean max : new boolean[] {true, false}) {
            Tensor e = REF.windowSelectScatter(c.plan(), max, c.x(), c.source());
            Tensor mag = REF.windowSelectScatter(c.plan(), max, c.x(), c.source().abs());
            Close.check(e, fast.windowSelectScatter(c.plan(), max, c.x(), c.source()), mag, 1e-6, "max=" + max + ", " + c.plan());
        }
    }

    @Property(tries = 400)
    void routesLikeTheReference(@ForAll long seed) {
        Case c = random(seed);
        assertEquals("phase-route", FAST.explainWindowGradient(c.plan()).algorithm());
        check(FAST, c);
    }

    @Property(tries = 100)
    void scalarRoutesLikeTheReference(@ForAll long seed) {
        check(SCALAR, random(seed));
    }

    @Test
    void resnetStemPooling() {
        Tensor x = Tensor.randomNormal(3, DType.F32, 0, 1, 2, 8, 112, 112);
        for (int[] k : new int[][] {{3, 2, 1}, {2, 2, 0}}) {
            WindowOptions o = WindowOptions.of(1, 1, k[0], k[0]).withStrides(1, 1, k[1], k[1])
                    .withPadding(Padding.explicit(new int[] {0, 0, k[2], k[2]}, new int[] {0, 0, k[2], k[2]}));
            WindowPlan p = WindowPlan.of("window_max", x.shape(), x.dtype(), o);
            check(FAST, new Case(x, Tensor.randomNormal(4, DType.F32, 0, 1, p.outputShape().dims()), p));
        }
    }
}
