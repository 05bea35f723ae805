package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.npy;
import static dev.convolve.cli.CliTestSupport.run;
import static dev.convolve.cli.OpConvCommandTest.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.io.Npy;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convolve window}: Nx's documented examples of {@code Nx.window_sum/mean/max/min/product} (doctests and
 * nx_test.exs, expected results written here as Nx prints them), the seeds' pooling, types, and bad input.
 */
class OpWindowCommandTest {

    @TempDir Path dir;

    private static final int[][][] A = {{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}};
    private static final int[][][] B = {{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}};
    private static final float[][][] F = {{{4.0f, 2.0f, 3.0f}, {2.0f, 5.0f, 6.5f}}, {{1.2f, 2.2f, 3.2f}, {4.0f, 5.0f, 6.2f}}};

    private String t(String name, Object array) throws IOException {
        return npy(dir, name, Tensor.of(array));
    }

    // ------------------------------------------------------------------ Nx.window_sum doctests

    @Test
    void nxWindowSum() throws IOException {
        assertEquals("""
                #Nx.Tensor<
                  f32[2][2][5]
                  [
                    [
                      [0.0, 4.0, 2.0, 3.0, 0.0],
                      [0.0, 2.0, 5.0, 6.5, 0.0]
                    ],
                    [
                      [0.0, 1.2, 2.2, 3.2, 0.0],
                      [0.0, 4.0, 5.0, 6.2, 0.0]
                    ]
                  ]
                >""", run("window", "sum", t("f", F), "--window", "2,1,1", "--strides", "2,1,1", "--padding", "1:1,0:0,1:1").ok());
        String a = t("a", A);
        assertValues(run("window", "sum", a, "--window", "1,1,2", "--strides", "2,1,1", "--padding", "valid", "--window-dilations", "1,2,1"),
                "s32[1][2][3]", 6, 3, 4, 6, 3, 8);
        assertValues(run("window", "sum", a, "--window", "1,1,2", "--strides", "2,1,1", "--padding", "valid", "--window-dilations", "1,2,2"),
                "s32[1][2][2]", 5, 5, 5, 9);
        assertValues(run("window", "sum", a, "--window", "2,1,2", "--strides", "2,1,1", "--padding", "2:1,3:1,1:0", "--window-dilations", "1,2,2"),
                "s32[2][6][3]", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 11, 14, 10, 15, 19, 0, 0, 0);
        // the vectorized doctest, devectorized: iota {2, 1, 2, 5} with the window on the last two axes
        assertValues(run("window", "sum", npy(dir, "v", Tensor.iota(DType.S32, 2, 1, 2, 5)), "--window", "1,1,2,2", "--strides", "1,1,1,2",
                "--window-dilations", "1,1,1,2"), "s32[2][1][1][2]", 14, 22, 54, 62);
    }

    @Test
    void nxWindowMean() throws IOException {
        String b = t("b", B);
        assertValues(run("window", "mean", b, "--window", "1,2,1"), "f32[2][1][3]", 2.5, 3.5, 4.5, 2.5, 3.5, 4.5);
        assertValues(run("window", "mean", b, "--window", "2,2,1", "--strides", "1,2,3", "--padding", "0:1,2:0,1:1"),
                "f32[2][2][2]", 0, 0, 0, 4.5, 0, 0, 0, 2.25);
        assertEquals("""
                #Nx.Tensor<
                  f32[2][2][5]
                  [
                    [
                      [0.0, 2.0, 1.0, 1.5, 0.0],
                      [0.0, 1.0, 2.5, 3.25, 0.0]
                    ],
                    [
                      [0.0, 0.6, 1.1, 1.6, 0.0],
                      [0.0, 2.0, 2.5, 3.1, 0.0]
                    ]
                  ]
                >""", run("window", "mean", t("f", F), "--window", "2,1,1", "--strides", "2,1,1", "--padding", "1:1,0:0,1:1").ok());
        String a = t("a", A);
        assertValues(run("window", "mean", a, "--window", "1,1,2", "--strides", "2,1,1", "--window-dilations", "1,2,1"),
                "f32[1][2][3]", 3.0, 1.5, 2.0, 3.0, 1.5, 4.0);
        assertValues(run("window", "mean", a, "--window", "1,1,2", "--strides", "2,1,1", "--window-dilations", "1,2,2"),
                "f32[1][2][2]", 2.5, 2.5, 2.5, 4.5);
        assertValues(run("window", "mean", npy(dir, "v", Tensor.iota(DType.S32, 2, 1, 2, 5)), "--window", "1,1,2,2", "--strides", "1,1,1,2",
                "--window-dilations", "1,1,1,2"), "f32[2][1][1][2]", 3.5, 5.5, 13.5, 15.5);
    }

