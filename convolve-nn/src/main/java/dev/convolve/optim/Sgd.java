package dev.convolve.optim;

import dev.convolve.autograd.Variable;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} semantics: optional (coupled) weight decay
 * {@code g += wd * p}, momentum {@code buf = momentum * buf + (1 - dampening) * g} (the first step sets
 * {@code buf = g}), Nesterov's variant {@code g += momentum * buf}, then {@code p -= lr * g}.
 */
public final class Sgd extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;

    /** Plain SGD. */
    public Sgd(Map<String, Variable> params, double lr) { this(params, lr, 0, 0, 0, false); }

    /**
     * @throws IllegalArgumentException for negative momentum or weight decay, or Nesterov without momentum
     */
    public Sgd(Map<String, Variable> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        if (momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("sgd: momentum and weight decay must be non-negative, got " + momentum + " and " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("sgd: Nesterov momentum requires a positive momentum and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public String name() { return "sgd"; }

    @Override
    protected void update(Slot p, float[] gf, double[] gd) {
        int n = p.n;
        float lr = (float) learningRate;
        if (momentum == 0 && weightDecay == 0 && p.f != null) {
            float[] w = p.f;
            for (int i = 0; i < n; i++) w[i] -= lr * gf[i];
            return;
        }
        boolean first = !p.state.containsKey("momentum_buffer");
        if (p.f != null) {
            float[] w = p.f;
            float[] buf = momentum != 0 ? (float[]) p.buffer("momentum_buffer") : null;
            float m = (float) momentum, damp = (float) (1 - dampening), wd = (float) weightDecay;
            for (int i = 0; i < n; i++) {
                float g = gf[i] + wd * w[i];
                if (buf != null) {
                    buf[i] = first ? g : m * buf[i] + damp * g;
                    g = nesterov ? g + m * buf[i] : buf[i];
                }
                w[i] -= lr * g;
            }
        } else {
            double[] w = p.d;
            double[] buf = momentum != 0 ? (double[]) p.buffer("momentum_buffer") : null;
            for (int i = 0; i < n; i++) {
                double g = gd[i] + weightDecay * w[i];
                if (buf != null) {
                    buf[i] = first ? g : momentum * buf[i] + (1 - dampening) * g;
                    g = nesterov ? g + momentum * buf[i] : buf[i];
                }
                w[i] -= learningRate * g;
            }
        }
    }
}
