package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.npy;
import static dev.convolve.cli.CliTestSupport.run;
import static dev.convolve.cli.OpConvCommandTest.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands read the .npy variants NumPy writes, and integer results wrap as Nx's do. */
class OpNpyInputTest {

    @TempDir Path dir;

    /** An .npy file with the given header dictionary, format version and data bytes. */
    private String file(String name, String dict, int major, byte[] data) throws IOException {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.write(h.length & 0xFF);
            b.write(h.length >> 8);
        } else {
            b.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        }
        b.write(h);
        b.write(data);
        Path p = dir.resolve(name);
        Files.write(p, b.toByteArray());
        return p.toString();
    }

    @Test
    void bigEndianFortranOrderAndVersion2() throws IOException {
        ByteBuffer be = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 6; i++) be.putFloat(i);
        String big = file("big.npy", "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1, 6), }", 1, be.array());
        assertValues(run("window", "sum", big, "--window", "1,1,2", "--strides", "2"), "f32[1][1][3]", 1, 5, 9);
        // Fortran order: the values 0..5 of a 2x3 matrix stored column by column
        ByteBuffer col = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {0, 3, 1, 4, 2, 5}) col.putInt(v);
        String fortran = file("f.npy", "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", 2, col.array());
        assertEquals("#Nx.Tensor<\n  s32[2][3]\n  [\n    [0, 1, 2],\n    [3, 4, 5]\n  ]\n>", run("pad", fortran, "--config", "0:0,0:0").ok());
        ByteBuffer i16 = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putShort((short) -2).putShort((short) 300);
        String s16 = file("s16.npy", "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", 3, i16.array());
        assertEquals("#Nx.Tensor<\n  s16[3]\n  [-2, 300, 7]\n>", run("pad", s16, "--value", "7", "--config", "0:1").ok());
    }

    @Test
    void unsupportedDtypesAreRefusedClearly() throws IOException {
        String c = file("c.npy", "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 1, new byte[8]);
        String e = run("pad", c, "--config", "1:1").fails("convolve pad: ");
        assertTrue(e.contains("holds dtype '<c8', which is not supported; supported are float16/32/64, int8/16/32/64, uint8/16/32/64 and bool"), e);
    }

    @Test
    void integerSumsWrapAsNxDoes() throws IOException {
        String u = npy(dir, "u", Tensor.of(new byte[] {(byte) 200, 100}, DType.U8));
        assertValues(run("window", "sum", u, "--window", "2"), "u8[1]", 44);
        String s = npy(dir, "s", Tensor.of(new int[] {Integer.MAX_VALUE, 1}));
        assertValues(run("window", "sum", s, "--window", "2"), "s32[1]", Integer.MIN_VALUE);
        // the mean of the same s32 values is exact: the sum does not wrap before the division
        assertValues(run("window", "mean", s, "--window", "2"), "f32[1]", 1073741824);
    }
}
