package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.npy;
import static dev.convolve.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code convolve conv}: Nx's documented examples of {@code Nx.conv} (doctests and nx_test.exs cases, expected values
 * written here as Nx prints them), the options' parsing, the result types, and every kind of bad input.
 */
class OpConvCommandTest {

    @TempDir Path dir;

    private String iota(String name, DType t, int... shape) throws IOException {
        return npy(dir, name, Tensor.iota(t, shape));
    }

    // ------------------------------------------------------------------ Nx doctests

    @Test
    void nxDoctestOneByOneKernelOverFourOutputChannels() throws IOException {
        String out = run("conv", iota("l", DType.S32, 1, 1, 3, 3), iota("r", DType.S32, 4, 1, 1, 1), "--strides", "1,1").ok();
        assertEquals("""
                #Nx.Tensor<
                  f32[1][4][3][3]
                  [
                    [
                      [
                        [0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.0]
                      ],
                      [
                        [0.0, 1.0, 2.0],
                        [3.0, 4.0, 5.0],
                        [6.0, 7.0, 8.0]
                      ],
                      [
                        [0.0, 2.0, 4.0],
                        [6.0, 8.0, 10.0],
                        [12.0, 14.0, 16.0]
                      ],
                      [
                        [0.0, 3.0, 6.0],
                        [9.0, 12.0, 15.0],
                        [18.0, 21.0, 24.0]
                      ]
                    ]
                  ]
                >""", out);
    }

    @Test
    void nxDoctestStridesSamePaddingKernelDilation() throws IOException {
        String out = run("conv", iota("l", DType.S32, 1, 1, 3, 3), iota("r", DType.S32, 4, 1, 2, 1),
                "--strides", "2", "--padding", "same", "--kernel-dilation", "2,1").ok();
        assertEquals("""
                #Nx.Tensor<
                  f32[1][4][2][2]
                  [
                    [
                      [
                        [3.0, 5.0],
                        [0.0, 0.0]
                      ],
                      [
                        [9.0, 15.0],
                        [6.0, 10.0]
                      ],
                      [
                        [15.0, 25.0],
                        [12.0, 20.0]
                      ],
                      [
                        [21.0, 35.0],
                        [18.0, 30.0]
                      ]
                    ]
                  ]
                >""", out);
    }

    // ------------------------------------------------------------------ nx_test.exs "convolution"

    @Test
    void nxValidPaddingNoStride() throws IOException {
        String t1 = iota("t1", DType.F32, 2, 2, 4, 4);
        assertValues(run("conv", t1, iota("k1", DType.F32, 1, 2, 2, 2), "--strides", "1,1", "--padding", "valid"),
                "f32[2][1][3][3]", 440, 468, 496, 552, 580, 608, 664, 692, 720, 1336, 1364, 1392, 1448, 1476, 1504, 1560, 1588, 1616);
        assertValues(run("conv", t1, iota("k2", DType.F32, 8, 2, 4, 4), "--strides", "1,1", "--padding", "valid"),
                "f32[2][8][1][1]", 10416, 26288, 42160, 58032, 73904, 89776, 105_648, 121_520,
                26288, 74928, 123_568, 172_208, 220_848, 269_488, 318_128, 366_768);
        assertValues(run("conv", t1, iota("k3", DType.F32, 2, 2, 3, 3), "--strides", "1,1", "--padding", "valid"),
                "f32[2][2][2][2]", 2793, 2946, 3405, 3558, 7005, 7482, 8913, 9390, 7689, 7842, 8301, 8454, 22269, 22746, 24177, 24654);
    }

    @Test
    void nxValidPaddingWithStride() throws IOException {
        assertValues(run("conv", iota("t1", DType.F32, 2, 2, 4, 4), iota("k1", DType.F32, 1, 2, 2, 2), "--strides", "2,1"),
                "f32[2][1][2][3]", 440, 468, 496, 664, 692, 720, 1336, 1364, 1392, 1560, 1588, 1616);
    }

    @Test
    void nxSamePaddingNoStride() throws IOException {
        assertValues(run("conv", iota("t1", DType.F32, 2, 2, 4, 4), iota("k1", DType.F32, 1, 2, 3, 3), "--strides", "1,1", "--padding", "same"),
                "f32[2][1][4][4]",
                1196, 1796, 1916, 1264, 1881, 2793, 2946, 1923, 2313, 3405, 3558, 2307, 1424, 2072, 2156, 1380,
                3884, 5636, 5756, 3696, 5337, 7689, 7842, 4995, 5769, 8301, 8454, 5379, 3344, 4760, 4844, 3044);
    }

