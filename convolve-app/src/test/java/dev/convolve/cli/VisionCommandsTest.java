package dev.convolve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.io.ImageFormat;
import dev.convolve.io.ImageTestData;
import dev.convolve.io.Images;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.FilterPadding;
import dev.convolve.vision.Filters;
import dev.convolve.vision.Kernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convolve filter}, {@code kernels}, {@code show} and {@code serve} as a user runs them. */
class VisionCommandsTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void filterWritesTheFilteredPhoto() throws Exception {
        Path in = ImageTestData.image("chelsea.png"), out = dir.resolve("blur.png");
        Run r = run("filter", in.toString(), out.toString(), "--kernel", "gaussian", "--sigma", "2", "--border", "replicate");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gaussian 9x9 (separable)"), r.out());
        Tensor want = Filters.apply(Images.read(in), Kernels.gaussian(9, 2), FilterOptions.defaults().withBorder(BorderMode.REPLICATE));
        assertTrue(Images.read(out).contentEquals(want));
    }

    @Test
    void filterChainsKernelsWithStrideAndValidPadding() throws Exception {
        Path in = ImageTestData.image("camera.png"), out = dir.resolve("edges.bmp");
        Run r = run("filter", in.toString(), out.toString(), "-k", "gaussian:size=5,sigma=1", "-k", "1,0,-1;2,0,-2;1,0,-1",
                "--stride", "2", "--padding", "valid", "--border", "zero");
        assertEquals(0, r.code(), r.err());
        FilterOptions o = new FilterOptions(2, FilterPadding.VALID, BorderMode.ZERO);
        Tensor want = Filters.apply(Filters.apply(Images.read(in), Kernels.gaussian(5, 1), o), Kernels.parse("1,0,-1;2,0,-2;1,0,-1"), o);
        Tensor got = Images.read(out);
        assertEquals(Shape.of(126, 126, 1), got.shape());
        assertTrue(got.contentEquals(want));
    }

    @Test
    void theConvEngineGivesTheSameResultWithinOneGreyLevel() throws Exception {
        Path in = ImageTestData.image("coffee.png"), fast = dir.resolve("fast.png"), conv = dir.resolve("conv.png");
        assertEquals(0, run("filter", in.toString(), fast.toString(), "-k", "sharpen").code());
        assertEquals(0, run("filter", in.toString(), conv.toString(), "-k", "sharpen", "--engine", "conv").code());
        assertTrue(Images.read(fast).maxAbsDiff(Images.read(conv)) <= 1);
    }

    @Test
    void filterKeepsAlphaAndWritesJpegWithQuality() throws Exception {
        byte[] px = new byte[20 * 30 * 4];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i % 4 == 3 ? 100 + i % 7 : i * 7);
        Tensor rgba = Tensor.wrap(DType.U8, Shape.of(20, 30, 4), px);
        Path in = dir.resolve("a.png"), out = dir.resolve("b.png");
        Images.write(rgba, in);
        assertEquals(0, run("filter", in.toString(), out.toString(), "-k", "box").code());
        Tensor got = Images.read(out);
        for (int i = 0; i < 600; i++) assertEquals(px[4 * i + 3], ((byte[]) got.data())[4 * i + 3]);
        Run r = run("filter", in.toString(), dir.resolve("c.jpg").toString(), "-k", "box");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("convolve filter: image: JPEG cannot store the alpha channel"), r.err());
        Path grey = ImageTestData.image("camera.png");
        assertEquals(0, run("filter", grey.toString(), dir.resolve("q10.jpg").toString(), "-k", "identity", "--quality", "10").code());
        assertEquals(0, run("filter", grey.toString(), dir.resolve("q95.jpg").toString(), "-k", "identity", "--quality", "95").code());
        assertTrue(Files.size(dir.resolve("q10.jpg")) < Files.size(dir.resolve("q95.jpg")));
    }

    @Test
    void badArgumentsGiveOneLine() throws Exception {
        String in = ImageTestData.image("chelsea.png").toString(), out = dir.resolve("x.png").toString();
        String[][] cases = {
            {"filter", in, out, "-k", "blurry"},
            {"filter", in, out, "-k", "sobel-x", "--sigma", "2"},
            {"filter", in, out, "-k", "gaussian", "--stride", "0"},
            {"filter", in, out, "-k", "gaussian", "--border", "wrap"},
            {"filter", in, out, "-k", "gaussian", "--padding", "full"},
            {"filter", in, dir.resolve("x.tiff").toString(), "-k", "gaussian"},
            {"filter", dir.resolve("missing.png").toString(), out, "-k", "gaussian"},
            {"filter", in, out, "-k", "1,2;3"},
            {"filter", in, out},
            {"serve", "--port", "70000"},
        };
        String[] expected = {
            "convolve filter: kernel: unknown kernel 'blurry'; known: gaussian",
            "convolve filter: --sigma applies to gaussian kernels only",
            "convolve filter: filter: stride must be at least 1, got 0",
            "convolve filter: filter: unknown border 'wrap'",
            "convolve filter: filter: unknown padding 'full'",
            "convolve filter: image: unknown extension",
            "convolve filter: no such file:",
            "convolve filter: kernel: every row must have the same length",
            "convolve filter: Missing required option: '--kernel=NAME'",
            "convolve serve: serve: port must be between 0 and 65535, got 70000",
        };
        for (int i = 0; i < cases.length; i++) {
            Run r = run(cases[i]);
            assertEquals(2, r.code(), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().startsWith(expected[i]), String.join(" ", cases[i]) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        assertTrue(Files.notExists(dir.resolve("x.png")));
    }

    @Test
    void kernelsListsTheLibraryWithMatrices() {
        Run r = run("kernels");
        assertEquals(0, r.code(), r.err());
        for (String n : List.of("gaussian  5x5  separable", "sobel-x  3x3  separable", "laplacian  3x3", "top-edge", "left-edge", "diag1-edge",
                "diag2-edge", "nx-edge  1x3", "d2l-edge  1x2", "sharpen", "emboss", "scharr-x", "prewitt-y", "laplacian8", "box  3x3")) {
            assertTrue(r.out().contains(n), "lists " + n);
        }
        assertTrue(r.out().contains("  [-1,  0,  1]\n  [-2,  0,  2]\n  [-1,  0,  1]"), r.out());
        Run one = run("kernels", "gaussian", "--size", "3", "--sigma", "0.5");
        assertTrue(one.out().startsWith("gaussian  3x3  separable  sum 1"), one.out());
        assertTrue(one.out().contains("[0.0113437, 0.0837920, 0.0113437]") || one.out().contains("0.619"), one.out());
    }

    @Test
    void showDrawsTheEdgeMapsOfSixteenDigitsAndTheSobelMagnitude() throws Exception {
        Path edges = dir.resolve("edges.png");
        Run r = run("show", "edges", edges.toString(), "--data-dir", ImageTestData.mnist().toString(), "--cell", "40");
        assertEquals(0, r.code(), r.err());
        Tensor grid = Images.read(edges);
        // 1 row of kernels + 16 rows of digits, 5 columns (the digit and 4 maps), 40-pixel cells, 8-pixel gaps, captions
        assertEquals(8 + 5 * 48, grid.dim(1));
        assertTrue(grid.dim(0) >= 8 + 17 * 48, grid.describe());
        Path sobel = dir.resolve("sobel.png");
        r = run("show", "sobel", ImageTestData.image("chelsea.png").toString(), sobel.toString(), "--magnitude-only");
        assertEquals(0, r.code(), r.err());
        Tensor mag = Images.read(sobel);
        assertEquals(Shape.of(300, 451, 1), mag.shape());
        assertEquals(255, mag.reduceMax().item(), 0, "scaled to the full range");
        assertEquals(0, run("show", "sobel", ImageTestData.image("coffee.png").toString(), dir.resolve("s4.png").toString()).code());
        assertEquals(0, run("show", "maps", ImageTestData.image("camera.png").toString(), dir.resolve("m.png").toString(),
                "-k", "laplacian", "-k", "emboss", "-k", "gaussian:sigma=3").code());
        assertEquals(0, run("show", "kernels", dir.resolve("k.png").toString()).code());
        Run bad = run("show", "edges", edges.toString(), "--data-dir", dir.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("no MNIST train-images-idx3-ubyte(.gz) in"), bad.err());
    }

    @Test
    void writtenImagesUseTheExtensionsFormat() throws Exception {
        Path in = ImageTestData.image("camera.png");
        for (ImageFormat f : ImageFormat.values()) {
            Path out = dir.resolve("o." + f.extension());
            assertEquals(0, run("filter", in.toString(), out.toString(), "-k", "identity").code(), f.toString());
            assertEquals(Shape.of(512, 512, 1), Images.read(out).shape(), f.toString());
        }
    }
}