    @Test
    void nxWindowMaxAndMin() throws IOException {
        String b = t("b", B);
        assertValues(run("window", "max", b, "--window", "1,2,1"), "s32[2][1][3]", 4, 5, 6, 4, 5, 6);
        assertEquals("""
                #Nx.Tensor<
                  s32[2][2][2]
                  [
                    [
                      [-2147483648, -2147483648],
                      [-2147483648, 6]
                    ],
                    [
                      [-2147483648, -2147483648],
                      [-2147483648, 6]
                    ]
                  ]
                >""", run("window", "max", b, "--window", "2,2,1", "--strides", "1,2,3", "--padding", "0:1,2:0,1:1").ok());
        assertEquals("""
                #Nx.Tensor<
                  f32[2][2][5]
                  [
                    [
                      [-Inf, 4.0, 2.0, 3.0, -Inf],
                      [-Inf, 2.0, 5.0, 6.5, -Inf]
                    ],
                    [
                      [-Inf, 1.2, 2.2, 3.2, -Inf],
                      [-Inf, 4.0, 5.0, 6.2, -Inf]
                    ]
                  ]
                >""", run("window", "max", t("f", F), "--window", "2,1,1", "--strides", "2,1,1", "--padding", "1:1,0:0,1:1").ok());
        String a = t("a", A);
        assertValues(run("window", "max", a, "--window", "1,1,2", "--strides", "2,1,1", "--window-dilations", "1,2,2"), "s32[1][2][2]", 4, 3, 4, 7);
        String v = npy(dir, "v", Tensor.iota(DType.S32, 2, 1, 2, 5));
        assertValues(run("window", "max", v, "--window", "1,1,2,2", "--strides", "1,1,1,2", "--window-dilations", "1,1,1,2"), "s32[2][1][1][2]", 7, 9, 17, 19);

        assertValues(run("window", "min", b, "--window", "1,2,1"), "s32[2][1][3]", 1, 2, 3, 1, 2, 3);
        assertValues(run("window", "min", b, "--window", "2,2,1", "--strides", "1,2,3", "--padding", "0:1,2:0,1:1"), "s32[2][2][2]",
                2147483647, 2147483647, 2147483647, 3, 2147483647, 2147483647, 2147483647, 3);
        assertValues(run("window", "min", t("f", F), "--window", "2,1,1", "--strides", "2,1,1", "--padding", "1:1,0:0,1:1"), "f32[2][2][5]",
                Double.POSITIVE_INFINITY, 4.0, 2.0, 3.0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 2.0, 5.0, 6.5, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, 1.2f, 2.2f, 3.2f, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 4.0, 5.0, 6.2f, Double.POSITIVE_INFINITY);
        assertValues(run("window", "min", a, "--window", "1,1,2", "--strides", "2,1,1", "--window-dilations", "1,2,2"), "s32[1][2][2]", 1, 2, 1, 2);
        assertValues(run("window", "min", v, "--window", "1,1,2,2", "--strides", "1,1,1,2", "--window-dilations", "1,1,1,2"), "s32[2][1][1][2]", 0, 2, 10, 12);
    }

