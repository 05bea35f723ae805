package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PlaneLanesKernels} with the Vector API: a source row as two masked loads, each kernel column's gather one two-table
 * permutation ({@code selectFrom}) and one whole-vector store (the lanes past the output row pick the zero lane: unmasked
 * stores, 2.4 against 3.4 ns per source row masked in a microbenchmark, 2026-11-25); for rows of at most half a vector, two
 * rows per permutation and store (mnist-l2's forward 163 against 170 µs on one thread, 2026-11-25). Only the preferred
 * species: 256-bit vectors here (faster still for rows of up to 8, 1.9 ns) made the JDK's shared vector methods see two
 * vector classes, and other engines' kernels compiled after that ran boxed: a 3-D conv's kernel gradient took 760 instead
 * of 120 ms in the benchmark's table after the MNIST rows had run this engine.
 */
final class PlaneLanesVector implements PlaneLanesKernels {
    static final PlaneLanesVector INSTANCE = new PlaneLanesVector();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private PlaneLanesVector() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void gather(float[] idx, int cols, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff, int dstW) {
        if (cols == 3) gather3(idx, src, sOff, srcW, rows, rowDst, sStride, dst, dOff);
        else gatherAny(idx, cols, src, sOff, srcW, rows, rowDst, sStride, dst, dOff);
    }

    /** Any number of kernel columns, {@code L}-lane vectors. */
    private static void gatherAny(float[] idx, int cols, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff) {
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW);
        boolean two = srcW > L;
        FloatVector zero = FloatVector.zero(S);
        for (int y = 0; y < rows; y++) {
            int d = rowDst[y];
            if (d < 0) continue;
            d += dOff;
            int row = sOff + y * srcW;
            FloatVector x0 = FloatVector.fromArray(S, src, row, ma), x1 = two ? FloatVector.fromArray(S, src, row + L, mb) : zero;
            for (int s = 0; s < cols; s++) FloatVector.fromArray(S, idx, s * L).selectFrom(x0, x1).intoArray(dst, d + s * sStride);
        }
    }

    /** Three kernel columns, the index vectors in registers, {@code L}-lane vectors. */
    private static void gather3(float[] idx, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff) {
        VectorMask<Float> ma = S.indexInRange(0, srcW), mb = S.indexInRange(L, srcW);
        boolean two = srcW > L;
        FloatVector zero = FloatVector.zero(S);
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), i1 = FloatVector.fromArray(S, idx, L), i2 = FloatVector.fromArray(S, idx, 2 * L);
        for (int y = 0; y < rows; y++) {
            int d = rowDst[y];
            if (d < 0) continue;
            d += dOff;
            int row = sOff + y * srcW;
            FloatVector x0 = FloatVector.fromArray(S, src, row, ma), x1 = two ? FloatVector.fromArray(S, src, row + L, mb) : zero;
            i0.selectFrom(x0, x1).intoArray(dst, d);
            i1.selectFrom(x0, x1).intoArray(dst, d + sStride);
            i2.selectFrom(x0, x1).intoArray(dst, d + 2 * sStride);
        }
    }

    @Override
    public void gatherPairs(float[] idx, int cols, float[] src, int sOff, int srcW, int[] pairs, int nPairs, int sStride, float[] dst, int dOff) {
        if (cols == 3) {
            gatherPairs3(idx, src, sOff, srcW, pairs, nPairs, sStride, dst, dOff);
            return;
        }
        VectorMask<Float> ma = S.indexInRange(0, srcW);
        FloatVector zero = FloatVector.zero(S);
        for (int pi = 0; pi < nPairs; pi++) {
            int y0 = pairs[3 * pi], y1 = pairs[3 * pi + 1], d = dOff + pairs[3 * pi + 2];
            FloatVector x0 = y0 >= 0 ? FloatVector.fromArray(S, src, sOff + y0 * srcW, ma) : zero;
            FloatVector x1 = y1 >= 0 ? FloatVector.fromArray(S, src, sOff + y1 * srcW, ma) : zero;
            for (int s = 0; s < cols; s++) FloatVector.fromArray(S, idx, s * L).selectFrom(x0, x1).intoArray(dst, d + s * sStride);
        }
    }

    /** Three kernel columns, two rows at a time, the index vectors in registers. */
    private static void gatherPairs3(float[] idx, float[] src, int sOff, int srcW, int[] pairs, int nPairs, int sStride, float[] dst, int dOff) {
        VectorMask<Float> ma = S.indexInRange(0, srcW);
        FloatVector zero = FloatVector.zero(S);
        FloatVector i0 = FloatVector.fromArray(S, idx, 0), i1 = FloatVector.fromArray(S, idx, L), i2 = FloatVector.fromArray(S, idx, 2 * L);
        for (int pi = 0; pi < nPairs; pi++) {
            int y0 = pairs[3 * pi], y1 = pairs[3 * pi + 1], d = dOff + pairs[3 * pi + 2];
            FloatVector x0 = y0 >= 0 ? FloatVector.fromArray(S, src, sOff + y0 * srcW, ma) : zero;
            FloatVector x1 = y1 >= 0 ? FloatVector.fromArray(S, src, sOff + y1 * srcW, ma) : zero;
            i0.selectFrom(x0, x1).intoArray(dst, d);
            i1.selectFrom(x0, x1).intoArray(dst, d + sStride);
            i2.selectFrom(x0, x1).intoArray(dst, d + 2 * sStride);
        }
    }

    /** Output lane x (of two vectors) picks lane x/2 of the first source for even x, of the second for odd x. */
    private static final float[] ZIP = new float[2 * L];
    static {
        for (int x = 0; x < 2 * L; x++) ZIP[x] = (x & 1) == 0 ? x >> 1 : L + (x >> 1);
    }

    @Override
    public void interleave(float[] a, int aOff, int aStep, float[] b, int bOff, int bStep, int rows, float[] dst, int dOff, int dStep, int len) {
        FloatVector z0 = FloatVector.fromArray(S, ZIP, 0), z1 = FloatVector.fromArray(S, ZIP, L);
        VectorMask<Float> m0 = S.indexInRange(0, len), m1 = S.indexInRange(L, len);
        boolean two = len > L;
        for (int r = 0; r < rows; r++) {
            FloatVector va = FloatVector.fromArray(S, a, aOff + r * aStep), vb = FloatVector.fromArray(S, b, bOff + r * bStep);
            int d = dOff + r * dStep;
            z0.selectFrom(va, vb).intoArray(dst, d, m0);
            if (two) z1.selectFrom(va, vb).intoArray(dst, d + L, m1);
        }
    }
}
