package dev.convolve.autograd;

import dev.convolve.tensor.Tensor;

/** Matrix product; vectors are promoted to matrices with differentiable reshapes, so one rule covers every case. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    static Variable matmul(Variable a, Variable b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: operands must have rank at least 1, got " + a.value().describe() + " and " + b.value().describe());
        }
        if (a.rank() == 1 && b.rank() == 1) {
            return matmul(a.reshape(1, a.dim(0)), b.reshape(b.dim(0), 1)).reshape();
        }
        if (a.rank() == 1) {
            Variable r = matmul(a.reshape(1, a.dim(0)), b);
            return r.squeeze(-2);
        }
        if (b.rank() == 1) {
            Variable r = matmul(a, b.reshape(b.dim(0), 1));
            return r.squeeze(-1);
        }
        Tensor x = a.value(), y = b.value();
        Tensor out = x.matmul(y);
        return Variable.record(out, (g, needs) -> new Tensor[] {
                needs[0] ? Unbroadcast.to(g.matmul(swapLast(y)), x.shape()) : null,
                needs[1] ? Unbroadcast.to(swapLast(x).matmul(g), y.shape()) : null}, a, b);
    }

    static Tensor swapLast(Tensor t) {
        int r = t.rank();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = i;
        p[r - 1] = r - 2;
        p[r - 2] = r - 1;
        return t.transpose(p);
    }
}