    @Test
    void nx3dConv() throws IOException {
        assertValues(run("conv", iota("t1", DType.F32, 1, 3, 2, 2, 2), iota("k1", DType.F32, 3, 3, 2, 2, 2), "--strides", "1,1,1", "--padding", "same"),
                "f32[1][3][2][2][2]",
                4324, 2156, 2138, 1060, 2066, 1018, 997, 488,
                10948, 5612, 5738, 2932, 5954, 3034, 3085, 1568,
                17572, 9068, 9338, 4804, 9842, 5050, 5173, 2648);
    }

    @Test
    void nxGroupedConvolution() throws IOException {
        assertValues(run("conv", iota("lhs", DType.F32, 2, 4, 2, 2), iota("rhs", DType.F32, 6, 2, 2, 2), "--strides", "1", "--padding", "valid",
                        "--feature-group-size", "2"),
                "f32[2][6][1][1]", 140, 364, 588, 2572, 3308, 4044, 588, 1836, 3084, 6092, 7852, 9612);
    }

    @Test
    void nxBatchGroupShapeAndValues() throws IOException {
        // out[0, o] = sum_c x[o, c] * w[o, c]: sums of squares of 0..9, 10..19, 20..29
        assertValues(run("conv", iota("t", DType.S32, 3, 10, 1, 1), iota("k", DType.S32, 3, 10, 1, 1), "--batch-group-size", "3"),
                "f32[1][3][1][1]", 285, 2185, 6085);
    }

    @Test
    void nxInputDilationListAndExplicitPaddingWork() throws IOException {
        String t = iota("t", DType.S32, 2, 2, 2);
        String k = npy(dir, "k", Tensor.ones(DType.F32, 1, 2, 1));
        assertValues(run("conv", t, k, "--input-dilation", "1"), "f32[2][1][2]", 2, 4, 10, 12);
        assertValues(run("conv", t, k, "--padding", "0:0"), "f32[2][1][2]", 2, 4, 10, 12);
    }

    // ------------------------------------------------------------------ the seeds, layouts, bias

    @Test
    void d2lCorr2d() throws IOException {
        String x = npy(dir, "x", Tensor.iota(DType.F32, 1, 1, 3, 3));
        String k = npy(dir, "k", Tensor.of(new float[][][][] {{{{0, 1}, {2, 3}}}}));
        assertValues(run("conv", x, k), "f32[1][1][2][2]", 19, 25, 37, 43);
    }

    @Test
    void channelsLastLayoutEqualsPermutations() throws IOException {
        Tensor x = Tensor.randomNormal(3, DType.F32, 0, 1, 2, 5, 6, 3); // NHWC
        Tensor k = Tensor.randomNormal(4, DType.F32, 0, 1, 3, 2, 3, 4); // HWIO
        String xs = npy(dir, "x", x), ks = npy(dir, "k", k);
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy"), c = dir.resolve("c.npy");
        run("conv", xs, ks, "--layout", "NHWC,HWIO,NHWC", "--padding", "1:0,0:1", "-o", a.toString()).ok();
        run("conv", xs, ks, "--input-permutation", "0,3,1,2", "--kernel-permutation", "3,2,0,1", "--output-permutation", "0,3,1,2",
                "--padding", "1:0,0:1", "-o", b.toString()).ok();
        String cx = npy(dir, "cx", x.transpose(0, 3, 1, 2)), ck = npy(dir, "ck", k.transpose(3, 2, 0, 1));
        run("conv", cx, ck, "--padding", "1:0,0:1", "-o", c.toString()).ok();
        Tensor ta = Npy.read(a), tb = Npy.read(b), tc = Npy.read(c).transpose(0, 2, 3, 1);
        assertArrayEquals(new int[] {2, 4, 6, 4}, ta.dims());
        assertTrue(ta.contentEquals(tb));
        assertTrue(ta.allClose(tc, 1e-6, 1e-5), () -> "max diff " + ta.maxAbsDiff(tc));
    }

