package dev.convolve.tensor;

import java.util.Arrays;

/** Matrix products. */
final class LinAlg {
    private LinAlg() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: operands must have rank at least 1, got " + a.describe() + " and " + b.describe());
        }
        boolean va = a.rank() == 1, vb = b.rank() == 1;
        Tensor x = va ? a.reshape(1, a.dim(0)) : a;
        Tensor y = vb ? b.reshape(b.dim(0), 1) : b;
        int m = x.dim(-2), k = x.dim(-1), k2 = y.dim(-2), n = y.dim(-1);
        if (k != k2) {
            throw new IllegalArgumentException("matmul: contracted sizes must match, but " + k + " != " + k2 + ", for " + a.describe() + " and " + b.describe());
        }
        int[] bx = Arrays.copyOf(x.dims(), x.rank() - 2);
        int[] by = Arrays.copyOf(y.dims(), y.rank() - 2);
        Shape batch = Movement.broadcastShapes("matmul", Shape.of(bx), Shape.of(by));
        int[] bd = batch.dims();
        int[] xs = concat(bd, m, k), ys = concat(bd, k, n);
        Tensor xb = Movement.broadcastTo(x, Shape.of(xs));
        Tensor yb = Movement.broadcastTo(y, Shape.of(ys));
        DType t = DType.merge(a.dtype(), b.dtype());
        int nb = batch.size();
        Object out = Buffers.allocate(t, nb * m * n);
        if (t == DType.F32) {
            float[] A = (float[]) xb.asType(t).data(), B = (float[]) yb.asType(t).data(), C = (float[]) out;
            for (int bi = 0; bi < nb; bi++) gemmF32(A, bi * m * k, B, bi * k * n, C, bi * m * n, m, k, n);
        } else if (t.isInteger()) {
            for (int bi = 0; bi < nb; bi++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        long s = 0;
                        for (int p = 0; p < k; p++) s += xb.getFlatLong(bi * m * k + i * k + p) * yb.getFlatLong(bi * k * n + p * n + j);
                        Buffers.setLong(t, out, bi * m * n + i * n + j, t.wrap(s));
                    }
                }
            }
        } else {
            double[] A = xb.toDoubleArray(), B = yb.toDoubleArray();
            double[] row = new double[n];
            for (int bi = 0; bi < nb; bi++) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(row, 0);
                    for (int p = 0; p < k; p++) {
                        double av = A[bi * m * k + i * k + p];
                        int bo = bi * k * n + p * n;
                        for (int j = 0; j < n; j++) row[j] += av * B[bo + j];
                    }
                    for (int j = 0; j < n; j++) Buffers.setDouble(t, out, bi * m * n + i * n + j, row[j]);
                }
            }
        }
        int[] od = concat(bd, m, n);
        Tensor r = Tensor.wrap(t, Shape.of(od), out);
        if (va && vb) return r.reshape(bd);
        if (va) return r.squeeze(-2);
        if (vb) return r.squeeze(-1);
        return r;
    }

    /** C[m x n] = A[m x k] * B[k x n], row-major, f32, accumulating rows of C with saxpy updates. */
    static void gemmF32(float[] A, int ao, float[] B, int bo, float[] C, int co, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int ci = co + i * n;
            for (int p = 0; p < k; p++) {
                float av = A[ao + i * k + p];
                if (av == 0f) continue;
                int bp = bo + p * n;
                for (int j = 0; j < n; j++) C[ci + j] = Math.fma(av, B[bp + j], C[ci + j]);
            }
        }
    }

    private static int[] concat(int[] head, int p, int q) {
        int[] r = Arrays.copyOf(head, head.length + 2);
        r[head.length] = p;
        r[head.length + 1] = q;
        return r;
    }

    /** NumPy's {@code dot}: contracts the last axis of {@code a} with the second-to-last (or only) axis of {@code b}. */
    static Tensor dot(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) return a.multiply(b);
        if (a.rank() <= 2 && b.rank() <= 2) return matmul(a, b);
        int k = a.dim(-1);
        int bAxis = b.rank() == 1 ? 0 : b.rank() - 2;
        if (b.dim(bAxis) != k) {
            throw new IllegalArgumentException("dot: contracted sizes must match, but " + k + " != " + b.dim(bAxis) + ", for " + a.describe() + " and " + b.describe());
        }
        int[] perm = new int[b.rank()];
        perm[0] = bAxis;
        for (int i = 0, j = 1; i < b.rank(); i++) if (i != bAxis) perm[j++] = i;
        Tensor bt = b.transpose(perm);
        int rest = b.size() / Math.max(k, 1);
        Tensor r = matmul(a.reshape(-1, k), bt.reshape(k, rest));
        int[] ad = Arrays.copyOf(a.dims(), a.rank() - 1);
        int[] bd = new int[b.rank() - 1];
        for (int i = 0, j = 0; i < b.rank(); i++) if (i != bAxis) bd[j++] = b.dim(i);
        int[] out = new int[ad.length + bd.length];
        System.arraycopy(ad, 0, out, 0, ad.length);
        System.arraycopy(bd, 0, out, ad.length, bd.length);
        return r.reshape(out);
    }
}
