package dev.convolve.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compiles and runs the C anchor {@code peak_fma.c} (gcc -O2 -mavx512f -mfma) to check the Java peak against it. */
public final class PeakCheck {
    private PeakCheck() {}

    /** Per-core GFLOP/s the anchor printed for AVX-512 and AVX2. */
    public record Result(double avx512, double avx2) {}

    /** {@code ../shared/anchors/peak_fma.c} from the working directory or its parents, or null. */
    public static Path defaultSource() {
        return Anchors.find("peak_fma.c");
    }

    /**
     * Builds and runs the anchor.
     *
     * @throws IOException when gcc is missing or the program fails (the message says which)
     */
    public static Result run(Path source) throws IOException {
        Path dir = Files.createTempDirectory("convolve-peak");
        Path exe = dir.resolve("peak_fma");
        try {
            String gccOut = exec(60, "gcc", "-O2", "-mavx512f", "-mfma", source.toString(), "-o", exe.toString());
            if (!Files.isExecutable(exe)) throw new IOException("gcc could not build " + source + ": " + gccOut.trim());
            String out = exec(120, exe.toString());
            return new Result(find(out, "avx512 fp32: ([0-9.]+)"), find(out, "avx2 fp32: ([0-9.]+)"));
        } finally {
            Files.deleteIfExists(exe);
            Files.deleteIfExists(dir);
        }
    }

    private static double find(String text, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) throw new IOException("unexpected output from peak_fma: " + text.trim());
        return Double.parseDouble(m.group(1));
    }

    private static String exec(int seconds, String... cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd[0] + " (is it installed?)");
        }
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd[0] + " did not finish in " + seconds + " s");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted");
        }
    }
}