    @Test
    void onlyTheInputPermutedGivesChannelsFirstOutput() throws IOException {
        String x = npy(dir, "x", Tensor.iota(DType.F32, 1, 3, 3, 1)); // NHWC, one channel
        String k = npy(dir, "k", Tensor.ones(DType.F32, 2, 1, 2, 2));
        String out = run("conv", x, k, "--input-permutation", "0,3,1,2").ok();
        assertTrue(out.contains("f32[1][2][2][2]"), out);
    }

    @Test
    void biasIsAddedPerOutputChannelOnThePermutedAxis() throws IOException {
        String x = npy(dir, "x", Tensor.ones(DType.F32, 1, 2, 2, 1));
        String k = npy(dir, "k", Tensor.ones(DType.F32, 1, 1, 1, 3)); // HWIO: 3 output channels
        String b = npy(dir, "b", Tensor.of(new float[] {10, 20, 30}));
        assertValues(run("conv", x, k, "--layout", "NHWC,HWIO,NHWC", "--bias", b), "f32[1][2][2][3]",
                11, 21, 31, 11, 21, 31, 11, 21, 31, 11, 21, 31);
        String bad = npy(dir, "bad", Tensor.of(new float[] {1, 2}));
        String e = run("conv", x, k, "--layout", "NHWC,HWIO,NHWC", "--bias", bad).fails("convolve conv: ");
        assertTrue(e.contains("bias must have one value per output channel, shape [3], but got f32[2]"), e);
    }

    @Test
    void flipKernelIsTrueConvolution() throws IOException {
        String x = npy(dir, "x", Tensor.of(new float[][][] {{{1, 2, 3, 4}}}));
        String k = npy(dir, "k", Tensor.of(new float[][][] {{{1, 0, -1}}}));
        assertValues(run("conv", x, k), "f32[1][1][2]", -2, -2);
        assertValues(run("conv", x, k, "--flip-kernel"), "f32[1][1][2]", 2, 2);
    }

    // ------------------------------------------------------------------ padding forms

    @Test
    void paddingForms() throws IOException {
        String x = iota("x", DType.F32, 1, 1, 8, 8);
        String k = npy(dir, "k", Tensor.ones(DType.F32, 1, 1, 3, 3));
        // one integer p is p:p on every spatial axis (PyTorch's padding=p)
        assertTrue(run("conv", x, k, "--padding", "1").ok().contains("f32[1][1][8][8]"));
        // Nx's same ignores the stride: (1,1) padding; stride-aware same-upper pads (0,1): same shape, other values
        Tensor nxSame = conv(x, k, "--padding", "same", "--strides", "2");
        Tensor upper = conv(x, k, "--padding", "same-upper", "--strides", "2");
        Tensor lower = conv(x, k, "--padding", "same-lower", "--strides", "2");
        Tensor explicit01 = conv(x, k, "--padding", "0:1,0:1", "--strides", "2");
        Tensor explicit11 = conv(x, k, "--padding", "1:1,1:1", "--strides", "2");
        Tensor explicit10 = conv(x, k, "--padding", "1:0,1:0", "--strides", "2");
        assertArrayEquals(new int[] {1, 1, 4, 4}, nxSame.dims());
        assertTrue(nxSame.contentEquals(explicit11));
        assertTrue(upper.contentEquals(explicit01));
        assertTrue(lower.contentEquals(explicit10));
        assertFalse(nxSame.contentEquals(upper));
        // negative padding crops
        assertArrayEquals(new int[] {1, 1, 4, 6}, conv(x, k, "--padding", "-1:-1,0:0").dims());
    }

    private Tensor conv(String x, String k, String... opts) throws IOException {
        Path o = Files.createTempFile(dir, "o", ".npy");
        String[] args = new String[opts.length + 5];
        args[0] = "conv";
        args[1] = x;
        args[2] = k;
        System.arraycopy(opts, 0, args, 3, opts.length);
        args[opts.length + 3] = "-o";
        args[opts.length + 4] = o.toString();
        run(args).ok();
        return Npy.read(o);
    }

    // ------------------------------------------------------------------ types

