package dev.convolve.train;

import dev.convolve.data.Datasets;
import java.io.PrintWriter;
import java.nio.file.Path;

/** A training run in its own JVM for {@link KilledRunTest}: prints a line after each epoch's checkpoint. */
public final class KilledRunMain {
    private KilledRunMain() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Datasets.Split data = KilledRunTest.data();
        PrintWriter log = new PrintWriter(System.out, true);
        Trainer.run(new Trainer.Options(KilledRunTest.recipe(), null, false, out, false, 2, log, null), data);
    }
}
