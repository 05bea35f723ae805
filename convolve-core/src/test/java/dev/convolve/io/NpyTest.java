package dev.convolve.io;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Fixtures;
import dev.convolve.testing.TestTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.convolve.testing.Errors.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NumPy .npy: round trips of every type and shape, the layouts NumPy writes, and a clear error for every bad file. */
class NpyTest {

    @TempDir
    Path dir;

    @Provide
    Arbitrary<DType> npyTypes() { return Arbitraries.of(DType.values()).filter(t -> t != DType.BF16); }

    @Property(tries = 200)
    void roundTripKeepsTypeShapeAndBits(@ForAll("npyTypes") DType t, @ForAll long seed) {
        int r = (int) Math.floorMod(seed, 5);
        int[] shape = new int[r];
        for (int i = 0; i < r; i++) shape[i] = (int) Math.floorMod(seed >> (8 * i), 4);
        Tensor x = TestTensors.random(t, shape, seed, true);
        Tensor back = Npy.decode(Npy.encode(x), "memory");
        assertTrue(back.contentEquals(x), () -> x.describe() + " came back as " + back.describe());
    }

    @Test
    void writeIsAtomicAndReadable() throws IOException {
        Tensor x = Tensor.iota(DType.S16, 2, 3);
        Path f = dir.resolve("sub/x.npy");
        Npy.write(f, x);
        assertTrue(Npy.read(f).contentEquals(x));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void headerIsNumpyVersion1AlignedTo64Bytes() {
        byte[] b = Npy.encode(Tensor.iota(DType.F32, 3));
        int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header.strip());
        assertTrue(header.endsWith("\n"));
    }

    @Test
    void readsFilesWrittenByNumpy() {
        Tensor x = Fixtures.array("unfold/unfold_0.x.npy");
        assertEquals("f64[1][1][4][4]", x.describe());
    }

    @Test
    void readsFortranOrderBigEndianBoolAndVersions2And3() {
        // a 2x3 int32 matrix [[1,2,3],[4,5,6]] in Fortran order, big-endian: column-major 1 4 2 5 3 6
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        for (int v : new int[] {1, 4, 2, 5, 3, 6}) data.putInt(v);
        Tensor f = Npy.decode(file(1, "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }", data.array()), "fortran");
        assertEquals("s32[2][3] [[1, 2, 3], [4, 5, 6]]", f.describe() + " " + f.valuesString());
        Tensor b = Npy.decode(file(2, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[] {0, 1, 7}), "bool");
        assertEquals("u8[3] [0, 1, 1]", b.describe() + " " + b.valuesString());
        Tensor s = Npy.decode(file(3, "{'descr': '<u2', 'fortran_order': False, 'shape': (), }", new byte[] {(byte) 0xFF, (byte) 0xFF}), "scalar");
        assertEquals("u16 65535", s.describe() + " " + s.valuesString());
    }

    @Test
    void badFilesAreRejectedWithTheFileAndTheProblem() throws IOException {
        assertRejects(() -> Npy.decode("hello world, not numpy".getBytes(StandardCharsets.UTF_8), "x.npy"), "npy", "x.npy is not an .npy file");
        assertRejects(() -> Npy.decode(new byte[0], "empty.npy"), "npy", "empty.npy is not an .npy file");
        byte[] good = Npy.encode(Tensor.iota(DType.F64, 2, 3));
        assertRejects(() -> Npy.decode(Arrays.copyOf(good, 40), "cut.npy"), "npy", "cut.npy is truncated inside its header");
        assertRejects(() -> Npy.decode(Arrays.copyOf(good, good.length - 8), "short.npy"), "npy",
                "short.npy is truncated: its header announces shape {2, 3} of '<f8' (48 bytes) but only 40 bytes of data follow");
        assertRejects(() -> Npy.decode(file(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]), "c.npy"), "npy",
                "c.npy holds dtype '<c16', which is not supported");
        assertRejects(() -> Npy.decode(file(1, "{'descr': '<f4', 'shape': (1,), }", new byte[4]), "h.npy"), "npy",
                "h.npy has a malformed header, no 'fortran_order'");
        assertRejects(() -> Npy.decode(file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }", new byte[4]), "s.npy"), "npy",
                "s.npy has a malformed shape (1, x)");
        assertRejects(() -> Npy.decode(file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }", new byte[4]), "big.npy"), "npy",
                "big.npy", "65536");
        byte[] v9 = good.clone();
        v9[6] = 9;
        assertRejects(() -> Npy.decode(v9, "v9.npy"), "npy", "v9.npy has format version 9");
        assertRejects(() -> Npy.read(dir.resolve("missing.npy")), "npy", "no such file", "missing.npy");
        assertRejects(() -> Npy.read(dir), "npy", "cannot read", dir.toString());
        assertRejects(() -> Npy.encode(Tensor.zeros(DType.BF16, 2)), "npy", "bf16 has no NumPy type");
    }

    /** An npy file of the given version with a header padded to 64 bytes. */
    static byte[] file(int version, String dict, byte[] data) {
        int pre = version == 1 ? 10 : 12;
        int len = dict.length() + 1;
        int pad = (64 - (pre + len) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(pre + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) b.putShort((short) h.length);
        else b.putInt(h.length);
        return b.put(h).put(data).array();
    }
}
