package dev.convolve.vision;

import dev.convolve.io.Images;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.fast.FastFilter;
import java.util.List;

/**
 * Filters images with kernels, each colour channel on its own (the Nx seed's channels-as-batch), alpha kept.
 *
 * <p>Input: an image {@code u8} or {@code f32}, {@code [h][w][c]} with c = 1, 3 or 4 (RGBA: the alpha channel is not
 * filtered but copied from the pixel under each output pixel's kernel centre), or {@code [h][w]}. Output: the same
 * type and channel count, {@code [oh][ow][c]} with {@code oh = ceil(h / stride)} for {@link FilterPadding#SAME} and
 * {@code (h - kh) / stride + 1} for {@link FilterPadding#VALID}. Output pixel {@code (i, j)} is
 * {@code sum over a, b of k[a][b] * img(i * stride - pt + a, j * stride - pl + b)} (a cross-correlation, pt and pl
 * the padding before, see {@link FilterOptions}), the image extended by the {@link BorderMode}. A u8 result is
 * clipped to [0, 255] and rounded half up; f32 results are not clipped.
 *
 * <p>{@link #apply} runs the fast paths (separable kernels as two 1-D passes, others as a direct 2-D filter, f32
 * arithmetic, SIMD when the Vector API is present, parallel over row bands); {@link #applyWithConv} runs the core
 * {@code conv} operator. They agree within one grey level (u8) or float rounding (f32).
 *
 * {@snippet :
 * Tensor photo = Images.read(Path.of("coffee.png"));                          // u8[400][600][3]
 * Tensor blurred = Filters.apply(photo, Kernels.gaussian(5, 1), FilterOptions.defaults());
 * Tensor edges = Filters.apply(photo, Kernels.named("sobel-x"), FilterOptions.defaults().withBorder(BorderMode.ZERO));
 * }
 */
public final class Filters {
    private Filters() {}

    /**
     * Filters {@code image} with {@code kernel} (fast path).
     *
     * @throws IllegalArgumentException when the image is not u8/f32 {@code [h][w][c]} (c in 1, 3, 4) or
     *         {@code [h][w]}, or a VALID kernel does not fit in the image
     */
    public static Tensor apply(Tensor image, Kernel kernel, FilterOptions options) {
        check(image, kernel, options);
        return FastFilter.apply(image, kernel, options);
    }

    /** Applies the kernels one after the other; a u8 image is rounded back to u8 after each (as running them one by one). */
    public static Tensor apply(Tensor image, List<Kernel> kernels, FilterOptions options) {
        if (kernels.isEmpty()) throw new IllegalArgumentException("filter: no kernel given");
        Tensor t = image;
        for (Kernel k : kernels) t = apply(t, k, options);
        return t;
    }

    /** The same filter computed with the core {@code conv} operator (the general path; slower). */
    public static Tensor applyWithConv(Tensor image, Kernel kernel, FilterOptions options) {
        return ConvFilter.apply(image, kernel, options);
    }

    /**
     * The colour channels of {@code image} filtered without rounding or clipping: {@code f32[oh][ow][colours]}
     * (alpha dropped). For feature maps with negative values (edge detectors), gradient magnitudes and pictures.
     */
    public static Tensor response(Tensor image, Kernel kernel, FilterOptions options) {
        check(image, kernel, options);
        Tensor img = Images.withChannelAxis(image);
        if (img.dim(2) == 4) img = img.sliceAxis(0, 3, 2);
        if (img.dtype() == DType.U8) img = img.asType(DType.F32);
        return Images.withChannelAxis(FastFilter.apply(img, kernel, options));
    }

    /** Which implementation {@link #apply} uses here (for logs and benchmarks): "vector (16 x f32)" or "scalar (...)". */
    public static String implementation() { return FastFilter.implementation(); }

    static void check(Tensor image, Kernel kernel, FilterOptions o) {
        if (image.dtype() != DType.U8 && image.dtype() != DType.F32) {
            throw new IllegalArgumentException("filter: expected a u8 or f32 image, got " + image.describe());
        }
        Images.checkImageShape("filter", image);
        int h = image.dim(0), w = image.dim(1);
        if (o.outputSize(h, kernel.rows()) == 0 || o.outputSize(w, kernel.cols()) == 0) {
            throw new IllegalArgumentException("filter: a " + kernel.rows() + "x" + kernel.cols() + " kernel does not fit in the image "
                    + image.describe() + " with padding valid");
        }
    }

    /** Copies the alpha channel under each output pixel's kernel centre into {@code out} (interleaved, 4 channels). */
    public static void copyAlpha(Tensor image, Object out, int oh, int ow, Kernel kernel, FilterOptions o) {
        int w = image.dim(1), s = o.stride();
        int cy = (kernel.rows() - 1) / 2 - o.padBefore(kernel.rows());
        int cx = (kernel.cols() - 1) / 2 - o.padBefore(kernel.cols());
        Object src = image.data();
        for (int i = 0; i < oh; i++) {
            int y = i * s + cy;
            for (int j = 0; j < ow; j++) {
                int from = ((y * w) + j * s + cx) * 4 + 3, to = (i * ow + j) * 4 + 3;
                if (out instanceof byte[] b) b[to] = ((byte[]) src)[from];
                else ((float[]) out)[to] = ((float[]) src)[from];
            }
        }
    }

    /** Wraps filtered data with the type of {@code image}, {@code [oh][ow]} for a grey {@code [h][w]} input. */
    public static Tensor wrapLike(Tensor image, int oh, int ow, Object data) {
        Shape s = image.rank() == 2 ? Shape.of(oh, ow) : Shape.of(oh, ow, image.dim(2));
        return Tensor.wrap(image.dtype(), s, data);
    }
}
