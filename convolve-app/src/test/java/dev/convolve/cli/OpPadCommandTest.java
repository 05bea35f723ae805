package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.npy;
import static dev.convolve.cli.CliTestSupport.run;
import static dev.convolve.cli.OpConvCommandTest.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.io.Npy;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convolve pad}: Nx's documented examples of {@code Nx.pad} and {@code Nx.pad_outer} (expected results written
 * here as Nx prints them), the seed's pad examples, Nx's type rules for the constant, and bad input.
 */
class OpPadCommandTest {

    @TempDir Path dir;

    private String t(String name, Object array) throws IOException {
        return npy(dir, name, Tensor.of(array));
    }

    // ------------------------------------------------------------------ Nx.pad doctests

    @Test
    void nxScalarWithEmptyConfiguration() throws IOException {
        assertEquals("#Nx.Tensor<\n  s32\n  1\n>", run("pad", npy(dir, "s", Tensor.scalar(1)), "--value", "0", "--config", "").ok());
    }

    @Test
    void nxLowAndHigh() throws IOException {
        assertEquals("#Nx.Tensor<\n  s32[5]\n  [0, 1, 2, 3, 0]\n>", run("pad", t("a", new int[] {1, 2, 3}), "--value", "0", "--config", "1:1:0").ok());
    }

