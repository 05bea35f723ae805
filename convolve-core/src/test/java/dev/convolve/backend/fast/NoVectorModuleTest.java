package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.backend.Backends;
import dev.convolve.ops.Conv;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without {@code jdk.incubator.vector} the fast backend still runs (scalar kernels) and says why in one line: checked in a
 * child JVM started without {@code --add-modules}.
 */
class NoVectorModuleTest {

    /** The child's entry point: one conv through the automatic backend choice, printed. */
    public static void main(String[] args) {
        Tensor x = Tensor.iota(DType.F32, 1, 1, 3, 3);
        Tensor k = Tensor.of(new float[][][][] {{{{0, 1}, {2, 3}}}});
        Tensor y = Conv.conv(x, k);
        System.out.println(Backends.current().name() + " " + y.dtype() + y.shape() + " " + java.util.Arrays.toString(y.toDoubleArray()));
    }

    @Test
    void runsScalarAndSaysWhy() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(java, "-cp", cp, NoVectorModuleTest.class.getName()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), err);
        assertEquals("fast f32[1][1][2][2] [19.0, 25.0, 37.0, 43.0]", out);
        assertTrue(err.contains("convolve: fast backend without SIMD: the Vector API module is not enabled"), err);
        assertEquals(1, err.lines().filter(l -> l.startsWith("convolve:")).count(), err);
    }

    @Test
    void simdCanBeSwitchedOff() {
        String saved = System.getProperty("convolve.simd");
        System.setProperty("convolve.simd", "false");
        try {
            Simd.Choice c = Simd.choose();
            assertTrue(c.kernels() instanceof ScalarKernels);
            assertTrue(c.whyScalar().contains("convolve.simd=false"), c.whyScalar());
        } finally {
            if (saved == null) System.clearProperty("convolve.simd");
            else System.setProperty("convolve.simd", saved);
        }
    }

    @Test
    void pathOfTheTestClassesIsOnTheClassPath() {
        assertTrue(System.getProperty("java.class.path").contains(Path.of("target", "test-classes").toString()));
    }
}
