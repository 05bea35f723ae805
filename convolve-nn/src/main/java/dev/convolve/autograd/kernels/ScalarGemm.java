package dev.convolve.autograd.kernels;

/** {@link Gemm} with plain loops (the JIT vectorises the inner saxpy). */
final class ScalarGemm extends Gemm {
    static final ScalarGemm INSTANCE = new ScalarGemm();

    @Override
    public String name() { return "scalar"; }

    @Override
    public void nn(int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = co + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[ao + i * lda + p];
                if (av == 0f) continue;
                int bp = bo + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] = Math.fma(av, b[bp + j], c[ci + j]);
            }
        }
    }

    @Override
    public void nt(int m, int k, int n, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = ao + i * lda;
            for (int p = 0; p < k; p++) {
                int bp = bo + p * ldb;
                float s = 0;
                for (int j = 0; j < n; j++) s = Math.fma(a[ai + j], b[bp + j], s);
                int at = co + i * ldc + p;
                c[at] = accumulate ? c[at] + s : s;
            }
        }
    }
}
