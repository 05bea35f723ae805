package dev.convolve.testing;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries for {@code pad}: tensors of rank 0 to 4 with axes of size 0 to 7, low and high padding from -4
 * to 4 (negative crops, possibly through interior padding and into the data), interior padding 0 to 3, any tensor
 * and value types. The high side is raised when needed so that no axis becomes negative.
 */
public final class PadArbitraries {
    private PadArbitraries() {}

    record AxisSpec(int size, int lo, int hi, int interior) {}

    public static Arbitrary<PadCase> padCases() {
        Arbitrary<AxisSpec> axis = Combinators.combine(Arbitraries.of(0, 1, 2, 3, 5, 7), Arbitraries.integers().between(-4, 4),
                Arbitraries.integers().between(-4, 4), Arbitraries.integers().between(0, 3)).as(AxisSpec::new);
        return Arbitraries.integers().between(0, 4).flatMap(r -> Combinators.combine(axis.list().ofSize(r),
                Arbitraries.of(DType.values()), Arbitraries.of(DType.values()), Arbitraries.longs()).as(PadArbitraries::build));
    }

    static PadCase build(List<AxisSpec> axes, DType t, DType vt, long seed) {
        int r = axes.size();
        int[] size = new int[r], lo = new int[r], hi = new int[r], in = new int[r];
        for (int i = 0; i < r; i++) {
            AxisSpec a = axes.get(i);
            size[i] = r == 4 ? Math.min(a.size(), 3) : a.size();
            lo[i] = a.lo();
            in[i] = a.interior();
            int body = size[i] + Math.max(size[i] - 1, 0) * in[i];
            hi[i] = Math.max(a.hi(), -(lo[i] + body));
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Tensor x = TestTensors.random(t, size, rnd.nextLong(), false);
        Tensor v = TestTensors.random(vt, new int[0], rnd.nextLong(), false);
        return new PadCase(x, v.reshape(Shape.scalar().dims()), new PadConfig(lo, hi, in));
    }
}
