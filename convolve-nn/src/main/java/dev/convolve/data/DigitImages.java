package dev.convolve.data;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * Turns an arbitrary grey picture of one digit (or garment) into an MNIST-style 28x28 image, as MNIST itself was
 * made: ink is light on dark (a picture with a light background is inverted), the ink's bounding box is scaled
 * (area averaging, aspect ratio kept) to fit a 20x20 box, and the result is placed in the 28x28 frame so that its
 * centre of mass sits at the centre. A 28x28 picture that is already light on dark is kept as it is.
 */
public final class DigitImages {
    private DigitImages() {}

    /** Side of the output image. */
    public static final int SIZE = 28;
    private static final int BOX = 20;

    /**
     * Prepares {@code grey} ({@code h * w} values in [0, 1], row-major) and returns f32 {@code [1, 1, 28, 28]}.
     *
     * @throws IllegalArgumentException for an empty picture or one without any ink
     */
    public static Tensor prepare(float[] grey, int h, int w) {
        if (h < 1 || w < 1 || grey.length != h * w) {
            throw new IllegalArgumentException("digit image: expected " + h + "x" + w + " grey values, got " + grey.length);
        }
        boolean invert = borderMean(grey, h, w) > 0.5;
        float[] ink = new float[grey.length];
        for (int i = 0; i < ink.length; i++) ink[i] = invert ? 1 - grey[i] : grey[i];
        if (!invert && h == SIZE && w == SIZE) return Tensor.wrap(DType.F32, Shape.of(1, 1, SIZE, SIZE), ink);
        float max = 0;
        for (float v : ink) max = Math.max(max, v);
        if (max <= 0.05f) throw new IllegalArgumentException("digit image: the picture is blank (no ink found)");
        // Remove the background level, then find the ink's bounding box.
        float floor = 0.1f * max;
        int top = h, bottom = -1, left = w, right = -1;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                float v = ink[r * w + c] = Math.max(0, ink[r * w + c] - floor) / (max - floor);
                if (v > 0) {
                    top = Math.min(top, r); bottom = Math.max(bottom, r);
                    left = Math.min(left, c); right = Math.max(right, c);
                }
            }
        }
        int bh = bottom - top + 1, bw = right - left + 1;
        double scale = (double) BOX / Math.max(bh, bw);
        int oh = Math.max(1, (int) Math.round(bh * scale)), ow = Math.max(1, (int) Math.round(bw * scale));
        float[] box = resample(ink, w, top, left, bh, bw, oh, ow);
        // Centre of mass of the scaled box.
        double mass = 0, my = 0, mx = 0;
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double v = box[r * ow + c];
                mass += v;
                my += v * r;
                mx += v * c;
            }
        }
        double cy = mass > 0 ? my / mass : (oh - 1) / 2.0, cx = mass > 0 ? mx / mass : (ow - 1) / 2.0;
        int dy = (int) Math.round((SIZE - 1) / 2.0 - cy), dx = (int) Math.round((SIZE - 1) / 2.0 - cx);
        float[] out = new float[SIZE * SIZE];
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                int y = r + dy, x = c + dx;
                if (y >= 0 && y < SIZE && x >= 0 && x < SIZE) out[y * SIZE + x] = Math.min(1f, box[r * ow + c]);
            }
        }
        return Tensor.wrap(DType.F32, Shape.of(1, 1, SIZE, SIZE), out);
    }

    private static double borderMean(float[] g, int h, int w) {
        double s = 0;
        int n = 0;
        for (int c = 0; c < w; c++) { s += g[c] + g[(h - 1) * w + c]; n += 2; }
        for (int r = 0; r < h; r++) { s += g[r * w] + g[r * w + w - 1]; n += 2; }
        return s / n;
    }

    /** Area-averaging resample of the box (top, left, bh x bw) of {@code src} (row length {@code w}) to oh x ow. */
    static float[] resample(float[] src, int w, int top, int left, int bh, int bw, int oh, int ow) {
        float[] out = new float[oh * ow];
        double sy = (double) bh / oh, sx = (double) bw / ow;
        for (int r = 0; r < oh; r++) {
            double y0 = r * sy, y1 = y0 + sy;
            for (int c = 0; c < ow; c++) {
                double x0 = c * sx, x1 = x0 + sx, sum = 0, area = 0;
                for (int yy = (int) Math.floor(y0); yy < Math.ceil(y1) && yy < bh; yy++) {
                    double fy = Math.min(y1, yy + 1) - Math.max(y0, yy);
                    if (fy <= 0) continue;
                    for (int xx = (int) Math.floor(x0); xx < Math.ceil(x1) && xx < bw; xx++) {
                        double fx = Math.min(x1, xx + 1) - Math.max(x0, xx);
                        if (fx <= 0) continue;
                        sum += fx * fy * src[(top + yy) * w + left + xx];
                        area += fx * fy;
                    }
                }
                out[r * ow + c] = area > 0 ? (float) (sum / area) : 0f;
            }
        }
        return out;
    }
}
