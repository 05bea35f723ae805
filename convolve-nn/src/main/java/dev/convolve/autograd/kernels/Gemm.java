package dev.convolve.autograd.kernels;

/**
 * Small f32 matrix products on row-major arrays with explicit leading dimensions, the two shapes convolution
 * training needs:
 * <ul>
 *   <li>{@link #nn}: {@code C[m][n] (+)= A[m][k] * B[k][n]}</li>
 *   <li>{@link #nt}: {@code C[m][k] (+)= A[m][n] * B[k][n]^T} (dot products along rows)</li>
 * </ul>
 * A SIMD implementation (the Vector API) is used when {@code jdk.incubator.vector} is present and the CPU has
 * wide vectors; otherwise plain loops. {@code -Dconvolve.nn.simd=false} forces the plain loops.
 */
public abstract class Gemm {
    private static final Gemm INSTANCE = choose();

    /** The implementation in use. */
    public static Gemm get() { return INSTANCE; }

    /** Plain loops, always available (and the test oracle's neighbour). */
    public static Gemm scalar() { return ScalarGemm.INSTANCE; }

    private static Gemm choose() {
        if (!Boolean.parseBoolean(System.getProperty("convolve.nn.simd", "true"))) return ScalarGemm.INSTANCE;
        try {
            Class<?> c = Class.forName("dev.convolve.autograd.kernels.VectorGemm");
            Gemm g = (Gemm) c.getMethod("createIfFast").invoke(null);
            return g != null ? g : ScalarGemm.INSTANCE;
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarGemm.INSTANCE;
        }
    }

    /** A short name for diagnostics. */
    public abstract String name();

    /**
     * {@code C[i][j] = (accumulate ? C[i][j] : 0) + sum_p A[i][p] * B[p][j]} for {@code i < m, j < n, p < k}.
     * Row {@code i} of A starts at {@code ao + i * lda}, and so on.
     */
    public abstract void nn(int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate);

    /** {@code C[i][p] = (accumulate ? C[i][p] : 0) + sum_j A[i][j] * B[p][j]} for {@code i < m, p < k, j < n}. */
    public abstract void nt(int m, int k, int n, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate);
}
