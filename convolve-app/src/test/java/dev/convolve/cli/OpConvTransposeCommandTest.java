package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.npy;
import static dev.convolve.cli.CliTestSupport.run;
import static dev.convolve.cli.OpConvCommandTest.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convolve conv-transpose}: PyTorch's {@code conv_transpose2d} and ONNX's {@code ConvTranspose} (pads,
 * output padding, output shape, auto pad, groups, bias) with expected values checked with PyTorch; and bad input.
 */
class OpConvTransposeCommandTest {

    @TempDir Path dir;

    private String x3() throws IOException {
        return npy(dir, "x", Tensor.iota(DType.F32, 1, 1, 3, 3));
    }

    private String ones(String name, int... shape) throws IOException {
        return npy(dir, name, Tensor.ones(DType.F32, shape));
    }

    @Test
    void fullTransposedConvolution() throws IOException {
        double[] channel = {0, 1, 3, 3, 2, 3, 8, 15, 12, 7, 9, 21, 36, 27, 15, 9, 20, 33, 24, 13, 6, 13, 21, 15, 8};
        double[] both = new double[50];
        System.arraycopy(channel, 0, both, 0, 25);
        System.arraycopy(channel, 0, both, 25, 25);
        assertValues(run("conv-transpose", x3(), ones("w", 1, 2, 3, 3), "--limit", "all"), "f32[1][2][5][5]", both);
    }