    @Test
    void nxWindowProduct() throws IOException {
        String b = t("b", B);
        assertValues(run("window", "product", b, "--window", "1,2,1"), "s32[2][1][3]", 4, 10, 18, 4, 10, 18);
        assertValues(run("window", "product", b, "--window", "2,2,1", "--strides", "1,2,3", "--padding", "0:1,2:0,1:1"), "s32[2][2][2]",
                1, 1, 1, 324, 1, 1, 1, 18);
        assertValues(run("window", "product", t("f", F), "--window", "2,1,1", "--strides", "2,1,1", "--padding", "1:1,0:0,1:1"), "f32[2][2][5]",
                1, 4, 2, 3, 1, 1, 2, 5, 6.5, 1, 1, 1.2f, 2.2f, 3.2f, 1, 1, 4, 5, 6.2f, 1);
        assertValues(run("window", "product", t("a", A), "--window", "1,1,2", "--strides", "2,1,1", "--window-dilations", "1,2,2"), "s32[1][2][2]", 4, 6, 4, 14);
        assertValues(run("window", "product", npy(dir, "v", Tensor.iota(DType.S32, 2, 1, 2, 5)), "--window", "1,1,2,2", "--strides", "1,1,1,2",
                "--window-dilations", "1,1,1,2"), "s32[2][1][1][2]", 0, 504, 30600, 54264);
    }

    // ------------------------------------------------------------------ nx_test.exs "window aggregates" (Nx's stride-independent :same)

    @Test
    void nxTestSamePadding() throws IOException {
        String i33 = npy(dir, "i33", Tensor.iota(DType.F64, 3, 3));
        assertValues(run("window", "sum", i33, "--window", "2,1", "--padding", "same"), "f64[3][3]", 3, 5, 7, 9, 11, 13, 6, 7, 8);
        assertValues(run("window", "product", i33, "--window", "2,1", "--padding", "same"), "f64[3][3]", 0, 4, 10, 18, 28, 40, 6, 7, 8);
        assertValues(run("window", "max", i33, "--window", "2,1", "--padding", "same"), "f64[3][3]", 3, 4, 5, 6, 7, 8, 6, 7, 8);
        assertValues(run("window", "min", i33, "--window", "2,1", "--padding", "same"), "f64[3][3]", 0, 1, 2, 3, 4, 5, 6, 7, 8);
        String n4 = npy(dir, "n4", Tensor.iota(DType.F32, 1, 4, 4, 1));
        assertValues(run("window", "max", n4, "--window", "1,3,3,1", "--padding", "same", "--strides", "1,2,2,1"), "f32[1][2][2][1]", 5, 7, 13, 15);
        assertValues(run("window", "min", n4, "--window", "1,3,3,1", "--padding", "same", "--strides", "1,2,2,1"), "f32[1][2][2][1]", 0, 1, 4, 5);
        assertValues(run("window", "max", npy(dir, "n46", Tensor.iota(DType.F32, 1, 4, 6, 1)), "--window", "1,2,3,1", "--padding", "same",
                "--strides", "1,2,2,1"), "f32[1][2][3][1]", 7, 9, 11, 19, 21, 23);
        assertValues(run("window", "max", npy(dir, "n22", Tensor.iota(DType.F32, 1, 2, 2, 1)), "--window", "1,3,3,1", "--padding", "same",
                "--strides", "1"), "f32[1][2][2][1]", 3, 3, 3, 3);
        String i44 = npy(dir, "i44", Tensor.iota(DType.F32, 4, 4));
        assertValues(run("window", "max", i44, "--window", "4,4", "--padding", "same", "--strides", "2,2"), "f32[2][2]", 10, 11, 14, 15);
        assertValues(run("window", "max", i44, "--window", "3,3", "--padding", "same", "--strides", "2,2"), "f32[2][2]", 5, 7, 13, 15);
        String i8 = npy(dir, "i8", Tensor.iota(DType.F32, 8));
        assertValues(run("window", "max", i8, "--window", "3", "--padding", "same", "--strides", "2"), "f32[4]", 1, 3, 5, 7);
        assertValues(run("window", "max", npy(dir, "n66", Tensor.iota(DType.F32, 1, 6, 6, 1)), "--window", "1,2,2,1", "--padding", "same",
                "--strides", "1,3,3,1"), "f32[1][2][2][1]", 7, 10, 25, 28);
        assertValues(run("window", "max", n4, "--window", "1,2,2,1", "--padding", "same", "--strides", "1,2,2,1", "--window-dilations", "1,2,2,1"),
                "f32[1][2][2][1]", 5, 7, 13, 15);
        assertValues(run("window", "min", n4, "--window", "1,2,2,1", "--padding", "same", "--strides", "1,2,2,1", "--window-dilations", "1,2,2,1"),
                "f32[1][2][2][1]", 5, 5, 5, 5);
        assertValues(run("window", "sum", n4, "--window", "1,2,2,1", "--padding", "same", "--strides", "1,2,2,1", "--window-dilations", "1,2,2,1"),
                "f32[1][2][2][1]", 5, 12, 18, 40);
        assertValues(run("window", "max", n4, "--window", "1,2,2,1", "--padding", "0:0,1:0,0:1,0:0", "--strides", "1,2,2,1",
                "--window-dilations", "1,2,2,1"), "f32[1][2][2][1]", 6, 6, 14, 14);
        String n4p = npy(dir, "n4p", Tensor.iota(DType.F32, 1, 4, 4, 1).add(1.0));
        assertValues(run("window", "product", n4p, "--window", "1,3,3,1", "--padding", "same", "--strides", "1,2,2,1"), "f32[1][2][2][1]",
                60, 8064, 4.914e5, 1.4902272e9);
        assertValues(run("window", "product", npy(dir, "i8p", Tensor.iota(DType.F32, 8).add(1.0)), "--window", "3", "--padding", "same", "--strides", "2"),
                "f32[4]", 2, 24, 120, 336);
        assertValues(run("window", "max", i8, "--window", "3", "--padding", "same", "--window-dilations", "2"), "f32[8]", 2, 3, 4, 5, 6, 7, 6, 7);
        assertValues(run("window", "sum", i8, "--window", "3", "--padding", "same", "--window-dilations", "2"), "f32[8]", 2, 4, 6, 9, 12, 15, 10, 12);
        // aggregate_window_op: an integer dilation, and :same
        String s7 = t("s7", new int[] {1, 2, 3, 4, 5, 6, 7});
        assertValues(run("window", "max", s7, "--window", "2", "--window-dilations", "4"), "s32[3]", 5, 6, 7);
        assertValues(run("window", "max", t("s3", new int[] {1, 2, 3}), "--window", "2", "--padding", "same"), "s32[3]", 2, 3, 3);
    }

