package dev.convolve.io;

import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of MNIST and Fashion-MNIST (raw or gzip-compressed, detected from the content): a magic number
 * {@code 00 00 TYPE RANK}, RANK big-endian 32-bit sizes, then the values big-endian. Types: 0x08 u8, 0x09 s8,
 * 0x0B s16, 0x0C s32, 0x0D f32, 0x0E f64. The magic number, the sizes and the payload length are validated.
 */
public final class Idx {
    private Idx() {}

    /**
     * Reads an IDX file into a tensor of its type and shape.
     *
     * @throws IllegalArgumentException when the file is not IDX, is truncated or corrupt, or has bytes past the end
     *         (the message names the file and the problem)
     * @throws IOException when the file cannot be read
     */
    public static Tensor read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("idx: no such file: " + file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(raw, file.toString());
        }
    }

    /** Reads an IDX stream (gzip detected from its first two bytes); {@code name} is used in error messages. */
    public static Tensor read(InputStream raw, String name) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (ZipException e) {
                throw new IllegalArgumentException("idx: " + name + " is a corrupt gzip file: " + e.getMessage());
            }
        }
        try {
            return parse(in, name);
        } catch (EOFException e) {
            throw new IllegalArgumentException("idx: " + name + " is truncated (ends inside its header)");
        } catch (ZipException e) {
            throw new IllegalArgumentException("idx: " + name + " is a corrupt gzip file: " + e.getMessage());
        }
    }

    private static Tensor parse(InputStream in, String name) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) throw new EOFException();
        if (head[0] != 0 || head[1] != 0) {
            throw new IllegalArgumentException("idx: " + name + " is not an IDX file (magic number " + hex(head) + " does not start with 00 00)");
        }
        DType type = switch (head[2]) {
            case 0x08 -> DType.U8;
            case 0x09 -> DType.S8;
            case 0x0B -> DType.S16;
            case 0x0C -> DType.S32;
            case 0x0D -> DType.F32;
            case 0x0E -> DType.F64;
            default -> throw new IllegalArgumentException("idx: " + name + " has unknown type code 0x" + String.format("%02x", head[2])
                    + " in its magic number " + hex(head) + " (expected 08, 09, 0b, 0c, 0d or 0e)");
        };
        int rank = head[3] & 0xFF;
        if (rank == 0) throw new IllegalArgumentException("idx: " + name + " declares rank 0 in its magic number " + hex(head));
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) throw new EOFException();
        ByteBuffer db = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = db.getInt();
            if (dims[i] < 0) throw new IllegalArgumentException("idx: " + name + " declares a negative size " + dims[i] + " on axis " + i);
            count *= dims[i];
            if (count * type.bytes() > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("idx: " + name + " declares shape " + java.util.Arrays.toString(dims) + ", too large to load");
            }
        }
        int bytes = (int) count * type.bytes();
        byte[] payload = in.readNBytes(bytes);
        if (payload.length < bytes) {
            throw new IllegalArgumentException("idx: " + name + " is truncated: its header announces shape " + Shape.of(dims).toTuple() + " of " + type
                    + " (" + bytes + " bytes) but only " + payload.length + " bytes follow");
        }
        if (in.read() != -1) {
            throw new IllegalArgumentException("idx: " + name + " has data past the end announced by its header (shape " + Shape.of(dims).toTuple() + ")");
        }
        Object data = Buffers.allocate(type, (int) count);
        ByteBuffer pb = ByteBuffer.wrap(payload).order(ByteOrder.BIG_ENDIAN);
        switch (type) {
            case U8, S8 -> System.arraycopy(payload, 0, data, 0, bytes);
            case S16 -> pb.asShortBuffer().get((short[]) data);
            case S32 -> pb.asIntBuffer().get((int[]) data);
            case F32 -> pb.asFloatBuffer().get((float[]) data);
            case F64 -> pb.asDoubleBuffer().get((double[]) data);
            default -> throw new IllegalStateException();
        }
        return Tensor.wrap(type, Shape.of(dims), data);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
