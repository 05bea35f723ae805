package dev.convolve.cli;

import dev.convolve.io.Npy;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * What the operator commands share: reading {@code .npy} operands, and the {@code -o OUT.npy} / {@code --limit}
 * options (a picocli mixin) that either write the result atomically or print it like Nx prints tensors.
 */
final class CliTensors {

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.npy",
            description = "Write the result to this .npy file (atomically: readers see the old file or the whole new one). "
                    + "Without it the result is printed like Nx prints tensors.")
    Path output;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Without -o: print at most N elements (default ${DEFAULT-VALUE}, as Nx); 'all' prints every element.")
    String limit;

    /** Reads an operand; {@code role} (e.g. "input", "kernel") names it in errors. */
    static Tensor read(Path file, String role) throws IOException {
        if (file == null) throw new IllegalArgumentException("missing the " + role + " .npy file");
        if (!Files.exists(file)) throw new IllegalArgumentException("cannot read the " + role + ": no such file: " + file);
        if (Files.isDirectory(file)) throw new IllegalArgumentException("cannot read the " + role + ": " + file + " is a directory, not an .npy file");
        return Npy.read(file);
    }

    /** Checks {@code --limit} before any work is done. */
    int printLimit() {
        String s = limit.trim().toLowerCase(Locale.ROOT);
        if (s.equals("all") || s.equals("infinity")) return -1;
        int n = CliArgs.integer("--limit", s);
        if (n < 1) throw new IllegalArgumentException("--limit: expected a positive number of elements or 'all', got '" + limit + "'");
        return n;
    }

    /** Writes {@code result} to {@code -o} if given, else prints it on {@code out}. */
    void emit(Tensor result, PrintWriter out) throws IOException {
        if (output != null) {
            Npy.write(output, result);
        } else {
            out.println(result.toString(printLimit()));
            out.flush();
        }
    }
}
