package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link Kernels#copy} and {@link Kernels#copyRows} against their definitions, for the vector and the scalar kernels: every
 * length from none to several vectors (whole vectors, tails shorter than a vector, tails copied as an overlapping last
 * vector), random offsets and row steps, the floats around the copied ranges left alone, and copies inside one array whose
 * source and destination overlap (which must not take the overlapping-tail form).
 */
class CopyKernelsTest {
    private static final Kernels VECTOR = FastBackend.create().kernels();
    private static final Kernels SCALAR = new ScalarKernels();

    @Property(tries = 300)
    void vectorCopyMatchesDefinition(@ForAll long seed) {
        checkCopy(VECTOR, seed);
    }

    @Property(tries = 100)
    void scalarCopyMatchesDefinition(@ForAll long seed) {
        checkCopy(SCALAR, seed);
    }

    @Property(tries = 300)
    void vectorCopyRowsMatchesDefinition(@ForAll long seed) {
        checkCopyRows(VECTOR, seed);
    }

    @Property(tries = 100)
    void scalarCopyRowsMatchesDefinition(@ForAll long seed) {
        checkCopyRows(SCALAR, seed);
    }

    private static void checkCopy(Kernels k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int len = r.nextInt(0, 5 * k.lanes()), sOff = r.nextInt(0, 40), dOff = r.nextInt(0, 40);
        boolean same = r.nextInt(4) == 0;
        float[] src = random(r, sOff + len + 40 + dOff + len);
        float[] dst = same ? src : random(r, dOff + len + 40);
        float[] want = dst.clone();
        float[] from = src.clone();
        for (int i = 0; i < len; i++) want[dOff + i] = from[sOff + i];
        if (same) {
            // overlapping ranges inside one array: the definition reads every source float before it is overwritten
            // only for dOff <= sOff (front to back); the other way round is not a contract, so keep the ranges apart
            if (dOff > sOff && dOff < sOff + len) return;
        }
        k.copy(src, sOff, dst, dOff, len);
        assertArrayEquals(want, dst, "copy len " + len + " sOff " + sOff + " dOff " + dOff + (same ? " (one array)" : ""));
    }

    private static void checkCopyRows(Kernels k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int len = r.nextInt(0, 4 * k.lanes()), rows = r.nextInt(0, 6), sOff = r.nextInt(0, 30), dOff = r.nextInt(0, 30);
        int sStep = len + r.nextInt(0, 20), dStep = len + r.nextInt(0, 20);
        float[] src = random(r, sOff + rows * sStep + len + 20);
        float[] dst = random(r, dOff + rows * dStep + len + 20);
        float[] want = dst.clone();
        for (int m = 0; m < rows; m++) for (int i = 0; i < len; i++) want[dOff + m * dStep + i] = src[sOff + m * sStep + i];
        k.copyRows(src, sOff, sStep, dst, dOff, dStep, rows, len);
        assertArrayEquals(want, dst, "copyRows rows " + rows + " len " + len + " steps " + sStep + "/" + dStep);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1);
        return a;
    }
}
