package dev.convolve.cli;

import dev.convolve.bench.Anchors;
import dev.convolve.bench.Machine;
import dev.convolve.bench.TrainBench;
import dev.convolve.bench.TrainReport;
import dev.convolve.data.DatasetInfo;
import dev.convolve.data.DatasetLocator;
import dev.convolve.data.Datasets;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convolve bench train}: fast.ai's simple_cnn recipe trained by us (a child JVM running {@code convolve train})
 * and by the PyTorch anchor {@code torch_mnist.py}, alternately, as separate processes with the same thread count;
 * a table per round and the medians over the rounds.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training speed side by side with PyTorch. Each round trains simple_cnn",
                "with fast.ai's recipe once with 'convolve train' (a child JVM) and once",
                "with the PyTorch anchor torch_mnist.py, one after the other, the order",
                "alternating between rounds. Prints per-epoch and whole-run images per",
                "second of both sides, the ratios ours/torch and the test accuracies,",
                "then the medians over the rounds and the machine's load."})
final class BenchTrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist (default), fashion-mnist, or both (one after the other).")
    String dataset = "mnist";

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds per dataset; the summary takes medians over them (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of each run, both sides; even (default ${DEFAULT-VALUE}, the full recipe: lr 0.4 for N/2 epochs, "
            + "then 0.1 for N/2; the anchor is given N/2, its epochs per phase).")
    int epochs = 10;

    @Option(names = "--threads", paramLabel = "T", description = "Threads for us and for PyTorch (default ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the dataset's IDX files are (else found as 'convolve train' finds them); both sides read the same files.")
    Path dataDir;

    @Option(names = "--anchor", paramLabel = "FILE", description = "The PyTorch anchor (default: ../shared/anchors/torch_mnist.py from the working directory or its parents).")
    Path anchor;

    @Option(names = "--python", paramLabel = "PATH", description = "The python3 to run the anchor with (default: /usr/bin/python3, else python3 on PATH, whichever has torch).")
    String python;

    @Option(names = "--json", description = "One JSON line per round, then one summary line per dataset.")
    boolean json;

    @Option(names = "--busy-sample-ms", paramLabel = "MS", description = "Before each round, sample other processes' CPU use for MS milliseconds (default ${DEFAULT-VALUE}; 0: skip).")
    int busySampleMs = 2000;

    /** For quick checks and tests only: our side trains on the first N images (the anchor cannot), so its figures do not compare. */
    @Option(names = "--limit", paramLabel = "N", hidden = true)
    Integer limit;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        if (epochs < 2 || epochs % 2 != 0) {
            throw new IllegalArgumentException("--epochs must be even and at least 2 (the recipe's two phases; the anchor takes epochs per phase), got " + epochs);
        }
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (busySampleMs < 0) throw new IllegalArgumentException("--busy-sample-ms must not be negative, got " + busySampleMs);
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        List<String> datasets = datasets(dataset);
        Path script = anchor();
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Map<String, Path> folders = new LinkedHashMap<>();
        for (String d : datasets) folders.put(d, folder(d, err));
        TrainBench.Python py = TrainBench.findPython(python);

        Path tmp = Files.createTempDirectory("convolve-bench-train");
        try {
            List<String> java = javaCommand();
            TrainBench.Options o = new TrainBench.Options(datasets, rounds, epochs, threads, d -> {
                List<String> c = new ArrayList<>(java);
                c.addAll(List.of("train", "--model", "simple-cnn", "--dataset", d, "--threads", Integer.toString(threads), "--epochs", Integer.toString(epochs),
                        "--quiet", "--out", tmp.resolve(d).toString(), "--data-dir", folders.get(d).toString(), "--no-download"));
                if (limit != null) c.addAll(List.of("--limit", limit.toString()));
                return c;
            }, d -> List.of(py.command(), script.toString(), folders.get(d).toString(), Integer.toString(threads), Integer.toString(epochs / 2)), busySampleMs);
            TrainReport report = new TrainReport(out, json, new TrainReport.Setup(epochs, threads, rounds, Runtime.version().toString(), py.torchVersion(),
                    py.command(), script.toString(), Machine.cores(), Machine.cpuModel()));
            report.header();
            TrainBench.run(o, report);
        } finally {
            deleteTree(tmp);
        }
        return 0;
    }

    /** The dataset ids {@code --dataset} names. */
    static List<String> datasets(String name) {
        if (name.equals("both")) return List.of(DatasetInfo.MNIST.id(), DatasetInfo.FASHION_MNIST.id());
        try {
            return List.of(DatasetInfo.byName(name).id());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dataset: unknown dataset '" + name + "', expected mnist, fashion-mnist or both");
        }
    }

    private Path anchor() {
        if (anchor != null) {
            if (!Files.isRegularFile(anchor)) throw new IllegalArgumentException("--anchor: no such file: " + anchor);
            return anchor.toAbsolutePath();
        }
        Path p = Anchors.find("torch_mnist.py");
        if (p == null) {
            throw new IllegalArgumentException("the PyTorch anchor torch_mnist.py was not found (looked for ../shared/anchors/torch_mnist.py from "
                    + Path.of("").toAbsolutePath() + " and its parents); give --anchor FILE");
        }
        return p;
    }

    /** The folder with the dataset's files, as {@code convolve train} finds it (downloading when it must), or its own error. */
    private Path folder(String id, PrintWriter log) throws IOException {
        Path f = new DatasetLocator(dataDir).find(DatasetInfo.byName(id));
        return f != null ? f.toAbsolutePath() : Datasets.load(id, dataDir, true, log).folder().toAbsolutePath();
    }

    /**
     * The command line that starts this program again: the same java, its JVM options (modules, -XX, heap), the
     * {@code convolve.*} system properties, and the same jar (with {@code -jar}, as the launcher runs it) or class path.
     */
    static List<String> javaCommand() {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean vector = false;
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-modules=") || a.startsWith("--add-opens=") || a.startsWith("--add-exports=") || a.startsWith("--enable-native-access")
                    || a.startsWith("--sun-misc-unsafe-memory-access") || a.equals("--enable-preview") || a.startsWith("-XX:") || a.startsWith("-Xmx")
                    || a.startsWith("-Xms") || a.startsWith("-Xss")) {
                c.add(a);
                vector |= a.startsWith("--add-modules=") && a.contains("jdk.incubator.vector");
            }
        }
        if (!vector && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) c.add("--add-modules=jdk.incubator.vector");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("convolve.")).sorted()
                .forEach(k -> c.add("-D" + k + "=" + System.getProperty(k)));
        String cp = System.getProperty("java.class.path");
        if (isOurJar(cp)) {
            c.add("-jar");
            c.add(cp);
        } else {
            c.add("-cp");
            c.add(cp);
            c.add(Main.class.getName());
        }
        return c;
    }

    /** Whether the class path is one jar whose main class is ours (the launcher's {@code java -jar convolve-all.jar}). */
    private static boolean isOurJar(String cp) {
        if (cp == null || !cp.endsWith(".jar") || cp.contains(java.io.File.pathSeparator)) return false;
        try (JarFile j = new JarFile(cp)) {
            var m = j.getManifest();
            return m != null && Main.class.getName().equals(m.getMainAttributes().getValue("Main-Class"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
