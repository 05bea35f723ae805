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
 * {@code convolve pool} and {@code convolve global-pool}: PyTorch's and ONNX's pooling semantics (default strides,
 * ceil mode, the two average divisors, dilations, indices), expressed through the window ops; and bad input.
 * Expected values were computed by hand and checked with PyTorch.
 */
class OpPoolCommandTest {

    @TempDir Path dir;

    private String iota(String name, DType t, int... shape) throws IOException {
        return npy(dir, name, Tensor.iota(t, shape));
    }

    @Test
    void stridesDefaultToTheKernelSize() throws IOException {
        String x = iota("x", DType.F32, 1, 1, 4, 4);
        assertValues(run("pool", "max", x, "--kernel", "2"), "f32[1][1][2][2]", 5, 7, 13, 15);
        assertValues(run("pool", "max", x, "--kernel", "3,3", "--strides", "1"), "f32[1][1][2][2]", 10, 11, 14, 15);
        assertValues(run("pool", "avg", x, "--kernel", "2,2"), "f32[1][1][2][2]", 2.5, 4.5, 10.5, 12.5);
    }

    @Test
    void ceilModeAndTheAverageDivisors() throws IOException {
        String x = npy(dir, "x", Tensor.of(new float[][][] {{{1, 2, 3, 4, 5}}}));
        // F.avg_pool1d(x, 2, 2, ceil_mode=True): the overflow window [5] is divided by 1
        assertValues(run("pool", "avg", x, "--kernel", "2", "--ceil-mode"), "f32[1][1][3]", 1.5, 3.5, 5.0);
        assertValues(run("pool", "avg", x, "--kernel", "2"), "f32[1][1][2]", 1.5, 3.5);
        // padding 1: counted when declared (PyTorch's default), not when --count-include-pad false (ONNX's default)
        assertValues(run("pool", "avg", x, "--kernel", "3", "--strides", "2", "--pads", "1", "--ceil-mode"), "f32[1][1][3]", 1, 3, 3);
        assertValues(run("pool", "avg", x, "--kernel", "3", "--strides", "2", "--pads", "1", "--ceil-mode", "--count-include-pad", "false"),
                "f32[1][1][3]", 1.5, 3, 4.5);
        // a last window that would start in the end padding is dropped: [1,2,3], k 2, s 2, p 1 gives 2 outputs, not 3
        String y = npy(dir, "y", Tensor.of(new float[][][] {{{1, 2, 3}}}));
        assertValues(run("pool", "avg", y, "--kernel", "2", "--strides", "2", "--pads", "1", "--ceil-mode", "true"), "f32[1][1][2]", 0.5, 2.5);
        assertValues(run("pool", "max", y, "--kernel", "2", "--strides", "2", "--pads", "1", "--ceil-mode", "true"), "f32[1][1][2]", 1, 3);
        assertValues(run("pool", "avg", x, "--kernel", "2", "--divisor-override", "4"), "f32[1][1][2]", 0.75, 1.75);
    }

    @Test
    void onnxPadsDilationsAndSameAutoPad() throws IOException {
        String x = iota("x", DType.F32, 1, 1, 4, 4);
        // ONNX pads: begins then ends; max pads with -inf so padding never wins
        assertValues(run("pool", "max", x, "--kernel", "2,2", "--strides", "2,2", "--pads", "1,1,0,0"), "f32[1][1][2][2]", 0, 2, 8, 10);
        assertValues(run("pool", "max", x, "--kernel", "2,2", "--strides", "1", "--dilations", "2"), "f32[1][1][2][2]", 10, 11, 14, 15);
        // SAME_UPPER on 4 with kernel 3, stride 2: total 1, at the end; SAME_LOWER: at the start
        assertValues(run("pool", "max", x, "--kernel", "3,3", "--strides", "2", "--auto-pad", "same-upper"), "f32[1][1][2][2]", 10, 11, 14, 15);
        assertValues(run("pool", "max", x, "--kernel", "3,3", "--strides", "2", "--auto-pad", "SAME_LOWER"), "f32[1][1][2][2]", 5, 7, 13, 15);
        assertValues(run("pool", "avg", x, "--kernel", "3,3", "--strides", "2", "--auto-pad", "same-upper", "--count-include-pad", "false"),
                "f32[1][1][2][2]", 5, 6.5, 11, 12.5);
    }

