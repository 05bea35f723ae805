package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.backend.WindowGradients;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The window-sum gradient (phase-sum) against the reference backend's (its default: pad, then window sum in f64-exact loops). */
class WindowSumGradTest {
    private static final Backend REF = Backends.reference();
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    static WindowGradTest.Case random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int rank = r.nextInt(2, 5);
            int[] dims = new int[rank], win = new int[rank], s = new int[rank], d = new int[rank], lo = new int[rank], hi = new int[rank];
            for (int i = 0; i < rank; i++) {
                boolean lead = i < rank - 2;
                dims[i] = lead ? r.nextInt(1, 4) : new int[] {1, 2, 3, 5, 7, 8, 13, 16, 17, 29, 40}[r.nextInt(11)];
                win[i] = lead ? 1 : r.nextInt(1, 5);
                s[i] = lead ? 1 : r.nextInt(1, 4);
                d[i] = lead || r.nextInt(4) > 0 ? 1 : 2;
                lo[i] = lead ? 0 : r.nextInt(0, 3);
                hi[i] = lead ? 0 : r.nextInt(0, 3);
            }
            try {
                WindowOptions o = WindowOptions.of(win).withStrides(s).withWindowDilations(d).withPadding(Padding.explicit(lo, hi));
                WindowPlan p = WindowPlan.of("window_sum", dev.convolve.tensor.Shape.of(dims), DType.F32, o);
                Tensor g = Tensor.randomNormal(r.nextLong(), DType.F64, 0, 1, p.outputShape().dims()).asType(DType.F32);
                return new WindowGradTest.Case(null, g, p);
            } catch (IllegalArgumentException e) {
                // empty output: draw again
            }
        }
    }

    static void check(FastBackend fast, WindowGradTest.Case c) {
        Tensor e = REF.windowSumTranspose(c.plan(), c.source().asType(DType.F64));
        Tensor a = fast.windowSumTranspose(c.plan(), c.source());
        Tensor mag = REF.windowSumTranspose(c.plan(), c.source().asType(DType.F64).abs()).asType(DType.F32);
        Close.check(e.asType(DType.F32), a, mag, Close.tolerance(DType.F32, c.plan().windowSize()), "window-sum gradient, " + c.plan());
    }

    /** The gradient weighted by 1 / window size (a mean's) against the reference's gradient of the scaled {@code g}, vector and scalar. */
    @Property(tries = 200)
    void scaledMatchesScalingFirst(@ForAll long seed) {
        WindowGradTest.Case c = random(seed);
        double scale = 1.0 / c.plan().windowSize();
        Tensor g64 = c.source().asType(DType.F64);
        Tensor e = REF.windowSumTranspose(c.plan(), g64.multiply(scale)).asType(DType.F32);
        Tensor mag = REF.windowSumTranspose(c.plan(), g64.abs().multiply(scale)).asType(DType.F32);
        for (FastBackend be : new FastBackend[] {FAST, SCALAR}) {
            Tensor a = be.windowSumTransposeScaled(c.plan(), c.source(), scale);
            Close.check(e, a, mag, Close.tolerance(DType.F32, c.plan().windowSize()), "scaled window-sum gradient, " + c.plan());
        }
    }

    @Property(tries = 300)
    void matchesReference(@ForAll long seed) {
        WindowGradTest.Case c = random(seed);
        assertEquals("phase-sum", FAST.explainWindowSumGradient(c.plan()).algorithm(), c.plan()::toString);
        check(FAST, c);
    }

    @Property(tries = 80)
    void scalarMatchesReference(@ForAll long seed) {
        check(SCALAR, random(seed));
    }

    @Property(tries = 50)
    void defaultFormMatchesReference(@ForAll long seed) {
        WindowGradTest.Case c = random(seed);
        Tensor e = REF.windowSumTranspose(c.plan(), c.source());
        Tensor a = WindowGradients.sum(FAST, c.plan(), c.source());
        Tensor mag = REF.windowSumTranspose(c.plan(), c.source().abs());
        Close.check(e, a, mag, Close.tolerance(DType.F32, c.plan().windowSize()), "default form, " + c.plan());
    }
}
