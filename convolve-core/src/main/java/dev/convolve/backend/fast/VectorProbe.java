package dev.convolve.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;

/** Checks, apart from the kernels, that the Vector API has hardware vectors worth using here. */
final class VectorProbe {
    private VectorProbe() {}

    /** Null when the Vector API can be used; otherwise why not. */
    public static String unusableReason() {
        int bits = VectorShape.preferredShape().vectorBitSize();
        if (bits < 256) return "the CPU offers " + bits + "-bit vectors to Java; below 256 bits the scalar kernels are faster";
        if (FloatVector.SPECIES_PREFERRED.length() < 8) return "fewer than 8 float lanes per vector";
        return null;
    }
}