    @Test
    void maxIndicesRowAndColumnMajor() throws IOException {
        String x = npy(dir, "x", Tensor.iota(DType.F32, 2, 1, 5, 5).add(1.0));
        Path idx = dir.resolve("idx.npy");
        run("pool", "max", x, "--kernel", "2", "--strides", "2", "--indices", idx.toString(), "-o", dir.resolve("y.npy").toString()).ok();
        Tensor i = Npy.read(idx);
        assertEquals("s64[2][1][2][2]", i.describe());
        // flat indices into the whole input: the second batch entry starts at 25
        assertArrayEquals(new long[] {6, 8, 16, 18, 31, 33, 41, 43}, i.toLongArray());
        run("pool", "max", x, "--kernel", "2", "--strides", "2", "--indices", idx.toString(), "--storage-order", "1", "-o",
                dir.resolve("y.npy").toString()).ok();
        assertArrayEquals(new long[] {6, 16, 8, 18, 31, 41, 33, 43}, Npy.read(idx).toLongArray());
        // ties: the first largest element of the window wins
        String ones = npy(dir, "ones", Tensor.ones(DType.S32, 1, 1, 2, 2));
        run("pool", "max", ones, "--kernel", "2", "--indices", idx.toString(), "-o", dir.resolve("y.npy").toString()).ok();
        assertArrayEquals(new long[] {0}, Npy.read(idx).toLongArray());
    }

    @Test
    void lpAndGlobalPooling() throws IOException {
        String x = npy(dir, "x", Tensor.of(new float[][][] {{{3, -4, 6, 8}}}));
        assertValues(run("pool", "lp", x, "--kernel", "2"), "f32[1][1][2]", 5, 10);
        assertValues(run("pool", "lp", x, "--kernel", "2", "--p", "1"), "f32[1][1][2]", 7, 14);
        String g = iota("g", DType.S32, 2, 2, 2, 3);
        assertValues(run("global-pool", "max", g), "s32[2][2][1][1]", 5, 11, 17, 23);
        assertValues(run("global-pool", "avg", g), "f32[2][2][1][1]", 2.5, 8.5, 14.5, 20.5);
        assertValues(run("global-pool", "lp", npy(dir, "l", Tensor.of(new float[][][] {{{3, 4}}}))), "f32[1][1][1]", 5);
    }

    @Test
    void types() throws IOException {
        Path o = dir.resolve("o.npy");
        for (DType t : new DType[] {DType.U8, DType.S8, DType.S32, DType.S64, DType.F16, DType.F32, DType.F64}) {
            String x = iota("x" + t, t, 1, 1, 4);
            run("pool", "max", x, "--kernel", "2", "--pads", "1", "--strides", "1", "-o", o.toString()).ok();
            Tensor m = Npy.read(o);
            assertEquals(t, m.dtype(), "max of " + t);
            assertArrayEquals(new double[] {0, 1, 2, 3, 3}, m.toDoubleArray(), "max of " + t);
            run("pool", "avg", x, "--kernel", "2", "-o", o.toString()).ok();
            Tensor a = Npy.read(o);
            assertEquals(t.toFloating(), a.dtype(), "avg of " + t);
            assertArrayEquals(new double[] {0.5, 2.5}, a.toDoubleArray(), "avg of " + t);
        }
    }