    @Test
    void integerConvolutionsGiveF32AndF64IsKept() throws IOException {
        Path o = dir.resolve("o.npy");
        for (DType t : new DType[] {DType.U8, DType.S8, DType.S16, DType.S32, DType.S64, DType.U16, DType.U32, DType.U64}) {
            run("conv", iota("x" + t, t, 1, 1, 3), iota("k" + t, t, 1, 1, 2), "-o", o.toString()).ok();
            Tensor r = Npy.read(o);
            assertEquals(DType.F32, r.dtype(), t.toString());
            assertArrayEquals(new double[] {1, 2}, r.toDoubleArray());
        }
        run("conv", iota("x64", DType.F64, 1, 1, 3), iota("k32", DType.F32, 1, 1, 2), "-o", o.toString()).ok();
        assertEquals(DType.F64, Npy.read(o).dtype());
        run("conv", iota("x16", DType.F16, 1, 1, 3), iota("k16", DType.F16, 1, 1, 2), "-o", o.toString()).ok();
        assertEquals(DType.F16, Npy.read(o).dtype());
        run("conv", iota("xs", DType.S32, 1, 1, 3), iota("kf", DType.F32, 1, 1, 2), "-o", o.toString()).ok();
        assertEquals(DType.F32, Npy.read(o).dtype());
    }

    // ------------------------------------------------------------------ bad input (nx_test.exs "conv/3" and more)

    @Test
    void rankBelowThree() throws IOException {
        String k = npy(dir, "k", Tensor.zeros(DType.S32, 2, 2, 2));
        String t = npy(dir, "t", Tensor.of(new int[][] {{1, 2}}));
        String e = run("conv", t, k).fails("convolve conv: ");
        assertEquals("convolve conv: input shape in conv requires at least rank 3, shape {1, 2} has rank 2, for input s32[1][2] and kernel s32[2][2][2]", e);
        String k2 = npy(dir, "k2", Tensor.zeros(DType.S32, 2, 2));
        e = run("conv", iota("t3", DType.S32, 4, 4, 4), k2).fails("convolve conv: ");
        assertTrue(e.contains("kernel shape in conv requires at least rank 3"), e);
    }

    @Test
    void channelsMustMatchFeatureGroups() throws IOException {
        String k = npy(dir, "k", Tensor.zeros(DType.S32, 2, 2, 2));
        String e = run("conv", iota("t", DType.S32, 4, 4, 4), k).fails("convolve conv: ");
        assertEquals("convolve conv: input channels / feature group size must equal kernel input channels, but 4 / 1 != 2, "
                + "for input s32[4][4][4] and kernel s32[2][2][2]", e);
        String k6 = npy(dir, "k6", Tensor.zeros(DType.S32, 4, 4, 3, 3));
        e = run("conv", iota("t6", DType.S32, 1, 6, 8, 8), k6, "--feature-group-size", "2").fails("convolve conv: ");
        assertEquals("convolve conv: input channels / feature group size must equal kernel input channels, but 6 / 2 != 4, "
                + "for input s32[1][6][8][8] and kernel s32[4][4][3][3]", e);
    }

    @Test
    void groupsMustDivide() throws IOException {
        String t = iota("t", DType.S32, 3, 2, 2);
        String k = npy(dir, "k", Tensor.ones(DType.F32, 3, 1, 1));
        String e = run("conv", t, k, "--feature-group-size", "2").fails("convolve conv: ");
        assertTrue(e.contains("kernel output channels must be evenly divisible by feature group size, but 3 % 2 != 0"), e);
        String k1 = npy(dir, "k1", Tensor.ones(DType.F32, 1, 1, 1));
        e = run("conv", t, k1, "--feature-group-size", "2", "--batch-group-size", "2").fails("convolve conv: ");
        assertTrue(e.contains("either feature group size or batch group size must be 1, but got 2 and 2"), e);
        String k12 = npy(dir, "k12", Tensor.ones(DType.F32, 1, 2, 1));
        e = run("conv", t, k12, "--batch-group-size", "2").fails("convolve conv: ");
        assertTrue(e.contains("batch group size must evenly divide the input batch size, but 3 % 2 != 0"), e);
        e = run("conv", iota("t4", DType.S32, 3, 2, 3, 3), iota("k8", DType.S32, 8, 2, 2, 2), "--batch-group-size", "3").fails("convolve conv: ");
        assertTrue(e.contains("kernel output channels must be evenly divisible by batch group size, but 8 % 3 != 0"), e);
        e = run("conv", t, k12, "--feature-group-size", "0").fails("convolve conv: ");
        assertTrue(e.contains("feature group size must be a positive integer, got 0"), e);
    }

