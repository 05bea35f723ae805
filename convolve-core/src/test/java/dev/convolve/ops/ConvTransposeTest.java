package dev.convolve.ops;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Fixtures;
import dev.convolve.testing.TestTensors;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ConvTranspose} matches PyTorch's {@code F.conv_transpose1d/2d/3d} (fixtures with stride, padding,
 * output_padding, groups and dilation), and is the adjoint of the conv with the same parameters.
 */
class ConvTransposeTest {

    static ConvTranspose.Options options(Fixtures.Case c) {
        return ConvTranspose.Options.defaults().withStride(c.ints("stride")).withPadding(c.ints("padding"))
                .withOutputPadding(c.ints("output_padding")).withGroups(Integer.parseInt(c.param("groups"))).withDilation(c.ints("dilation"));
    }

    @TestFactory
    Iterable<DynamicTest> matchesPytorchConvTranspose() {
        return Fixtures.cases("conv_transpose").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Tensor y = ConvTranspose.convTranspose(c.array("x"), c.array("w"), options(c));
            Tensor expected = c.array("y");
            assertEquals(expected.shape(), y.shape(), c::toString);
            assertEquals(DType.F64, y.dtype());
            assertTrue(y.allClose(expected, 1e-12, 1e-12), () -> c + ": max difference " + y.maxAbsDiff(expected));
        })).toList();
    }

    @Test
    void outputSizeFollowsPytorchFormula() {
        // (S-1)*stride - 2p + d(K-1) + op + 1 = (4-1)*3 - 2*4 + 2*(3-1) + 2 + 1 = 8; padding above d(K-1) crops.
        Tensor x = Tensor.ones(DType.F32, 1, 1, 4);
        Tensor w = Tensor.ones(DType.F32, 1, 1, 3);
        Tensor y = ConvTranspose.convTranspose(x, w, ConvTranspose.Options.defaults().withStride(3).withPadding(4).withOutputPadding(2).withDilation(2));
        assertEquals("f32[1][1][8]", y.describe());
    }

    record Config(int dims, int n, int groups, int cinPerGroup, int coutPerGroup, int size, int k, int stride, int dilation, int padding, int outPad, long seed) {}

    @Provide
    Arbitrary<Config> configs() {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 2);
        return Combinators.combine(Arbitraries.integers().between(1, 3), small, Arbitraries.integers().between(1, 3), small, small,
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 3))
                .flatAs((d, n, g, ci, co, s, k, st) -> Combinators.combine(small, Arbitraries.integers().between(0, 4),
                                Arbitraries.integers().between(0, 2), Arbitraries.longs())
                        .as((dil, p, op, seed) -> new Config(d, n, g, ci, co, s, k, st, dil, p, Math.min(op, st - 1), seed)))
                .filter(c -> (c.size() - 1) * c.stride() - 2 * c.padding() + c.dilation() * (c.k() - 1) + c.outPad() + 1 >= 1);
    }

    /** conv_transpose is the gradient of conv with respect to its input: {@code <convT(y, w), x> = <y, conv(x, w)>}. */
    @Property(tries = 300)
    void convTransposeIsTheAdjointOfConv(@ForAll("configs") Config c) {
        SplittableRandom rnd = new SplittableRandom(c.seed());
        int[] ySize = new int[c.dims()], k = new int[c.dims()];
        java.util.Arrays.fill(ySize, c.size());
        java.util.Arrays.fill(k, c.k());
        int cin = c.groups() * c.cinPerGroup(), cout = c.groups() * c.coutPerGroup();
        Tensor y = TestTensors.random(DType.F64, concat(c.n(), cin, ySize), rnd.nextLong(), false);
        Tensor w = TestTensors.random(DType.F64, concat(cin, c.coutPerGroup(), k), rnd.nextLong(), false);
        ConvTranspose.Options o = ConvTranspose.Options.defaults().withStride(c.stride()).withPadding(c.padding())
                .withOutputPadding(c.outPad()).withGroups(c.groups()).withDilation(c.dilation());
        Tensor ty = ConvTranspose.convTranspose(y, w, o);
        Tensor x = TestTensors.random(DType.F64, ty.dims(), rnd.nextLong(), false);
        assertEquals(cout, x.dim(1));
        // The forward conv: weight [Cin, Cout/g, K] read as [O = Cin, I = Cout/g, K], same stride, padding, dilation, groups.
        int[] pad = new int[2 * c.dims()];
        java.util.Arrays.fill(pad, c.padding());
        Tensor cx = Conv.conv(x, w, ConvOptions.defaults().withStrides(c.stride()).withKernelDilation(c.dilation())
                .withPadding(Padding.pairs(pad)).withFeatureGroupSize(c.groups()));
        assertEquals(y.shape(), cx.shape(), c::toString);
        double lhs = ty.multiply(x).sum().item(), rhs = y.multiply(cx).sum().item();
        double scale = ty.abs().multiply(x.abs()).sum().item() + 1;
        assertEquals(rhs, lhs, 1e-12 * scale, c::toString);
    }

    static int[] concat(int a, int b, int[] rest) {
        int[] r = new int[rest.length + 2];
        r[0] = a;
        r[1] = b;
        System.arraycopy(rest, 0, r, 2, rest.length);
        return r;
    }
}
