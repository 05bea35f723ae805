package dev.convolve.io;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Datasets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

import static dev.convolve.testing.Errors.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** IDX (MNIST) files: the real datasets, raw and gzip, and a clear error for every bad file. */
class IdxTest {

    @Test
    void mnistFilesHaveTheirDocumentedShapes() {
        assertEquals("u8[60000][28][28]", Datasets.mnistTrainImages().describe());
        assertEquals("u8[10000][28][28]", Datasets.mnistTestImages().describe());
        assertEquals("u8[10000]", Datasets.mnistTestLabels().describe());
        assertEquals(7, Datasets.mnistTestLabels().getLong(0)); // the first test digit is a 7
    }

    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (int d : dims) o.writeBytes(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        o.writeBytes(payload);
        return o.toByteArray();
    }

    static Tensor read(byte[] b, String name) throws IOException { return Idx.read(new ByteArrayInputStream(b), name); }

    @Test
    void readsRawAndGzipBigEndianTypes() throws IOException {
        byte[] s16 = idx(0x0B, new int[] {2}, new byte[] {1, 2, (byte) 0xFF, (byte) 0xFE});
        assertEquals("s16[2] [258, -2]", describe(read(s16, "raw")));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(s16);
        }
        assertEquals("s16[2] [258, -2]", describe(read(gz.toByteArray(), "gz")));
        assertEquals(DType.F32, read(idx(0x0D, new int[] {1}, new byte[] {0x3F, (byte) 0x80, 0, 0}), "f").dtype());
        assertEquals(1.0, read(idx(0x0D, new int[] {1}, new byte[] {0x3F, (byte) 0x80, 0, 0}), "f").item());
    }

    @Test
    void badFilesAreRejectedWithTheFileAndTheProblem() {
        assertRejects(() -> read(new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 5}, "a.idx"), "idx", "a.idx is not an IDX file (magic number 01 02 08 01");
        assertRejects(() -> read(idx(0x07, new int[] {1}, new byte[1]), "b.idx"), "idx", "b.idx has unknown type code 0x07");
        assertRejects(() -> read(new byte[] {0, 0, 8, 2, 0, 0}, "c.idx"), "idx", "c.idx is truncated (ends inside its header)");
        assertRejects(() -> read(idx(0x08, new int[] {2, 3}, new byte[5]), "d.idx"), "idx",
                "d.idx is truncated: its header announces shape {2, 3} of u8 (6 bytes) but only 5 bytes follow");
        assertRejects(() -> read(idx(0x08, new int[] {2}, new byte[3]), "e.idx"), "idx", "e.idx has data past the end announced by its header");
        byte[] gz = Arrays.copyOf(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, 13);
        assertRejects(() -> read(gz, "f.gz"), "idx", "f.gz");
        assertRejects(() -> Idx.read(java.nio.file.Path.of("/nonexistent/g.idx")), "idx", "no such file", "g.idx");
    }

    static String describe(Tensor t) { return t.describe() + " " + t.valuesString(); }
}