    @Test
    void agreesWithCorePoolOnPyTorchsSubset() throws IOException {
        // ops.Pool speaks PyTorch only (symmetric padding up to half the kernel, no average dilation); where it
        // applies, the command (which also covers ONNX's asymmetric pads, dilated averages, Lp and indices) agrees
        java.util.Random rnd = new java.util.Random(7);
        Path o = dir.resolve("o.npy");
        for (int c = 0; c < 40; c++) {
            int n = 1 + rnd.nextInt(3);
            int[] shape = new int[n + 2], k = new int[n], st = new int[n], p = new int[n], d = new int[n];
            shape[0] = 1 + rnd.nextInt(2);
            shape[1] = 1 + rnd.nextInt(3);
            boolean max = rnd.nextBoolean(), ceil = rnd.nextBoolean(), include = rnd.nextBoolean();
            for (int i = 0; i < n; i++) {
                k[i] = 1 + rnd.nextInt(3);
                st[i] = 1 + rnd.nextInt(3);
                p[i] = rnd.nextInt(k[i] / 2 + 1);
                d[i] = max ? 1 + rnd.nextInt(2) : 1;
                shape[i + 2] = (k[i] - 1) * d[i] + 1 + rnd.nextInt(5);
            }
            Tensor x = Tensor.randomNormal(c, DType.F32, 0, 1, shape);
            dev.convolve.ops.Pool.Options po = dev.convolve.ops.Pool.Options.kernel(k).withStride(st).withPadding(p).withDilation(d)
                    .withCeilMode(ceil).withCountIncludePad(include);
            Tensor expected = max ? dev.convolve.ops.Pool.maxPool(x, po) : dev.convolve.ops.Pool.avgPool(x, po);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("pool", max ? "max" : "avg", npy(dir, "x" + c, x),
                    "--kernel", csv(k), "--strides", csv(st), "--pads", csv(p), "--ceil-mode", Boolean.toString(ceil), "-o", o.toString()));
            if (max) args.addAll(java.util.List.of("--dilations", csv(d)));
            else args.addAll(java.util.List.of("--count-include-pad", Boolean.toString(include)));
            run(args.toArray(String[]::new)).ok();
            Tensor actual = Npy.read(o);
            assertEquals(expected.describe(), actual.describe(), args::toString);
            assertTrue(expected.allClose(actual, 1e-6, 1e-6), () -> args + ": max difference " + expected.maxAbsDiff(actual));
        }
    }

    private static String csv(int[] v) {
        return java.util.Arrays.stream(v).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
    }

    @Test
    void badInput() throws IOException {
        String x = iota("x", DType.F32, 1, 1, 4, 4);
        String e = run("pool", "max", iota("r2", DType.F32, 4, 4), "--kernel", "2").fails("convolve pool: ");
        assertEquals("convolve pool: max_pool: the input must have rank at least 3, [N, C, S1..Sn], but got f32[4][4]", e);
        e = run("pool", "max", x, "--kernel", "2,2,2").fails("convolve pool: ");
        assertTrue(e.contains("max_pool: --kernel must be a single number or have one entry per spatial axis (2), got 3 entries '2,2,2'"), e);
        e = run("pool", "max", x, "--kernel", "2", "--strides", "0").fails("convolve pool: ");
        assertTrue(e.contains("max_pool: strides must be positive, got [0, 0], for input f32[1][1][4][4] and kernel [2, 2]"), e);
        e = run("pool", "avg", x, "--kernel", "2", "--pads", "-1").fails("convolve pool: ");
        assertTrue(e.contains("avg_pool: pads (begin) must be non-negative"), e);
        e = run("pool", "max", x, "--kernel", "6,2").fails("convolve pool: ");
        assertTrue(e.contains("max_pool: the kernel must fit in the padded input, but on spatial axis 0 the dilated kernel has size 6 and the padded input 4"), e);
        e = run("pool", "max", x, "--kernel", "3", "--dilations", "2").fails("convolve pool: ");
        assertTrue(e.contains("the dilated kernel has size 5 and the padded input 4"), e);
        e = run("pool", "max", x, "--kernel", "2", "--pads", "1,1,1").fails("convolve pool: ");
        assertTrue(e.contains("--pads needs 1, 2 (one per spatial axis) or 4 (all begins, then all ends) numbers, or low:high pairs, got 3 numbers"), e);
        e = run("pool", "min", x, "--kernel", "2").fails("convolve pool: ");
        assertTrue(e.contains("unknown operation 'min', expected max, avg or lp"), e);
        e = run("pool", "avg", x, "--kernel", "2", "--indices", dir.resolve("i.npy").toString()).fails("convolve pool: ");
        assertTrue(e.contains("--indices applies to max only"), e);
        e = run("pool", "max", x, "--kernel", "2", "--count-include-pad", "true").fails("convolve pool: ");
        assertTrue(e.contains("apply to avg only"), e);
        e = run("pool", "max", x, "--kernel", "2", "--pads", "1", "--auto-pad", "same-upper").fails("convolve pool: ");
        assertTrue(e.contains("either --pads or --auto-pad"), e);
        e = run("pool", "max", x, "--kernel", "2", "--auto-pad", "same").fails("convolve pool: ");
        assertTrue(e.contains("--auto-pad must be notset, valid, same-upper or same-lower, got 'same'"), e);
        e = run("pool", "avg", x, "--kernel", "2", "--divisor-override", "0").fails("convolve pool: ");
        assertTrue(e.contains("--divisor-override must be positive"), e);
        e = run("pool", "lp", x, "--kernel", "2", "--p", "0").fails("convolve pool: ");
        assertTrue(e.contains("lp_pool: p must be a positive number, got 0.0"), e);
        e = run("global-pool", "max", iota("r2", DType.F32, 4, 4)).fails("convolve global-pool: ");
        assertTrue(e.contains("global_max_pool: the input must have rank at least 3"), e);
        Path out = dir.resolve("keep.npy");
        Files.write(out, new byte[] {9});
        run("pool", "max", x, "--kernel", "9", "-o", out.toString()).fails("convolve pool: ");
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(out));
    }
}
