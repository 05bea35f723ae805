package dev.convolve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.autograd.Variable;
import dev.convolve.data.Datasets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run killed in the middle of an epoch (in a separate JVM, killed without warning) leaves its last
 * complete checkpoint readable, and resuming from it ends exactly where an uninterrupted run ends.
 */
class KilledRunTest {
    @TempDir Path tmp;

    static Recipe recipe() { return Recipe.defaults("simple-cnn", "mnist").withEpochs(6).withTrainLimit(3072).withSchedule("onecycle").withLr(0.2); }

    static Datasets.Split data() throws Exception {
        Datasets.Split all = Datasets.load("mnist", (Path) null, false, null);
        return new Datasets.Split(all.info(), all.folder(), all.train(), all.test().head(1000));
    }

    @Test
    void killedRunLeavesAResumableCheckpoint() throws Exception {
        Path out = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                KilledRunMain.class.getName(), out.toString()).redirectErrorStream(true).start();
        Path ckpt = out.resolve("checkpoint.safetensors");
        int epochsSeen = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("epoch ")) epochsSeen++;
                if (epochsSeen == 2) {
                    Thread.sleep(150); // inside epoch 3, maybe inside the checkpoint write of epoch 3
                    p.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child JVM should be gone");
        assertEquals(2, epochsSeen, "the child should have finished two epochs before it was killed");
        Checkpoint.Saved saved = Checkpoint.read(ckpt);
        assertTrue(saved.epochsDone() >= 2 && saved.epochsDone() < 6, "epochs done " + saved.epochsDone());
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                assertTrue(n.equals("checkpoint.safetensors") || n.equals("curves.png") || n.endsWith(".tmp"), "unexpected file " + n);
            }
        }

        Datasets.Split d = data();
        Trainer.Result resumed = Trainer.run(new Trainer.Options(recipe(), null, false, out, true, 2, null, null), d);
        assertEquals(saved.epochsDone(), resumed.resumedFrom());
        Trainer.Result straight = Trainer.run(new Trainer.Options(recipe(), null, false, tmp.resolve("straight"), false, 2, null, null), d);
        Map<String, Variable> a = straight.model().namedParameters(), b = resumed.model().namedParameters();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).value().toFloatArray(), b.get(k).value().toFloatArray(), 0f, k);
        assertEquals(straight.test().accuracy(), resumed.test().accuracy());
    }
}
