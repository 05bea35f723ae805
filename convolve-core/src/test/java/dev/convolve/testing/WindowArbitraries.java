package dev.convolve.testing;

import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for random, valid window reductions over tensors of rank 1 to 5: per axis a window size,
 * stride, dilation and explicit padding (possibly negative, which crops); Nx same, stride-aware same-upper /
 * same-lower, valid or explicit padding; every type; sum, product, max, min and mean with and without
 * {@code countIncludePad}. Sizes are awkward (1, 2, 3, 5, 7, 13) and raised to what the window needs.
 */
public final class WindowArbitraries {
    private WindowArbitraries() {}

    static final long MAX_WORK = 40_000;

    record AxisSpec(int w, int s, int d, int lo, int hi, int size) {}

    /** Cases over every type and reduction. */
    public static Arbitrary<WindowCase> windowCases() {
        return windowCases(Arbitraries.of(DType.values()), Arbitraries.of(WindowOracle.Op.values()));
    }

    public static Arbitrary<WindowCase> windowCases(Arbitrary<DType> types, Arbitrary<WindowOracle.Op> ops) {
        Arbitrary<Integer> rank = Arbitraries.frequency(Tuple.of(3, 1), Tuple.of(3, 2), Tuple.of(2, 3), Tuple.of(2, 4), Tuple.of(1, 5));
        return rank.flatMap(r -> Combinators.combine(
                        axis(r).list().ofSize(r),
                        Arbitraries.frequency(Tuple.of(2, ConvArbitraries.PadKind.VALID), Tuple.of(2, ConvArbitraries.PadKind.SAME),
                                Tuple.of(1, ConvArbitraries.PadKind.SAME_UPPER), Tuple.of(1, ConvArbitraries.PadKind.SAME_LOWER),
                                Tuple.of(4, ConvArbitraries.PadKind.EXPLICIT)),
                        types, ops, Arbitraries.of(true, false), Arbitraries.longs(), Arbitraries.integers().between(0, 9))
                .as((axes, pad, t, op, cip, seed, roll) -> build(axes, pad, t, op, cip, seed, roll == 0)))
                .withoutEdgeCases();
    }

    static Arbitrary<AxisSpec> axis(int r) {
        Arbitrary<Integer> size = r <= 2 ? Arbitraries.of(1, 2, 3, 5, 7, 13) : Arbitraries.of(1, 2, 3, 5);
        return Combinators.combine(Arbitraries.integers().between(1, r <= 3 ? 4 : 2), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, r <= 3 ? 3 : 2), Arbitraries.integers().between(-1, 3), Arbitraries.integers().between(-1, 3), size)
                .as(AxisSpec::new);
    }

    static WindowCase build(List<AxisSpec> axes, ConvArbitraries.PadKind pk, DType t, WindowOracle.Op op, boolean cip, long seed, boolean wide) {
        int r = axes.size();
        int[] w = new int[r], s = new int[r], d = new int[r], lo = new int[r], hi = new int[r], size = new int[r], min = new int[r];
        long work = 1;
        for (int i = 0; i < r; i++) {
            AxisSpec a = axes.get(i);
            w[i] = a.w();
            s[i] = a.s();
            d[i] = a.d();
            boolean explicit = pk == ConvArbitraries.PadKind.EXPLICIT;
            lo[i] = explicit ? a.lo() : 0;
            hi[i] = explicit ? a.hi() : 0;
            int dw = (w[i] - 1) * d[i] + 1;
            min[i] = (pk == ConvArbitraries.PadKind.VALID || explicit) ? Math.max(1, dw - lo[i] - hi[i]) : 1;
            size[i] = Math.max(a.size(), min[i]);
            work *= (long) (size[i] + 4) * w[i];
        }
        if (work > MAX_WORK) size = min;
        SplittableRandom rnd = new SplittableRandom(seed);
        Tensor x = TestTensors.random(t, size, rnd.nextLong(), wide);
        WindowOptions o = WindowOptions.of(w)
                .withStrides(ConvArbitraries.axisValues(s, rnd))
                .withWindowDilations(ConvArbitraries.axisValues(d, rnd))
                .withCountIncludePad(cip)
                .withPadding(switch (pk) {
                    case VALID -> Padding.valid();
                    case SAME -> Padding.same();
                    case SAME_UPPER -> Padding.sameUpper();
                    case SAME_LOWER -> Padding.sameLower();
                    case EXPLICIT -> Padding.explicit(lo, hi);
                });
        return new WindowCase(x, o, op);
    }
}
