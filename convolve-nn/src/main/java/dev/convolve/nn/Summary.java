package dev.convolve.nn;

import dev.convolve.autograd.GradMode;
import dev.convolve.autograd.Variable;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's layer table, like Keras' {@code model.summary()} or torchsummary: every layer with its output shape
 * and parameter count, found by running one zero example through the model (evaluation mode, no gradients).
 *
 * <pre>
 * Layer                                      Output shape        Parameters
 * 0.0   Conv2d(1, 4, kernel=3x3, stride=2, ...) [N, 4, 14, 14]     40
 * ...
 * Total parameters: 5274
 * </pre>
 */
public final class Summary {
    private Summary() {}

    /** One row of the table. */
    public record Row(String name, String layer, int[] outputShape, long parameters) {}

    private static final ThreadLocal<Map<Module, int[]>> RECORDING = new ThreadLocal<>();

    static void record(Module m, Variable y) {
        Map<Module, int[]> rec = RECORDING.get();
        if (rec != null) rec.put(m, y.dims());
    }

    /**
     * The rows for {@code model} on one example of shape {@code exampleShape} (without the batch axis).
     * Containers (Sequential, Residual) are listed with their own parameters (usually 0) before their children.
     */
    public static List<Row> rows(Module model, int... exampleShape) {
        int[] shape = new int[exampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        Map<Module, int[]> rec = new IdentityHashMap<>();
        boolean wasTraining = model.isTraining();
        DType t = model.parameters().isEmpty() ? DType.F32 : model.parameters().get(0).dtype();
        RECORDING.set(rec);
        try (GradMode.Scope s = GradMode.disabled()) {
            model.eval();
            model.apply(Variable.constant(Tensor.zeros(t, shape)));
        } finally {
            RECORDING.remove();
            model.train(wasTraining);
        }
        List<Row> rows = new ArrayList<>();
        walk("", model, rec, rows, true);
        return rows;
    }

    private static void walk(String name, Module m, Map<Module, int[]> rec, List<Row> rows, boolean root) {
        boolean container = !m.children().isEmpty();
        if (!root || !container) rows.add(new Row(name, m.describe(), rec.get(m), m.ownParameterCount()));
        for (Map.Entry<String, Module> e : m.children().entrySet()) {
            walk(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), e.getValue(), rec, rows, false);
        }
    }

    /** The printed table, ending with the total parameter count. */
    public static String of(Module model, int... exampleShape) {
        List<Row> rows = rows(model, exampleShape);
        StringBuilder sb = new StringBuilder();
        int w = 10;
        for (Row r : rows) w = Math.max(w, r.name().length() + 2 + r.layer().length());
        String fmt = "%-" + w + "s  %-18s %10s%n";
        sb.append(String.format(fmt, "Layer", "Output shape", "Parameters"));
        for (Row r : rows) {
            String label = r.name().isEmpty() ? r.layer() : r.name() + "  " + r.layer();
            sb.append(String.format(fmt, label, shape(r.outputShape()), r.parameters()));
        }
        sb.append("Total parameters: ").append(model.parameterCount()).append(System.lineSeparator());
        return sb.toString();
    }

    private static String shape(int[] s) {
        if (s == null) return "-";
        StringBuilder sb = new StringBuilder("[N");
        for (int i = 1; i < s.length; i++) sb.append(", ").append(s[i]);
        return sb.append(']').toString();
    }
}