    @Test
    void nxTestSameShapesInEdgeCases() throws IOException {
        assertShape("f32[2][2]", npy(dir, "a", Tensor.iota(DType.F32, 2, 2)), "--window", "3,3", "--padding", "same");
        assertShape("f32[1][1]", npy(dir, "b", Tensor.iota(DType.F32, 1, 1)), "--window", "5,5", "--padding", "same");
        assertShape("f32[2][2]", npy(dir, "c", Tensor.iota(DType.F32, 4, 4)), "--window", "2,2", "--padding", "same", "--strides", "2,2");
        assertShape("f32[3][3]", npy(dir, "d", Tensor.iota(DType.F32, 5, 5)), "--window", "3,3", "--padding", "same", "--strides", "2,2");
        assertShape("f32[4][4]", npy(dir, "e", Tensor.iota(DType.F32, 4, 4)), "--window", "2,2", "--padding", "same", "--window-dilations", "2,2");
        assertShape("f32[2][2]", npy(dir, "f", Tensor.iota(DType.F32, 2, 2)), "--window", "2,2", "--padding", "same", "--window-dilations", "2,2");
    }

    private void assertShape(String describe, String input, String... opts) {
        String[] args = new String[opts.length + 3];
        args[0] = "window";
        args[1] = "max";
        args[2] = input;
        System.arraycopy(opts, 0, args, 3, opts.length);
        assertEquals(describe, run(args).ok().split("\n")[1].strip());
    }

    // ------------------------------------------------------------------ seeds, stride-aware same, count_include_pad, types

    @Test
    void probmlPooling() throws IOException {
        String x = npy(dir, "x", Tensor.iota(DType.S32, 4, 4));
        assertValues(run("window", "max", x, "--window", "3,3"), "s32[2][2]", 10, 11, 14, 15);
        assertValues(run("window", "mean", x, "--window", "3,3"), "f32[2][2]", 5, 6, 9, 10);
        assertValues(run("window", "max", npy(dir, "n", Tensor.iota(DType.S32, 1, 4, 4, 1)), "--window", "1,3,3,1", "--strides", "1"),
                "s32[1][2][2][1]", 10, 11, 14, 15);
    }

