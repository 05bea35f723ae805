package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link WindowGradKernels} with the Vector API: window (or input) columns in the lanes. */
final class WindowGradVector implements WindowGradKernels {
    static final WindowGradVector INSTANCE = new WindowGradVector();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private WindowGradVector() {}

    @Override
    public int lanes() { return L; }

    @Override
    public void select(float[] src, int sOff, int sPitch, int[] off, int taps, boolean max, float[] codes, int cOff, int cPitch, int rows, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int s = sOff + r * sPitch, c = cOff + r * cPitch;
            for (int i = 0; i < n; i += L) {
                FloatVector bv = FloatVector.fromArray(S, src, s + off[0] + i), bt = zero;
                for (int t = 1; t < taps; t++) {
                    FloatVector v = FloatVector.fromArray(S, src, s + off[t] + i);
                    // constant operators, NaN as x != x, two blends instead of a mask OR (the two masks are disjoint: no
                    // comparison with a NaN is true): a variable operator, test(IS_NAN) and mask OR are not intrinsified
                    // here, run as plain Java, and once compiled that fallback also slows other kernels' masked loads
                    VectorMask<Float> better = max ? v.compare(VectorOperators.GT, bv) : v.compare(VectorOperators.LT, bv);
                    VectorMask<Float> nan = v.compare(VectorOperators.NE, v).andNot(bv.compare(VectorOperators.NE, bv));
                    bv = bv.blend(v, better).blend(v, nan);
                    bt = bt.blend((float) t, better).blend((float) t, nan);
                }
                bt.intoArray(codes, c + i);
            }
        }
    }

    @Override
    public void route(float[] codes, float[] g, int sOff, int sPitch, int[] off, float[] code, int nt, float[] dst, int dOff, int dPitch, int rows, int n) {
        FloatVector zero = FloatVector.zero(S);
        int full = n & -L;
        VectorMask<Float> m = S.indexInRange(full, n);
        for (int r = 0; r < rows; r++) {
            int s = sOff + r * sPitch, d = dOff + r * dPitch;
            for (int i = 0; i < full; i += L) {
                FloatVector a = zero;
                for (int k = 0; k < nt; k++) {
                    int e = s + off[k] + i;
                    a = a.add(zero.blend(FloatVector.fromArray(S, g, e), FloatVector.fromArray(S, codes, e).compare(VectorOperators.EQ, code[k])));
                }
                a.intoArray(dst, d + i);
            }
            if (full < n) {
                FloatVector a = zero;
                for (int k = 0; k < nt; k++) {
                    int e = s + off[k] + full;
                    a = a.add(zero.blend(FloatVector.fromArray(S, g, e), FloatVector.fromArray(S, codes, e).compare(VectorOperators.EQ, code[k])));
                }
                a.intoArray(dst, d + full, m);
            }
        }
    }
}
