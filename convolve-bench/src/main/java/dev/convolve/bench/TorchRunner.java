package dev.convolve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convolve.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch in a child process ({@code /usr/bin/python3} running the bundled {@code torch_bench.py}), with the same
 * thread count ({@code torch.set_num_threads} and {@code OMP_NUM_THREADS}), timing one case at a time on request
 * so that its samples interleave with ours.
 */
public final class TorchRunner implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path script;
    private final String version;

    private TorchRunner(Process process, Path script) throws IOException {
        this.process = process;
        this.script = script;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        JsonNode hello = read();
        if (hello.has("error")) throw new IOException(hello.get("error").asText());
        this.version = hello.path("torch").asText("?");
    }

    /**
     * Starts PyTorch with {@code threads} threads.
     *
     * @throws IOException with a one-line reason when python3 or torch is missing
     */
    public static TorchRunner start(int threads) throws IOException {
        if (!Files.isExecutable(Path.of(PYTHON))) throw new IOException(PYTHON + " is not installed");
        byte[] code;
        try (InputStream s = TorchRunner.class.getResourceAsStream("torch_bench.py")) {
            if (s == null) throw new IOException("torch_bench.py is missing from the bench module");
            code = s.readAllBytes();
        }
        Path dir = Files.createTempDirectory("convolve-bench");
        Path script = dir.resolve("torch_bench.py");
        AtomicFiles.write(script, code);
        ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(threads));
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            return new TorchRunner(p, script);
        } catch (IOException e) {
            p.destroyForcibly();
            cleanup(script);
            throw e;
        }
    }

    /** The PyTorch version reported by the child. */
    public String version() { return version; }

    /** PyTorch's seconds per call for the case, timed for at least {@code seconds}. */
    public double secondsPerCall(int id, BenchCase c, boolean backward, double seconds) throws IOException {
        in.write("{\"op\":\"time\",\"id\":" + id + ",\"backward\":" + backward + ",\"seconds\":" + seconds + ",\"case\":" + c.toJson() + "}\n");
        in.flush();
        JsonNode r = read();
        if (r.has("error")) throw new IOException("PyTorch failed on " + c.name() + ": " + r.get("error").asText());
        return r.get("seconds_per_call").asDouble();
    }

    private JsonNode read() throws IOException {
        String line = out.readLine();
        if (line == null) throw new IOException("the PyTorch process ended unexpectedly (is python3-torch installed?)");
        return JSON.readTree(line);
    }

    @Override
    public void close() {
        try {
            in.write("{\"op\":\"quit\"}\n");
            in.flush();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        cleanup(script);
    }

    private static void cleanup(Path script) {
        try {
            Files.deleteIfExists(script);
            Files.deleteIfExists(script.getParent());
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
