package dev.convolve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.io.Npy;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process and checks its results: shared by the operator command tests. */
final class CliTestSupport {
    private CliTestSupport() {}

    /** What a run printed and returned. */
    record Result(int code, String out, String err) {
        /** Asserts success and returns the printed tensor text. */
        String ok() {
            assertEquals(0, code, () -> "exit code " + code + ", stderr: " + err);
            return out.strip();
        }

        /** Asserts a bad-input failure: exit code 2 and exactly one line on stderr that starts with {@code prefix}; returns it. */
        String fails(String prefix) {
            assertEquals(2, code, () -> "expected exit code 2, got " + code + ", stdout: " + out + ", stderr: " + err);
            String e = err.strip();
            assertFalse(e.contains("\n"), () -> "expected one line on stderr, got:\n" + err);
            assertTrue(e.startsWith(prefix), () -> "expected stderr to start with '" + prefix + "', got: " + e);
            assertTrue(out.isBlank(), () -> "expected nothing on stdout, got: " + out);
            return e;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        // the reference backend's one-time notice is not part of a command's output
        String e = err.toString().replaceAll("(?m)^convolve: using the .*backend.*\\R?", "");
        return new Result(code, out.toString(), e);
    }

    static String npy(Path dir, String name, Tensor t) throws IOException {
        Path p = dir.resolve(name.endsWith(".npy") ? name : name + ".npy");
        Npy.write(p, t);
        return p.toString();
    }

    static Tensor read(Path p) throws IOException {
        return Npy.read(p);
    }

    /** Nx's inspect text from lines, so expected tensors read as Nx prints them. */
    static String nx(String... lines) {
        return String.join("\n", lines);
    }

    static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
