package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convolve tour}: its output holds the values the seed documents printed, and it is quick. */
class TourCommandTest {

    private static String out;
    private static long millis;
    private static boolean mnist;

    @BeforeAll
    static void runTheTour() {
        long t = System.nanoTime();
        out = run("tour").ok();
        millis = (System.nanoTime() - t) / 1_000_000;
        mnist = ShowData.candidates(null).stream().anyMatch(dev.convolve.data.DatasetLocator::holdsAll);
    }

    @Test
    void d2lAndProbmlValues() {
        assertTrue(out.contains("f32[2][2]\n  [\n    [19.0, 25.0],\n    [37.0, 43.0]\n  ]"), out);
        String stripeRow = "[0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]";
        assertEquals(6, count(out, stripeRow), "six rows of the stripe's edges");
        assertTrue(out.contains("f32[8][5]\n  [\n" + "    [0.0, 0.0, 0.0, 0.0, 0.0],\n".repeat(7) + "    [0.0, 0.0, 0.0, 0.0, 0.0]\n  ]"), "X^T with K: zeros");
        assertTrue(out.contains("[56.0, 72.0],\n    [104.0, 120.0]"), out);
        assertTrue(out.contains("three output channels") && out.contains("f32[3][2][2]"), out);
        assertTrue(out.contains("f32[4][9]\n  [\n"
                + "    [1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0],\n"
                + "    [0.0, 1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 0.0, 0.0],\n"
                + "    [0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 4.0, 0.0],\n"
                + "    [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 4.0]\n"), "probml's kernel2matrix W");
        assertEquals(2, count(out, "[27.0, 37.0],\n    [57.0, 67.0]"), "conv and W . vec(X)");
        Matcher m = Pattern.compile("largest difference from K\\[2,3\\] \\. X\\[3,9\\]: (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) < 1e-5, m.group(1));
    }

    @Test
    void poolingValues() {
        assertTrue(out.contains("s32[2][2]\n  [\n    [10, 11],\n    [14, 15]\n  ]"), out);
        assertTrue(out.contains("f32[2][2]\n  [\n    [5.0, 6.0],\n    [9.0, 10.0]\n  ]"), out);
        assertTrue(out.contains("s32[1][2][2][1]"), out);
    }

    @Test
    void livebookPadValues() {
        assertTrue(out.contains("s32[4]\n  [0, 1, 2, 3]"), out);
        assertTrue(out.contains("s32[5]\n  [1, 2, 3, 5, 5]"), out);
        assertTrue(out.contains("s32[4][2]\n  [\n    [0, 0],\n    [1, 2],\n    [3, 4],\n    [0, 0]\n  ]"), out);
        assertTrue(out.contains("s32[2][4]\n  [\n    [0, 1, 2, 0],\n    [0, 3, 4, 0]\n  ]"), out);
        assertTrue(out.contains("s32[4][4]\n  [\n    [0, 0, 0, 0],\n    [0, 1, 2, 0],\n    [0, 3, 4, 0],\n    [0, 0, 0, 0]\n  ]"), out);
    }

    @Test
    void gaussianKernelMatchesTheNotebookToWithinAnUlp() {
        int at = out.indexOf("Filter.gaussian_blur_kernel(sigma: 0.5):");
        assertTrue(at >= 0, out);
        String block = out.substring(out.indexOf("f32[5][5]", at), out.indexOf(">", at));
        List<Double> values = new ArrayList<>();
        Matcher m = Pattern.compile("-?\\d+\\.\\d+(e-?\\d+)?").matcher(block.substring(block.indexOf('\n')));
        while (m.find()) values.add(Double.parseDouble(m.group()));
        assertEquals(25, values.size(), block);
        // the notebook's row 2 and corner (EXLA, printed as doubles)
        double[] notebookRow2 = {2.075485826935619e-4, 0.08373107761144638, 0.6186935901641846, 0.08373107761144638, 2.075485826935619e-4};
        for (int j = 0; j < 5; j++) assertUlps(notebookRow2[j], values.get(10 + j));
        assertUlps(6.962478948935313e-8, values.get(0));
        assertUlps(2.8088648832635954e-5, values.get(1));
        assertUlps(0.0113317696377635, values.get(6));
    }

    private static void assertUlps(double notebook, double ours) {
        float n = (float) notebook, o = (float) ours;
        assertTrue(Math.abs(Float.floatToIntBits(n) - Float.floatToIntBits(o)) <= 2, "ours " + o + ", the notebook " + n);
    }

    @Test
    void mnistSteps() {
        if (!mnist) {
            assertTrue(out.contains("(skipped: MNIST not found; looked in "), out);
            return;
        }
        assertTrue(out.contains("test images: u8[10000][28][28], label of image 15: 5"), out);
        assertTrue(out.contains("Nx.concatenate([vertical, horizontal], axis: -1): f32[1][1][28][56]"), out);
        assertTrue(out.contains("result: u8[14][14][1]"), out);
        assertTrue(out.contains("Conv.conv(xb, edge_kernels): f32[16][4][26][26]"), out);
        assertTrue(out.contains("(the document: tensor(2.9727)):  2.9727"), out);
        assertTrue(out.contains("(the document: tensor(-2.9570)): -2.9570"), out);
    }

    @Test
    void withoutDataItSaysWhereItLookedAndGoesOn(@TempDir Path empty) {
        String o = run("tour", "--data-dir", empty.toString()).ok();
        assertTrue(o.contains("(skipped: MNIST not found; looked in [" + empty + ", " + empty.resolve("mnist") + "]; pass --data-dir DIR"), o);
        assertTrue(o.contains("Filter.gaussian_blur_kernel(sigma: 0.5)"), o);
        assertTrue(o.contains("edge_kernels: f32[4][1][3][3]"), o);
        assertTrue(o.contains("Done."), o);
    }

    @Test
    void headingsInTheSeedsOrderAndQuick() {
        String[] headings = {"corr2d", "edge detection on a stripe", "multiple input and output channels", "1x1 convolution",
            "convolution as matrix multiplication", "max and average pooling", "Nx.pad", "edge detection on an MNIST digit",
            "Gaussian blur kernel", "four edge kernels"};
        int last = -1;
        for (String h : headings) {
            int i = out.indexOf(h);
            assertTrue(i > last, "heading '" + h + "' in order");
            last = i;
        }
        assumeTrue(mnist, "the timing includes reading MNIST");
        assertTrue(millis < 15_000, "the tour took " + millis + " ms (about half a second on an idle machine)");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }
}
