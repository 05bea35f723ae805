package dev.convolve.vision;

import dev.convolve.io.Images;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/** Derived pictures: grey levels, gradient magnitude, and maps scaled for display. */
public final class Features {
    private Features() {}

    /**
     * The grey level of an image (ITU-R BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B}; grey images are returned as
     * f32; alpha ignored), as {@code f32[h][w]} in the image's scale (0..255 for u8).
     */
    public static Tensor grey(Tensor image) {
        Images.checkImageShape("grey", image);
        Tensor img = Images.withChannelAxis(image);
        int h = img.dim(0), w = img.dim(1), c = img.dim(2);
        float[] out = new float[h * w];
        for (int p = 0; p < h * w; p++) {
            if (c == 1) {
                out[p] = (float) img.getFlat(p);
            } else {
                out[p] = (float) (0.299 * img.getFlat(p * c) + 0.587 * img.getFlat(p * c + 1) + 0.114 * img.getFlat(p * c + 2));
            }
        }
        return Tensor.wrap(DType.F32, Shape.of(h, w), out);
    }

    /**
     * The Sobel gradient magnitude {@code sqrt(gx^2 + gy^2)} of the image's grey levels, {@code f32[h][w]}, with the
     * given border (same padding, stride 1).
     */
    public static Tensor sobelMagnitude(Tensor image, BorderMode border) {
        Tensor g = grey(image);
        FilterOptions o = FilterOptions.defaults().withBorder(border);
        float[] gx = Filters.response(g, Kernels.named("sobel-x"), o).floatData();
        float[] gy = Filters.response(g, Kernels.named("sobel-y"), o).floatData();
        float[] m = new float[gx.length];
        for (int i = 0; i < m.length; i++) m[i] = (float) Math.sqrt((double) gx[i] * gx[i] + (double) gy[i] * gy[i]);
        return Tensor.wrap(DType.F32, Shape.of(g.dim(0), g.dim(1)), m);
    }

    /**
     * A map of any values as a u8 grey picture {@code [h][w][1]}: the smallest value black, the largest white, linear
     * in between (matplotlib's {@code imshow} default; a constant map is mid-grey). RGB(A) u8 images pass through.
     */
    public static Tensor display(Tensor map) {
        if (map.dtype() == DType.U8 && map.rank() == 3 && map.dim(2) != 1) return map;
        Tensor m = map.rank() == 3 && map.dim(2) == 1 ? map.reshape(map.dim(0), map.dim(1)) : map;
        if (m.rank() != 2) throw new IllegalArgumentException("display: expected a map [h][w] or an image [h][w][c], got " + map.describe());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m.size(); i++) {
            double v = m.getFlat(i);
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        byte[] out = new byte[m.size()];
        for (int i = 0; i < out.length; i++) {
            double v = m.getFlat(i);
            out[i] = (byte) (!(hi > lo) || !Double.isFinite(v) ? 128 : Images.roundToU8((v - lo) / (hi - lo) * 255));
        }
        return Tensor.wrap(DType.U8, Shape.of(m.dim(0), m.dim(1), 1), out);
    }

    /**
     * A kernel as a picture: each weight a {@code cell x cell} square, smallest weight black and largest white (as
     * fast.ai's {@code show_image(top_edge)}), {@code u8[rows * cell][cols * cell][1]}.
     */
    public static Tensor kernelPicture(Kernel k, int cell) {
        Tensor d = display(k.toTensor(DType.F64));
        return Images.resize(d, k.rows() * cell, k.cols() * cell, dev.convolve.io.ImageInterpolation.NEAREST);
    }
}
