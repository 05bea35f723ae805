package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PlaneLanesKernels} with the Vector API: a source row as two masked loads, each kernel column's gather one two-table
 * permutation ({@code selectFrom}) and one whole-vector store (the lanes past the output row pick the zero lane). Output rows
 * of up to 8 columns from source rows of up to 15 go through 256-bit vectors: on a CPU that splits 512-bit stores in two
 * (AMD Zen 4), three 512-bit stores per source row cost more than the loads and permutations together (microbenchmark,
 * 2026-11-25: 14-column rows into three 7-column arrays, 3.4 ns per row masked 512-bit, 1.9 ns 256-bit unmasked).
 */
final class PlaneLanesVector implements PlaneLanesKernels {
    static final PlaneLanesVector INSTANCE = new PlaneLanesVector();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Eight floats (used when {@link #S} has 16). */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_256;

    private PlaneLanesVector() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void gather(float[] idx, int cols, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff, int dstW) {
        if (L == 16 && dstW <= 8 && srcW <= 15) {
            if (cols == 3) gather3Half(idx, src, sOff, srcW, rows, rowDst, sStride, dst, dOff);
            else gatherHalf(idx, cols, src, sOff, srcW, rows, rowDst, sStride, dst, dOff);
        } else {
            if (cols == 3) gather3(idx, src, sOff, srcW, rows, rowDst, sStride, dst, dOff);
            else gatherAny(idx, cols, src, sOff, srcW, rows, rowDst, sStride, dst, dOff);
        }
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

    /*
     * The same with eight lanes (the species a constant in each method: passed as an argument, C2 did not compile the vector
     * operations to instructions). The index vectors are the first eight lanes of each L-lane one; a two-table index wraps
     * to [0, 16), so the zero lane 2L - 1 becomes lane 15, which is zero while srcW < 16.
     */
    /** Any number of kernel columns, {@code 8}-lane vectors. */
    private static void gatherHalf(float[] idx, int cols, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff) {
        VectorMask<Float> ma = H.indexInRange(0, srcW), mb = H.indexInRange(8, srcW);
        boolean two = srcW > 8;
        FloatVector zero = FloatVector.zero(H);
        for (int y = 0; y < rows; y++) {
            int d = rowDst[y];
            if (d < 0) continue;
            d += dOff;
            int row = sOff + y * srcW;
            FloatVector x0 = FloatVector.fromArray(H, src, row, ma), x1 = two ? FloatVector.fromArray(H, src, row + 8, mb) : zero;
            for (int s = 0; s < cols; s++) FloatVector.fromArray(H, idx, s * L).selectFrom(x0, x1).intoArray(dst, d + s * sStride);
        }
    }

    /** Three kernel columns, the index vectors in registers, {@code 8}-lane vectors. */
    private static void gather3Half(float[] idx, float[] src, int sOff, int srcW, int rows, int[] rowDst, int sStride, float[] dst, int dOff) {
        VectorMask<Float> ma = H.indexInRange(0, srcW), mb = H.indexInRange(8, srcW);
        boolean two = srcW > 8;
        FloatVector zero = FloatVector.zero(H);
        FloatVector i0 = FloatVector.fromArray(H, idx, 0), i1 = FloatVector.fromArray(H, idx, L), i2 = FloatVector.fromArray(H, idx, 2 * L);
        for (int y = 0; y < rows; y++) {
            int d = rowDst[y];
            if (d < 0) continue;
            d += dOff;
            int row = sOff + y * srcW;
            FloatVector x0 = FloatVector.fromArray(H, src, row, ma), x1 = two ? FloatVector.fromArray(H, src, row + 8, mb) : zero;
            i0.selectFrom(x0, x1).intoArray(dst, d);
            i1.selectFrom(x0, x1).intoArray(dst, d + sStride);
            i2.selectFrom(x0, x1).intoArray(dst, d + 2 * sStride);
        }
    }
}
