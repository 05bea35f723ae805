package dev.convolve.vision;

import dev.convolve.io.Images;
import dev.convolve.ops.Conv;
import dev.convolve.ops.Pad;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * Filtering with the core operator, exactly as the Nx seed's {@code apply_kernel} does it: the image
 * {@code [h][w][c]} gets a leading axis, and the conv's input permutation {@code [3, 0, 1, 2]} puts the channels in
 * the batch axis, so each channel is convolved on its own with a {@code [1][1][kh][kw]} kernel; the output
 * permutation puts them back. The general path: every fast path of {@link Filters} is tested against it.
 */
final class ConvFilter {
    private ConvFilter() {}

    /** The colour channels of {@code image} ({@code [h][w][c]}, alpha already removed) filtered as f32, {@code [oh][ow][c]}. */
    static Tensor filterChannels(Tensor image, Kernel kernel, FilterOptions o) {
        Tensor x = image.asType(DType.F32);
        int kh = kernel.rows(), kw = kernel.cols();
        int[] lo = {o.padBefore(kh), o.padBefore(kw)}, hi = {o.padAfter(kh), o.padAfter(kw)};
        Padding convPadding;
        if (o.border() == BorderMode.ZERO || o.padding() == FilterPadding.VALID) {
            convPadding = Padding.explicit(lo, hi);
        } else {
            x = Pad.padOuter(x, o.border().padMode(), new int[] {lo[0], lo[1], 0}, new int[] {hi[0], hi[1], 0});
            convPadding = Padding.valid();
        }
        ConvOptions options = ConvOptions.defaults()
                .withStrides(o.stride())
                .withPadding(convPadding)
                .withInputPermutation(3, 0, 1, 2)
                .withOutputPermutation(3, 0, 1, 2);
        return Conv.conv(x.newAxis(0), kernel.toConvKernel(), options).squeeze(0);
    }

    /** {@link Filters#applyWithConv}: the whole image, alpha kept, u8 rounded. */
    static Tensor apply(Tensor image, Kernel kernel, FilterOptions o) {
        Filters.check(image, kernel, o);
        Tensor img = Images.withChannelAxis(image);
        int c = img.dim(2);
        int colour = c == 4 ? 3 : c;
        Tensor rgb = c == 4 ? img.sliceAxis(0, 3, 2) : img;
        Tensor out = filterChannels(rgb, kernel, o);
        int oh = out.dim(0), ow = out.dim(1);
        Object data;
        if (image.dtype() == DType.U8) {
            float[] f = out.floatData();
            byte[] b = new byte[oh * ow * c];
            for (int p = 0; p < oh * ow; p++) {
                for (int k = 0; k < colour; k++) b[p * c + k] = (byte) Images.roundToU8(f[p * colour + k]);
            }
            data = b;
        } else {
            float[] f = out.floatData();
            float[] r = new float[oh * ow * c];
            for (int p = 0; p < oh * ow; p++) System.arraycopy(f, p * colour, r, p * c, colour);
            data = r;
        }
        if (c == 4) Filters.copyAlpha(img, data, oh, ow, kernel, o);
        return Filters.wrapLike(image, oh, ow, data);
    }
}
