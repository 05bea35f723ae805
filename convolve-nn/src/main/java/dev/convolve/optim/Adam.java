package dev.convolve.optim;

import dev.convolve.autograd.Variable;
import java.util.Map;

/**
 * Adam and its relatives, with bias-corrected moments:
 * <ul>
 *   <li>{@link Kind#ADAM} (PyTorch's {@code Adam}, Polaris' {@code adam}): coupled weight decay {@code g += wd * p},
 *       {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 *       {@code p -= lr * m_hat / (sqrt(v_hat) + eps)}.</li>
 *   <li>{@link Kind#ADAMW} (PyTorch's {@code AdamW}): decoupled decay {@code p *= 1 - lr * wd} before the Adam step.</li>
 *   <li>{@link Kind#ADABELIEF} (Zhuang et al. 2020, as Polaris/Optax): the second moment tracks the "belief"
 *       {@code s = b2 s + (1 - b2) (g - m)^2 + epsRoot}; defaults {@code eps = epsRoot = 1e-16}.</li>
 * </ul>
 */
public final class Adam extends Optimizer {
    /** Which update rule. */
    public enum Kind { ADAM, ADAMW, ADABELIEF }

    private final Kind kind;
    private final double beta1, beta2, eps, epsRoot, weightDecay;

    /** Adam with PyTorch's defaults (0.9, 0.999, 1e-8, no weight decay). */
    public static Adam adam(Map<String, Variable> params, double lr) { return new Adam(Kind.ADAM, params, lr, 0.9, 0.999, 1e-8, 0, 0); }

    /** AdamW with PyTorch's defaults (weight decay 0.01). */
    public static Adam adamW(Map<String, Variable> params, double lr, double weightDecay) {
        return new Adam(Kind.ADAMW, params, lr, 0.9, 0.999, 1e-8, 0, weightDecay);
    }

    /** AdaBelief with Polaris' defaults (0.9, 0.999, eps 1e-16, eps_root 1e-16). */
    public static Adam adaBelief(Map<String, Variable> params, double lr) {
        return new Adam(Kind.ADABELIEF, params, lr, 0.9, 0.999, 1e-16, 1e-16, 0);
    }

    /**
     * @throws IllegalArgumentException for betas outside [0, 1), negative eps or weight decay
     */
    public Adam(Kind kind, Map<String, Variable> params, double lr, double beta1, double beta2, double eps, double epsRoot, double weightDecay) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(kind.name().toLowerCase() + ": betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (eps < 0 || epsRoot < 0 || weightDecay < 0) {
            throw new IllegalArgumentException(kind.name().toLowerCase() + ": eps and weight decay must be non-negative");
        }
        this.kind = kind;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.epsRoot = epsRoot;
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() { return kind == null ? "adam" : kind.name().toLowerCase(); }

    @Override
    protected void update(Slot p, float[] gf, double[] gd) {
        int n = p.n;
        double c1 = 1 - Math.pow(beta1, steps), c2 = 1 - Math.pow(beta2, steps);
        double lr = learningRate;
        boolean belief = kind == Kind.ADABELIEF;
        double coupled = kind == Kind.ADAMW ? 0 : weightDecay;
        double decay = kind == Kind.ADAMW ? 1 - lr * weightDecay : 1;
        if (p.f != null) {
            float[] w = p.f, m = (float[]) p.buffer("exp_avg"), v = (float[]) p.buffer(belief ? "exp_avg_belief" : "exp_avg_sq");
            for (int i = 0; i < n; i++) {
                double wi = w[i] * decay;
                double g = gf[i] + coupled * w[i];
                double mi = beta1 * m[i] + (1 - beta1) * g;
                double dv = belief ? g - mi : g;
                double vi = beta2 * v[i] + (1 - beta2) * dv * dv + (belief ? epsRoot : 0);
                m[i] = (float) mi;
                v[i] = (float) vi;
                w[i] = (float) (wi - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps));
            }
        } else {
            double[] w = p.d, m = (double[]) p.buffer("exp_avg"), v = (double[]) p.buffer(belief ? "exp_avg_belief" : "exp_avg_sq");
            for (int i = 0; i < n; i++) {
                double wi = w[i] * decay;
                double g = gd[i] + coupled * w[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                double dv = belief ? g - m[i] : g;
                v[i] = beta2 * v[i] + (1 - beta2) * dv * dv + (belief ? epsRoot : 0);
                w[i] = wi - lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
            }
        }
    }
}
