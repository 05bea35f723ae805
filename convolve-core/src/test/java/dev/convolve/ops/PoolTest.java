package dev.convolve.ops;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Fixtures;
import dev.convolve.testing.OracleAssert;
import dev.convolve.testing.TestTensors;
import dev.convolve.testing.TorchPoolOracle;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Pool} against PyTorch fixtures (max/avg 1-3-D, ceil mode, count_include_pad, divisor_override, dilation)
 * and against a PyTorch-formulated oracle over random configurations.
 */
class PoolTest {

    static Pool.Options options(Fixtures.Case c) {
        Pool.Options o = Pool.Options.kernel(c.ints("kernel")).withPadding(c.ints("padding")).withDilation(c.ints("dilation"))
                .withCeilMode(c.bool("ceil_mode")).withCountIncludePad(c.bool("count_include_pad"));
        if (c.ints("stride") != null) o = o.withStride(c.ints("stride"));
        if (c.ints("divisor_override") != null) o = o.withDivisorOverride(c.ints("divisor_override")[0]);
        return o;
    }

    @TestFactory
    Iterable<DynamicTest> maxAndAvgPoolMatchPytorch() {
        return Fixtures.cases("pool").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Tensor x = c.array("x");
            Pool.Options o = options(c);
            Tensor mx = Pool.maxPool(x, o), expectedMax = c.array("max");
            assertEquals(expectedMax.shape(), mx.shape(), () -> "max shape " + c);
            assertTrue(mx.contentEquals(expectedMax), () -> "max " + c + ": " + mx.valuesString() + " vs " + expectedMax.valuesString());
            if (c.has("avg")) {
                Pool.Options avg = o.withDilation(1);
                Tensor av = Pool.avgPool(x, avg), expectedAvg = c.array("avg");
                assertEquals(expectedAvg.shape(), av.shape(), () -> "avg shape " + c);
                assertTrue(av.allClose(expectedAvg, 1e-12, 1e-12), () -> "avg " + c + ": " + av.valuesString() + " vs " + expectedAvg.valuesString());
            }
        })).toList();
    }

    record Config(int n, int[] size, int[] k, int[] s, int[] p, int[] d, boolean ceil, boolean cip, Integer div, boolean strideDefault,
                  DType type, long seed) {
        @Override
        public String toString() {
            return "pool " + type + Arrays.toString(size) + " k" + Arrays.toString(k) + " s" + (strideDefault ? "=k" : Arrays.toString(s)) + " p"
                    + Arrays.toString(p) + " d" + Arrays.toString(d) + " ceil=" + ceil + " cip=" + cip + " div=" + div;
        }
    }

    @Provide
    Arbitrary<Config> configs() {
        return Arbitraries.integers().between(1, 3).flatMap(n -> Combinators.combine(
                        Arbitraries.integers().between(1, 4).array(int[].class).ofSize(n),
                        Arbitraries.integers().between(1, 3).array(int[].class).ofSize(n),
                        Arbitraries.integers().between(1, 2).array(int[].class).ofSize(n),
                        Arbitraries.integers().between(0, 9).array(int[].class).ofSize(n),
                        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.integers().between(-1, 6),
                        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(DType.F32, DType.F64, DType.S32, DType.U8, DType.F16),
                                Arbitraries.longs()).as((sd, t, seed) -> new Object[] {sd, t, seed}))
                .as((k, s, d, extra, ceil, cip, div, rest) -> {
                    int[] p = new int[n], size = new int[n];
                    for (int i = 0; i < n; i++) {
                        p[i] = extra[i] % (k[i] / 2 + 1);
                        size[i] = Math.max(1, d[i] * (k[i] - 1) + 1 - 2 * p[i]) + extra[i];
                    }
                    boolean sd = (Boolean) rest[0];
                    return new Config(n, size, k, sd ? k.clone() : s, p, d, ceil, cip, div > 0 ? div : null, sd, (DType) rest[1], (Long) rest[2]);
                }));
    }

    private static Pool.Options options(Config c, boolean withDilation) {
        Pool.Options o = Pool.Options.kernel(c.k()).withPadding(c.p()).withCeilMode(c.ceil()).withCountIncludePad(c.cip());
        if (!c.strideDefault()) o = o.withStride(c.s());
        if (withDilation) o = o.withDilation(c.d());
        if (c.div() != null) o = o.withDivisorOverride(c.div());
        return o;
    }

    @Property(tries = 300)
    void maxPoolMatchesPytorchLoop(@ForAll("configs") Config c) {
        Tensor x = TestTensors.random(c.type(), concat(2, 2, c.size()), c.seed(), false);
        Tensor expected = TorchPoolOracle.maxPool(x, c.k(), c.s(), c.p(), c.d(), c.ceil());
        OracleAssert.assertClose(Pool.maxPool(x, options(c, true)), expected, null, 0, c);
    }

    @Property(tries = 300)
    void avgPoolMatchesPytorchLoop(@ForAll("configs") Config c) {
        Tensor x = TestTensors.random(c.type(), concat(2, 1, c.size()), c.seed(), false);
        Tensor expected = TorchPoolOracle.avgPool(x, c.k(), c.s(), c.p(), c.ceil(), c.cip(), c.div());
        // the summation error scale: the same average of |x| (window sums go through the current backend)
        double[] mag = TorchPoolOracle.avgPool(x.abs(), c.k(), c.s(), c.p(), c.ceil(), c.cip(), c.div()).toDoubleArray();
        long terms = Arrays.stream(c.k()).asLongStream().reduce(1, (a, b) -> a * b);
        OracleAssert.assertClose(Pool.avgPool(x, options(c, false)), expected, mag, 2, OracleAssert.summationFactor(terms), c);
    }

    @Test
    void unbatchedInputIsPooledAsOneBatch() {
        Tensor x = Tensor.iota(DType.F32, 2, 5, 5);
        Tensor batched = Pool.maxPool(x.newAxis(0), Pool.Options.kernel(2, 2));
        assertTrue(Pool.maxPool(x, Pool.Options.kernel(2, 2)).contentEquals(batched.squeeze(0)));
        assertEquals("f32[2][2][2]", Pool.avgPool(x, Pool.Options.kernel(2, 2)).describe());
    }

    @Test
    void globalPoolingReducesEverySpatialAxisKeepingThemAsOnes() {
        Tensor x = TestTensors.random(DType.F64, new int[] {2, 3, 4, 5}, 7, false);
        Tensor avg = Pool.globalAvgPool(x), max = Pool.globalMaxPool(x);
        assertEquals("f64[2][3][1][1]", avg.describe());
        assertTrue(avg.allClose(x.mean(new int[] {2, 3}, true), 1e-15, 1e-15));
        assertTrue(max.contentEquals(x.reduceMax(new int[] {2, 3}, true)));
        assertEquals("f32[1][1][1]", Pool.globalAvgPool(Tensor.iota(DType.S32, 1, 1, 7)).describe());
        assertEquals(3.0, Pool.globalAvgPool(Tensor.iota(DType.S32, 1, 1, 7)).item());
    }

    @Test
    void ceilModeCountIncludePadDividesByTheWindowClippedToTheDeclaredPadding() {
        // S = 5, k = 2, stride 2, ceil: windows [0,1] [2,3] [4,(5)]; the last is clipped to [4, 5 + 0): divisor 1, not 2.
        Tensor x = Tensor.of(new float[][][] {{{1, 2, 3, 4, 5}}});
        Pool.Options o = Pool.Options.kernel(2).withCeilMode(true);
        assertEquals("[[[1.5, 3.5, 5.0]]]", Pool.avgPool(x, o).valuesString());
        assertEquals("[[[2.0, 4.0, 5.0]]]", Pool.maxPool(x, o).valuesString());
        assertEquals("[[[1.5, 3.5]]]", Pool.avgPool(x, o.withCeilMode(false)).valuesString());
    }

    @Test
    void badOptionsAreRejectedWithTheRuleAndTheShape() {
        Tensor x = Tensor.zeros(DType.F32, 1, 1, 4, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool(x, Pool.Options.kernel(3, 3).withPadding(2)));
        assertTrue(e.getMessage().startsWith("max_pool2d: padding must be non-negative and at most half the kernel size, but got padding 2 for kernel size 3"), e.getMessage());
        assertTrue(e.getMessage().contains("f32[1][1][4][4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.avgPool(x, Pool.Options.kernel(2, 2).withDilation(2)));
        assertTrue(e.getMessage().startsWith("avg_pool2d: average pooling has no dilation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool(Tensor.zeros(DType.F32, 4, 4), Pool.Options.kernel(2, 2, 2)));
        assertTrue(e.getMessage().startsWith("max_pool3d: expected an input of rank 4 (unbatched [C, S1..S3]) or 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool(x, Pool.Options.kernel(5, 5)));
        assertTrue(e.getMessage().contains("is larger than the padded input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.avgPool(x, Pool.Options.kernel(2, 2).withDivisorOverride(0)));
        assertTrue(e.getMessage().startsWith("avg_pool2d: divisor override must not be zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool(x, Pool.Options.kernel(2, 2).withStride(1, 1, 1)));
        assertTrue(e.getMessage().startsWith("max_pool2d: stride must have one entry per spatial axis (2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pool.globalAvgPool(Tensor.zeros(DType.F32, 4, 4)));
        assertTrue(e.getMessage().startsWith("global_avg_pool: expected an input [N, C, S1..Sn] of rank at least 3, got f32[4][4]"), e.getMessage());
    }

    static int[] concat(int a, int b, int[] rest) {
        int[] r = new int[rest.length + 2];
        r[0] = a;
        r[1] = b;
        System.arraycopy(rest, 0, r, 2, rest.length);
        return r;
    }
}
