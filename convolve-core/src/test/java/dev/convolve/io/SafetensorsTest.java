package dev.convolve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir Path dir;

    @Test
    void roundTripsEveryTypeWithMetadata() throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (DType d : DType.values()) t.put("t_" + d, Tensor.iota(d, 2, 3));
        t.put("scalar", Tensor.scalar(2.5f));
        t.put("empty", Tensor.zeros(DType.F32, 0, 4));
        Path f = dir.resolve("a.safetensors");
        Safetensors.write(f, t, Map.of("epoch", "3", "model", "simple-cnn"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(t.keySet(), c.tensors().keySet());
        for (String k : t.keySet()) assertTrue(t.get(k).contentEquals(c.tensors().get(k)), k);
        assertEquals(Map.of("epoch", "3", "model", "simple-cnn"), c.metadata());
        assertEquals(0, (Files.size(f) - 8 - headerLength(f)) % 1, "data follows the header");
        assertEquals(0, headerLength(f) % 8, "header padded to 8 bytes");
    }

    @Test
    void layoutIsLittleEndianAfterTheHeader() throws Exception {
        Path f = dir.resolve("b.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.fromFloats(new float[] {1, -2}, 2)), null);
        byte[] all = Files.readAllBytes(f);
        long n = headerLength(f);
        String json = new String(all, 8, (int) n, StandardCharsets.UTF_8).trim();
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", json);
        ByteBuffer data = ByteBuffer.wrap(all, 8 + (int) n, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1f, data.getFloat());
        assertEquals(-2f, data.getFloat());
    }

    @Test
    void readsAFileWrittenByPythonSafetensors() throws Exception {
        // Bytes of safetensors.torch.save_file({"w": torch.tensor([[1., 2.], [3., 4.]])}, f, metadata={"format": "pt"}).
        String header = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        Path f = dir.resolve("py.safetensors");
        Files.write(f, b.array());
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals("[[1.0, 2.0], [3.0, 4.0]]", c.tensors().get("w").valuesString());
        assertEquals("pt", c.metadata().get("format"));
    }

    @Test
    void truncatedOrCorruptFilesAreReportedClearly() throws Exception {
        Path f = dir.resolve("c.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.iota(DType.F32, 10)), null);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("outside the 36 data bytes (truncated file?)"), e.getMessage());
        Files.write(cut, Arrays.copyOf(all, 5));
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().endsWith("is truncated: 5 bytes, shorter than the 8-byte header length"), e.getMessage());
        byte[] bad = all.clone();
        bad[9] = '#';
        Files.write(cut, bad);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        Files.write(cut, "not a safetensors file at all".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("invalid header length"), e.getMessage());
    }

    private static long headerLength(Path f) throws Exception {
        byte[] all = Files.readAllBytes(f);
        return ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