    @Test
    void strideAwareSameDiffersFromNxSame() throws IOException {
        // SPEC: window_max(iota {4,4}, {3,3}, same, strides 2) is [[5,7],[13,15]] in Nx; SAME_UPPER gives [[10,11],[14,15]]
        String x = npy(dir, "x", Tensor.iota(DType.S32, 4, 4));
        assertValues(run("window", "max", x, "--window", "3,3", "--strides", "2", "--padding", "same"), "s32[2][2]", 5, 7, 13, 15);
        assertValues(run("window", "max", x, "--window", "3,3", "--strides", "2", "--padding", "same-upper"), "s32[2][2]", 10, 11, 14, 15);
        assertValues(run("window", "max", x, "--window", "3,3", "--strides", "2", "--padding", "same-lower"), "s32[2][2]", 5, 7, 13, 15);
    }

    @Test
    void meanWithoutCountingPadding() throws IOException {
        String x = npy(dir, "x", Tensor.iota(DType.S32, 1, 1, 3, 3));
        // padded by one: the corner window holds 4 input elements (0, 1, 3, 4), the full window 9
        assertValues(run("window", "mean", x, "--window", "1,1,3,3", "--padding", "0:0,0:0,1:1,1:1", "--count-include-pad", "false"),
                "f32[1][1][3][3]", 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6);
        assertValues(run("window", "mean", x, "--window", "1,1,3,3", "--padding", "0:0,0:0,1:1,1:1", "--count-include-pad"),
                "f32[1][1][3][3]", 8 / 9.0f, 15 / 9.0f, 12 / 9.0f, 21 / 9.0f, 4, 3, 20 / 9.0f, 33 / 9.0f, 24 / 9.0f);
    }

