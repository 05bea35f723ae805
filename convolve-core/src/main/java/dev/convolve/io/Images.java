package dev.convolve.io;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Image files to and from tensors, through {@code javax.imageio}: PNG, JPEG (with a quality), BMP and GIF.
 *
 * <p>An image tensor is {@code u8[height][width][channels]} with 1 (grey), 3 (RGB) or 4 (RGBA) channels, row-major,
 * channels interleaved: the layout of the Nx seed's {@code {h, w, c}} images. Functions that take an image also accept
 * {@code u8[height][width]} as grey. {@link #toFloat} and {@link #toU8} convert to and from f32 in [0, 1];
 * {@link #resize} changes the size (nearest or bilinear).
 *
 * {@snippet :
 * Tensor cat = Images.read(Path.of("chelsea.png"));          // u8[300][451][3]
 * Tensor small = Images.resize(cat, 150, 225, ImageInterpolation.BILINEAR);
 * Images.write(small, Path.of("small.jpg"), ImageFormat.JPEG, 90);
 * }
 */
public final class Images {
    private Images() {}

    /** The JPEG quality {@link #write(Tensor, Path)} uses. */
    public static final int DEFAULT_JPEG_QUALITY = 90;

    /**
     * Reads an image file (PNG, JPEG, BMP, GIF; the format is found from the content, not the name).
     *
     * @return {@code u8[h][w][c]}, c = 1 grey, 3 RGB, 4 with alpha
     * @throws NoSuchFileException when the file does not exist
     * @throws IllegalArgumentException when the content is not an image these readers know, naming the file
     * @throws IOException when the file cannot be read
     */
    public static Tensor read(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("image: '" + file + "' is not a file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Decodes an image held in memory (the bytes of a PNG, JPEG, BMP or GIF file); see {@link #read(Path)}. */
    public static Tensor decode(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes), "image data");
        } catch (IOException e) {
            throw new IllegalArgumentException("image: cannot decode " + bytes.length + " bytes: " + e.getMessage(), e);
        }
    }

    /** Reads an image from a stream; {@code name} is used in error messages. */
    public static Tensor read(InputStream in, String name) throws IOException {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) throw new IOException("image: cannot open a stream on " + name);
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("image: " + name + " is not a PNG, JPEG, BMP or GIF image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                BufferedImage img;
                try {
                    img = reader.read(0);
                } catch (javax.imageio.IIOException | IndexOutOfBoundsException | IllegalStateException e) {
                    throw new IllegalArgumentException("image: " + name + " is a damaged " + reader.getFormatName().toUpperCase(java.util.Locale.ROOT)
                            + " file: " + e.getMessage());
                }
                return ImageBuffers.toTensor(img);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Writes {@code image} atomically in the format its extension names, JPEG with quality
     * {@value #DEFAULT_JPEG_QUALITY}.
     *
     * @throws IllegalArgumentException when the tensor is not an image, the extension is unknown, or the format cannot
     *         store the image (alpha in JPEG or BMP)
     */
    public static void write(Tensor image, Path file) throws IOException {
        write(image, file, ImageFormat.fromPath(file), DEFAULT_JPEG_QUALITY);
    }

    /**
     * Writes {@code image} atomically in {@code format}; {@code quality} (1 to 100) is used by JPEG only.
     *
     * @throws IllegalArgumentException as {@link #encode}
     */
    public static void write(Tensor image, Path file, ImageFormat format, int quality) throws IOException {
        byte[] bytes = encode(image, format, quality);
        AtomicFiles.write(file, bytes);
    }

    /**
     * The bytes of an image file holding {@code image}.
     *
     * @param image   {@code u8[h][w][c]} (c in 1, 3, 4) or {@code u8[h][w]}
     * @param quality JPEG quality, 1 (smallest) to 100 (best); ignored by the other formats
     * @throws IllegalArgumentException when the tensor is not an image, the quality is out of range, or the format
     *         cannot store the image (JPEG and BMP have no alpha: write PNG, or drop the alpha channel first)
     */
    public static byte[] encode(Tensor image, ImageFormat format, int quality) {
        checkU8Image("image", image);
        if (quality < 1 || quality > 100) throw new IllegalArgumentException("image: JPEG quality must be between 1 and 100, got " + quality);
        int c = image.rank() == 2 ? 1 : image.dim(2);
        if (c == 4 && (format == ImageFormat.JPEG || format == ImageFormat.BMP)) {
            throw new IllegalArgumentException("image: " + format + " cannot store the alpha channel of " + image.describe()
                    + "; write PNG, or keep the first 3 channels");
        }
        BufferedImage img = ImageBuffers.toBufferedImage(image);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, image.size() / 4));
        try {
            write(img, format, quality, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void write(BufferedImage img, ImageFormat format, int quality, OutputStream out) throws IOException {
        ImageWriter writer = writerFor(img, format);
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            if (format == ImageFormat.JPEG) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality / 100f);
            }
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
    }

    static ImageWriter writerFor(BufferedImage img, ImageFormat format) {
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(img);
        Iterator<ImageWriter> it = ImageIO.getImageWriters(type, format.imageIoName());
        if (!it.hasNext()) {
            throw new IllegalArgumentException("image: this Java runtime cannot write " + format + " images with "
                    + img.getColorModel().getNumComponents() + " channels");
        }
        return it.next();
    }

    /**
     * u8 pixels as f32 in [0, 1] ({@code v / 255}), same shape.
     *
     * @throws IllegalArgumentException when {@code image} is not u8
     */
    public static Tensor toFloat(Tensor image) {
        if (image.dtype() != DType.U8) throw new IllegalArgumentException("to_float: expected a u8 image, got " + image.describe());
        byte[] src = (byte[]) image.data();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) out[i] = (src[i] & 0xFF) / 255f;
        return Tensor.wrap(DType.F32, image.shape(), out);
    }

    /**
     * Floats in [0, 1] back to u8: clipped to [0, 1], times 255, rounded half up ({@code floor(v * 255 + 0.5)}); NaN
     * becomes 0. Same shape.
     *
     * @throws IllegalArgumentException when {@code image} is not f32 or f64
     */
    public static Tensor toU8(Tensor image) {
        if (image.dtype() != DType.F32 && image.dtype() != DType.F64) {
            throw new IllegalArgumentException("to_u8: expected an f32 or f64 image in [0, 1], got " + image.describe());
        }
        byte[] out = new byte[image.size()];
        for (int i = 0; i < out.length; i++) out[i] = (byte) roundToU8(image.getFlat(i) * 255.0);
        return Tensor.wrap(DType.U8, image.shape(), out);
    }

    /** {@code v} clipped to [0, 255] and rounded half up; NaN gives 0. The rounding of every u8 result here. */
    public static int roundToU8(double v) {
        if (!(v > 0)) return 0;
        if (v >= 255) return 255;
        return (int) (v + 0.5);
    }

    /**
     * Resizes {@code image} ({@code [h][w][c]} or {@code [h][w]}, u8 or f32) to {@code height x width}; u8 results
     * are rounded half up. See {@link ImageInterpolation} for the exact sampling.
     *
     * @throws IllegalArgumentException when the sizes are not positive or the tensor is not an image
     */
    public static Tensor resize(Tensor image, int height, int width, ImageInterpolation how) {
        return ImageResize.resize(image, height, width, how);
    }

    /**
     * Checks that {@code image} is {@code u8[h][w]} or {@code u8[h][w][c]} with c in 1, 3, 4 and non-empty.
     *
     * @throws IllegalArgumentException naming {@code op} and the tensor otherwise
     */
    public static void checkU8Image(String op, Tensor image) {
        if (image.dtype() != DType.U8) {
            throw new IllegalArgumentException(op + ": expected a u8 image [height][width][channels], got " + image.describe());
        }
        checkImageShape(op, image);
    }

    /** Checks the shape part of {@link #checkU8Image} (any type). */
    public static void checkImageShape(String op, Tensor image) {
        int r = image.rank();
        if (r != 2 && r != 3) {
            throw new IllegalArgumentException(op + ": expected an image [height][width][channels] or [height][width], got " + image.describe());
        }
        if (image.dim(0) == 0 || image.dim(1) == 0) throw new IllegalArgumentException(op + ": the image " + image.describe() + " is empty");
        if (r == 3) {
            int c = image.dim(2);
            if (c != 1 && c != 3 && c != 4) {
                throw new IllegalArgumentException(op + ": an image has 1 (grey), 3 (RGB) or 4 (RGBA) channels, got " + c + " in " + image.describe());
            }
        }
    }

    /** The image as {@code [h][w][c]}: a grey {@code [h][w]} gets a channel axis of 1. */
    public static Tensor withChannelAxis(Tensor image) {
        return image.rank() == 2 ? image.reshape(image.dim(0), image.dim(1), 1) : image;
    }
}
