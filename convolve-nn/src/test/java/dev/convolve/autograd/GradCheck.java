package dev.convolve.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Gradient checks that mean something (GUIDE 10, JAX's check_vjp): in double precision, for a random tangent t
 * and a random cotangent c, compare {@code <t, J^T c>} (from backward) with {@code <J t, c>} (central differences
 * along t). All inputs are perturbed together along one random direction; no element is nudged alone.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Random f64 tensor with values in [-1, 1). */
    public static Tensor random(long seed, int... shape) {
        return Tensor.randomUniform(seed, DType.F64, -1, 1, shape);
    }

    /** Checks {@code f} at {@code inputs} along {@code projections} random directions. */
    public static void check(String what, Grad.Fn f, Tensor... inputs) { check(what, f, 3, 1e-6, inputs); }

    public static void check(String what, Grad.Fn f, int projections, double tol, Tensor... inputs) {
        SplittableRandom rnd = new SplittableRandom(what.hashCode());
        for (int p = 0; p < projections; p++) {
            Variable[] vars = new Variable[inputs.length];
            for (int i = 0; i < inputs.length; i++) vars[i] = Variable.parameter(inputs[i]);
            Variable out = f.apply(vars);
            Tensor c = Tensor.randomNormal(rnd.nextLong(), DType.F64, 0, 1, out.dims());
            out.backward(c);
            Tensor[] t = new Tensor[inputs.length];
            double vjp = 0;
            for (int i = 0; i < inputs.length; i++) {
                t[i] = Tensor.randomNormal(rnd.nextLong(), DType.F64, 0, 1, inputs[i].dims());
                Tensor g = vars[i].grad() == null ? Tensor.zerosLike(inputs[i]) : vars[i].grad();
                vjp += dot(t[i], g);
            }
            double eps = 1e-6;
            Tensor plus = eval(f, inputs, t, eps), minus = eval(f, inputs, t, -eps);
            double jvp = dot(plus.subtract(minus).divide(2 * eps), c);
            double scale = Math.max(1.0, Math.max(Math.abs(vjp), Math.abs(jvp)));
            assertTrue(Math.abs(vjp - jvp) <= tol * scale,
                    what + ": <t, J^T c> = " + vjp + " but <J t, c> = " + jvp + " (projection " + p + ")");
        }
    }

    private static Tensor eval(Grad.Fn f, Tensor[] x, Tensor[] t, double eps) {
        Variable[] v = new Variable[x.length];
        for (int i = 0; i < x.length; i++) v[i] = Variable.constant(x[i].add(t[i].multiply(eps)));
        try (GradMode.Scope s = GradMode.disabled()) {
            return f.apply(v).value().asType(DType.F64);
        }
    }

    static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }
}
