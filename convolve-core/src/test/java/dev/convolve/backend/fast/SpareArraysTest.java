package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.ConvOptions;
import dev.convolve.tensor.DType;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link SpareArrays}: each spare is a zeroed array of the size asked for, handed out once, to one caller; sizes seen once,
 * small sizes and sizes past the limit get none; and convs whose outputs come from spares still match the reference.
 */
class SpareArraysTest {
    private static final FastBackend FAST = FastBackend.create();

    /** Takes arrays of {@code n} floats until one is a spare (the background thread makes it), for up to 10 s. */
    private static float[] spare(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            float[] a = SpareArrays.take(n);
            if (a != null) return a;
            Thread.sleep(2);
        }
        return null;
    }

    @Test
    void sparesAreZeroedArraysOfTheSizeAskedForHandedOutOnce() throws InterruptedException {
        int n = SpareArrays.MIN_FLOATS + 4099;
        assertNull(SpareArrays.take(n), "a size seen for the first time gets its slot, not a spare");
        Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int round = 0; round < 4; round++) {
            float[] a = spare(n);
            assertNotNull(a, "no spare of " + n + " floats within 10 s");
            assertEquals(n, a.length);
            for (int i = 0; i < n; i += 997) assertEquals(0f, a[i], "spare not zeroed at " + i);
            assertEquals(0f, a[n - 1]);
            assertTrue(seen.add(a), "the same spare handed out twice");
            java.util.Arrays.fill(a, Float.NaN); // the caller owns it now: what it writes must not show up in later spares
        }
    }

    @Test
    void twoThreadsNeverGetTheSameSpare() throws Exception {
        int n = SpareArrays.MIN_FLOATS + 8191;
        SpareArrays.take(n);
        Set<float[]> got = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicReference<String> failure = new AtomicReference<>();
        Runnable taker = () -> {
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                float[] a = SpareArrays.take(n);
                if (a != null && !got.add(a)) failure.set("one spare handed to two takers");
                Thread.onSpinWait();
            }
        };
        Thread t1 = new Thread(taker), t2 = new Thread(taker);
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        assertNull(failure.get());
        assertTrue(got.size() >= 2, "the background thread made " + got.size() + " spares in 1.5 s");
    }

    @Test
    void smallSizesSizesPastTheLimitAndSparesOffGetNone() throws InterruptedException {
        int small = SpareArrays.MIN_FLOATS - 1;
        SpareArrays.take(small);
        Thread.sleep(50);
        assertNull(SpareArrays.take(small), "below 1 MB C2 allocates without the runtime's zeroing: no spares");
        long saved = SpareArrays.maxFloats;
        int big = SpareArrays.MIN_FLOATS + 12289;
        try {
            SpareArrays.maxFloats = big - 1;
            for (int i = 0; i < 20; i++) {
                assertNull(SpareArrays.take(big), "past the limit");
                Thread.sleep(5);
            }
        } finally {
            SpareArrays.maxFloats = saved;
        }
        SpareArrays.on = false;
        try {
            for (int i = 0; i < 20; i++) {
                assertNull(SpareArrays.take(big), "spares off");
                Thread.sleep(5);
            }
        } finally {
            SpareArrays.on = true;
        }
    }

    @Test
    void zeroedIsAZeroedArrayOfTheSizeWhetherASpareIsReadyOrNot() throws InterruptedException {
        int n = SpareArrays.MIN_FLOATS + 16411;
        Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 6; i++) {
            float[] a = SpareArrays.zeroed(n);
            assertEquals(n, a.length);
            for (int j = 0; j < n; j += 1009) assertEquals(0f, a[j]);
            assertTrue(seen.add(a));
            java.util.Arrays.fill(a, 1f);
            Thread.sleep(20);
        }
        assertEquals(100, SpareArrays.zeroed(100).length);
    }

    /**
     * The input gradients of depthwise convs (strides 1 and 2) and max pooling's gradient, over 1 MB each, three calls in a row
     * (the later ones on spares), against the reference.
     */
    @Test
    void depthwiseAndPoolingGradientsOnSparesMatchTheReference() throws InterruptedException {
        int[][] shapes = {{2, 16, 130, 130, 1}, {2, 16, 131, 129, 2}, {1, 48, 100, 100, 1}};
        for (int call = 0; call < 3; call++) {
            for (int[] v : shapes) {
                ConvOptions opt = ConvOptions.defaults().withStrides(new int[] {v[4], v[4]}).withFeatureGroupSize(v[1])
                        .withPadding(dev.convolve.plan.Padding.explicit(new int[] {1, 1}, new int[] {1, 1}));
                RandomConvCase c = RandomConvCase.inLayout(call, RandomConvCase.values(21 + call, DType.F32, new int[] {v[0], v[1], v[2], v[3]}),
                        RandomConvCase.values(22, DType.F32, new int[] {v[1], 1, 3, 3}), opt);
                assertTrue(c.plan().inputShape().size() >= SpareArrays.MIN_FLOATS);
                FastGradPropertyTest.checkInput(FAST, c);
            }
            dev.convolve.tensor.Tensor x = dev.convolve.tensor.Tensor.randomNormal(31 + call, DType.F64, 0, 1, 2, 16, 128, 128).asType(DType.F32);
            dev.convolve.plan.WindowPlan wp = dev.convolve.plan.WindowPlan.of("window_max", x.shape(), x.dtype(),
                    dev.convolve.plan.WindowOptions.of(new int[] {1, 1, 2, 2}).withStrides(new int[] {1, 1, 2, 2}));
            WindowGradTest.check(FAST, new WindowGradTest.Case(x, dev.convolve.tensor.Tensor.randomNormal(41, DType.F64, 0, 1, wp.outputShape().dims()).asType(DType.F32), wp));
            Thread.sleep(30);
        }
    }

    /** A conv with a 1.3 MB output, three calls in a row: its later outputs come from spares, and all match the reference. */
    @Test
    void convOutputsFromSparesMatchTheReference() throws InterruptedException {
        for (int call = 0; call < 3; call++) {
            RandomConvCase c = RandomConvCase.inLayout(call, RandomConvCase.values(11, DType.F32, new int[] {2, 4, 130, 130}),
                    RandomConvCase.values(12, DType.F32, new int[] {10, 4, 3, 3}), ConvOptions.defaults());
            assertTrue(c.plan().outputShape().size() >= SpareArrays.MIN_FLOATS);
            FastConvPropertyTest.check(FAST, c);
            Thread.sleep(20);
        }
        RandomConvCase c = RandomConvCase.inLayout(7, RandomConvCase.values(11, DType.F32, new int[] {2, 4, 130, 130}),
                RandomConvCase.values(12, DType.F32, new int[] {10, 4, 3, 3}), ConvOptions.defaults());
        assertNotSame(FAST.conv(c.plan(), c.input(), c.kernel()).floatData(), FAST.conv(c.plan(), c.input(), c.kernel()).floatData());
    }
}