    @Test
    void strideTwoSpreadsTheInput() throws IOException {
        String x = npy(dir, "x", Tensor.of(new float[][][][] {{{{1, 2}, {3, 4}}}}));
        assertValues(run("conv-transpose", x, ones("w", 1, 1, 2, 2), "--strides", "2"), "f32[1][1][4][4]",
                1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    }

    @Test
    void paddingAndOutputPadding() throws IOException {
        // F.conv_transpose2d(X, W, stride=2, padding=1, output_padding=1)[0, 0]
        String out = run("conv-transpose", x3(), ones("w", 1, 2, 3, 3), "--strides", "2", "--pads", "1", "--output-padding", "1", "--limit", "all").ok();
        assertTrue(out.startsWith("#Nx.Tensor<\n  f32[1][2][6][6]\n"), out);
        assertTrue(out.contains("[0.0, 1.0, 1.0, 3.0, 2.0, 2.0],\n        [3.0, 8.0, 5.0, 12.0, 7.0, 7.0],\n        [3.0, 7.0, 4.0, 9.0, 5.0, 5.0]"), out);
        // the same with ONNX's begin/end pads and as low:high pairs
        String onnx = run("conv-transpose", x3(), ones("w", 1, 2, 3, 3), "--strides", "2", "--pads", "1,1,1,1", "--output-padding", "1", "--limit", "all").ok();
        String pairs = run("conv-transpose", x3(), ones("w", 1, 2, 3, 3), "--strides", "2", "--pads", "1:1,1:1", "--output-padding", "1,1", "--limit", "all").ok();
        assertEquals(out, onnx);
        assertEquals(out, pairs);
    }

    @Test
    void onnxOutputShapeAndAutoPad() throws IOException {
        // output_shape [10, 8] with strides [3, 2]: total padding -1 and 1 -> begin 0 / end -1, begin 1 / end 0
        String w = ones("w", 1, 2, 3, 3);
        String out = run("conv-transpose", x3(), w, "--strides", "3,2", "--output-shape", "10,8", "--limit", "all").ok();
        assertTrue(out.startsWith("#Nx.Tensor<\n  f32[1][2][10][8]\n"), out);
        assertTrue(out.contains("[0.0, 0.0, 1.0, 1.0, 3.0, 2.0, 2.0, 0.0],\n        [0.0, 0.0, 1.0, 1.0, 3.0, 2.0, 2.0, 0.0]"), out);
        assertTrue(out.contains("[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]\n      ]"), "the last row is beyond the full output: " + out);
        // auto_pad SAME_UPPER: output = input * stride
        assertTrue(run("conv-transpose", x3(), w, "--strides", "2", "--auto-pad", "same-upper").ok().contains("f32[1][2][6][6]"));
        assertTrue(run("conv-transpose", x3(), w, "--strides", "2", "--auto-pad", "SAME_LOWER").ok().contains("f32[1][2][6][6]"));
    }

    @Test
    void groupsDilationAndBias() throws IOException {
        String x = npy(dir, "x", Tensor.ones(DType.F32, 1, 2, 2));
        String w = npy(dir, "w", Tensor.of(new float[][][] {{{1, 2}}, {{10, 20}}})); // [Cin 2, Cout/g 1, K 2]
        String b = npy(dir, "b", Tensor.of(new float[] {100, 200}));
        // group 0: [1,1] with [1,2] -> [1,3,2]; group 1: [1,1] with [10,20] -> [10,30,20]
        assertValues(run("conv-transpose", x, w, "--groups", "2"), "f32[1][2][3]", 1, 3, 2, 10, 30, 20);
        assertValues(run("conv-transpose", x, w, "--groups", "2", "--bias", b), "f32[1][2][3]", 101, 103, 102, 210, 230, 220);
        assertValues(run("conv-transpose", x, w, "--groups", "2", "--dilations", "2"), "f32[1][2][4]", 1, 1, 2, 2, 10, 10, 20, 20);
        // integer inputs give f32
        assertValues(run("conv-transpose", npy(dir, "xi", Tensor.ones(DType.S32, 1, 1, 2)), npy(dir, "wi", Tensor.ones(DType.S32, 1, 1, 2))),
                "f32[1][1][3]", 1, 2, 1);
    }

    @Test
    void badInput() throws IOException {
        String w = ones("w", 1, 2, 3, 3);
        String e = run("conv-transpose", x3(), ones("w2", 2, 2, 3, 3)).fails("convolve conv-transpose: ");
        assertEquals("convolve conv-transpose: weight axis 0 must equal the input channels, but 2 != 1, for input f32[1][1][3][3] and weight f32[2][2][3][3]", e);
        e = run("conv-transpose", x3(), w, "--strides", "2", "--output-padding", "2").fails("convolve conv-transpose: ");
        assertTrue(e.contains("output padding must be smaller than either stride or dilation"), e);
        e = run("conv-transpose", x3(), w, "--groups", "2").fails("convolve conv-transpose: ");
        assertTrue(e.contains("groups must be positive and divide the input channels, but 1 % 2 != 0"), e);
        e = run("conv-transpose", x3(), w, "--strides", "0").fails("convolve conv-transpose: ");
        assertTrue(e.contains("strides and dilations must be positive integers, got strides [0, 0]"), e);
        e = run("conv-transpose", x3(), w, "--strides", "1,1,1").fails("convolve conv-transpose: ");
        assertTrue(e.contains("--strides must be a single number or have one entry per spatial axis (2), got 3 entries '1,1,1'"), e);
        e = run("conv-transpose", x3(), w, "--pads", "1", "--output-shape", "5,5").fails("convolve conv-transpose: ");
        assertTrue(e.contains("either --pads or --output-shape / --auto-pad"), e);
        e = run("conv-transpose", x3(), w, "--output-shape", "5").fails("convolve conv-transpose: ");
        assertTrue(e.contains("--output-shape must give the 2 spatial output sizes, got '5'"), e);
        e = run("conv-transpose", x3(), w, "--pads", "9").fails("convolve conv-transpose: ");
        assertTrue(e.contains("would be empty"), e);
        e = run("conv-transpose", npy(dir, "r2", Tensor.ones(DType.F32, 3, 3)), w).fails("convolve conv-transpose: ");
        assertTrue(e.contains("input and weight must have the same rank, at least 3, for input f32[3][3] and weight f32[1][2][3][3]"), e);
        e = run("conv-transpose", x3(), w, "--auto-pad", "full").fails("convolve conv-transpose: ");
        assertTrue(e.contains("--auto-pad must be notset, valid, same-upper or same-lower"), e);
    }
}
