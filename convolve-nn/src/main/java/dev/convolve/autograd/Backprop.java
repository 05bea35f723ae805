package dev.convolve.autograd;

import dev.convolve.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation over a recorded graph: a topological sort of the variables that want gradients
 * (iterative, so deep graphs do not overflow the stack), then one pass in reverse order that applies each
 * variable's backward {@link Rule} once, with the sum of every gradient that reached it.
 */
final class Backprop {
    private Backprop() {}

    static void run(Variable root, Tensor seed) {
        List<Variable> order = topologicalOrder(root);
        Map<Variable, Tensor> pending = new IdentityHashMap<>();
        pending.put(root, seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable v = order.get(i);
            Tensor g = pending.remove(v);
            if (g == null) continue;
            if (v.isLeaf()) {
                v.accumulate(g);
                continue;
            }
            Variable[] in = v.inputs();
            boolean[] needs = new boolean[in.length];
            for (int k = 0; k < in.length; k++) needs[k] = in[k].requiresGrad();
            Tensor[] gs = v.rule().apply(g, needs);
            for (int k = 0; k < in.length; k++) {
                if (!needs[k] || gs[k] == null) continue;
                Variable p = in[k];
                Tensor gk = gs[k];
                if (!gk.shape().equals(p.value().shape())) {
                    throw new IllegalStateException("autograd: a backward rule returned a gradient of shape " + gk.describe()
                            + " for an input of shape " + p.value().describe());
                }
                if (gk.dtype() != p.dtype()) gk = gk.asType(p.dtype());
                Tensor prev = pending.get(p);
                pending.put(p, prev == null ? gk : Accumulate.add(prev, gk));
            }
        }
    }

    /** Variables that want gradients, reachable from {@code root}, each after all of its inputs. */
    static List<Variable> topologicalOrder(Variable root) {
        List<Variable> order = new ArrayList<>();
        Map<Variable, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        stack.push(root);
        next.push(0);
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            int k = next.pop();
            Variable[] in = v.inputs();
            if (in != null && k < in.length) {
                next.push(k + 1);
                Variable c = in[k];
                if (c.requiresGrad() && seen.put(c, Boolean.TRUE) == null) {
                    stack.push(c);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }
}
