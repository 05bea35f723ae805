package dev.convolve.io;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/** The resizing behind {@link Images#resize}: separable index and weight tables, one pass over the output. */
final class ImageResize {
    private ImageResize() {}

    static Tensor resize(Tensor image, int height, int width, ImageInterpolation how) {
        Images.checkImageShape("resize", image);
        if (image.dtype() != DType.U8 && image.dtype() != DType.F32) {
            throw new IllegalArgumentException("resize: expected a u8 or f32 image, got " + image.describe());
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize: the new size must be positive, got " + height + "x" + width + " for " + image.describe());
        }
        int h = image.dim(0), w = image.dim(1), c = image.rank() == 2 ? 1 : image.dim(2);
        Shape out = image.rank() == 2 ? Shape.of(height, width) : Shape.of(height, width, c);
        Axis ay = axis(h, height, how), ax = axis(w, width, how);
        boolean u8 = image.dtype() == DType.U8;
        Object src = image.data();
        Object dst = u8 ? new byte[out.size()] : new float[out.size()];
        for (int y = 0; y < height; y++) {
            int r0 = ay.i0[y] * w * c, r1 = ay.i1[y] * w * c;
            double fy = ay.f[y];
            for (int x = 0; x < width; x++) {
                int c0 = ax.i0[x] * c, c1 = ax.i1[x] * c;
                double fx = ax.f[x];
                int o = (y * width + x) * c;
                for (int k = 0; k < c; k++) {
                    double v00 = get(src, r0 + c0 + k), v01 = get(src, r0 + c1 + k);
                    double v10 = get(src, r1 + c0 + k), v11 = get(src, r1 + c1 + k);
                    double top = v00 + (v01 - v00) * fx, bottom = v10 + (v11 - v10) * fx;
                    double v = top + (bottom - top) * fy;
                    if (u8) ((byte[]) dst)[o + k] = (byte) Images.roundToU8(v);
                    else ((float[]) dst)[o + k] = (float) v;
                }
            }
        }
        return Tensor.wrap(image.dtype(), out, dst);
    }

    private static double get(Object data, int i) {
        return data instanceof byte[] b ? b[i] & 0xFF : ((float[]) data)[i];
    }

    /** For each output index: the two input indices and the weight of the second. */
    private record Axis(int[] i0, int[] i1, double[] f) {}

    private static Axis axis(int n, int m, ImageInterpolation how) {
        int[] i0 = new int[m], i1 = new int[m];
        double[] f = new double[m];
        double scale = (double) n / m;
        for (int d = 0; d < m; d++) {
            if (how == ImageInterpolation.NEAREST) {
                int s = Math.min((int) Math.floor(d * scale), n - 1);
                i0[d] = s;
                i1[d] = s;
            } else {
                double s = (d + 0.5) * scale - 0.5;
                if (s <= 0) {
                    i0[d] = 0;
                    i1[d] = 0;
                } else if (s >= n - 1) {
                    i0[d] = n - 1;
                    i1[d] = n - 1;
                } else {
                    int lo = (int) Math.floor(s);
                    i0[d] = lo;
                    i1[d] = lo + 1;
                    f[d] = s - lo;
                }
            }
        }
        return new Axis(i0, i1, f);
    }
}
