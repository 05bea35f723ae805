package dev.convolve.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lane sums in the halving order, whatever the length. */
class LanesTest {

    /** Lane i plus lane i + n/2, recursively on the first half. */
    private static float halving(float[] a, int o, int n) {
        if (n == 1) return a[o];
        float[] h = new float[n / 2];
        for (int i = 0; i < n / 2; i++) h[i] = a[o + i] + a[o + i + n / 2];
        return halving(h, 0, n / 2);
    }

    @Test
    void sumsInTheHalvingOrder() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 4, 8, 16, 32, 64}) {
            for (int trial = 0; trial < 200; trial++) {
                float[] a = new float[n + 3];
                // Widely different magnitudes, so that another order would give another sum.
                for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
                float want = halving(a, 3, n);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(Lanes.sum(a.clone(), 3, n)), "n " + n);
            }
        }
        // The order shows: ((1e8 + -1e8) + (1 + 1)) = 2, where left to right gives 1.
        assertEquals(2f, Lanes.sum(new float[] {1e8f, 1f, -1e8f, 1f}, 0, 4));
    }
}
