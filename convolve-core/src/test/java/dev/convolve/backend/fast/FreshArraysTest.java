package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.backend.Backends;
import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link FreshArrays}: the test JVM is started with {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (the build's
 * {@code convolve.test.argLine}, as {@code convolve-all.jar}'s manifest does for {@code java -jar}), so fresh outputs of
 * full-write engines skip the zeroing; they must still come out exact, on memory that held NaN just before.
 */
class FreshArraysTest {
    private static final FastBackend FAST = FastBackend.create();

    @Test
    void theTestJvmAllowsAllocationWithoutZeroing() {
        assertTrue(FreshArrays.uninitialized(), "jdk.internal.misc is not exported to the tests: the build's argLine lost "
                + "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED, so the path of ./convolve is not tested");
    }

    @Test
    void smallArraysAreZeroed() {
        dirtyTheHeap(FreshArrays.MIN_FLOATS - 1);
        float[] a = FreshArrays.forFullWrite(FreshArrays.MIN_FLOATS - 1);
        for (float v : a) assertEquals(0f, v);
    }

    /**
     * Without zeroing a fresh array shows what the memory held: NaN left by arrays dropped before a collection. Only compiled
     * code skips the zeroing (the JDK's fallback, as the interpreter runs it, zeroes), so this calls it until C2 has; the
     * tests on dirty memory below run after it ({@link #skipping}).
     */
    @Test
    void compiledAllocationSkipsTheZeroing() {
        assertTrue(skipping(), "fresh arrays of " + FreshArrays.MIN_FLOATS + " floats on memory that held NaN were all zero for 20 s: "
                + "the allocation zeroes them");
    }

    private static Boolean skipping;

    /** True once a fresh array came out dirty (calls {@link FreshArrays#forFullWrite} for up to 20 s until one does). */
    private static synchronized boolean skipping() {
        if (skipping != null) return skipping;
        int n = FreshArrays.MIN_FLOATS;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            dirtyTheHeap(n);
            for (int i = 0; i < 2000; i++) {
                float[] a = FreshArrays.forFullWrite(n);
                if (a[0] != 0f || a[n - 1] != 0f || a[n / 2] != 0f) return skipping = true;
            }
        }
        return skipping = false;
    }

    /** A fresh conv output on dirty memory, from engines that store every output: equal to the reference backend's. */
    @Test
    void convOnDirtyMemoryMatchesTheReference() {
        int[][] cases = {
            // N, C, H, W, O, R, S, stride, pad: depthwise-rows, tap-list, plane-lanes, gemm, winograd-4x4
            {64, 1, 28, 28, 4, 3, 3, 2, 1},
            {64, 8, 7, 7, 16, 3, 3, 2, 1},
            {64, 4, 14, 14, 8, 3, 3, 2, 1},
            {2, 32, 30, 30, 24, 1, 1, 1, 0},
            {2, 16, 20, 20, 16, 3, 3, 1, 1},
        };
        for (int[] c : cases) {
            ConvOptions o = ConvOptions.defaults().withStrides(c[7]).withPadding(c[8], c[8], c[8], c[8]);
            Tensor x = Tensor.randomNormal(c[0], DType.F32, 0, 1, c[0], c[1], c[2], c[3]);
            Tensor w = Tensor.randomNormal(c[4], DType.F32, 0, 1, c[4], c[1], c[5], c[6]);
            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
            int size = p.outputShape().size();
            assertTrue(size >= FreshArrays.MIN_FLOATS && FullWrite.of(FAST.explain(p), p), () -> "not a fresh full-write case: " + p);
            float[] expected = Backends.reference().conv(p, x, w).floatData();
            assertTrue(skipping());
            dirtyTheHeap(size);
            float[] got = FAST.conv(p, x, w).floatData();
            String engine = FAST.explain(p).algorithm();
            assertClose(expected, got, engine + " on " + p);
        }
    }

    /**
     * The input gradient's fresh result on dirty memory ({@link GradInput#run}: the gradient conv's engine, some reading the
     * forward kernel directly), equal to the reference's.
     */
    @Test
    void gradInputOnDirtyMemoryMatchesTheReference() {
        int[][] cases = {
            // N, C, H, W, O, R, S, stride, pad
            {256, 1, 28, 28, 4, 3, 3, 2, 1},    // batch-lanes
            {64, 1, 28, 28, 4, 3, 3, 2, 1},     // plane-lanes on two or more threads (fewer than 16 vectors of images)
            {64, 16, 4, 4, 16, 3, 3, 2, 1},     // tap-list
            {2, 64, 14, 14, 64, 3, 3, 2, 1},    // channel-lanes from the forward kernel (paired phases)
            {2, 16, 20, 20, 16, 3, 3, 1, 1},    // winograd-4x4 from the forward kernel
        };
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int[] c : cases) {
            ConvOptions o = ConvOptions.defaults().withStrides(c[7]).withPadding(c[8], c[8], c[8], c[8]);
            Tensor w = Tensor.randomNormal(c[4], DType.F32, 0, 1, c[4], c[1], c[5], c[6]);
            ConvPlan p = ConvPlan.of(dev.convolve.tensor.Shape.of(c[0], c[1], c[2], c[3]), DType.F32, w.shape(), w.dtype(), o);
            Tensor g = Tensor.randomNormal(c[0] + 1, DType.F32, 0, 1, p.outputShape().dims());
            String engine = FAST.explainGradInput(p).algorithm();
            seen.add(engine);
            float[] expected = Backends.reference().convGradInput(p, w, g).floatData();
            assertTrue(skipping());
            dirtyTheHeap(expected.length);
            float[] got = FAST.convGradInput(p, w, g).floatData();
            assertClose(expected, got, engine + " on " + p);
        }
        assertTrue(seen.containsAll(java.util.List.of("batch-lanes", TapListConv.NAME, ChannelLanesConv.NAME, "winograd-4x4")), seen::toString);
        if (dev.convolve.backend.Threads.threads() > 1) assertTrue(seen.contains(PlaneLanes.NAME), seen::toString);
    }

    /** Pooling's fresh results on dirty memory ({@link Pooling} stores every output): max, sum and mean against the reference. */
    @Test
    void poolingOnDirtyMemoryMatchesTheReference() {
        dev.convolve.backend.Backend ref = Backends.reference();
        int[][] cases = {
            // N, C, H, W, window, stride, pad
            {8, 16, 28, 28, 2, 2, 0},
            {4, 8, 29, 31, 3, 2, 1},
            {2, 32, 16, 16, 3, 1, 1},
        };
        for (int[] c : cases) {
            Tensor x = Tensor.randomNormal(c[0], DType.F32, 0, 1, c[0], c[1], c[2], c[3]);
            dev.convolve.plan.WindowOptions o = dev.convolve.plan.WindowOptions.of(1, 1, c[4], c[4]).withStrides(1, 1, c[5], c[5])
                    .withPadding(dev.convolve.plan.Padding.explicit(new int[] {0, 0, c[6], c[6]}, new int[] {0, 0, c[6], c[6]}));
            for (dev.convolve.backend.WindowReduction op : new dev.convolve.backend.WindowReduction[] {
                    dev.convolve.backend.WindowReduction.MAX, dev.convolve.backend.WindowReduction.SUM}) {
                dev.convolve.plan.WindowPlan p = dev.convolve.plan.WindowPlan.of(op.opName(), x.shape(), x.dtype(), o);
                assertTrue(p.outputShape().size() >= FreshArrays.MIN_FLOATS, p::toString);
                float[] expected = ref.window(p, op, x).floatData();
                assertTrue(skipping());
                dirtyTheHeap(expected.length);
                assertClose(expected, FAST.window(p, op, x).floatData(), op + " " + p);
                if (op == dev.convolve.backend.WindowReduction.SUM) {
                    float[] mean = ref.windowSumDivided(p, x, p.windowSize()).floatData();
                    dirtyTheHeap(mean.length);
                    assertClose(mean, FAST.windowSumDivided(p, x, p.windowSize()).floatData(), "mean " + p);
                }
            }
        }
    }

    private static void assertClose(float[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            int at = i;
            assertEquals(expected[i], got[i], 1e-4 * (1 + Math.abs(expected[i])), () -> what + " at " + at);
        }
    }

    /** Fills arrays of {@code n} floats with NaN, drops them and collects, so that the next allocations reuse that memory. */
    private static void dirtyTheHeap(int n) {
        float[][] junk = new float[8][];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = new float[n];
            Arrays.fill(junk[i], Float.NaN);
        }
        junk = null;
        System.gc();
    }
}
