package dev.convolve.io;

import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1, 2 and 3) for tensors. Reads little- and big-endian
 * {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1} (bool becomes u8), C or Fortran order; writes version 1.0,
 * little-endian, C order, atomically. bf16 has no NumPy type and is refused on write.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /**
     * Reads a tensor from an {@code .npy} file.
     *
     * @throws IllegalArgumentException when the file is missing or unreadable, is not an npy file, is truncated, or holds
     *         an unsupported type (the message names the file and what is wrong)
     * @throws IOException declared for callers that read streams; file errors are reported as IllegalArgumentException
     */
    public static Tensor read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("npy: no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("npy: cannot read " + file + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        return decode(bytes, file.toString());
    }

    /** Reads a tensor from an npy stream (read to its end). */
    public static Tensor read(InputStream in, String name) throws IOException {
        return decode(in.readAllBytes(), name);
    }

    /** Decodes the bytes of an npy file; {@code name} is used in error messages. */
    public static Tensor decode(byte[] b, String name) {
        if (b.length < 10 || !startsWith(b, MAGIC)) {
            throw new IllegalArgumentException("npy: " + name + " is not an .npy file (it does not start with \\x93NUMPY)");
        }
        int major = b[6] & 0xFF;
        int headerLen, start;
        if (major == 1) {
            headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) throw new IllegalArgumentException("npy: " + name + " is truncated inside its header");
            headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8 | (b[10] & 0xFF) << 16 | (b[11] & 0xFF) << 24;
            start = 12;
        } else {
            throw new IllegalArgumentException("npy: " + name + " has format version " + major + "; versions 1, 2 and 3 are supported");
        }
        if (headerLen < 0 || start + headerLen > b.length) {
            throw new IllegalArgumentException("npy: " + name + " is truncated inside its header (" + headerLen + " header bytes announced, "
                    + (b.length - start) + " present)");
        }
        String header = new String(b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(header, "descr", "'([^']*)'", name);
        boolean fortran = field(header, "fortran_order", "(True|False)", name).equals("True");
        int[] shape = parseShape(field(header, "shape", "\\(([^)]*)\\)", name), name);
        DescrType dt = parseDescr(descr, name);
        Shape s;
        try {
            s = Shape.of(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("npy: " + name + " declares shape " + java.util.Arrays.toString(shape) + ", which has too many elements to load");
        }
        long need = (long) s.size() * dt.size;
        int dataStart = start + headerLen;
        long have = b.length - dataStart;
        if (have < need) {
            throw new IllegalArgumentException("npy: " + name + " is truncated: its header announces shape " + s.toTuple() + " of '" + descr + "' ("
                    + need + " bytes) but only " + have + " bytes of data follow");
        }
        ByteBuffer buf = ByteBuffer.wrap(b, dataStart, (int) need).order(dt.order);
        int n = s.size();
        Object data = Buffers.allocate(dt.type, n);
        switch (dt.type) {
            case F32 -> buf.asFloatBuffer().get((float[]) data);
            case F64 -> buf.asDoubleBuffer().get((double[]) data);
            case S32, U32 -> buf.asIntBuffer().get((int[]) data);
            case S64, U64 -> buf.asLongBuffer().get((long[]) data);
            case S16, U16, F16 -> buf.asShortBuffer().get((short[]) data);
            case U8, S8 -> buf.get((byte[]) data);
            default -> throw new IllegalStateException(dt.type.toString());
        }
        if (dt.bool) {
            byte[] d = (byte[]) data;
            for (int i = 0; i < n; i++) d[i] = (byte) (d[i] != 0 ? 1 : 0);
        }
        if (fortran && shape.length > 1) {
            int[] rev = new int[shape.length];
            for (int i = 0; i < rev.length; i++) rev[i] = shape[shape.length - 1 - i];
            return Tensor.wrap(dt.type, Shape.of(rev), data).transpose();
        }
        return Tensor.wrap(dt.type, s, data);
    }

    private record DescrType(DType type, int size, ByteOrder order, boolean bool) {}

    private static DescrType parseDescr(String descr, String name) {
        if (descr.length() < 2) throw unsupported(descr, name);
        char e = descr.charAt(0);
        ByteOrder order = switch (e) {
            case '<', '|', '=' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> throw unsupported(descr, name);
        };
        String code = descr.substring(1);
        return switch (code) {
            case "f2" -> new DescrType(DType.F16, 2, order, false);
            case "f4" -> new DescrType(DType.F32, 4, order, false);
            case "f8" -> new DescrType(DType.F64, 8, order, false);
            case "i1" -> new DescrType(DType.S8, 1, order, false);
            case "i2" -> new DescrType(DType.S16, 2, order, false);
            case "i4" -> new DescrType(DType.S32, 4, order, false);
            case "i8" -> new DescrType(DType.S64, 8, order, false);
            case "u1" -> new DescrType(DType.U8, 1, order, false);
            case "u2" -> new DescrType(DType.U16, 2, order, false);
            case "u4" -> new DescrType(DType.U32, 4, order, false);
            case "u8" -> new DescrType(DType.U64, 8, order, false);
            case "b1" -> new DescrType(DType.U8, 1, order, true);
            default -> throw unsupported(descr, name);
        };
    }

    private static IllegalArgumentException unsupported(String descr, String name) {
        return new IllegalArgumentException("npy: " + name + " holds dtype '" + descr + "', which is not supported; supported are float16/32/64, int8/16/32/64, uint8/16/32/64 and bool");
    }

    private static String field(String header, String key, String valueRegex, String name) {
        Matcher m = Pattern.compile("['\"]" + key + "['\"]\\s*:\\s*" + valueRegex).matcher(header);
        if (!m.find()) throw new IllegalArgumentException("npy: " + name + " has a malformed header, no '" + key + "' in " + header.trim());
        return m.group(1);
    }

    private static int[] parseShape(String inner, String name) {
        List<Integer> dims = new ArrayList<>();
        for (String part : inner.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            try {
                long v = Long.parseLong(t.replace("L", ""));
                if (v < 0 || v > Integer.MAX_VALUE) throw new NumberFormatException();
                dims.add((int) v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("npy: " + name + " has a malformed shape (" + inner + ")");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }

    /** The NumPy type string of {@code t}, e.g. {@code <f4}. */
    public static String descr(DType t) {
        return switch (t) {
            case F16 -> "<f2";
            case F32 -> "<f4";
            case F64 -> "<f8";
            case S8 -> "|i1";
            case S16 -> "<i2";
            case S32 -> "<i4";
            case S64 -> "<i8";
            case U8 -> "|u1";
            case U16 -> "<u2";
            case U32 -> "<u4";
            case U64 -> "<u8";
            case BF16 -> throw new IllegalArgumentException("npy: bf16 has no NumPy type; convert to f32 first");
        };
    }

    /** Encodes a tensor as npy bytes (version 1.0, little-endian, C order). */
    public static byte[] encode(Tensor t) {
        String descr = descr(t.dtype());
        int[] d = t.dims();
        String shapeText = switch (d.length) {
            case 0 -> "()";
            case 1 -> "(" + d[0] + ",)";
            default -> java.util.Arrays.toString(d).replace('[', '(').replace(']', ')');
        };
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] hb = header.getBytes(StandardCharsets.ISO_8859_1);
        int bytes = t.size() * t.dtype().bytes();
        ByteBuffer out = ByteBuffer.allocate(10 + hb.length + bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb);
        Object data = t.data();
        switch (data) {
            case float[] a -> out.asFloatBuffer().put(a);
            case double[] a -> out.asDoubleBuffer().put(a);
            case int[] a -> out.asIntBuffer().put(a);
            case long[] a -> out.asLongBuffer().put(a);
            case short[] a -> out.asShortBuffer().put(a);
            case byte[] a -> out.put(a);
            default -> throw new IllegalStateException();
        }
        return out.array();
    }

    /** Writes a tensor to {@code file} atomically: a reader sees the old file or the complete new one. */
    public static void write(Path file, Tensor t) throws IOException {
        byte[] bytes = encode(t);
        AtomicFiles.write(file, bytes);
    }

    /** Writes npy bytes of {@code t} to a stream. */
    public static void write(OutputStream out, Tensor t) throws IOException {
        out.write(encode(t));
    }
}
