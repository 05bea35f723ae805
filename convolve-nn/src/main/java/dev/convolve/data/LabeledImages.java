package dev.convolve.data;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * A set of grey images with integer labels, kept as the raw bytes (0..255); batches convert to f32 in [0, 1]
 * (as the seed's fast.ai data and PyTorch's anchor do).
 *
 * @param pixels  {@code count * height * width} bytes, row-major per image
 * @param labels  one class per image
 * @param classes number of classes
 */
public record LabeledImages(byte[] pixels, int[] labels, int count, int height, int width, int classes) {
    public LabeledImages {
        if (pixels.length != (long) count * height * width || labels.length != count) {
            throw new IllegalArgumentException("images: " + count + " images of " + height + "x" + width + " need " + ((long) count * height * width)
                    + " pixels and " + count + " labels, got " + pixels.length + " and " + labels.length);
        }
    }

    /** The images as f32 {@code [count, 1, height, width]} in [0, 1]. */
    public Tensor images() { return images(0, count); }

    /** Images {@code from .. from+n-1} as f32 {@code [n, 1, height, width]} in [0, 1]. */
    public Tensor images(int from, int n) {
        int hw = height * width;
        float[] out = new float[n * hw];
        for (int i = 0; i < n * hw; i++) out[i] = (pixels[from * hw + i] & 0xFF) * (1f / 255f);
        return Tensor.wrap(DType.F32, Shape.of(n, 1, height, width), out);
    }

    /** The raw images {@code from .. from+n-1} as u8 {@code [n, 1, height, width]} (0..255). */
    public Tensor rawImages(int from, int n) {
        int hw = height * width;
        byte[] out = java.util.Arrays.copyOfRange(pixels, from * hw, (from + n) * hw);
        return Tensor.wrap(DType.U8, Shape.of(n, 1, height, width), out);
    }

    /** Labels {@code from .. from+n-1} as s32 {@code [n]}. */
    public Tensor labels(int from, int n) {
        return Tensor.fromInts(java.util.Arrays.copyOfRange(labels, from, from + n), n);
    }

    /** The first {@code n} images (or all when there are fewer). */
    public LabeledImages head(int n) {
        int k = Math.min(n, count);
        return new LabeledImages(java.util.Arrays.copyOf(pixels, k * height * width), java.util.Arrays.copyOf(labels, k), k, height, width, classes);
    }
}
