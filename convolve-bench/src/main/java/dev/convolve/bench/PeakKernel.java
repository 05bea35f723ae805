package dev.convolve.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Twelve independent FMA chains on the preferred vector shape; loaded only when the Vector API is present. */
final class PeakKernel {
    private PeakKernel() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static volatile float sink;

    /** Runs {@code iters} rounds of 12 vector FMAs and returns the number of floating-point operations done. */
    static long run(long iters) {
        FloatVector b = FloatVector.broadcast(S, 1.0000001f), c = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 0f), a1 = FloatVector.broadcast(S, 1f), a2 = FloatVector.broadcast(S, 2f),
                a3 = FloatVector.broadcast(S, 3f), a4 = FloatVector.broadcast(S, 4f), a5 = FloatVector.broadcast(S, 5f),
                a6 = FloatVector.broadcast(S, 6f), a7 = FloatVector.broadcast(S, 7f), a8 = FloatVector.broadcast(S, 8f),
                a9 = FloatVector.broadcast(S, 9f), a10 = FloatVector.broadcast(S, 10f), a11 = FloatVector.broadcast(S, 11f);
        for (long k = 0; k < iters; k++) {
            a0 = a0.fma(b, c); a1 = a1.fma(b, c); a2 = a2.fma(b, c); a3 = a3.fma(b, c);
            a4 = a4.fma(b, c); a5 = a5.fma(b, c); a6 = a6.fma(b, c); a7 = a7.fma(b, c);
            a8 = a8.fma(b, c); a9 = a9.fma(b, c); a10 = a10.fma(b, c); a11 = a11.fma(b, c);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        sink = s.reduceLanes(VectorOperators.ADD);
        return iters * 12L * S.length() * 2L;
    }
}
