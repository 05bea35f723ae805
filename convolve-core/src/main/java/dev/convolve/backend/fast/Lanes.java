package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a float vector's lanes in one fixed order, whether or not the JIT has compiled the caller yet.
 *
 * <p>{@code FloatVector.reduceLanes(ADD)} leaves the order of the additions open: run by the interpreter it adds lane
 * after lane, compiled by C2 it adds as a tree, and the two results differ in the last bits. A kernel that used it
 * would give different answers before and after compilation, so a seeded training run would depend on when the JIT
 * reached its kernels (and a call repeated on the same tensors could change its result). Here the tree is spelled
 * out as lane-wise adds of the vector and a permutation of itself (lane {@code i} with lane {@code i ^ h}, for
 * {@code h = lanes/2 .. 1}); lane-wise adds and permutations are exact operations, the same in every execution mode,
 * and compile to as few instructions as the built-in reduction.
 */
public final class Lanes {
    private Lanes() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int N = S.length();
    private static final VectorShuffle<Float> X8 = N > 8 ? butterfly(8) : null;
    private static final VectorShuffle<Float> X4 = N > 4 ? butterfly(4) : null;
    private static final VectorShuffle<Float> X2 = N > 2 ? butterfly(2) : null;
    private static final VectorShuffle<Float> X1 = N > 1 ? butterfly(1) : null;

    private static VectorShuffle<Float> butterfly(int h) {
        return VectorShuffle.fromOp(S, i -> i ^ h);
    }

    /** The sum of the lanes of {@code v}: a fixed tree for the preferred species, lane order otherwise. */
    public static float sum(FloatVector v) {
        if (v.species() != S || N > 16) return sequential(v);
        if (N > 8) v = v.add(v.rearrange(X8));
        if (N > 4) v = v.add(v.rearrange(X4));
        if (N > 2) v = v.add(v.rearrange(X2));
        if (N > 1) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }

    private static float sequential(FloatVector v) {
        float[] a = v.toArray();
        float s = 0;
        for (float x : a) s += x;
        return s;
    }
}
