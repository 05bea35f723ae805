package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convolve bench train}: bad options, missing PyTorch, and one short round with a stand-in for PyTorch (a
 * shell script printing the anchor's lines) against a real child JVM training on 512 images.
 */
class BenchTrainCommandTest {
    @TempDir Path tmp;

    /** A fake python: answers the torch version check and runs the "anchor" as a shell script. */
    private Path fakePython() throws Exception {
        Path py = tmp.resolve("python3");
        Files.writeString(py, "#!/bin/sh\nif [ \"$1\" = \"-c\" ]; then echo 2.6.0+fake; exit 0; fi\nexec /bin/sh \"$@\"\n");
        assertTrue(py.toFile().setExecutable(true));
        return py;
    }

    /** Prints torch_mnist.py's lines for DIR THREADS EPOCHS-PER-PHASE; fails unless given a folder, 2 threads and 1 epoch per phase. */
    private Path fakeAnchor() throws Exception {
        Path a = tmp.resolve("torch_mnist.py");
        Files.writeString(a, """
                [ -d "$1" ] && [ "$2" = 2 ] && [ "$3" = 1 ] || { echo "unexpected arguments: $*" >&2; exit 3; }
                echo "params 5274"
                for lr in 0.4 0.1; do i=0; while [ $i -lt $3 ]; do echo "lr $lr epoch $i train 0.67s (90091 img/s) valid acc 0.9756"; i=$((i+1)); done; done
                """);
        return a;
    }

    @Test
    void badOptionsSayWhatIsWrong() throws Exception {
        run("bench", "train", "--rounds", "0").fails("convolve bench train: --rounds must be at least 1, got 0");
        run("bench", "train", "--epochs", "5").fails("convolve bench train: --epochs must be even and at least 2 (the recipe's two phases; the anchor takes epochs per phase), got 5");
        run("bench", "train", "--threads", "0").fails("convolve bench train: --threads must be at least 1, got 0");
        run("bench", "train", "--dataset", "cifar").fails("convolve bench train: dataset: unknown dataset 'cifar', expected mnist, fashion-mnist or both");
        run("bench", "train", "--anchor", tmp.resolve("none.py").toString()).fails("convolve bench train: --anchor: no such file: " + tmp.resolve("none.py"));
        run("bench", "train", "--rounds", "x").fails("convolve bench train: Invalid value for option '--rounds'");
    }

    @Test
    void withoutTorchItSaysToInstallPython3Torch() throws Exception {
        String e = run("bench", "train", "--anchor", fakeAnchor().toString(), "--python", "/bin/false")
                .fails("convolve bench train: PyTorch is not available: /bin/false cannot import torch");
        assertTrue(e.contains("apt-get install python3-torch"), e);
        e = run("bench", "train", "--anchor", fakeAnchor().toString(), "--python", tmp.resolve("nothing").toString())
                .fails("convolve bench train: PyTorch is not available: " + tmp.resolve("nothing") + " cannot be run");
        assertTrue(e.contains("python3-torch"), e);
    }

    @Test
    void oneRoundAgainstAStandInForPyTorch() throws Exception {
        String out = run("bench", "train", "--json", "--rounds", "1", "--epochs", "2", "--limit", "512", "--busy-sample-ms", "0",
                "--python", fakePython().toString(), "--anchor", fakeAnchor().toString()).ok();
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size(), out);
        ObjectMapper json = new ObjectMapper();
        JsonNode round = json.readTree(lines.get(0)), summary = json.readTree(lines.get(1));
        assertEquals("mnist", round.get("dataset").asText());
        assertEquals("ours,torch", round.get("order").asText());
        JsonNode ours = round.get("ours");
        assertEquals(2, ours.get("epoch_images_per_second").size(), out);
        assertTrue(ours.get("images_per_second").asLong() > 0, out);
        // our whole-run figure, computed from the epoch lines, agrees with the child's own JSON
        assertEquals(ours.get("reported_images_per_second").asDouble(), ours.get("images_per_second").asDouble(),
                0.01 * ours.get("images_per_second").asDouble(), out);
        assertEquals(90091, round.get("torch").get("images_per_second").asLong());
        assertEquals(0.9756, round.get("torch").get("test_accuracy").asDouble());
        assertTrue(summary.get("summary").asBoolean(), out);
        assertEquals("2.6.0+fake", summary.get("torch_version").asText());
        assertEquals(2, summary.get("threads").asInt());
        assertEquals(round.get("ratio").asDouble(), summary.get("ratio").asDouble(), 1e-9);
    }

    @Test
    void theChildJvmIsThisJavaWithTheVectorModuleAndOurMainClass() {
        List<String> c = BenchTrainCommand.javaCommand();
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), c.getFirst());
        assertTrue(c.contains("--add-modules=jdk.incubator.vector"), c.toString());
        assertTrue(c.getLast().equals(Main.class.getName()) || c.get(c.size() - 2).equals("-jar"), c.toString());
    }
}
