package dev.convolve.cli;

import dev.convolve.io.ImageFormat;
import dev.convolve.io.Images;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.FilterPadding;
import dev.convolve.vision.Filters;
import dev.convolve.vision.Kernel;
import dev.convolve.vision.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convolve filter IN OUT --kernel NAME ...}: filters a photo, each colour channel on its own. */
@Command(name = "filter", mixinStandardHelpOptions = true,
        description = {
            "Filters an image (PNG, JPEG, BMP, GIF) with one or more kernels and writes the result.",
            "Each colour channel is filtered on its own; alpha is kept; the result is clipped to 0..255 and rounded half up.",
            "Kernels: see 'convolve kernels'; or a matrix such as \"1,0,-1;2,0,-2;1,0,-1\"; parameters inline: gaussian:size=15,sigma=3."},
        footer = {"", "Examples:",
            "  convolve filter chelsea.png blurred.png --kernel gaussian --sigma 2",
            "  convolve filter coffee.png edges.png --kernel sobel-x --border replicate",
            "  convolve filter camera.png out.jpg --kernel gaussian --kernel sharpen --quality 95"})
final class FilterCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "the image to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the image to write (format from the extension: .png .jpg .bmp .gif)")
    Path out;

    @Option(names = {"-k", "--kernel"}, required = true, paramLabel = "NAME",
            description = "kernel name, name:size=N,sigma=S, or a matrix \"a,b,c;d,e,f\"; repeat to chain filters (rounded to u8 between them)")
    List<String> kernels = new ArrayList<>();

    @Option(names = "--sigma", paramLabel = "S", description = "sigma of gaussian kernels (default 1)")
    Double sigma;

    @Option(names = "--size", paramLabel = "K", description = "size of gaussian and box kernels (gaussian: 2*ceil(2*sigma)+1, box: 3)")
    Integer size;

    @Option(names = "--stride", paramLabel = "S", defaultValue = "1", description = "step between output pixels (default ${DEFAULT-VALUE})")
    int stride;

    @Option(names = "--padding", paramLabel = "same|valid", defaultValue = "same", description = "same: one output pixel per input pixel; valid: only where the kernel fits (default ${DEFAULT-VALUE})")
    String padding;

    @Option(names = "--border", paramLabel = "MODE", defaultValue = "reflect",
            description = "beyond the edges: zero, reflect (OpenCV's default, no edge repeat), replicate, mirror (default ${DEFAULT-VALUE})")
    String border;

    @Option(names = "--quality", paramLabel = "Q", defaultValue = "90", description = "JPEG quality 1..100 (default ${DEFAULT-VALUE})")
    int quality;

    @Option(names = "--engine", paramLabel = "fast|conv", defaultValue = "fast",
            description = "fast: the vision module's fast paths; conv: the core conv operator (slower, the same result within one grey level)")
    String engine;

    @Override
    public Integer call() throws Exception {
        FilterOptions o = new FilterOptions(stride, FilterPadding.parse(padding), BorderMode.parse(border));
        List<Kernel> chain = FilterChain.kernels(kernels, size, sigma);
        boolean conv = switch (engine.trim().toLowerCase(Locale.ROOT)) {
            case "fast" -> false;
            case "conv" -> true;
            default -> throw new IllegalArgumentException("--engine must be fast or conv, got '" + engine + "'");
        };
        ImageFormat format = ImageFormat.fromPath(out);
        Tensor image = Images.read(in);
        long t0 = System.nanoTime();
        Tensor result = image;
        for (Kernel k : chain) result = conv ? Filters.applyWithConv(result, k, o) : Filters.apply(result, k, o);
        double ms = (System.nanoTime() - t0) / 1e6;
        Images.write(result, out, format, quality);
        StringBuilder what = new StringBuilder();
        for (Kernel k : chain) {
            if (!what.isEmpty()) what.append(" then ");
            what.append(k.name()).append(' ').append(k.rows()).append('x').append(k.cols());
            if (k.separable().isPresent()) what.append(" (separable)");
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s %s -> %s %s: %s, %s, %s border, stride %d, %.1f ms%n",
                in, image.describe(), out, result.describe(), what, o.padding(), o.border(), o.stride(), ms);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
