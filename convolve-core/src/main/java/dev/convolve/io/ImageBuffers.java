package dev.convolve.io;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Converts between {@link BufferedImage} and image tensors {@code u8[height][width][channels]} (1 grey, 3 RGB,
 * 4 RGBA). Samples are read from the raster as stored, never through a colour conversion (which would change the
 * values of grey images); deeper samples (16-bit PNG) are scaled to 8 bits with rounding.
 */
public final class ImageBuffers {
    private ImageBuffers() {}

    /**
     * The pixels of {@code img} as {@code u8[h][w][c]}: c = 1 for grey, 3 for colour, 4 when the image has alpha
     * (grey with alpha becomes RGBA). Palette images give grey, RGB or RGBA as their palette needs; images in other
     * colour spaces (CMYK, linear RGB) are converted to sRGB.
     */
    public static Tensor toTensor(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        byte[] fast = interleavedBytes(img);
        if (fast != null) return fastToTensor(img.getType(), fast, w, h);
        if (cm instanceof IndexColorModel icm) return fromIndexed(img, icm, w, h);
        if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()) {
            int type = cm.getColorSpace().getType();
            int bands = r.getNumBands();
            boolean alpha = cm.hasAlpha();
            if (type == ColorSpace.TYPE_GRAY && bands == (alpha ? 2 : 1)) return fromGrey(r, cm, w, h, alpha);
            if (cm.getColorSpace().isCS_sRGB() && bands == (alpha ? 4 : 3)) return fromComponents(r, cm, w, h, bands);
        }
        return fromArgb(img, w, h, cm.hasAlpha());
    }

    /**
     * A new image holding the pixels of {@code image} ({@code u8[h][w][c]} or {@code u8[h][w]}, c in 1, 3, 4):
     * {@code TYPE_BYTE_GRAY}, {@code TYPE_3BYTE_BGR} or {@code TYPE_4BYTE_ABGR}.
     *
     * @throws IllegalArgumentException when the tensor is not such an image
     */
    public static BufferedImage toBufferedImage(Tensor image) {
        Images.checkU8Image("image", image);
        int h = image.dim(0), w = image.dim(1), c = image.rank() == 2 ? 1 : image.dim(2);
        byte[] src = (byte[]) image.data();
        int type = switch (c) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            default -> BufferedImage.TYPE_4BYTE_ABGR;
        };
        BufferedImage img = new BufferedImage(w, h, type);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        copySwizzled(src, dst, w * h, c);
        return img;
    }

    /**
     * Copies {@code n} pixels of interleaved RGB(A)/grey {@code src} into the byte layout of the matching
     * {@code BufferedImage} type (BGR, ABGR, grey); the same swizzle converts back.
     */
    static void copySwizzled(byte[] src, byte[] dst, int n, int c) {
        switch (c) {
            case 1 -> System.arraycopy(src, 0, dst, 0, n);
            case 3 -> {
                for (int i = 0, p = 0; i < n; i++, p += 3) {
                    dst[p] = src[p + 2];
                    dst[p + 1] = src[p + 1];
                    dst[p + 2] = src[p];
                }
            }
            default -> {
                for (int i = 0, p = 0; i < n; i++, p += 4) {
                    dst[p] = src[p + 3];
                    dst[p + 1] = src[p + 2];
                    dst[p + 2] = src[p + 1];
                    dst[p + 3] = src[p];
                }
            }
        }
    }

    /** The backing bytes when {@code img} is a plain, unshared grey, BGR or ABGR image; null otherwise. */
    private static byte[] interleavedBytes(BufferedImage img) {
        int t = img.getType();
        if (t != BufferedImage.TYPE_BYTE_GRAY && t != BufferedImage.TYPE_3BYTE_BGR && t != BufferedImage.TYPE_4BYTE_ABGR) return null;
        WritableRaster r = img.getRaster();
        if (!(r.getDataBuffer() instanceof DataBufferByte db) || db.getNumBanks() != 1) return null;
        if (!(r.getSampleModel() instanceof PixelInterleavedSampleModel sm)) return null;
        int c = r.getNumBands();
        if (r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0) return null;
        if (sm.getPixelStride() != c || sm.getScanlineStride() != c * img.getWidth() || sm.getWidth() != img.getWidth()) return null;
        int[] offs = sm.getBandOffsets();
        for (int i = 0; i < c; i++) if (offs[i] != c - 1 - i) return null;
        byte[] data = db.getData();
        return data.length == c * img.getWidth() * img.getHeight() ? data : null;
    }

    private static Tensor fastToTensor(int type, byte[] data, int w, int h) {
        int c = type == BufferedImage.TYPE_BYTE_GRAY ? 1 : type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
        byte[] out = new byte[w * h * c];
        copySwizzled(data, out, w * h, c);
        return Tensor.wrap(DType.U8, Shape.of(h, w, c), out);
    }

    private static Tensor fromIndexed(BufferedImage img, IndexColorModel icm, int w, int h) {
        int n = icm.getMapSize();
        boolean grey = true;
        for (int i = 0; i < n && grey; i++) grey = icm.getRed(i) == icm.getGreen(i) && icm.getGreen(i) == icm.getBlue(i);
        boolean alpha = icm.hasAlpha();
        int c = alpha ? 4 : grey ? 1 : 3;
        byte[] out = new byte[w * h * c];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            putArgbRow(row, out, y * w * c, c);
        }
        return Tensor.wrap(DType.U8, Shape.of(h, w, c), out);
    }

    private static Tensor fromArgb(BufferedImage img, int w, int h, boolean alpha) {
        int c = alpha ? 4 : 3;
        byte[] out = new byte[w * h * c];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            putArgbRow(row, out, y * w * c, c);
        }
        return Tensor.wrap(DType.U8, Shape.of(h, w, c), out);
    }

    private static void putArgbRow(int[] row, byte[] out, int off, int c) {
        for (int x = 0, p = off; x < row.length; x++, p += c) {
            int v = row[x];
            if (c == 1) {
                out[p] = (byte) v;
            } else {
                out[p] = (byte) (v >> 16);
                out[p + 1] = (byte) (v >> 8);
                out[p + 2] = (byte) v;
                if (c == 4) out[p + 3] = (byte) (v >>> 24);
            }
        }
    }

    private static Tensor fromGrey(Raster r, ColorModel cm, int w, int h, boolean alpha) {
        int c = alpha ? 4 : 1;
        int bits = cm.getComponentSize(0), abits = alpha ? cm.getComponentSize(1) : 8;
        byte[] out = new byte[w * h * c];
        int bands = alpha ? 2 : 1;
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            for (int x = 0, p = y * w * c; x < w; x++, p += c) {
                int g = to8(row[x * bands], bits);
                out[p] = (byte) g;
                if (alpha) {
                    out[p + 1] = (byte) g;
                    out[p + 2] = (byte) g;
                    out[p + 3] = (byte) to8(row[x * bands + 1], abits);
                }
            }
        }
        return Tensor.wrap(DType.U8, Shape.of(h, w, c), out);
    }

    private static Tensor fromComponents(Raster r, ColorModel cm, int w, int h, int c) {
        int[] bits = new int[c];
        for (int i = 0; i < c; i++) bits[i] = cm.getComponentSize(i);
        byte[] out = new byte[w * h * c];
        int[] row = new int[w * c];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            int base = y * w * c;
            for (int i = 0; i < row.length; i++) out[base + i] = (byte) to8(row[i], bits[i % c]);
        }
        return Tensor.wrap(DType.U8, Shape.of(h, w, c), out);
    }

    /** A sample of {@code bits} bits scaled to 0..255 with rounding. */
    private static int to8(int v, int bits) {
        if (bits == 8) return v & 0xFF;
        long max = (1L << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }
}
