package dev.convolve.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length {@code N}, {@code N} bytes of JSON
 * (padded with spaces to a multiple of 8) mapping each tensor name to {@code {"dtype", "shape", "data_offsets":
 * [begin, end]}} plus an optional {@code "__metadata__"} map of strings, then the tensors' bytes, little-endian,
 * back to back. PyTorch's {@code safetensors.torch.load_file} reads what {@link #write} writes, and the reverse.
 *
 * <p>Files are written atomically ({@link AtomicFiles}): a reader sees the previous file or the complete new one.
 * Reading validates the header (lengths, JSON, types, shapes, offsets inside the data and without holes or
 * overlaps) and reports problems as {@link IllegalArgumentException} naming the file.
 */
public final class Safetensors {
    private Safetensors() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /** Tensors by name (in file order) and the metadata strings. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** The safetensors dtype name of {@code t}. */
    public static String dtypeName(DType t) {
        return switch (t) {
            case F64 -> "F64";
            case F32 -> "F32";
            case F16 -> "F16";
            case BF16 -> "BF16";
            case S64 -> "I64";
            case S32 -> "I32";
            case S16 -> "I16";
            case S8 -> "I8";
            case U64 -> "U64";
            case U32 -> "U32";
            case U16 -> "U16";
            case U8 -> "U8";
        };
    }

    private static DType parseDtype(String s, String where) {
        return switch (s) {
            case "F64" -> DType.F64;
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            case "I64" -> DType.S64;
            case "I32" -> DType.S32;
            case "I16" -> DType.S16;
            case "I8" -> DType.S8;
            case "U64" -> DType.U64;
            case "U32" -> DType.U32;
            case "U16" -> DType.U16;
            case "U8", "BOOL" -> DType.U8;
            default -> throw new IllegalArgumentException(where + " has unsupported dtype '" + s + "'");
        };
    }

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, atomically.
     *
     * @throws IllegalArgumentException for an empty name or the reserved name {@code __metadata__}
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.equals("__metadata__")) throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            Tensor t = e.getValue();
            long bytes = (long) t.size() * t.dtype().bytes();
            ObjectNode info = header.putObject(name);
            info.put("dtype", dtypeName(t.dtype()));
            ArrayNode shape = info.putArray("shape");
            for (int d : t.dims()) shape.add(d);
            ArrayNode off = info.putArray("data_offsets");
            off.add(offset);
            off.add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) head[i] = ' ';
        AtomicFiles.write(file, out -> {
            out.write(head);
            for (Tensor t : tensors.values()) out.write(littleEndian(t));
        });
    }

    private static byte[] littleEndian(Tensor t) {
        int n = t.size();
        ByteBuffer b = ByteBuffer.allocate(n * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.data()) {
            case byte[] a -> b.put(a);
            case short[] a -> b.asShortBuffer().put(a);
            case int[] a -> b.asIntBuffer().put(a);
            case long[] a -> b.asLongBuffer().put(a);
            case float[] a -> b.asFloatBuffer().put(a);
            case double[] a -> b.asDoubleBuffer().put(a);
            default -> throw new IllegalStateException("safetensors: unexpected storage " + t.data().getClass());
        }
        return b.array();
    }

    /**
     * Reads a safetensors file.
     *
     * @throws IllegalArgumentException when the file is truncated or its header is invalid (the message names the file)
     * @throws IOException when it cannot be read
     */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("safetensors: no such file: " + file);
        byte[] all = Files.readAllBytes(file);
        String where = "safetensors: " + file;
        if (all.length < 8) throw new IllegalArgumentException(where + " is truncated: " + all.length + " bytes, shorter than the 8-byte header length");
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER || n > all.length - 8) {
            throw new IllegalArgumentException(where + " has an invalid header length " + n + " for a file of " + all.length + " bytes (truncated or not safetensors)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " has a header that is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) throw new IllegalArgumentException(where + " has a header that is not a JSON object");
        long dataStart = 8 + n, dataLen = all.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        record Entry(String name, DType type, int[] shape, long begin, long end) {}
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new IllegalArgumentException(where + ": __metadata__ must be an object of strings");
                v.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) throw new IllegalArgumentException(where + ": metadata value of '" + m.getKey() + "' is not a string");
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            String at = where + ": tensor '" + name + "'";
            if (!v.isObject() || !v.path("dtype").isTextual() || !v.path("shape").isArray() || !v.path("data_offsets").isArray()
                    || v.path("data_offsets").size() != 2) {
                throw new IllegalArgumentException(at + " needs dtype, shape and data_offsets [begin, end]");
            }
            DType type = parseDtype(v.get("dtype").asText(), at);
            int[] shape = new int[v.get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = v.get("shape").get(i);
                if (!d.canConvertToInt() || d.asInt() < 0) throw new IllegalArgumentException(at + " has an invalid shape " + v.get("shape"));
                shape[i] = d.asInt();
                count *= shape[i];
            }
            long begin = v.get("data_offsets").get(0).asLong(-1), end = v.get("data_offsets").get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataLen) {
                throw new IllegalArgumentException(at + " has data_offsets [" + begin + ", " + end + "] outside the " + dataLen + " data bytes (truncated file?)");
            }
            if (end - begin != count * type.bytes()) {
                throw new IllegalArgumentException(at + " of " + type + Shape.of(shape) + " needs " + count * type.bytes() + " bytes, its offsets span " + (end - begin));
            }
            entries.add(new Entry(name, type, shape, begin, end));
        }
        entries.sort((a, b) -> Long.compare(a.begin, b.begin));
        long expect = 0;
        for (Entry e : entries) {
            if (e.begin != expect) {
                throw new IllegalArgumentException(where + ": tensor '" + e.name + "' starts at byte " + e.begin + " but the previous data ends at " + expect
                        + " (holes or overlaps are not allowed)");
            }
            expect = e.end;
        }
        if (expect != dataLen) {
            throw new IllegalArgumentException(where + " has " + dataLen + " data bytes but its tensors account for " + expect);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer data = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            int count = (int) ((e.end - e.begin) / e.type.bytes());
            Object arr = Buffers.allocate(e.type, count);
            ByteBuffer slice = data.slice((int) (dataStart + e.begin), (int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
            switch (arr) {
                case byte[] a -> slice.get(a);
                case short[] a -> slice.asShortBuffer().get(a);
                case int[] a -> slice.asIntBuffer().get(a);
                case long[] a -> slice.asLongBuffer().get(a);
                case float[] a -> slice.asFloatBuffer().get(a);
                case double[] a -> slice.asDoubleBuffer().get(a);
                default -> throw new IllegalStateException();
            }
            tensors.put(e.name, Tensor.wrap(e.type, Shape.of(e.shape), arr));
        }
        return new Contents(tensors, metadata);
    }
}
