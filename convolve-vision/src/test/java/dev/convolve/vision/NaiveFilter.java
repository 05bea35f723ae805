package dev.convolve.vision;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * An independent, straightforward filter for the tests: the definition of {@link Filters} written as loops in double
 * precision, with its own border rules (not {@link BorderMode#index}).
 */
public final class NaiveFilter {
    private NaiveFilter() {}

    /** The unrounded result {@code [oh][ow][c]} (colour channels and alpha alike) in double precision. */
    public static double[][][] filter(Tensor image, double[][] k, int stride, boolean same, String border) {
        int h = image.dim(0), w = image.dim(1), c = image.rank() == 2 ? 1 : image.dim(2);
        int kh = k.length, kw = k[0].length;
        int pt = same ? (kh - 1) / 2 : 0, pl = same ? (kw - 1) / 2 : 0;
        int ph = same ? kh - 1 : 0, pw = same ? kw - 1 : 0;
        int oh = (h + ph - kh) / stride + 1, ow = (w + pw - kw) / stride + 1;
        double[][][] out = new double[oh][ow][c];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int y = fold(i * stride - pt + a, h, border), x = fold(j * stride - pl + b, w, border);
                            if (y < 0 || x < 0) continue;
                            s += k[a][b] * value(image, y, x, ch, c);
                        }
                    }
                    out[i][j][ch] = s;
                }
            }
        }
        return out;
    }

    static double value(Tensor image, int y, int x, int ch, int c) {
        return image.getFlat((y * image.dim(1) + x) * c + ch);
    }

    /** Position {@code p} folded into [0, n) by the border rule, or -1 for a zero. */
    static int fold(int p, int n, String border) {
        if (p >= 0 && p < n) return p;
        switch (border) {
            case "zero":
                return -1;
            case "replicate":
                return Math.max(0, Math.min(n - 1, p));
            case "reflect":
                if (n == 1) return 0;
                while (p < 0 || p >= n) p = p < 0 ? -p : 2 * (n - 1) - p;
                return p;
            case "mirror":
                while (p < 0 || p >= n) p = p < 0 ? -p - 1 : 2 * n - 1 - p;
                return p;
            default:
                throw new IllegalArgumentException(border);
        }
    }

    /** The filter as {@link Filters#apply} defines it: u8 rounded half up after clipping, alpha copied from the centre. */
    public static Tensor expected(Tensor image, double[][] k, int stride, boolean same, String border) {
        double[][][] r = filter(image, k, stride, same, border);
        int oh = r.length, ow = r[0].length, c = r[0][0].length;
        int cy = (k.length - 1) / 2 - (same ? (k.length - 1) / 2 : 0), cx = (k[0].length - 1) / 2 - (same ? (k[0].length - 1) / 2 : 0);
        double[] v = new double[oh * ow * c];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int ch = 0; ch < c; ch++) {
                    double x = c == 4 && ch == 3 ? value(image, i * stride + cy, j * stride + cx, 3, 4) : r[i][j][ch];
                    if (image.dtype() == DType.U8) x = Math.floor(Math.min(255, Math.max(0, x)) + 0.5);
                    v[(i * ow + j) * c + ch] = x;
                }
            }
        }
        return image.rank() == 2 ? Tensor.fromValues(image.dtype(), v, oh, ow) : Tensor.fromValues(image.dtype(), v, oh, ow, c);
    }
}