    @Test
    void nxInteriorPadding() throws IOException {
        assertEquals("""
                #Nx.Tensor<
                  s32[3][5]
                  [
                    [1, 0, 2, 0, 3],
                    [0, 0, 0, 0, 0],
                    [4, 0, 5, 0, 6]
                  ]
                >""", run("pad", t("a", new int[][] {{1, 2, 3}, {4, 5, 6}}), "--value", "0", "--config", "0:0:1,0:0:1").ok());
        assertValues(run("pad", t("b", new int[][] {{1, 2, 3}, {4, 5, 6}}), "--value", "0", "--config", "1:1:0,1:1:0"),
                "s32[4][5]", 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void nxThreeAxes() throws IOException {
        String x = t("x", new int[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
        assertValues(run("pad", x, "--value", "0", "--config", "0:2:0,1:1:0,1:0:0"), "s32[4][4][3]",
                0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0,
                0, 0, 0, 0, 5, 6, 0, 7, 8, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertValues(run("pad", x, "--value", "0", "--config", "1:0:0,1:1:0,0:1:0"), "s32[3][4][3]",
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0,
                0, 0, 0, 5, 6, 0, 7, 8, 0, 0, 0, 0);
        String f = npy(dir, "f", Tensor.of(new float[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}));
        String out = run("pad", f, "--value", "0.0", "--config", "1:2:0,1:0:0,0:1:0").ok();
        assertTrue(out.startsWith("#Nx.Tensor<\n  f32[5][3][3]\n"), out);
    }

    @Test
    void nxNegativePaddingCrops() throws IOException {
        assertEquals("#Nx.Tensor<\n  s32[3]\n  [1, 2, 3]\n>", run("pad", t("a", new int[] {0, 1, 2, 3, 0}), "--value", "0", "--config", "-1:-1:0").ok());
        String x = t("x", new int[][][] {
                {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}},
                {{0, 0, 0}, {1, 2, 0}, {3, 4, 0}, {0, 0, 0}},
                {{0, 0, 0}, {5, 6, 0}, {7, 8, 0}, {0, 0, 0}}});
        assertValues(run("pad", x, "--value", "0", "--config", "-1:0:0,-1:-1:0,0:-1:0"), "s32[2][2][2]", 1, 2, 3, 4, 5, 6, 7, 8);
        assertValues(run("pad", t("y", new int[][] {{0, 1, 2, 3}, {0, 4, 5, 6}}), "--value", "0", "--config", "0:0:0,-1:1:0"),
                "s32[2][4]", 1, 2, 3, 0, 4, 5, 6, 0);
        assertEquals("""
                #Nx.Tensor<
                  f32[3][3]
                  [
                    [0.0, 3.0, 4.0],
                    [0.0, 0.0, 0.0],
                    [0.0, 0.0, 0.0]
                  ]
                >""", run("pad", npy(dir, "z", Tensor.of(new float[][] {{0, 1, 2}, {3, 4, 5}})), "--value", "0", "--config", "-1:2:0,1:-1:0").ok());
    }

    @Test
    void nxTestNegativeLowCutsInteriorPadding() throws IOException {
        // nx_test.exs: [[1,2,3],[4,5,6]] (f32) padded with 2.0 by [{-2, 1, 4}, {1, 3, 2}]: 5x11, the only data row is row 3
        String x = npy(dir, "x", Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        double[] expected = new double[55];
        java.util.Arrays.fill(expected, 2);
        expected[3 * 11 + 1] = 4;
        expected[3 * 11 + 4] = 5;
        expected[3 * 11 + 7] = 6;
        assertValues(run("pad", x, "--value", "2.0", "--config", "-2:1:4,1:3:2", "--limit", "all"), "f32[5][11]", expected);
    }

    @Test
    void nxDocErratumTwelveEntries() throws IOException {
        assertEquals("#Nx.Tensor<\n  s32[12]\n  [0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0]\n>",
                run("pad", t("a", new int[] {10, 20, 30}), "--value", "0", "--config", "2:1:3").ok());
    }

    @Test
    void livebookPadExamples() throws IOException {
        String v = t("v", new int[] {1, 2, 3});
        assertEquals("#Nx.Tensor<\n  s32[4]\n  [0, 1, 2, 3]\n>", run("pad", v, "--config", "1:0:0").ok());
        assertEquals("#Nx.Tensor<\n  s32[5]\n  [1, 2, 3, 5, 5]\n>", run("pad", v, "--value", "5", "--config", "0:2:0").ok());
        String m = t("m", new int[][] {{1, 2}, {3, 4}});
        assertValues(run("pad", m, "--value", "0", "--config", "1:1:0,0:0:0"), "s32[4][2]", 0, 0, 1, 2, 3, 4, 0, 0);
        assertValues(run("pad", m, "--value", "0", "--config", "0:0:0,1:1:0"), "s32[2][4]", 0, 1, 2, 0, 0, 3, 4, 0);
        assertValues(run("pad", m, "--value", "0", "--config", "1:1:0,1:1:0"), "s32[4][4]", 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0);
    }

    // ------------------------------------------------------------------ Nx.pad_outer doctests (modes)

    @Test
    void nxPadOuterModes() throws IOException {
        String v = t("v", new int[] {0, 1, 2});
        String m = t("m", new int[][] {{0, 1, 2}, {3, 4, 5}});
        assertEquals("#Nx.Tensor<\n  s32[7]\n  [0, 1, 2, 0, 1, 2, 0]\n>", run("pad", v, "--mode", "cyclic", "--config", "3:1").ok());
        assertValues(run("pad", m, "--mode", "cyclic", "--config", "2:0,2:1"), "s32[4][6]",
                1, 2, 0, 1, 2, 0, 4, 5, 3, 4, 5, 3, 1, 2, 0, 1, 2, 0, 4, 5, 3, 4, 5, 3);
        assertEquals("#Nx.Tensor<\n  s32[9]\n  [2, 1, 0, 0, 1, 2, 2, 1, 0]\n>", run("pad", v, "--mode", "mirror", "--config", "3:3").ok());
        assertValues(run("pad", m, "--mode", "mirror", "--config", "1:1,2:2"), "s32[4][7]",
                1, 0, 0, 1, 2, 2, 1, 1, 0, 0, 1, 2, 2, 1, 4, 3, 3, 4, 5, 5, 4, 4, 3, 3, 4, 5, 5, 4);
        assertEquals("#Nx.Tensor<\n  s32[7]\n  [1, 2, 1, 0, 1, 2, 1]\n>", run("pad", v, "--mode", "reflect", "--config", "3:1").ok());
        assertValues(run("pad", m, "--mode", "reflect", "--config", "2:0,2:1"), "s32[4][6]",
                2, 1, 0, 1, 2, 1, 5, 4, 3, 4, 5, 4, 2, 1, 0, 1, 2, 1, 5, 4, 3, 4, 5, 4);
        assertEquals("#Nx.Tensor<\n  s32[7]\n  [0, 0, 0, 0, 1, 2, 2]\n>", run("pad", v, "--mode", "replicate", "--config", "3:1").ok());
        assertValues(run("pad", m, "--mode", "replicate", "--config", "2:2,2:2"), "s32[6][7]",
                0, 0, 0, 1, 2, 2, 2, 0, 0, 0, 1, 2, 2, 2, 0, 0, 0, 1, 2, 2, 2,
                3, 3, 3, 4, 5, 5, 5, 3, 3, 3, 4, 5, 5, 5, 3, 3, 3, 4, 5, 5, 5);
        // numpy / ONNX / PyTorch names
        assertEquals("#Nx.Tensor<\n  s32[7]\n  [0, 0, 0, 0, 1, 2, 2]\n>", run("pad", v, "--mode", "edge", "--config", "3:1").ok());
        assertEquals("#Nx.Tensor<\n  s32[9]\n  [2, 1, 0, 0, 1, 2, 2, 1, 0]\n>", run("pad", v, "--mode", "symmetric", "--config", "3:3").ok());
        assertEquals("#Nx.Tensor<\n  s32[7]\n  [0, 1, 2, 0, 1, 2, 0]\n>", run("pad", v, "--mode", "wrap", "--config", "3:1").ok());
    }

    @Test
    void nxPadOuterConstantWithNegativeWidths() throws IOException {
        String m = t("m", new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        assertEquals("#Nx.Tensor<\n  s32[1][1]\n  [\n    [5]\n  ]\n>", run("pad", m, "--value", "0", "--config", "-1:-1,-1:-1").ok());
        assertValues(run("pad", m, "--value", "0", "--config", "1:-1,1:-1"), "s32[3][3]", 0, 0, 0, 0, 1, 2, 0, 4, 5);
    }

    // ------------------------------------------------------------------ types: Nx's merge of tensor and constant

    @Test
    void valueTypeRules() throws IOException {
        Path o = dir.resolve("o.npy");
        record Case(DType in, String value, DType out) {}
        Case[] cases = {
            new Case(DType.S32, "2", DType.S32), new Case(DType.S32, "2.0", DType.F32), new Case(DType.S32, "-inf", DType.F32),
            new Case(DType.U8, "2", DType.U8), new Case(DType.U8, "300", DType.U16), new Case(DType.U8, "-1", DType.S16),
            new Case(DType.S8, "200", DType.S16), new Case(DType.S16, "70000", DType.S32), new Case(DType.S32, "5000000000", DType.S64),
            new Case(DType.U64, "-1", DType.S64), new Case(DType.S64, "2.5", DType.F32),
            new Case(DType.F16, "2", DType.F16), new Case(DType.F16, "2.5", DType.F16), new Case(DType.F64, "2", DType.F64),
            new Case(DType.F32, "1e3", DType.F32),
        };
        for (Case c : cases) {
            String x = npy(dir, "x" + c.in(), Tensor.iota(c.in(), 2));
            run("pad", x, "--value", c.value(), "--config", "1:1:0", "-o", o.toString()).ok();
            Tensor r = Npy.read(o);
            assertEquals(c.out(), r.dtype(), () -> c.in() + " padded with " + c.value());
            double v = Double.parseDouble(c.value().replace("inf", "Infinity"));
            assertArrayEquals(new double[] {v, 0, 1, v}, r.toDoubleArray(), 0, () -> c.in() + " padded with " + c.value());
        }
        // bool .npy loads (as u8, Nx's boolean type) and pads
        Path bool = dir.resolve("bool.npy");
        byte[] header = "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }".getBytes();
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (header.length + 1), 0});
        b.write(header);
        b.write('\n');
        b.write(new byte[] {1, 0, 1});
        Files.write(bool, b.toByteArray());
        assertEquals("#Nx.Tensor<\n  u8[5]\n  [0, 1, 0, 1, 0]\n>", run("pad", bool.toString(), "--config", "1:1").ok());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badConfigurations() throws IOException {
        String m = t("m", new int[][] {{1, 2}, {3, 4}});
        String e = run("pad", m, "--config", "1:1:0").fails("convolve pad: ");
        assertEquals("convolve pad: invalid padding configuration, rank of padding configuration and shape must match, but 1 != 2, "
                + "for shape {2, 2} and padding configuration [{1, 1, 0}]", e);
        e = run("pad", m, "--config", "1:1:-1,0:0:0").fails("convolve pad: ");
        assertTrue(e.contains("interior padding must be non-negative"), e);
        e = run("pad", m, "--config", "-3:0:0,0:0:0").fails("convolve pad: ");
        assertTrue(e.contains("axis 0 would have negative size -1"), e);
        e = run("pad", m, "--config", "1;1,0:0").fails("convolve pad: ");
        assertTrue(e.contains("invalid padding configuration '1;1,0:0', expected low:high or low:high:interior"), e);
        e = run("pad", m, "--mode", "reflect", "--config", "1:1:1,0:0").fails("convolve pad: ");
        assertTrue(e.contains("interior padding is only defined for a constant"), e);
        e = run("pad", m, "--mode", "reflect", "--config", "-1:1,0:0").fails("convolve pad: ");
        assertTrue(e.contains("reflect padding needs non-negative widths"), e);
        e = run("pad", m, "--mode", "reflective", "--config", "1:1,0:0").fails("convolve pad: ");
        assertTrue(e.contains("unknown mode 'reflective'"), e);
        e = run("pad", m, "--mode", "edge", "--value", "3", "--config", "1:1,0:0").fails("convolve pad: ");
        assertTrue(e.contains("--value applies to the constant mode only"), e);
        e = run("pad", m, "--value", "two", "--config", "1:1,0:0").fails("convolve pad: ");
        assertTrue(e.contains("--value: expected a number"), e);
        e = run("pad", m).fails("convolve pad: ");
        assertTrue(e.contains("Missing required option: '--config"), e);
    }
}
