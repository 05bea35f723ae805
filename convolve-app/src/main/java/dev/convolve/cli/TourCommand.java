package dev.convolve.cli;

import dev.convolve.data.DatasetLocator;
import dev.convolve.io.Idx;
import dev.convolve.ops.Conv;
import dev.convolve.ops.Pad;
import dev.convolve.ops.Window;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.PadConfig;
import dev.convolve.plan.Padding;
import dev.convolve.plan.WindowOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convolve tour}: walks through the operator examples of the seed documents (d2l, probml, the Nx Livebook,
 * fast.ai), runs each with Convolve and prints the result as Nx prints tensors, next to the value the document
 * printed.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = {"A tour of the seed documents' operator examples, printed as Nx prints tensors.", "", "A guided tour of the operators: the worked examples of the seed documents (d2l, probml, the Nx Livebook, fast.ai), each computed with Convolve and printed as Nx prints tensors."})
final class TourCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The MNIST folder or the folder holding mnist/ (default: where train looks: $CONVOLVE_DATA, the cache, /usr/share/datasets, ../shared/datasets).")
    Path dataDir;

    private PrintWriter out;
    private int step;

    @Override
    public Integer call() throws Exception {
        return CliErrors.guard(this::run, "tour");
    }

    private int run() throws Exception {
        out = spec.commandLine().getOut();
        out.println("Convolve tour: the seed documents' operator examples, computed here and printed as Nx prints tensors.");
        corr2d();
        stripe();
        multipleChannels();
        oneByOne();
        convAsMatmul();
        pooling();
        nxPad();
        List<Path> looked = ShowData.candidates(dataDir);
        Path mnist = looked.stream().filter(DatasetLocator::holdsAll).findFirst().orElse(null);
        Tensor testImages = null, testLabels = null, trainImages = null;
        if (mnist != null) {
            testImages = Idx.read(DatasetLocator.file(mnist, "t10k-images-idx3-ubyte"));
            testLabels = Idx.read(DatasetLocator.file(mnist, "t10k-labels-idx1-ubyte"));
            trainImages = Idx.read(DatasetLocator.file(mnist, "train-images-idx3-ubyte"));
        }
        Found data = new Found(mnist, looked);
        mnistEdges(testImages, testLabels, data);
        Tensor blur = gaussian();
        if (testImages != null) blurDigit(testImages, blur);
        fourEdgeKernels(trainImages, data);
        out.println();
        out.println("Done. Every operator above is also a command: convolve conv | conv-transpose | pad | window | pool | global-pool --help");
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------ the steps

    private void corr2d() {
        heading("d2l / probml: corr2d, the 2-D cross-correlation",
                "X = [[0,1,2],[3,4,5],[6,7,8]], K = [[0,1],[2,3]]; the document prints [[19. 25.] [37. 43.]]");
        Tensor x = Tensor.iota(DType.F32, 3, 3);
        Tensor k = Tensor.of(new float[][] {{0, 1}, {2, 3}});
        show("Conv.conv(X, K)   (as [1,1,3,3] and [1,1,2,2], shown squeezed)", corr(x, k));
    }

    private void stripe() {
        heading("d2l / probml: edge detection on a stripe, and its transpose",
                "X = ones(6,8) with columns 2..5 set to 0, K = [[1,-1]]: 1 at white->black, -1 at black->white");
        float[][] img = new float[6][8];
        for (float[] row : img) java.util.Arrays.fill(row, 1f);
        for (float[] row : img) for (int j = 2; j < 6; j++) row[j] = 0f;
        Tensor x = Tensor.of(img);
        Tensor k = Tensor.of(new float[][] {{1, -1}});
        show("X", x);
        show("Conv.conv(X, K)", corr(x, k));
        show("Conv.conv(X^T, K): the kernel only sees vertical edges, so nothing", corr(x.transpose(), k));
        show("Conv.conv(X^T, K^T): transposing the kernel too finds them again", corr(x.transpose(), k.transpose()));
    }

    private void multipleChannels() {
        heading("probml: multiple input and output channels",
                "two 3x3 input channels, one 2x2 kernel per channel; the channel results are summed: [[56. 72.] [104. 120.]]");
        Tensor x = Tensor.of(new float[][][] {{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}});
        Tensor k = Tensor.of(new float[][][] {{{0, 1}, {2, 3}}, {{1, 2}, {3, 4}}});
        show("Conv.conv(X [1,2,3,3], K [1,2,2,2])", Conv.conv(x.newAxis(0), k.newAxis(0)).squeeze());
        Tensor k3 = Tensor.stack(List.of(k, k.add(1.0), k.add(2.0)), 0);
        show("three output channels: K, K + 1, K + 2 stacked to [3,2,2,2] gives (3, 2, 2)", Conv.conv(x.newAxis(0), k3).squeeze(0));
    }

    private void oneByOne() {
        heading("probml: a 1x1 convolution is a matrix multiplication",
                "X: 3 channels of 3x3, K: [2,3,1,1] maps 3 channels to 2 at every pixel");
        Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, 3, 3, 3);
        Tensor k = Tensor.randomNormal(2, DType.F32, 0, 1, 2, 3, 1, 1);
        Tensor viaConv = Conv.conv(x.newAxis(0), k).squeeze(0);
        Tensor viaMatmul = k.reshape(2, 3).matmul(x.reshape(3, 9)).reshape(2, 3, 3);
        show("Conv.conv(X, K)", viaConv);
        out.println("largest difference from K[2,3] . X[3,9]: " + viaConv.maxAbsDiff(viaMatmul));
    }

    private void convAsMatmul() {
        heading("probml: convolution as matrix multiplication",
                "K = [[1,2],[3,4]] on a 3x3 input is a 4x9 matrix W; the document prints W and [[27. 37.] [57. 67.]]");
        Tensor k = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        // W's column j is the conv of the j-th basis image: the matrix of the linear map X -> conv(X, K).
        Tensor basis = Tensor.eye(DType.F32, 9).reshape(9, 1, 3, 3);
        Tensor w = Conv.conv(basis, k.reshape(1, 1, 2, 2)).reshape(9, 4).transpose();
        show("W (each column: the conv of one basis image)", w);
        Tensor x = Tensor.iota(DType.F32, 3, 3);
        show("Conv.conv(X, K), X = iota 3x3", corr(x, k));
        show("W . vec(X), reshaped to 2x2", w.matmul(x.reshape(9)).reshape(2, 2));
    }

    private void pooling() {
        heading("probml: max and average pooling",
                "3x3 windows over iota 4x4; the document prints [[10. 11.] [14. 15.]]; window strides default to 1");
        Tensor x = Tensor.iota(DType.S32, 4, 4);
        show("X", x);
        show("Window.max(X, {3,3})", Window.max(x, WindowOptions.of(3, 3)));
        show("Window.mean(X, {3,3})", Window.mean(x, WindowOptions.of(3, 3)));
        show("flax max_pool on NHWC [1,4,4,1]: Window.max(X, {1,3,3,1})", Window.max(x.reshape(1, 4, 4, 1), WindowOptions.of(1, 3, 3, 1)));
    }

    private void nxPad() {
        heading("Nx Livebook: Nx.pad", "t = [1,2,3]; the notebook prints [[1, 2, 3], [0, 1, 2, 3], [1, 2, 3, 5, 5]]");
        Tensor t = Tensor.of(new int[] {1, 2, 3});
        show("Nx.pad(t, 0, [{1,0,0}])", Pad.pad(t, 0L, PadConfig.triples(1, 0, 0)));
        show("Nx.pad(t, 5, [{0,2,0}])", Pad.pad(t, 5L, PadConfig.triples(0, 2, 0)));
        Tensor m = Tensor.of(new int[][] {{1, 2}, {3, 4}});
        show("m", m);
        show("zero rows above and below: Nx.pad(m, 0, [{1,1,0}, {0,0,0}])", Pad.pad(m, 0L, PadConfig.triples(1, 1, 0, 0, 0, 0)));
        show("zero columns left and right: Nx.pad(m, 0, [{0,0,0}, {1,1,0}])", Pad.pad(m, 0L, PadConfig.triples(0, 0, 0, 1, 1, 0)));
        show("surrounded by zeros: Nx.pad(m, 0, [{1,1,0}, {1,1,0}])", Pad.pad(m, 0L, PadConfig.triples(1, 1, 0, 1, 1, 0)));
        show("interior padding too (Nx's doc): Nx.pad(t, 0, [{2,1,3}]) has 12 entries", Pad.pad(t, 0L, PadConfig.triples(2, 1, 3)));
    }

    private void mnistEdges(Tensor images, Tensor labels, Found data) {
        heading("Nx Livebook: edge detection on an MNIST digit",
                "the 16th test image (index 15) is a 5; kernel [-1, 0, 1] along the width (vertical edges) and the height, padding :same");
        if (images == null) {
            skipped(data);
            return;
        }
        out.println("test images: " + images.describe() + ", label of image 15: " + labels.get(15).getFlatLong(0));
        Tensor five = images.get(15).reshape(1, 1, 28, 28).asType(DType.F32);
        Tensor edge = Tensor.of(new float[] {-1, 0, 1});
        ConvOptions same = ConvOptions.defaults().withPadding(Padding.same());
        Tensor vertical = Conv.conv(five, edge.reshape(1, 1, 1, 3), same);
        Tensor horizontal = Conv.conv(five, edge.reshape(1, 1, 3, 1), same);
        Tensor both = Tensor.concatenate(List.of(vertical, horizontal), -1);
        show("Nx.concatenate([vertical, horizontal], axis: -1)", both.describe());
        show("rows 12..15, columns 6..13 of the vertical edges", vertical.reshape(28, 28).slice(new int[] {12, 6}, new int[] {4, 8}));
        out.println("the digit, its vertical edges and its horizontal edges:");
        ascii(List.of(five.reshape(28, 28), vertical.reshape(28, 28), horizontal.reshape(28, 28)));
    }

    private Tensor gaussian() {
        heading("Nx Livebook: the Gaussian blur kernel, sigma 0.5",
                "exp(-(x^2 + y^2) / (2 sigma^2)) / (2 pi sigma^2) for x, y in -2..2, normalised to sum 1; centre 0.6186935901641846");
        double sigma = 0.5;
        Tensor range = Tensor.iota(DType.F32, 5).subtract(2L);
        Tensor x = range.reshape(5, 1), y = range.reshape(1, 5);
        Tensor k = x.multiply(x).add(y.multiply(y)).negate().divide(2 * sigma * sigma).exp().divide(2 * Math.PI * sigma * sigma);
        k = k.divide(k.sum());
        show("Filter.gaussian_blur_kernel(sigma: 0.5)", k);
        return k;
    }

    private void blurDigit(Tensor images, Tensor kernel) {
        heading("Nx Livebook: Filter.apply_kernel on the digit",
                "channels as the batch (input/output permutation [3,0,1,2]), padding :same, strides [2,2]: 28x28 -> 14x14");
        Tensor image = images.get(15).reshape(28, 28, 1); // {h, w, c}, u8
        ConvOptions o = ConvOptions.defaults().withPadding(Padding.same()).withStrides(2, 2)
                .withInputPermutation(3, 0, 1, 2).withOutputPermutation(3, 0, 1, 2);
        Tensor blurred = Conv.conv(image.divide(255.0).newAxis(0), kernel.reshape(1, 1, 5, 5), o)
                .squeeze(0).multiply(255.0).clip(0, 255).asType(DType.U8);
        out.println("result: " + blurred.describe() + " (u8, like the input)");
        ascii(List.of(image.reshape(28, 28), blurred.reshape(14, 14)));
    }

    private void fourEdgeKernels(Tensor images, Found data) {
        heading("fast.ai: four edge kernels over a batch of 16 digits",
                "F.conv2d(xb [16,1,28,28], edge_kernels [4,1,3,3]) -> torch.Size([16, 4, 26, 26]); pixels / 256 as in mnist.pkl.gz");
        Tensor left = Tensor.of(new float[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
        Tensor top = Tensor.of(new float[][] {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}});
        Tensor diag1 = Tensor.of(new float[][] {{0, -1, 1}, {-1, 1, 0}, {1, 0, 0}});
        Tensor diag2 = Tensor.of(new float[][] {{1, -1, 0}, {0, 1, -1}, {0, 0, 1}});
        Tensor kernels = Tensor.stack(List.of(left, top, diag1, diag2), 0).newAxis(1);
        show("edge_kernels", kernels.describe());
        if (images == null) {
            skipped(data);
            return;
        }
        Tensor xb = images.sliceAxis(0, 16, 0).reshape(16, 1, 28, 28).asType(DType.F32).divide(256.0);
        Tensor features = Conv.conv(xb, kernels);
        show("Conv.conv(xb, edge_kernels)", features.describe());
        out.println("top edge of image 7 at rows 3..5, columns 14..16 (the document: tensor(2.9727)):  "
                + String.format(java.util.Locale.ROOT, "%.4f", features.get(7, 1, 3, 14)));
        out.println("top edge of image 7 at rows 7..9, columns 14..16 (the document: tensor(-2.9570)): "
                + String.format(java.util.Locale.ROOT, "%.4f", features.get(7, 1, 7, 14)));
        out.println("image 1 and its four edge maps (left, top, diagonal, other diagonal):");
        ascii(List.of(xb.get(1).reshape(28, 28), features.get(1).get(0), features.get(1).get(1), features.get(1).get(2), features.get(1).get(3)));
    }

    // ------------------------------------------------------------------ printing

    private Tensor corr(Tensor x, Tensor k) {
        return Conv.conv(x.reshape(1, 1, x.dim(0), x.dim(1)), k.reshape(1, 1, k.dim(0), k.dim(1))).reshape(-1, (x.dim(1) - k.dim(1) + 1));
    }

    private void heading(String title, String what) {
        step++;
        out.println();
        String h = "== " + step + ". " + title + " ";
        out.println(h + "=".repeat(Math.max(3, 100 - h.length())));
        out.println("   " + what);
    }

    private void show(String label, Tensor t) {
        out.println(label + ":");
        out.println(t.toString(-1));
    }

    private void show(String label, String text) {
        out.println(label + ": " + text);
    }

    /** Where MNIST was found (null when it was not) and every folder searched. */
    private record Found(Path dir, List<Path> looked) {}

    private void skipped(Found data) {
        out.println("(skipped: MNIST not found; looked in " + data.looked() + "; pass --data-dir DIR or set CONVOLVE_DATA)");
    }

    /** Draws 2-D tensors side by side, darker characters for larger magnitudes (each scaled to its own maximum). */
    private void ascii(List<Tensor> images) {
        String ramp = " .:-=+*#%@";
        int rows = 0;
        for (Tensor t : images) rows = Math.max(rows, t.dim(0));
        double[] max = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            for (double v : images.get(i).toDoubleArray()) max[i] = Math.max(max[i], Math.abs(v));
        }
        for (int r = 0; r < rows; r++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < images.size(); i++) {
                Tensor t = images.get(i);
                for (int c = 0; c < t.dim(1); c++) {
                    if (r >= t.dim(0)) {
                        sb.append(' ');
                        continue;
                    }
                    double v = max[i] == 0 ? 0 : Math.abs(t.get(r, c)) / max[i];
                    sb.append(ramp.charAt((int) Math.min(ramp.length() - 1, Math.round(v * (ramp.length() - 1)))));
                }
                sb.append("  |  ");
            }
            out.println(sb.substring(0, sb.length() - 5).stripTrailing());
        }
    }
}