    @Test
    void wrongLengthOrNonPositiveStridesAndDilations() throws IOException {
        String t = iota("t", DType.S32, 4, 2, 4);
        String k = npy(dir, "k", Tensor.zeros(DType.S32, 2, 2, 2));
        String e = run("conv", t, k, "--strides", "1,1,1,1").fails("convolve conv: ");
        assertTrue(e.contains("strides must have one entry per spatial axis or be a single number, but got 4 entries [1, 1, 1, 1] for 1 spatial axes"), e);
        assertTrue(e.contains("for input s32[4][2][4] and kernel s32[2][2][2]"), e);
        e = run("conv", t, k, "--strides", "0").fails("convolve conv: ");
        assertTrue(e.contains("strides must be positive integers, got 0"), e);
        e = run("conv", t, k, "--input-dilation", "0").fails("convolve conv: ");
        assertTrue(e.contains("input dilation must be positive integers, got 0"), e);
        e = run("conv", t, k, "--input-dilation", "1,1,1").fails("convolve conv: ");
        assertTrue(e.contains("input dilation must have one entry per spatial axis"), e);
        e = run("conv", t, k, "--kernel-dilation", "-1").fails("convolve conv: ");
        assertTrue(e.contains("kernel dilation must be positive integers, got -1"), e);
        e = run("conv", t, k, "--kernel-dilation", "1,1,1").fails("convolve conv: ");
        assertTrue(e.contains("kernel dilation must have one entry per spatial axis"), e);
        e = run("conv", t, k, "--kernel-dilation", "1.0").fails("convolve conv: ");
        assertEquals("convolve conv: --kernel-dilation: expected integers separated by commas, such as 2,1, got '1.0'", e);
    }

    @Test
    void wrongPermutations() throws IOException {
        String t = iota("t", DType.F32, 1, 1, 4, 4);
        String k = iota("k", DType.F32, 1, 1, 2, 2);
        String e = run("conv", t, k, "--input-permutation", "0,1,2").fails("convolve conv: ");
        assertTrue(e.contains("expected length of input permutation (3) to match rank of shape (4)"), e);
        e = run("conv", t, k, "--kernel-permutation", "0,1,1,2").fails("convolve conv: ");
        assertTrue(e.contains("kernel permutation [0, 1, 1, 2] is not a permutation of the axes 0..3"), e);
        e = run("conv", t, k, "--layout", "NHWC,HWIO").fails("convolve conv: ");
        assertTrue(e.contains("--layout: expected three layouts"), e);
        e = run("conv", t, k, "--layout", "NHWC,HWIO,NHWC", "--input-permutation", "0,1,2,3").fails("convolve conv: ");
        assertTrue(e.contains("either --layout or the permutation options"), e);
    }

    @Test
    void kernelLargerThanPaddedInput() throws IOException {
        String e = run("conv", iota("t", DType.S32, 1, 1, 2), iota("k", DType.S32, 1, 1, 3)).fails("convolve conv: ");
        assertTrue(e.contains("the dilated kernel must fit in the padded, dilated input on every spatial axis, but on spatial axis 0 it has size 3 and the input 2"), e);
        assertTrue(e.contains("for input s32[1][1][2] and kernel s32[1][1][3]"), e);
        // with padding it fits
        run("conv", iota("t", DType.S32, 1, 1, 2), iota("k", DType.S32, 1, 1, 3), "--padding", "1").ok();
    }

    @Test
    void malformedPadding() throws IOException {
        String t = iota("t", DType.F32, 1, 1, 4, 4), k = iota("k", DType.F32, 1, 1, 2, 2);
        String e = run("conv", t, k, "--padding", "bad_value").fails("convolve conv: ");
        assertTrue(e.startsWith("convolve conv: --padding: invalid padding 'bad_value', expected valid, same"), e);
        e = run("conv", t, k, "--padding", "1:1").fails("convolve conv: ");
        assertTrue(e.contains("invalid padding configuration, rank of padding configuration and shape must match, but got 1 low/high pairs (1:1) for 2 spatial axes"), e);
        e = run("conv", t, k, "--padding", "1.0:0,0:0").fails("convolve conv: ");
        assertTrue(e.contains("invalid padding '1.0:0,0:0'"), e);
        e = run("conv", t, k, "--strides", "x").fails("convolve conv: ");
        assertTrue(e.contains("--strides: expected integers separated by commas"), e);
    }

