package dev.convolve.ops;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.ConvOracle;
import dev.convolve.testing.Fixtures;
import dev.convolve.testing.OracleAssert;
import dev.convolve.testing.TestTensors;
import java.util.Arrays;
import java.util.SplittableRandom;
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

/** {@code Unfold.unfold/fold} against PyTorch's F.unfold/F.fold, the conv oracle (weights times columns) and each other (adjoints). */
class UnfoldTest {

    static Unfold.Options options(Fixtures.Case c) {
        return Unfold.Options.kernel(c.ints("kernel")).withDilation(c.ints("dilation")).withPadding(c.ints("padding")).withStride(c.ints("stride"));
    }

    @TestFactory
    Iterable<DynamicTest> unfoldAndFoldMatchPytorch() {
        return Fixtures.cases("unfold").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Tensor x = c.array("x");
            Tensor cols = Unfold.unfold(x, options(c));
            assertTrue(cols.contentEquals(c.array("cols")), () -> c + " unfold " + cols.describe() + " vs " + c.array("cols").describe());
            Tensor back = Unfold.fold(cols, Arrays.copyOfRange(x.dims(), 2, 4), options(c));
            assertTrue(back.allClose(c.array("fold"), 0, 0), () -> c + " fold");
        })).toList();
    }

    record Config(int n, int[] size, int[] k, int[] d, int[] p, int[] s, int batch, int channels, int outChannels, long seed) {
        Unfold.Options options() { return Unfold.Options.kernel(k).withDilation(d).withPadding(p).withStride(s); }

        @Override
        public String toString() {
            return "unfold [" + batch + ", " + channels + ", " + Arrays.toString(size) + "] " + options() + " O=" + outChannels;
        }
    }

    @Provide
    Arbitrary<Config> configs() {
        return Arbitraries.integers().between(1, 3).flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(1, 3).array(int[].class).ofSize(n), Arbitraries.integers().between(1, 2).array(int[].class).ofSize(n),
                Arbitraries.integers().between(0, 2).array(int[].class).ofSize(n), Arbitraries.integers().between(1, 3).array(int[].class).ofSize(n),
                Arbitraries.integers().between(0, 5).array(int[].class).ofSize(n), Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(1, 3), Arbitraries.longs()).as((k, d, p, s, extra, b, c, seed) -> {
                    int[] size = new int[n];
                    for (int i = 0; i < n; i++) size[i] = Math.max(1, d[i] * (k[i] - 1) + 1 - 2 * p[i]) + extra[i];
                    return new Config(n, size, k, d, p, s, b, c, 1 + (int) Math.floorMod(seed, 3), seed);
                }));
    }

    /** The fast.ai identity: {@code w.reshape(O, C*prod(k)) @ unfold(x)} is the conv with the same options. */
    @Property(tries = 300)
    void weightsTimesColumnsIsTheConv(@ForAll("configs") Config c) {
        SplittableRandom rnd = new SplittableRandom(c.seed());
        Tensor x = TestTensors.random(DType.F64, concat(c.batch(), c.channels(), c.size()), rnd.nextLong(), false);
        Tensor w = TestTensors.random(DType.F64, concat(c.outChannels(), c.channels(), c.k()), rnd.nextLong(), false);
        Tensor cols = Unfold.unfold(x, c.options());
        int[] blocks = Unfold.blocks(c.size(), c.options());
        Tensor y = w.reshape(c.outChannels(), -1).matmul(cols).reshape(concat(c.batch(), c.outChannels(), blocks));
        int[] pads = new int[2 * c.n()];
        for (int i = 0; i < c.n(); i++) pads[2 * i] = pads[2 * i + 1] = c.p()[i];
        ConvOptions o = ConvOptions.defaults().withStrides(c.s()).withKernelDilation(c.d()).withPadding(Padding.pairs(pads));
        OracleAssert.assertConv(y, ConvOracle.conv(x, w, o), c);
    }

    /** fold is the adjoint of unfold: {@code <fold(y), x> = <y, unfold(x)>}. */
    @Property(tries = 300)
    void foldIsTheAdjointOfUnfold(@ForAll("configs") Config c) {
        SplittableRandom rnd = new SplittableRandom(c.seed());
        Tensor x = TestTensors.random(DType.F64, concat(c.batch(), c.channels(), c.size()), rnd.nextLong(), false);
        Tensor cols = Unfold.unfold(x, c.options());
        Tensor y = TestTensors.random(DType.F64, cols.dims(), rnd.nextLong(), false);
        Tensor folded = Unfold.fold(y, c.size(), c.options());
        assertEquals(x.shape(), folded.shape());
        double lhs = folded.multiply(x).sum().item(), rhs = y.multiply(cols).sum().item();
        assertEquals(rhs, lhs, 1e-9 * (1 + Math.abs(rhs)), c::toString);
    }

    @Test
    void fastaiMnistShapeAndUnbatchedInput() {
        Tensor x = Tensor.iota(DType.F32, 1, 1, 28, 28);
        assertEquals("f32[1][9][676]", Unfold.unfold(x, Unfold.Options.kernel(3, 3)).describe());
        assertEquals("f32[9][676]", Unfold.unfold(x.squeeze(0), Unfold.Options.kernel(3, 3)).describe());
        Tensor ints = Tensor.iota(DType.U8, 1, 1, 3, 3);
        Tensor cols = Unfold.unfold(ints, Unfold.Options.kernel(2, 2));
        assertEquals("u8[1][4][4]", cols.describe());
        assertEquals("[[[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]]", cols.valuesString());
        // fold of unfold counts how many blocks cover each position
        assertEquals("[[[[0, 2, 2], [6, 16, 10], [6, 14, 8]]]]", Unfold.fold(cols, new int[] {3, 3}, Unfold.Options.kernel(2, 2)).valuesString());
    }

    @Test
    void foldRejectsColumnCountsThatDoNotMatchTheBlocks() {
        Tensor cols = Tensor.zeros(DType.F32, 1, 4, 8);
        var e = assertThrows(IllegalArgumentException.class, () -> Unfold.fold(cols, new int[] {4, 4}, Unfold.Options.kernel(2, 2)));
        assertTrue(e.getMessage().startsWith("fold: expected size of input's dimension 2 to match the calculated number of sliding blocks 3 * 3 = 9, but got 8"),
                e.getMessage());
        assertTrue(e.getMessage().contains("f32[1][4][8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Unfold.fold(Tensor.zeros(DType.F32, 1, 5, 9), new int[] {4, 4}, Unfold.Options.kernel(2, 2)));
        assertTrue(e.getMessage().startsWith("fold: expected size of input's dimension 1 to be divisible by the product of kernel_size, but got 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Unfold.unfold(Tensor.zeros(DType.F32, 1, 1, 2, 2), Unfold.Options.kernel(3, 3)));
        assertTrue(e.getMessage().startsWith("unfold: the dilated kernel (3) is larger than the padded input (2) on spatial axis 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Unfold.unfold(Tensor.zeros(DType.F32, 2, 2), Unfold.Options.kernel(1, 1)));
        assertTrue(e.getMessage().startsWith("unfold: expected an input of rank 3 (unbatched) or 4"), e.getMessage());
    }

    static int[] concat(int a, int b, int[] rest) {
        int[] r = new int[rest.length + 2];
        r[0] = a;
        r[1] = b;
        System.arraycopy(rest, 0, r, 2, rest.length);
        return r;
    }
}
