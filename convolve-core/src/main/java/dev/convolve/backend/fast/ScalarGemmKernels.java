package dev.convolve.backend.fast;

/**
 * {@link GemmKernels} in plain Java: any tile of up to 12 rows and 6 vectors of 8 floats. Used when the Vector API is
 * missing or switched off, and by the tests to check the packing and blocking independently of the vector code.
 */
final class ScalarGemmKernels implements GemmKernels {
    static final ScalarGemmKernels INSTANCE = new ScalarGemmKernels();
    static final int L = 8;

    private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[24 * L]);

    private ScalarGemmKernels() {}

    @Override
    public int lanes() { return L; }

    @Override
    public boolean hasPacked(int mr, int nv) { return mr >= 1 && nv >= 1 && nv <= 6 && mr * nv <= 24; }

    @Override
    public void packed(int mr, int nv, int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, boolean add) {
        int nr = nv * L;
        float[] acc = ACC.get();
        java.util.Arrays.fill(acc, 0, mr * nr, 0f);
        for (int k = 0; k < kc; k++) {
            int ak = ai + k * mr, bk = bi + k * nr;
            for (int m = 0; m < mr; m++) {
                float av = a[ak + m];
                int r = m * nr;
                for (int j = 0; j < nr; j++) acc[r + j] = Math.fma(av, b[bk + j], acc[r + j]);
            }
        }
        for (int m = 0; m < mr; m++) {
            int row = ci + m * ldc;
            for (int j = 0; j < nr; j++) c[row + j] = add ? c[row + j] + acc[m * nr + j] : acc[m * nr + j];
        }
    }

    @Override
    public void gemmAdd(int mr, int nv, float[] a, int aOff, int lda, int kc, float[] b, int bOff, int[] off, int o0, float[] c, int cOff, int ldc) {
        int nr = nv * L;
        for (int m = 0; m < mr; m++) {
            int cm = cOff + m * ldc;
            for (int j = 0; j < nr; j++) {
                float acc = 0f;
                for (int k = 0; k < kc; k++) acc = Math.fma(a[aOff + k * lda + m], b[bOff + off[o0 + k] + j], acc);
                c[cm + j] += acc;
            }
        }
    }

    @Override
    public void bcastStore(int mr, int nv, float[] x, int[] rowOff, int ro, int xBase, int steps, float[] g, int gOff, int ldg, float[] c, int cOff, int ldc) {
        bcastPart(mr, nv, x, rowOff, ro, xBase, steps, g, gOff, ldg, c, cOff, ldc, false);
    }

    @Override
    public boolean hasGemmLinear(int mr, int nv) { return mr >= 1 && nv >= 1; }

    @Override
    public void gemmLinear(int mr, int nv, float[] a, int aOff, int lda, int kc, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add) {
        int nr = nv * L;
        for (int m = 0; m < mr; m++) {
            int cm = cOff + m * ldc;
            for (int j = 0; j < nr; j++) {
                float acc = 0f;
                for (int k = 0; k < kc; k++) acc = Math.fma(a[aOff + k * lda + m], b[bOff + k * ldb + j], acc);
                c[cm + j] = add ? c[cm + j] + acc : acc;
            }
        }
    }

    @Override
    public void bcastPart(int mr, int nv, float[] x, int[] rowOff, int ro, int xBase, int steps, float[] g, int gOff, int ldg, float[] c, int cOff, int ldc, boolean add) {
        if (nv < 1 || mr < 1) throw new IllegalStateException("no bcast tile " + mr + "x" + nv);
        int nr = nv * L;
        for (int m = 0; m < mr; m++) {
            int xm = xBase + rowOff[ro + m], cm = cOff + m * ldc;
            if (!add) java.util.Arrays.fill(c, cm, cm + nr, 0f);
            for (int p = 0, gi = gOff; p < steps; p++, gi += ldg) {
                float a = x[xm + p];
                for (int j = 0; j < nr; j++) c[cm + j] = Math.fma(a, g[gi + j], c[cm + j]);
            }
        }
    }

    @Override
    public boolean hasBcastIdx(int mr, int nv) { return mr >= 1 && nv >= 1 && mr * nv <= 24; }

    @Override
    public void bcastIdx(int mr, int nv, float[] x, int[] rowOff, int ro, int xBase, int[] idx, int io, int steps, float[] g, int gOff, float[] c, int cOff, int ldc, boolean add) {
        int nr = nv * L;
        for (int m = 0; m < mr; m++) {
            int xm = xBase + rowOff[ro + m], cm = cOff + m * ldc;
            if (!add) java.util.Arrays.fill(c, cm, cm + nr, 0f);
            for (int p = io, end = io + 2 * steps; p < end; p += 2) {
                float a = x[xm + idx[p]];
                int gi = gOff + idx[p + 1];
                for (int j = 0; j < nr; j++) c[cm + j] = Math.fma(a, g[gi + j], c[cm + j]);
            }
        }
    }

    @Override
    public boolean hasBcastSeq(int mr, int nv) { return mr >= 1 && nv >= 1 && mr * nv <= 24; }

    @Override
    public void bcastSeq(int mr, int nv, float[] x, int xBase, int[] idx, int io, int steps, float[] g, int gOff, float[] c, int cOff, int ldc, boolean add) {
        int nr = nv * L;
        for (int m = 0; m < mr; m++) {
            int cm = cOff + m * ldc;
            if (!add) java.util.Arrays.fill(c, cm, cm + nr, 0f);
            for (int p = io, end = io + 2 * steps; p < end; p += 2) {
                float a = x[xBase + idx[p] + m];
                int gi = gOff + idx[p + 1];
                for (int j = 0; j < nr; j++) c[cm + j] = Math.fma(a, g[gi + j], c[cm + j]);
            }
        }
    }

    @Override
    public void transpose(float[] src, int s, int sStride, int rows, float[] dst, int d, int dStride, int group, int groupStride) {
        transposeBlock(L, src, s, sStride, rows, dst, d, dStride, group, groupStride);
    }

    @Override
    public void transposeTo(float[] src, int s, int sStride, int cols, float[] dst, int d, int[] dOff, int o) {
        transposeToBlock(L, src, s, sStride, cols, dst, d, dOff, o);
    }

    @Override
    public void gather(float[] src, int s, int stride, float[] dst, int d) {
        gatherLanes(L, src, s, stride, dst, d);
    }

    /** {@link GemmKernels#gather} of {@code lanes} floats. */
    static void gatherLanes(int lanes, float[] src, int s, int stride, float[] dst, int d) {
        for (int j = 0; j < lanes; j++) dst[d + j] = src[s + j * stride];
    }

    /** {@link GemmKernels#transposeTo} with {@code lanes} rows. */
    static void transposeToBlock(int lanes, float[] src, int s, int sStride, int cols, float[] dst, int d, int[] dOff, int o) {
        for (int j = 0; j < cols; j++) {
            int dj = d + dOff[o + j];
            for (int i = 0; i < lanes; i++) dst[dj + i] = src[s + i * sStride + j];
        }
    }

    /** {@link GemmKernels#transpose} with {@code lanes} columns. */
    static void transposeBlock(int lanes, float[] src, int s, int sStride, int rows, float[] dst, int d, int dStride, int group, int groupStride) {
        for (int i = 0; i < rows; i++) {
            int si = s + i * sStride;
            for (int j = 0, di = d + (i / group) * groupStride + i % group; j < lanes; j++, di += dStride) dst[di] = src[si + j];
        }
    }
}