    @Test
    void unreadableOrTruncatedNpy() throws IOException {
        String k = iota("k", DType.F32, 1, 1, 2, 2);
        String e = run("conv", dir.resolve("missing.npy").toString(), k).fails("convolve conv: ");
        assertTrue(e.contains("cannot read the input: no such file: ") && e.contains("missing.npy"), e);
        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello, this is not numpy");
        e = run("conv", notNpy.toString(), k).fails("convolve conv: ");
        assertTrue(e.contains("is not an .npy file"), e);
        byte[] full = Npy.encode(Tensor.iota(DType.F32, 1, 1, 4, 4));
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length - 5));
        e = run("conv", cut.toString(), k).fails("convolve conv: ");
        assertTrue(e.contains("is truncated: its header announces shape {1, 1, 4, 4} of '<f4' (64 bytes) but only 59 bytes of data follow"), e);
        Files.write(cut, java.util.Arrays.copyOf(full, 30));
        e = run("conv", cut.toString(), k).fails("convolve conv: ");
        assertTrue(e.contains("truncated inside its header"), e);
        e = run("conv", dir.toString(), k).fails("convolve conv: ");
        assertTrue(e.contains("is a directory"), e);
    }

    @Test
    void failureWritesNothingAndKeepsAnExistingOutput() throws IOException {
        Path out = dir.resolve("out.npy");
        Files.write(out, new byte[] {1, 2, 3});
        String e = run("conv", iota("t", DType.S32, 1, 1, 2), iota("k", DType.S32, 1, 1, 3), "-o", out.toString()).fails("convolve conv: ");
        assertFalse(e.isEmpty());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left behind");
        }
        Path fresh = dir.resolve("fresh.npy");
        run("conv", iota("t", DType.S32, 1, 1, 2), iota("k", DType.S32, 1, 1, 3), "-o", fresh.toString());
        assertFalse(Files.exists(fresh));
    }

    @Test
    void outputIsWrittenAtomicallyAndNothingPrinted() throws IOException {
        Path out = dir.resolve("sub/out.npy");
        var r = run("conv", iota("t", DType.F32, 1, 1, 3), iota("k", DType.F32, 1, 1, 2), "-o", out.toString());
        assertEquals("", r.ok());
        Tensor t = Npy.read(out);
        assertEquals("f32[1][1][2]", t.describe());
        assertArrayEquals(new double[] {1, 2}, t.toDoubleArray());
    }

    @Test
    void unknownOptionsAndMissingOperandsAreBadInput() throws IOException {
        String e = run("conv", iota("t", DType.F32, 1, 1, 3)).fails("convolve conv: ");
        assertTrue(e.contains("Missing required parameter"), e);
        e = run("conv", iota("t", DType.F32, 1, 1, 3), iota("k", DType.F32, 1, 1, 2), "--stride-z", "2").fails("convolve conv: ");
        assertTrue(e.contains("Unknown option"), e);
        e = run("conv", iota("t", DType.F32, 1, 1, 3), iota("k", DType.F32, 1, 1, 2), "--limit", "0").fails("convolve conv: ");
        assertTrue(e.contains("--limit"), e);
    }

    /** Asserts the printed type/shape and the values in row-major order (f32 values compared as floats). */
    static void assertValues(CliTestSupport.Result r, String describe, double... values) {
        String out = r.ok();
        String[] lines = out.split("\n");
        assertEquals("#Nx.Tensor<", lines[0]);
        assertEquals(describe, lines[1].strip());
        String body = out.substring(out.indexOf('\n', out.indexOf('\n') + 1)).replaceAll("[\\[\\]\\s>]", "");
        String[] parts = body.split(",");
        assertEquals(values.length, parts.length, () -> "value count in " + out);
        boolean f32 = describe.startsWith("f32");
        for (int i = 0; i < values.length; i++) {
            double printed = Double.parseDouble(parts[i].replace("Inf", "Infinity"));
            if (f32) {
                assertEquals((float) values[i], (float) printed, 0, "value " + i + " of " + out);
            } else {
                assertEquals(values[i], printed, 0, "value " + i + " of " + out);
            }
        }
    }
}
