package dev.convolve.ops;

import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.PadOracle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Nx.pad's doctests (nx/lib/nx.ex) and nx_test.exs cases, printed in Nx's inspect format. */
class NxPadExamplesTest {

    @Test
    void scalarWithEmptyConfiguration() {
        assertEquals("#Nx.Tensor<\n  s32\n  1\n>", Pad.pad(Tensor.scalar(1), 0L, new PadConfig(new int[0], new int[0], new int[0])).toString());
    }

    @Test
    void oneDimensionalAndInteriorPadding() {
        assertEquals("#Nx.Tensor<\n  s32[5]\n  [0, 1, 2, 3, 0]\n>", Pad.pad(Tensor.of(new int[] {1, 2, 3}), 0L, PadConfig.triples(1, 1, 0)).toString());
        Tensor m = Tensor.of(new int[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals("""
                #Nx.Tensor<
                  s32[3][5]
                  [
                    [1, 0, 2, 0, 3],
                    [0, 0, 0, 0, 0],
                    [4, 0, 5, 0, 6]
                  ]
                >""", Pad.pad(m, 0L, PadConfig.triples(0, 0, 1, 0, 0, 1)).toString());
        assertEquals("[[0, 0, 0, 0, 0], [0, 1, 2, 3, 0], [0, 4, 5, 6, 0], [0, 0, 0, 0, 0]]", Pad.pad(m, 0L, PadConfig.triples(1, 1, 0, 1, 1, 0)).valuesString());
    }

    @Test
    void threeDimensionalPads() {
        Tensor t = Tensor.of(new int[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
        Tensor a = Pad.pad(t, 0L, PadConfig.triples(0, 2, 0, 1, 1, 0, 1, 0, 0));
        assertEquals("s32[4][4][3]", a.describe());
        assertEquals("[[[0, 0, 0], [0, 1, 2], [0, 3, 4], [0, 0, 0]], [[0, 0, 0], [0, 5, 6], [0, 7, 8], [0, 0, 0]], "
                + "[[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]]", a.valuesString());
        Tensor b = Pad.pad(t, 0L, PadConfig.triples(1, 0, 0, 1, 1, 0, 0, 1, 0));
        assertEquals("[[[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [1, 2, 0], [3, 4, 0], [0, 0, 0]], "
                + "[[0, 0, 0], [5, 6, 0], [7, 8, 0], [0, 0, 0]]]", b.valuesString());
        Tensor f = Pad.pad(t.asType(DType.F32), 0.0, PadConfig.triples(1, 2, 0, 1, 0, 0, 0, 1, 0));
        assertEquals("f32[5][3][3]", f.describe());
        assertEquals("[[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [1.0, 2.0, 0.0], [3.0, 4.0, 0.0]], "
                + "[[0.0, 0.0, 0.0], [5.0, 6.0, 0.0], [7.0, 8.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "
                + "[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]", f.valuesString());
        // and back: negative padding crops it to the original
        assertEquals(t.valuesString(), Pad.pad(b, 0L, PadConfig.triples(-1, 0, 0, -1, -1, 0, 0, -1, 0)).valuesString());
    }

    @Test
    void negativePaddingCrops() {
        assertEquals("s32[3] [1, 2, 3]", describe(Pad.pad(Tensor.of(new int[] {0, 1, 2, 3, 0}), 0L, PadConfig.triples(-1, -1, 0))));
        assertEquals("[[1, 2, 3, 0], [4, 5, 6, 0]]",
                Pad.pad(Tensor.of(new int[][] {{0, 1, 2, 3}, {0, 4, 5, 6}}), 0L, PadConfig.triples(0, 0, 0, -1, 1, 0)).valuesString());
        Tensor f = Tensor.of(new float[][] {{0, 1, 2}, {3, 4, 5}});
        assertEquals("f32[3][3] [[0.0, 3.0, 4.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]", describe(Pad.pad(f, 0L, PadConfig.triples(-1, 2, 0, 1, -1, 0))));
    }

    @Test
    void nxTestFiveByElevenWithNegativeLowAndInteriorPadding() {
        Tensor t = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor p = Pad.pad(t, 2.0, PadConfig.triples(-2, 1, 4, 1, 3, 2));
        assertEquals("f32[5][11]", p.describe());
        String two = "[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]";
        assertEquals("[" + two + ", " + two + ", " + two + ", [2.0, 4.0, 2.0, 2.0, 5.0, 2.0, 2.0, 6.0, 2.0, 2.0, 2.0], " + two + "]", p.valuesString());
        assertEquals(p.valuesString(), PadOracle.pad(t, Tensor.scalar(2f).data(), PadConfig.triples(-2, 1, 4, 1, 3, 2)).valuesString(), "the test oracle");
    }

    @Test
    void valueTypesMergeWithTheTensor() {
        Tensor u8 = Tensor.of(new int[] {1, 2}, DType.U8);
        assertEquals(DType.U8, Pad.pad(u8, 7L, PadConfig.triples(1, 0, 0)).dtype());
        assertEquals(DType.U16, Pad.pad(u8, 300L, PadConfig.triples(1, 0, 0)).dtype());
        assertEquals(DType.S16, Pad.pad(u8, -1L, PadConfig.triples(1, 0, 0)).dtype());
        assertEquals("[-1, 1, 2]", Pad.pad(u8, -1L, PadConfig.triples(1, 0, 0)).valuesString());
        assertEquals(DType.F32, Pad.pad(u8, 0.5, PadConfig.triples(1, 0, 0)).dtype());
        assertEquals(DType.F64, Pad.pad(u8, Tensor.scalar(0.5), PadConfig.triples(1, 0, 0)).dtype());
        assertEquals(DType.BF16, Pad.pad(Tensor.zeros(DType.BF16, 2), 0.5, PadConfig.triples(1, 0, 0)).dtype());
    }

    private static String describe(Tensor t) { return t.describe() + " " + t.valuesString(); }
}
