package dev.convolve.testing;

import dev.convolve.io.Npy;
import dev.convolve.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch / NumPy fixtures under {@code src/test/resources/fixtures} (made by {@code make_fixtures.py} there):
 * {@code manifest.txt} lists one case per line as {@code kind name key=value ...}; arrays are
 * {@code <kind>/<name>.<role>.npy}. Read from the classpath, so they work from the test-jar too.
 */
public final class Fixtures {
    private Fixtures() {}

    /** One fixture case: its kind, name and parameters. */
    public record Case(String kind, String name, Map<String, String> params) {
        /** The array {@code <name>.<role>.npy}. */
        public Tensor array(String role) { return Fixtures.array(kind + "/" + name + "." + role + ".npy"); }

        /** True when the case has the array {@code role}. */
        public boolean has(String role) { return Fixtures.class.getResource("/fixtures/" + kind + "/" + name + "." + role + ".npy") != null; }

        /** Comma-separated integers, or null for {@code none}. */
        public int[] ints(String key) {
            String v = param(key);
            if (v.equals("none")) return null;
            return Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        }

        public boolean bool(String key) { return Boolean.parseBoolean(param(key)); }

        public String param(String key) {
            String v = params.get(key);
            if (v == null) throw new IllegalArgumentException("fixture " + name + " has no parameter " + key + ": " + params);
            return v;
        }

        @Override
        public String toString() { return kind + " " + name + " " + params; }
    }

    /** Every case of {@code kind} in the manifest. */
    public static List<Case> cases(String kind) {
        List<Case> out = new ArrayList<>();
        try (InputStream in = open("manifest.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.trim().split("\\s+");
                if (!parts[0].equals(kind)) continue;
                Map<String, String> p = new LinkedHashMap<>();
                for (int i = 2; i < parts.length; i++) {
                    int eq = parts[i].indexOf('=');
                    p.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
                out.add(new Case(parts[0], parts[1], p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) throw new IllegalStateException("no fixtures of kind " + kind + " in manifest.txt");
        return out;
    }

    /** An .npy fixture by its path under {@code fixtures/}. */
    public static Tensor array(String path) {
        try (InputStream in = open(path)) {
            return Npy.read(in, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String path) {
        InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path);
        if (in == null) throw new IllegalStateException("missing test fixture /fixtures/" + path + " (regenerate with make_fixtures.py)");
        return in;
    }
}
