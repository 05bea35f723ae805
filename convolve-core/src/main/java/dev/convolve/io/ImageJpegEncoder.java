package dev.convolve.io;

import dev.convolve.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes many frames as JPEG with one reused {@link ImageWriter} and one reused image buffer (for a stream of
 * frames, such as the live webcam page). Not thread-safe: use one encoder per thread or connection. Close it to
 * release the native writer.
 */
public final class ImageJpegEncoder implements AutoCloseable {
    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    private BufferedImage buffer;
    private int quality;

    /**
     * An encoder writing at {@code quality} (1 to 100).
     *
     * @throws IllegalArgumentException when the quality is out of range
     */
    public ImageJpegEncoder(int quality) {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) throw new IllegalStateException("image: this Java runtime has no JPEG writer");
        writer = it.next();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        setQuality(quality);
    }

    /** Changes the quality (1 to 100) of the next frames. */
    public void setQuality(int quality) {
        if (quality < 1 || quality > 100) throw new IllegalArgumentException("jpeg: quality must be between 1 and 100, got " + quality);
        this.quality = quality;
        param.setCompressionQuality(quality / 100f);
    }

    public int quality() { return quality; }

    /**
     * Encodes an RGB image tensor ({@code u8[h][w][3]}); RGBA is encoded without its alpha channel.
     *
     * @throws IllegalArgumentException when the tensor is not an RGB or RGBA u8 image
     */
    public byte[] encode(Tensor image) {
        Images.checkU8Image("jpeg", image);
        if (image.rank() != 3 || image.dim(2) < 3) {
            throw new IllegalArgumentException("jpeg: this encoder takes RGB or RGBA images, got " + image.describe());
        }
        return encodeInterleaved((byte[]) image.data(), image.dim(1), image.dim(0), image.dim(2));
    }

    /**
     * Encodes {@code width x height} pixels of interleaved RGB ({@code channels} 3) or RGBA ({@code channels} 4,
     * alpha ignored) bytes, row-major from offset 0.
     */
    public byte[] encodeInterleaved(byte[] pixels, int width, int height, int channels) {
        if (channels != 3 && channels != 4) throw new IllegalArgumentException("jpeg: expected 3 or 4 channels, got " + channels);
        if (width < 1 || height < 1 || (long) width * height * channels > pixels.length) {
            throw new IllegalArgumentException("jpeg: " + pixels.length + " bytes cannot hold " + width + "x" + height + "x" + channels + " pixels");
        }
        if (buffer == null || buffer.getWidth() != width || buffer.getHeight() != height) {
            buffer = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        }
        byte[] dst = ((DataBufferByte) buffer.getRaster().getDataBuffer()).getData();
        int n = width * height;
        for (int i = 0, s = 0, d = 0; i < n; i++, s += channels, d += 3) {
            dst[d] = pixels[s + 2];
            dst[d + 1] = pixels[s + 1];
            dst[d + 2] = pixels[s];
        }
        bytes.reset();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(buffer, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() { writer.dispose(); }
}