    @Test
    void coreRegressionMeanWithoutCountIncludePad() {
        // Window.mean(count_include_pad = false) multiplied the per-axis counts into a tensor of shape [0, 0, ...]
        Tensor x = Tensor.iota(DType.F32, 1, 3);
        Tensor m = dev.convolve.ops.Window.mean(x, dev.convolve.plan.WindowOptions.of(1, 2).withPadding(0, 0, 1, 1).withCountIncludePad(false));
        assertEquals("f32[1][4]", m.describe());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0, 0.5, 1.5, 2}, m.toDoubleArray());
    }

    @Test
    void coreRegressionPadOfAScalar() {
        // Pad.pad on a rank-0 tensor with the empty configuration failed with an ArrayIndexOutOfBoundsException
        Tensor s = dev.convolve.ops.Pad.pad(Tensor.scalar(7), 0L, dev.convolve.plan.PadConfig.triples());
        assertEquals("s32", s.describe());
        assertEquals(7, s.getFlatLong(0));
        assertEquals(DType.F32, dev.convolve.ops.Pad.pad(Tensor.scalar(7), 1.5, dev.convolve.plan.PadConfig.triples()).dtype());
    }

    @Test
    void typesAreKeptExceptForTheMean() throws IOException {
        Path o = dir.resolve("o.npy");
        for (DType t : new DType[] {DType.U8, DType.S8, DType.S16, DType.S32, DType.S64, DType.U16, DType.U32, DType.U64, DType.F16, DType.F32, DType.F64}) {
            String x = npy(dir, "x" + t, Tensor.iota(t, 1, 4));
            for (String op : new String[] {"sum", "max", "min", "product"}) {
                run("window", op, x, "--window", "1,2", "-o", o.toString()).ok();
                assertEquals(t, Npy.read(o).dtype(), op + " of " + t);
            }
            run("window", "mean", x, "--window", "1,2", "-o", o.toString()).ok();
            Tensor mean = Npy.read(o);
            assertEquals(t.toFloating(), mean.dtype(), "mean of " + t);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.5, 1.5, 2.5}, mean.toDoubleArray(), "mean of " + t);
        }
        // max pads u8 with 0, the type's lowest value; s8 with -128
        assertValues(run("window", "max", npy(dir, "u", Tensor.iota(DType.U8, 2)), "--window", "2", "--padding", "1:1", "--strides", "2"), "u8[2]", 0, 1);
        assertValues(run("window", "max", npy(dir, "s", Tensor.iota(DType.S8, 1)), "--window", "2", "--padding", "0:3", "--strides", "2"), "s8[2]", 0, -128);
    }

    @Test
    void aSingleNumberAppliesToTheSpatialAxes() throws IOException {
        String x = npy(dir, "x", Tensor.iota(DType.F32, 2, 3, 4, 4));
        // [N, C, S...]: batch and channel axes keep stride 1 and no padding
        assertShape("f32[2][3][2][2]", x, "--window", "1,1,2,2", "--strides", "2");
        assertShape("f32[1][2][2][2]", x, "--window", "1,1,2,2", "--strides", "2,2,2,2");
        assertShape("f32[2][3][6][6]", x, "--window", "1,1,1,1", "--padding", "1");
        assertShape("f32[2][3][1][1]", x, "--window", "1,1,2,2", "--window-dilations", "2", "--strides", "2");
        // a vector or a matrix: every axis
        assertShape("f32[2][2]", npy(dir, "m", Tensor.iota(DType.F32, 4, 4)), "--window", "2,2", "--strides", "2");
        assertShape("f32[6][6]", npy(dir, "m2", Tensor.iota(DType.F32, 4, 4)), "--window", "1,1", "--padding", "1");
        assertValues(run("window", "max", npy(dir, "x5", Tensor.iota(DType.F32, 1, 1, 5)), "--window", "1,1,3", "--strides", "2", "--padding", "1"),
                "f32[1][1][3]", 1, 3, 4);
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInput() throws IOException {
        String x = npy(dir, "x", Tensor.iota(DType.F32, 1, 1, 4, 4));
        String e = run("window", "max", x, "--window", "3,3").fails("convolve window: ");
        assertEquals("convolve window: window_max: invalid window dimensions, rank of shape (4) does not match rank of window (2), "
                + "for input f32[1][1][4][4] and window [3, 3]", e);
        e = run("window", "max", x, "--window", "1,1,5,3").fails("convolve window: ");
        assertTrue(e.contains("window_max: window dimensions would result in empty tensor: on axis 2 the dilated window has size 5 but the padded input only 4"), e);
        e = run("window", "sum", x, "--window", "1,1,3,3", "--strides", "1,1,1").fails("convolve window: ");
        assertTrue(e.contains("window_sum: strides must have one entry per axis of the tensor or be a single number, but got 3 entries [1, 1, 1] for 4 axes"), e);
        e = run("window", "sum", x, "--window", "1,1,3,3", "--strides", "0").fails("convolve window: ");
        assertTrue(e.contains("window_sum: strides must be positive integers, got [1, 1, 0, 0]"), e);
        e = run("window", "sum", x, "--window", "1,1,3,3", "--window-dilations", "1,1,0,1").fails("convolve window: ");
        assertTrue(e.contains("window dilations must be positive integers, got [1, 1, 0, 1]"), e);
        e = run("window", "sum", x, "--window", "1,1,3,3", "--padding", "1:1,1:1").fails("convolve window: ");
        assertTrue(e.contains("invalid padding configuration, rank of padding configuration and shape must match"), e);
        e = run("window", "sum", x, "--window", "1,1,3,3", "--padding", "whatever").fails("convolve window: ");
        assertTrue(e.contains("--padding: invalid padding 'whatever'"), e);
        e = run("window", "sum", x, "--window", "1,1,0,3").fails("convolve window: ");
        assertTrue(e.contains("window dimensions must be positive"), e);
        e = run("window", "median", x, "--window", "1,1,3,3").fails("convolve window: ");
        assertTrue(e.contains("unknown operation 'median', expected sum, mean, max, min or product"), e);
        e = run("window", "max", x, "--window", "1,1,3,3", "--count-include-pad", "false").fails("convolve window: ");
        assertTrue(e.contains("--count-include-pad applies to mean only"), e);
        e = run("window", "mean", x, "--window", "1,1,3,3", "--count-include-pad", "maybe").fails("convolve window: ");
        assertTrue(e.contains("--count-include-pad: expected true or false, got 'maybe'"), e);
        e = run("window", "mean", x).fails("convolve window: ");
        assertTrue(e.contains("Missing required option: '--window=W'"), e);
    }
}
