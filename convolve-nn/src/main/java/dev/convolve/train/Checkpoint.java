package dev.convolve.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.convolve.autograd.Variable;
import dev.convolve.io.Safetensors;
import dev.convolve.nn.Buffer;
import dev.convolve.nn.Module;
import dev.convolve.optim.Optimizer;
import dev.convolve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint in the safetensors format, written atomically: the model's parameters and buffers under
 * their PyTorch-style names ({@code 0.0.weight}, {@code 3.body.1.running_mean}), the optimizer's state under
 * {@code optimizer.<name>}, and in the metadata the recipe, the number of completed epochs, the optimizer step and
 * the per-epoch history. A killed run leaves the previous complete checkpoint in place.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** Metadata key of the file format marker. */
    public static final String FORMAT = "convolve-checkpoint-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A checkpoint read back. */
    public record Saved(Recipe recipe, int epochsDone, long step, List<EpochStats> history, Map<String, Tensor> model,
                        Map<String, Tensor> optimizer, Map<String, String> metadata) {}

    /** Writes a checkpoint of {@code model} (and {@code optimizer}, when not null) after {@code epochsDone} epochs. */
    public static void save(Path file, Module model, Optimizer optimizer, Recipe recipe, int epochsDone, List<EpochStats> history) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> t.put(k, v.value()));
        model.namedBuffers().forEach((k, b) -> t.put(k, b.get()));
        if (optimizer != null) optimizer.state().forEach((k, v) -> t.put("optimizer." + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.putAll(recipe.toMap());
        meta.put("epochs_done", Integer.toString(epochsDone));
        meta.put("step", Long.toString(optimizer == null ? 0 : optimizer.steps()));
        meta.put("optimizer_name", optimizer == null ? "" : optimizer.name());
        meta.put("parameters", Long.toString(model.parameterCount()));
        meta.put("history", JSON.writeValueAsString(history));
        Safetensors.write(file, t, meta);
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IllegalArgumentException when the file is not a Convolve checkpoint or is damaged
     */
    public static Saved read(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException("checkpoint: " + file + " is a safetensors file but not a Convolve training checkpoint (no format '" + FORMAT + "' in its metadata)");
        }
        Recipe recipe = Recipe.fromMap(meta);
        List<EpochStats> history;
        try {
            history = JSON.readValue(meta.getOrDefault("history", "[]"), new TypeReference<List<EpochStats>>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint: " + file + " has a malformed history: " + e.getMessage());
        }
        Map<String, Tensor> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("optimizer.")) opt.put(k.substring("optimizer.".length()), v);
            else model.put(k, v);
        });
        return new Saved(recipe, Integer.parseInt(meta.getOrDefault("epochs_done", "0")), Long.parseLong(meta.getOrDefault("step", "0")),
                new ArrayList<>(history), model, opt, meta);
    }

    /**
     * Copies saved tensors into {@code model} (parameters and buffers, matched by name, shapes checked).
     *
     * @throws IllegalArgumentException naming the first missing, extra or misshapen tensor
     */
    public static void restore(Module model, Map<String, Tensor> saved) {
        Map<String, Variable> params = model.namedParameters();
        Map<String, Buffer> buffers = model.namedBuffers();
        for (String k : saved.keySet()) {
            if (!params.containsKey(k) && !buffers.containsKey(k)) {
                throw new IllegalArgumentException("checkpoint: tensor '" + k + "' does not belong to this model");
            }
        }
        for (Map.Entry<String, Variable> e : params.entrySet()) {
            Tensor t = saved.get(e.getKey());
            if (t == null) throw new IllegalArgumentException("checkpoint: parameter '" + e.getKey() + "' is missing");
            Variable v = e.getValue();
            if (!t.shape().equals(v.value().shape())) {
                throw new IllegalArgumentException("checkpoint: parameter '" + e.getKey() + "' is " + t.describe() + " but the model has " + v.value().describe());
            }
            v.assign(t.asType(v.dtype()));
        }
        for (Map.Entry<String, Buffer> e : buffers.entrySet()) {
            Tensor t = saved.get(e.getKey());
            if (t == null) throw new IllegalArgumentException("checkpoint: buffer '" + e.getKey() + "' is missing");
            e.getValue().set(t.asType(e.getValue().get().dtype()));
        }
    }

    /** A model rebuilt from a checkpoint, in evaluation mode. */
    public record Loaded(dev.convolve.nn.Module model, Saved saved) {}

    /**
     * Rebuilds the checkpoint's model (its architecture named in the metadata) with the saved weights.
     *
     * @throws IllegalArgumentException when the file is missing, damaged, or not a Convolve checkpoint
     */
    public static Loaded loadModel(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint: no such file: " + file + " (train a model first: convolve train --out DIR writes DIR/checkpoint.safetensors)");
        }
        Saved s = read(file);
        dev.convolve.nn.Module m = dev.convolve.nn.Models.create(s.recipe().model(), 0);
        restore(m, s.model());
        m.eval();
        return new Loaded(m, s);
    }
}
