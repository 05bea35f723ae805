package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** {@link Lanes#sum}: one fixed order of additions, before and after the JIT compiles it. */
class LanesTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Lanes of very different magnitudes, so that every order of additions rounds differently. */
    private static float[][] vectors() {
        Random r = new Random(7);
        float[][] v = new float[64][S.length()];
        for (float[] a : v) for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8)));
        return v;
    }

    private static float[] sums(float[][] v) {
        float[] s = new float[v.length];
        for (int i = 0; i < v.length; i++) s[i] = Lanes.sum(FloatVector.fromArray(S, v[i], 0));
        return s;
    }

    /** The butterfly tree written out in scalars: lane i paired with lane i ^ h, h = lanes/2 .. 1. */
    private static float tree(float[] a) {
        float[] t = a.clone();
        for (int h = t.length / 2; h >= 1; h /= 2) {
            float[] u = new float[t.length];
            for (int i = 0; i < t.length; i++) u[i] = t[i] + t[i ^ h];
            t = u;
        }
        return t[0];
    }

    @Test
    void theSameSumsInterpretedAndCompiled() {
        float[][] v = vectors();
        float[] first = sums(v); // the first calls run in the interpreter
        float[] later = first;
        for (int k = 0; k < 20_000; k++) later = sums(v); // by now C2 has compiled Lanes.sum and this loop
        for (int i = 0; i < v.length; i++) {
            assertEquals(first[i], later[i], 0f, "vector " + i);
            assertEquals(tree(v[i]), later[i], 0f, "vector " + i + " against the scalar tree");
        }
    }
}
