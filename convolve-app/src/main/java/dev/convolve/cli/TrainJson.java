package dev.convolve.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.backend.Threads;
import dev.convolve.train.Trainer;

/** The one-line JSON summaries the learning commands end with. */
final class TrainJson {
    private TrainJson() {}

    static final ObjectMapper JSON = new ObjectMapper();

    static String result(Trainer.Result r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model", r.recipe().model());
        n.put("dataset", r.recipe().dataset());
        n.put("epochs", r.history().size());
        n.put("test_accuracy", round(r.test().accuracy(), 4));
        n.put("test_loss", round(r.test().loss(), 4));
        n.put("images_per_second", Math.round(r.imagesPerSecond()));
        n.put("seconds", round(r.seconds(), 1));
        n.put("train_seconds", round(r.trainSeconds(), 1));
        n.put("warmup_seconds", round(r.warmupSeconds(), 1));
        n.put("parameters", r.parameters());
        n.put("threads", Threads.threads());
        n.put("peak_rss_mb", Math.round(r.peakRssMb()));
        n.put("max_live_heap_mb", Math.round(r.maxLiveHeapMb()));
        if (r.resumedFrom() > 0) n.put("resumed_from_epoch", r.resumedFrom());
        if (r.checkpoint() != null) n.put("checkpoint", r.checkpoint().toString());
        if (r.curves() != null) n.put("curves", r.curves().toString());
        return n.toString();
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) return v;
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }
}
