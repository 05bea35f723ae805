package dev.convolve.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a binary frame message from the page: 12 bytes, big-endian, then the pixels.
 * <pre>
 *   bytes 0..3   ASCII "CVF1"
 *   bytes 4..5   width in pixels (1..{@value #MAX_SIDE})
 *   bytes 6..7   height in pixels (1..{@value #MAX_SIDE})
 *   bytes 8..11  frame id (any 32-bit number; echoed in the reply's stats)
 *   bytes 12..   width * height * 4 bytes of RGBA, row-major (the bytes of canvas getImageData)
 * </pre>
 *
 * @param width  pixels per row
 * @param height rows
 * @param id     the client's frame number
 */
public record FrameHeader(int width, int height, long id) {
    public static final int SIZE = 12;
    public static final int MAGIC = 0x43564631; // "CVF1"
    /** Largest width or height accepted. */
    public static final int MAX_SIDE = 4096;

    /**
     * Reads and validates the header of a message of {@code length} bytes whose first bytes are in {@code head}.
     *
     * @param maxPixels the largest {@code width * height} accepted
     * @throws IllegalArgumentException naming what is wrong (size, magic, dimensions, length)
     */
    public static FrameHeader parse(ByteBuffer head, long length, long maxPixels) {
        if (length < SIZE) throw new IllegalArgumentException("frame: a binary message must start with a 12-byte header, got " + length + " bytes");
        ByteBuffer b = head.duplicate().order(ByteOrder.BIG_ENDIAN);
        int magic = b.getInt(b.position());
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("frame: bad magic 0x%08x, expected \"CVF1\" (0x%08x)", magic, MAGIC));
        }
        int w = Short.toUnsignedInt(b.getShort(b.position() + 4)), h = Short.toUnsignedInt(b.getShort(b.position() + 6));
        long id = Integer.toUnsignedLong(b.getInt(b.position() + 8));
        if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) throw new IllegalArgumentException("frame: width and height must be between 1 and " + MAX_SIDE + ", got " + w + "x" + h);
        if ((long) w * h > maxPixels) throw new IllegalArgumentException("frame: " + w + "x" + h + " has more than the " + maxPixels + " pixels this server accepts");
        long expected = SIZE + 4L * w * h;
        if (length != expected) {
            throw new IllegalArgumentException("frame: a " + w + "x" + h + " RGBA frame is " + expected + " bytes with its header, got " + length);
        }
        return new FrameHeader(w, h, id);
    }

    /** Writes a header (for tests and clients written in Java). */
    public static void write(ByteBuffer b, int width, int height, long id) {
        b.order(ByteOrder.BIG_ENDIAN).putInt(MAGIC).putShort((short) width).putShort((short) height).putInt((int) id);
    }
}
