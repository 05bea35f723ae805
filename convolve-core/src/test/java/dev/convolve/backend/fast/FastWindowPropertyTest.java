package dev.convolve.backend.fast;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.backend.WindowReduction;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The fast window reductions and max/min gradient routing against the reference, over random windows. */
class FastWindowPropertyTest {
    private static final Backend REF = Backends.reference();
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    record Case(Tensor x, WindowPlan plan, WindowReduction op) {}

    static Case random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        while (true) {
            int rank = r.nextInt(1, 6);
            int[] dims = new int[rank], w = new int[rank], s = new int[rank], d = new int[rank], lo = new int[rank], hi = new int[rank];
            boolean pooling = r.nextInt(3) > 0;
            for (int i = 0; i < rank; i++) {
                boolean lead = pooling && i < rank - 2;
                dims[i] = lead ? r.nextInt(1, 5) : new int[] {1, 2, 3, 5, 7, 8, 13, 16, 17, 29}[r.nextInt(10)];
                w[i] = lead ? 1 : r.nextInt(1, 4);
                s[i] = lead ? 1 : r.nextInt(1, 4);
                d[i] = lead || r.nextInt(4) > 0 ? 1 : 2;
                lo[i] = lead ? 0 : r.nextInt(0, 3);
                hi[i] = lead ? 0 : r.nextInt(0, 3);
            }
            WindowReduction op = WindowReduction.values()[r.nextInt(4)];
            DType t = switch (r.nextInt(8)) {
                case 0 -> DType.U8;
                case 1 -> DType.S32;
                case 2 -> DType.F16;
                default -> DType.F32;
            };
            WindowOptions o = WindowOptions.of(w).withStrides(s).withWindowDilations(d).withPadding(Padding.explicit(lo, hi));
            try {
                WindowPlan p = WindowPlan.of(op.opName(), dev.convolve.tensor.Shape.of(dims), t, o);
                if (p.outputShape().size() > 20_000) continue;
                Tensor x = t.isInteger() ? Tensor.randomUniform(r.nextLong(), t, t.isUnsigned() ? 0 : -50, 50, dims)
                        : Tensor.randomNormal(r.nextLong(), DType.F64, 0, 1, dims).asType(t);
                return new Case(x, p, op);
            } catch (IllegalArgumentException e) {
                // invalid combination (empty output): draw again
            }
        }
    }

    @Property(tries = 400)
    void windowMatchesReference(@ForAll long seed) {
        Case c = random(seed);
        check(FAST, c);
    }

    @Property(tries = 100)
    void scalarWindowMatchesReference(@ForAll long seed) {
        check(SCALAR, random(seed));
    }

    /**
     * Window sums divided as they are stored (average pooling) equal the sums divided afterwards, bit for bit, vector and scalar
     * kernels, and the reference's; divisors of every window size drawn, 9 and 25 among them (not powers of two).
     */
    @Property(tries = 200)
    void sumsDividedAsStoredMatchTheSumsDividedAfter(@ForAll long seed) {
        Case c = random(seed);
        Tensor x = c.x().asType(DType.F32).multiply(1000.0);
        WindowPlan p = WindowPlan.of("window_mean", x.shape(), x.dtype(), optionsOf(c.plan()));
        double divisor = p.windowSize();
        for (FastBackend be : new FastBackend[] {FAST, SCALAR}) {
            float[] after = be.window(p, WindowReduction.SUM, x).divide(divisor).floatData();
            float[] fused = be.windowSumDivided(p, x, divisor).floatData();
            org.junit.jupiter.api.Assertions.assertArrayEquals(after, fused, 0f, () -> be + " " + p);
        }
        Tensor ref = REF.windowSumDivided(p, x, divisor);
        Close.check(ref, FAST.windowSumDivided(p, x, divisor), REF.windowSumDivided(p, x.abs(), divisor), 1e-6, "window mean " + p);
    }

    @Property(tries = 200)
    void selectScatterMatchesReference(@ForAll long seed) {
        Case c = random(seed);
        Tensor x = c.x().asType(DType.F32);
        WindowPlan p = WindowPlan.of("window_max", x.shape(), x.dtype(), optionsOf(c.plan()));
        Tensor src = Tensor.randomNormal(seed, DType.F64, 0, 1, p.outputShape().dims()).asType(DType.F32);
        for (boolean max : new boolean[] {true, false}) {
            Tensor e = REF.windowSelectScatter(p, max, x, src);
            Tensor a = FAST.windowSelectScatter(p, max, x, src);
            Tensor mag = REF.windowSelectScatter(p, max, x, src.abs());
            Close.check(e, a, mag, 1e-6, "select scatter max=" + max + ", " + p);
        }
    }

    @Property(tries = 60)
    void maxPooling2x2RoutesLikeTheReference(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = r.nextInt(1, 4), c = r.nextInt(1, 5), h = r.nextInt(2, 20), w = r.nextInt(2, 20);
        int hi = r.nextInt(0, 2);
        Tensor x = Tensor.randomNormal(seed, DType.F64, 0, 1, n, c, h, w).asType(DType.F32);
        if (r.nextInt(4) == 0) x = x.round();   // ties: the first maximum wins
        WindowOptions o = WindowOptions.of(1, 1, 2, 2).withStrides(1, 1, 2, 2).withPadding(Padding.explicit(new int[4], new int[] {0, 0, hi, hi}));
        WindowPlan p = WindowPlan.of("window_max", x.shape(), x.dtype(), o);
        Tensor src = Tensor.randomNormal(seed + 1, DType.F64, 0, 1, p.outputShape().dims()).asType(DType.F32);
        Close.check(REF.windowSelectScatter(p, true, x, src), FAST.windowSelectScatter(p, true, x, src), REF.windowSelectScatter(p, true, x, src.abs()), 1e-6,
                "2x2 max routing " + p);
    }

    static WindowOptions optionsOf(WindowPlan p) {
        return WindowOptions.of(p.window()).withStrides(p.strides()).withWindowDilations(p.dilations()).withPadding(Padding.explicit(p.padLow(), p.padHigh()));
    }

    static void check(Backend fast, Case c) {
        Tensor e = REF.window(c.plan(), c.op(), c.x());
        Tensor a = fast.window(c.plan(), c.op(), c.x());
        String ctx = c.op() + " " + c.plan() + " " + c.x().dtype();
        if (c.op() != WindowReduction.SUM || c.x().dtype().isInteger()) {
            Close.exact(e, a, ctx);
            return;
        }
        Tensor mag = REF.window(c.plan(), WindowReduction.SUM, c.x().asType(DType.F64).abs());
        Close.check(e, a, mag, Close.tolerance(c.x().dtype(), c.plan().windowSize()), ctx);
    }
}
