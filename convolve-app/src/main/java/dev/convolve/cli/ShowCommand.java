package dev.convolve.cli;

import dev.convolve.io.AtomicFiles;
import dev.convolve.io.ImageFormat;
import dev.convolve.io.Images;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.Features;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.FilterPadding;
import dev.convolve.vision.Filters;
import dev.convolve.vision.ImageGrid;
import dev.convolve.vision.Kernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convolve show ...}: pictures rather than numbers. Kernels and feature maps drawn as a PNG grid (fast.ai's
 * {@code show_images}).
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Draws kernels and feature maps as a PNG grid.",
        subcommands = {ShowCommand.Edges.class, ShowCommand.Sobel.class, ShowCommand.Maps.class, ShowCommand.KernelsPicture.class},
        footer = {"", "Examples:",
            "  convolve show edges edges.png                      # 4 edge kernels on 16 MNIST digits",
            "  convolve show sobel chelsea.png sobel.png          # Sobel x, y and magnitude of a photo",
            "  convolve show maps coffee.png maps.png -k laplacian -k emboss -k gaussian:sigma=3",
            "  convolve show kernels kernels.png                  # the kernel library"})
final class ShowCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final List<String> EDGE_KERNELS = List.of("left-edge", "top-edge", "diag1-edge", "diag2-edge");

    static void write(Tensor picture, Path out, picocli.CommandLine.Model.CommandSpec spec, String what) throws Exception {
        ImageFormat f = ImageFormat.fromPath(out);
        byte[] bytes = Images.encode(picture, f, 95);
        AtomicFiles.write(out, bytes);
        spec.commandLine().getOut().println("wrote " + out + " (" + picture.dim(1) + "x" + picture.dim(0) + "): " + what);
        spec.commandLine().getOut().flush();
    }

    @Command(name = "edges", mixinStandardHelpOptions = true,
            description = {"fast.ai's picture: edge kernels applied to MNIST digits (F.conv2d(xb, edge_kernels), valid padding).",
                "First row: the kernels; then one row per digit: the digit and its feature maps."})
    static final class Edges implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OUT", description = "the PNG to write")
        Path out;

        @Option(names = "--count", defaultValue = "16", description = "number of digits (default ${DEFAULT-VALUE})")
        int count;

        @Option(names = "--first", defaultValue = "0", description = "index of the first digit (default ${DEFAULT-VALUE})")
        int first;

        @Option(names = "--set", defaultValue = "train", description = "train or test (default ${DEFAULT-VALUE})")
        String set;

        @Option(names = {"-k", "--kernel"}, paramLabel = "NAME", description = "kernels (default: left-edge, top-edge, diag1-edge, diag2-edge)")
        List<String> kernels = new ArrayList<>();

        @Option(names = "--data-dir", paramLabel = "DIR", description = "folder with the MNIST files (default: $CONVOLVE_DATA, ~/.cache/convolve/datasets/mnist, /usr/share/datasets/mnist, ../shared/datasets/mnist)")
        Path dataDir;

        @Option(names = "--cell", defaultValue = "84", description = "cell size in pixels (default ${DEFAULT-VALUE})")
        int cell;

        @Override
        public Integer call() throws Exception {
            if (count < 1 || count > 256) throw new IllegalArgumentException("--count must be between 1 and 256, got " + count);
            List<Kernel> ks = FilterChain.kernels(kernels.isEmpty() ? EDGE_KERNELS : kernels, null, null);
            Tensor images = ShowData.mnistImages(dataDir, set);
            if (first < 0 || first + count > images.dim(0)) {
                throw new IllegalArgumentException("--first " + first + " and --count " + count + " go past the " + images.dim(0) + " digits of the " + set + " set");
            }
            ImageGrid grid = new ImageGrid(cell);
            grid.addBlank(0, "kernels:");
            for (Kernel k : ks) grid.add(0, Features.kernelPicture(k, 16), k.name());
            FilterOptions valid = FilterOptions.defaults().withPadding(FilterPadding.VALID);
            for (int i = 0; i < count; i++) {
                Tensor digit = images.get(first + i).asType(DType.F32).divide(256.0);
                grid.add(i + 1, digit, set + " #" + (first + i));
                for (Kernel k : ks) grid.add(i + 1, Filters.apply(digit, k, valid), null);
            }
            write(grid.render(), out, spec, count + " digits x " + ks.size() + " kernels");
            return 0;
        }
    }

    @Command(name = "sobel", mixinStandardHelpOptions = true,
            description = "A photo, its Sobel derivatives along x and y, and the gradient magnitude sqrt(gx^2 + gy^2) of its grey levels.")
    static final class Sobel implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IN", description = "the photo")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "the PNG to write")
        Path out;

        @Option(names = "--border", defaultValue = "reflect", description = "zero, reflect, replicate or mirror (default ${DEFAULT-VALUE})")
        String border;

        @Option(names = "--cell", defaultValue = "320", description = "cell size in pixels (default ${DEFAULT-VALUE})")
        int cell;

        @Option(names = "--magnitude-only", description = "write only the magnitude, at the photo's size")
        boolean magnitudeOnly;

        @Override
        public Integer call() throws Exception {
            BorderMode b = BorderMode.parse(border);
            Tensor photo = Images.read(in);
            Tensor mag = Features.sobelMagnitude(photo, b);
            if (magnitudeOnly) {
                write(Features.display(mag), out, spec, "Sobel magnitude of " + in);
                return 0;
            }
            Tensor grey = Features.grey(photo);
            FilterOptions o = FilterOptions.defaults().withBorder(b);
            ImageGrid grid = new ImageGrid(cell)
                    .add(0, photo.rank() == 3 && photo.dim(2) == 4 ? photo.sliceAxis(0, 3, 2) : photo, in.getFileName().toString())
                    .add(0, Filters.response(grey, dev.convolve.vision.Kernels.named("sobel-x"), o), "sobel-x")
                    .add(0, Filters.response(grey, dev.convolve.vision.Kernels.named("sobel-y"), o), "sobel-y")
                    .add(0, mag, "magnitude");
            write(grid.render(), out, spec, "Sobel x, y and magnitude of " + in);
            return 0;
        }
    }

    @Command(name = "maps", mixinStandardHelpOptions = true,
            description = "A photo and its feature maps for the given kernels (responses of the grey levels, scaled from darkest to brightest).")
    static final class Maps implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IN", description = "the photo")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "the PNG to write")
        Path out;

        @Option(names = {"-k", "--kernel"}, required = true, paramLabel = "NAME", description = "kernels (repeat)")
        List<String> kernels = new ArrayList<>();

        @Option(names = "--sigma", description = "sigma of gaussian kernels")
        Double sigma;

        @Option(names = "--size", description = "size of gaussian and box kernels")
        Integer size;

        @Option(names = "--border", defaultValue = "reflect", description = "zero, reflect, replicate or mirror (default ${DEFAULT-VALUE})")
        String border;

        @Option(names = "--cell", defaultValue = "240", description = "cell size in pixels (default ${DEFAULT-VALUE})")
        int cell;

        @Override
        public Integer call() throws Exception {
            List<Kernel> ks = FilterChain.kernels(kernels, size, sigma);
            FilterOptions o = FilterOptions.defaults().withBorder(BorderMode.parse(border));
            Tensor photo = Images.read(in);
            Tensor grey = Features.grey(photo);
            ImageGrid grid = new ImageGrid(cell).add(0, photo.rank() == 3 && photo.dim(2) == 4 ? photo.sliceAxis(0, 3, 2) : photo, in.getFileName().toString());
            grid.addBlank(1, null);
            for (Kernel k : ks) {
                grid.add(0, Filters.response(grey, k, o), k.name() + " " + k.rows() + "x" + k.cols());
                grid.add(1, Features.kernelPicture(k, Math.max(1, 64 / Math.max(k.rows(), k.cols()))), "kernel");
            }
            write(grid.render(), out, spec, ks.size() + " feature maps of " + in);
            return 0;
        }
    }

    @Command(name = "kernels", mixinStandardHelpOptions = true, description = "The kernel library as pictures (smallest weight black, largest white).")
    static final class KernelsPicture implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OUT", description = "the PNG to write")
        Path out;

        @Option(names = {"-k", "--kernel"}, paramLabel = "NAME", description = "kernels (default: the whole library)")
        List<String> kernels = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<Kernel> ks = new ArrayList<>();
            if (kernels.isEmpty()) {
                for (var e : dev.convolve.vision.Kernels.catalogue()) ks.add(e.kernel(dev.convolve.vision.Kernels.KernelParams.DEFAULT));
            } else {
                ks = FilterChain.kernels(kernels, null, null);
            }
            ImageGrid grid = new ImageGrid(96);
            for (int i = 0; i < ks.size(); i++) {
                Kernel k = ks.get(i);
                grid.add(i / 6, Features.kernelPicture(k, Math.max(1, 96 / Math.max(k.rows(), k.cols()))), k.name());
            }
            write(grid.render(), out, spec, ks.size() + " kernels");
            return 0;
        }
    }
}
