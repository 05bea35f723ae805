package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The conv on tap lists ({@link TapListConv}) against the reference over random convs of rank 1 to 3 (strides, padding on
 * either side or cropping, kernel and input dilation, output channels not a multiple of the lanes, planes above and below
 * 16 positions, batches with a partial last tile), forward and input gradient, vector and scalar kernels.
 */
class TapListConvTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    static RandomConvCase tapCase(long seed) {
        return RandomConvCase.geometric(seed, 60, 40, new int[] {40, 11, 5}, 4, 3, 4, p -> TapListConv.supports(FAST.kernels(), p));
    }

    @Property(tries = 200)
    void tapListMatchesReference(@ForAll long seed) {
        TapListConv.force = true;
        try {
            RandomConvCase c = tapCase(seed);
            assertEquals(TapListConv.NAME, FAST.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
        } finally {
            TapListConv.force = false;
        }
    }

    @Property(tries = 150)
    void tapListKernelGradientMatchesReference(@ForAll long seed) {
        TapListGradKernel.force = true;
        try {
            RandomConvCase c = tapCase(seed);
            if (!TapListGradKernel.supports(FAST.kernels(), c.plan())) return;
            assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(c.plan()).algorithm(), c::toString);
            FastGradPropertyTest.checkKernel(FAST, c);
            if (seed % 3 == 0) FastGradPropertyTest.checkKernel(SCALAR, c);
        } finally {
            TapListGradKernel.force = false;
        }
    }

    @Property(tries = 60)
    void scalarTapListMatchesReference(@ForAll long seed) {
        TapListConv.force = true;
        try {
            RandomConvCase c = tapCase(seed);
            assertEquals(TapListConv.NAME, SCALAR.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(SCALAR, c);
        } finally {
            TapListConv.force = false;
        }
    }

    /**
     * The MNIST CNN's 4x4 and 7x7 layers and a ResNet-style stride-2 layer on a 14x14 plane (49 output positions: the last
     * block of positions overlaps the one before), 10 output channels (a partial vector), a batch with a partial last tile,
     * and one geometry at two batch sizes (the kernel gradient caches its work per plan).
     */
    @Test
    void networkShapesMatchReference() {
        int[][] cases = {{50, 16, 4, 16}, {37, 8, 7, 16}, {64, 8, 7, 16}, {30, 16, 14, 32}, {27, 16, 2, 10}, {13, 32, 4, 48}};
        for (int[] v : cases) {
            ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1}));
            Tensor x = Tensor.randomNormal(1, DType.F32, 0, 1, v[0], v[1], v[2], v[2]);
            Tensor w = Tensor.randomNormal(2, DType.F32, 0, 0.3, v[3], v[1], 3, 3);
            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
            RandomConvCase rc = new RandomConvCase(0, x, w, o, p);
            withBothForced(() -> {
                for (FastBackend b : new FastBackend[] {FAST, SCALAR}) {
                    assertEquals(TapListConv.NAME, b.explain(p).algorithm(), p::toString);
                    assertEquals(TapListGradKernel.NAME, b.explainGradKernel(p).algorithm(), p::toString);
                    FastConvPropertyTest.check(b, rc);
                    FastGradPropertyTest.checkKernel(b, rc);
                }
            });
        }
    }

    /** Runs {@code r} with both tap-list engines forced (the forward's and the kernel gradient's), unforced after. */
    private static void withBothForced(Runnable r) {
        TapListConv.force = true;
        TapListGradKernel.force = true;
        try {
            r.run();
        } finally {
            TapListConv.force = false;
            TapListGradKernel.force = false;
        }
    }

    /**
     * Tiles of 16 images with one vector of output channels read their inputs side by side ({@link GemmKernels#bcastSeq}) on
     * 16-lane vectors: the MNIST 7x7 layer with 50 and 64 images (a partial last tile, and 392 floats an image: 24 whole
     * block transposes and a tail) against the reference, forward and input gradient, with that path taken.
     */
    @Test
    void sideBySideTilesMatchReference() {
        GemmKernels gk = GemmKernels.of(FAST.kernels());
        org.junit.jupiter.api.Assumptions.assumeTrue(gk.lanes() == TapListConv.SEQ_ROWS, "16-lane vectors");
        for (int n : new int[] {50, 64}) {
            assertEquals(true, TapListConv.sideBySide(gk, TapListConv.rows(FAST.kernels(), 1, n), 1), "16-image tiles for " + n);
            ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
            Tensor x = Tensor.randomNormal(3, DType.F32, 0, 1, n, 8, 7, 7);
            Tensor w = Tensor.randomNormal(4, DType.F32, 0, 0.3, 16, 8, 3, 3);
            RandomConvCase rc = RandomConvCase.inLayout(0, x, w, o);
            ConvPlan p = rc.plan();
            TapListConv.force = true;
            try {
                assertEquals(TapListConv.NAME, FAST.explain(p).algorithm(), p::toString);
                FastConvPropertyTest.check(FAST, rc);
                FastGradPropertyTest.checkInput(FAST, rc);
            } finally {
                TapListConv.force = false;
            }
        }
    }

    /**
     * The planner asks tap-list first for one-vector layers with many steps on planes up to 14x14 when its tiles read their
     * inputs side by side: LeNet's second conv (batch-lanes before) and a 14x14 3x3 layer onto 16 channels (winograd-4x4
     * before), both against the reference, forward and input gradient, and the input gradient of a stride-2 layer onto 16
     * channels of 14x14 (batch-lanes before); 28x28 planes and few steps keep their engines.
     */
    @Test
    void sideBySideLayersComeFirst() {
        org.junit.jupiter.api.Assumptions.assumeTrue(GemmKernels.of(FAST.kernels()).lanes() == TapListConv.SEQ_ROWS, "16-lane vectors");
        int[][] taken = {{256, 6, 14, 16, 5, 0}, {64, 16, 14, 16, 3, 1}, {64, 32, 8, 12, 3, 1}};
        for (int[] v : taken) {
            ConvOptions o = ConvOptions.defaults().withPadding(v[5], v[5], v[5], v[5]);
            Tensor x = Tensor.randomNormal(5, DType.F32, 0, 1, v[0], v[1], v[2], v[2]);
            Tensor w = Tensor.randomNormal(6, DType.F32, 0, 0.2, v[3], v[1], v[4], v[4]);
            RandomConvCase rc = RandomConvCase.inLayout(0, x, w, o);
            ConvPlan p = rc.plan();
            assertEquals(true, TapListConv.sideBySideFirst(FAST.kernels(), p), p::toString);
            assertEquals(TapListConv.NAME, FAST.explain(p).algorithm(), p::toString);
            FastConvPropertyTest.check(FAST, rc);
            FastGradPropertyTest.checkInput(FAST, rc);
        }
        // an input gradient onto 16 channels of 14x14 (the conv of a stride-2 layer's gradient, input dilation 2)
        ConvOptions s2 = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
        Tensor x = Tensor.randomNormal(7, DType.F32, 0, 1, 64, 16, 14, 14);
        Tensor w = Tensor.randomNormal(8, DType.F32, 0, 0.2, 32, 16, 3, 3);
        RandomConvCase down = RandomConvCase.inLayout(0, x, w, s2);
        assertEquals(TapListConv.NAME, FAST.explainGradInput(down.plan()).algorithm());
        FastGradPropertyTest.checkInput(FAST, down);
        ConvOptions p1 = ConvOptions.defaults().withPadding(1, 1, 1, 1);
        ConvPlan big = ConvPlan.of(dev.convolve.tensor.Shape.of(64, 32, 28, 28), DType.F32, dev.convolve.tensor.Shape.of(16, 32, 3, 3), DType.F32, p1);
        ConvPlan few = ConvPlan.of(dev.convolve.tensor.Shape.of(128, 8, 14, 14), DType.F32, dev.convolve.tensor.Shape.of(16, 8, 3, 3), DType.F32, p1);
        ConvPlan wide = ConvPlan.of(dev.convolve.tensor.Shape.of(64, 16, 14, 14), DType.F32, dev.convolve.tensor.Shape.of(32, 16, 3, 3), DType.F32, p1);
        for (ConvPlan p : new ConvPlan[] {big, few, wide}) assertEquals(false, TapListConv.sideBySideFirst(FAST.kernels(), p), p::toString);
        assertEquals("winograd-4x4", FAST.explain(big).algorithm());
    }

    /** The kernel gradient takes one-vector layers only when they have two or more lists (the threads split by lists). */
    @Test
    void kernelGradientWhereThereAreSeveralLists() {
        ConvOptions s2 = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
        ConvPlan l3 = ConvPlan.of(dev.convolve.tensor.Shape.of(256, 8, 7, 7), DType.F32, dev.convolve.tensor.Shape.of(16, 8, 3, 3), DType.F32, s2);
        ConvPlan l5 = ConvPlan.of(dev.convolve.tensor.Shape.of(256, 16, 2, 2), DType.F32, dev.convolve.tensor.Shape.of(10, 16, 3, 3), DType.F32, s2);
        assertEquals(9, TapListGradKernel.listsWithTaps(TapListConv.Geometry.of(l3, 16)));
        assertEquals(1, TapListGradKernel.listsWithTaps(TapListConv.Geometry.of(l5, 16)));
        assertEquals("tap-list-dw", FAST.explainGradKernel(l3).algorithm());
        assertEquals("batch-lanes-dw", FAST.explainGradKernel(l5).algorithm());
    }

    /**
     * Tiles that read their images where they lie run by chunks of input channels ({@link TapListConv#chunkFloats}): with
     * tiny chunks (one channel each, or a few with a partial last chunk) random tap-list convs match the reference, forward
     * and input gradient (vector kernels; scalar on every third seed). A 64-channel stride-2 layer by chunks of one channel
     * is in {@link #chunkChannelsFitTheBudget}.
     */
    @Property(tries = 80)
    void chunksOfChannelsMatchReference(@ForAll long seed) {
        int saved = TapListConv.chunkFloats;
        TapListConv.force = true;
        try {
            TapListConv.chunkFloats = Math.floorMod(seed, 2) == 0 ? 1 : 700;
            RandomConvCase c = tapCase(seed);
            assertEquals(TapListConv.NAME, FAST.explain(c.plan()).algorithm(), c::toString);
            FastConvPropertyTest.check(FAST, c);
            FastGradPropertyTest.checkInput(FAST, c);
            if (seed % 3 == 0) FastConvPropertyTest.check(SCALAR, c);
        } finally {
            TapListConv.force = false;
            TapListConv.chunkFloats = saved;
        }
    }

    /**
     * Tiles of two or three vectors whose images are copied side by side ({@link TapListConv#interleaves}, forced here for
     * every such tile): random tap-list convs onto 17-64 channels (12x2 and 8x3 tiles on 16 lanes; 49-64 channels in two
     * passes of 12x2 tiles, {@link TapListConv#runVectors}), batches with a partial last tile, plane sizes whose floats per
     * image leave a tail after the block transposes, whole lists or chunks of one or a few channels, against the reference,
     * forward and input gradient.
     */
    @Property(tries = 80)
    void interleavedTilesMatchReference(@ForAll long seed) {
        GemmKernels gk = GemmKernels.of(FAST.kernels());
        org.junit.jupiter.api.Assumptions.assumeTrue(gk.lanes() == TapListConv.SEQ_ROWS, "16-lane vectors");
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int n = r.nextInt(1, 40), c = r.nextInt(1, 10), h = r.nextInt(2, 10), w = r.nextInt(2, 10), o = r.nextInt(17, 65);
        int k = r.nextInt(1, 4), stride = r.nextInt(1, 3), pad = r.nextInt(0, k);
        ConvOptions opt = ConvOptions.defaults().withStrides(stride).withPadding(pad, pad, pad, pad);
        if (h + 2 * pad < k || w + 2 * pad < k) return;
        RandomConvCase rc = RandomConvCase.inLayout(0, Tensor.randomNormal(seed, DType.F32, 0, 1, n, c, h, w),
                Tensor.randomNormal(seed + 1, DType.F32, 0, 0.3, o, c, k, k), opt);
        int saved = TapListConv.chunkFloats;
        TapListConv.force = true;
        TapListConv.forceInterleave = true;
        try {
            int nv = TapListConv.runVectors(FAST.kernels(), TapListConv.padded(o, 16) / 16, n, 1, 1);
            assertEquals(o > 48 ? 2 : TapListConv.vectors(TapListConv.padded(o, 16) / 16), nv, () -> o + " channels");
            TapListConv.chunkFloats = new int[] {6144, 1, 100}[Math.floorMod(seed, 3)];
            assertEquals(true, TapListConv.interleaves(gk, TapListConv.rows(FAST.kernels(), nv, n), nv, 1, 1), () -> o + " channels");
            assertEquals(TapListConv.NAME, FAST.explain(rc.plan()).algorithm(), rc::toString);
            FastConvPropertyTest.check(FAST, rc);
            FastGradPropertyTest.checkInput(FAST, rc);
        } finally {
            TapListConv.force = false;
            TapListConv.forceInterleave = false;
            TapListConv.chunkFloats = saved;
        }
    }

    /**
     * Which tiles copy their images side by side: the input gradient of 64x32x28x28 -> 64 s2 (12x2 tiles, 9 steps per float)
     * and of 64x48x14x14 -> 48 s2 (8x3) do; the forward of 128x32x4x4 -> 32 s2 (1.6 steps per float) and tiles of four
     * vectors (64x32x28x28 -> 64 s2 forward, 64x64x14x14 -> 128 s2's input gradient) do not, though the latter runs as two
     * passes of 12x2 tiles that do. The first and the last against the reference.
     */
    @Test
    void interleavesWhereTheStepsPayForTheCopy() {
        GemmKernels gk = GemmKernels.of(FAST.kernels());
        org.junit.jupiter.api.Assumptions.assumeTrue(gk.lanes() == TapListConv.SEQ_ROWS, "16-lane vectors");
        assertEquals(true, interleaves(Planner.gradInputPlan(plan(64, 32, 28, 64))), "64x32x28x28 -> 64 s2 input gradient");
        assertEquals(true, interleaves(Planner.gradInputPlan(plan(64, 48, 14, 48))), "64x48x14x14 -> 48 s2 input gradient");
        assertEquals(false, interleaves(plan(128, 32, 4, 32)), "128x32x4x4 -> 32 s2 forward");
        assertEquals(false, interleaves(plan(64, 32, 28, 64)), "64x32x28x28 -> 64 s2 forward");
        assertEquals(false, interleaves(Planner.gradInputPlan(plan(64, 64, 14, 128))), "64x64x14x14 -> 128 s2 input gradient: 6x4");
        // but its four vectors run as two passes of 12x2 tiles side by side; not the forward (2 steps per float), nor an input
        // gradient whose 12 images take more than MAX_TILE_INPUT floats
        assertEquals(2, runVectors(Planner.gradInputPlan(plan(64, 64, 14, 128))), "64x64x14x14 -> 128 s2 input gradient");
        assertEquals(4, runVectors(plan(64, 32, 28, 64)), "64x32x28x28 -> 64 s2 forward");
        assertEquals(4, runVectors(Planner.gradInputPlan(plan(32, 128, 28, 128))), "32x128x28x28 -> 128 s2 input gradient");
        ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
        // (the planner gives this one to plane-lanes, PlaneLanes.beforeTapList: forced here)
        RandomConvCase rc = RandomConvCase.inLayout(0, Tensor.randomNormal(13, DType.F32, 0, 1, 49, 32, 28, 28), Tensor.randomNormal(14, DType.F32, 0, 0.1, 64, 32, 3, 3), o);
        TapListConv.force = true;
        try {
            assertEquals(TapListConv.NAME, FAST.explainGradInput(rc.plan()).algorithm());
            FastGradPropertyTest.checkInput(FAST, rc);
        } finally {
            TapListConv.force = false;
        }
        RandomConvCase down14 = RandomConvCase.inLayout(0, Tensor.randomNormal(15, DType.F32, 0, 1, 52, 64, 14, 14), Tensor.randomNormal(16, DType.F32, 0, 0.1, 128, 64, 3, 3), o);
        Planner.Choice dx = FAST.explainGradInput(down14.plan());
        assertEquals(TapListConv.NAME, dx.algorithm());
        org.junit.jupiter.api.Assertions.assertTrue(dx.reason().contains("tile 12 images x 32 channels"), dx::reason);
        FastGradPropertyTest.checkInput(FAST, down14);
    }

    /** A 3x3 stride-2 conv with padding 1 on square planes. */
    private static ConvPlan plan(int n, int c, int side, int o) {
        ConvOptions opt = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
        return ConvPlan.of(dev.convolve.tensor.Shape.of(n, c, side, side), DType.F32, dev.convolve.tensor.Shape.of(o, c, 3, 3), DType.F32, opt);
    }

    /** {@link TapListConv#runVectors} for {@code p}. */
    private static int runVectors(ConvPlan p) {
        int lanes = FAST.kernels().lanes();
        TapListConv.Geometry g = TapListConv.Geometry.of(p, TapListConv.padded(p.outChannels(), lanes));
        long cp = p.channels() * dev.convolve.backend.fast.Canonical.product(p.spatial());
        return TapListConv.runVectors(FAST.kernels(), TapListConv.padded(p.outChannels(), lanes) / lanes, p.outBatch(), g.real(), cp);
    }

    /** {@link TapListConv#interleaves} for the tiles of {@link TapListConv#vectors} on {@code p}. */
    private static boolean interleaves(ConvPlan p) {
        int lanes = FAST.kernels().lanes(), nv = TapListConv.vectors(TapListConv.padded(p.outChannels(), lanes) / lanes);
        TapListConv.Geometry g = TapListConv.Geometry.of(p, TapListConv.padded(p.outChannels(), lanes));
        long cp = p.channels() * dev.convolve.backend.fast.Canonical.product(p.spatial());
        return TapListConv.interleaves(GemmKernels.of(FAST.kernels()), TapListConv.rows(FAST.kernels(), nv, p.outBatch()), nv, g.real(), cp);
    }

    /**
     * The kernel gradient's runs of row tiles go over their list's steps by chunks ({@link TapListGradKernel#stepChunkFloats}):
     * with chunks of one step, or of a few with a partial last chunk, random tap-list kernel gradients match the reference
     * (vector kernels; scalar on every third seed).
     */
    @Property(tries = 80)
    void kernelGradientByChunksOfStepsMatchesReference(@ForAll long seed) {
        int saved = TapListGradKernel.stepChunkFloats;
        TapListGradKernel.force = true;
        try {
            TapListGradKernel.stepChunkFloats = Math.floorMod(seed, 2) == 0 ? 1 : 100;
            RandomConvCase c = tapCase(seed);
            if (!TapListGradKernel.supports(FAST.kernels(), c.plan())) return;
            assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(c.plan()).algorithm(), c::toString);
            FastGradPropertyTest.checkKernel(FAST, c);
            if (seed % 3 == 0) FastGradPropertyTest.checkKernel(SCALAR, c);
        } finally {
            TapListGradKernel.force = false;
            TapListGradKernel.stepChunkFloats = saved;
        }
    }

    /**
     * On two threads each thread copies the gradient for itself ({@link TapListGradKernel#ownGradientFloats}): the MNIST 4x4
     * layer with 256 images, 64x8x7x7 -> 16 s2 and 96x8x10x10 -> 16 s2 (25 positions an image: the gradient's copy by whole
     * blocks of 16 positions) match the reference with the copies per thread and with one shared copy, each shape twice with
     * different gradients in a row (a thread that kept the previous call's copy would fail the second).
     */
    @Test
    void gradientCopiedPerThreadMatchesReference() {
        int savedFloats = TapListGradKernel.ownGradientFloats;
        int[][] cases = {{256, 16, 4, 16}, {64, 8, 7, 16}, {96, 8, 10, 16}};
        try {
            onTwoThreads(() -> {
                for (int[] v : cases) {
                    ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
                    Tensor x = Tensor.randomNormal(3, DType.F32, 0, 1, v[0], v[1], v[2], v[2]);
                    Tensor w = Tensor.randomNormal(4, DType.F32, 0, 0.3, v[3], v[1], 3, 3);
                    ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
                    assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(p).algorithm(), p::toString);
                    int threads = TapListConv.threads(FAST.kernels(), p);
                    long floats = (long) v[0] * Canonical.product(p.outSize()) * TapListConv.padded(v[3], FAST.kernels().lanes());
                    assertEquals(2, threads, p::toString);
                    for (int own : new int[] {Integer.MAX_VALUE, 0}) {
                        TapListGradKernel.ownGradientFloats = own;
                        assertEquals(own > 0, TapListGradKernel.ownGradients(threads, floats));
                        for (long seed = 1; seed <= 2; seed++) FastGradPropertyTest.checkKernel(FAST, new RandomConvCase(seed, x, w, o, p));
                    }
                }
            });
        } finally {
            TapListGradKernel.ownGradientFloats = savedFloats;
        }
        // the default: a copy per thread up to 64K floats (the 4x4 layer's 16K), one shared copy above
        assertEquals(true, TapListGradKernel.ownGradients(2, 16 << 10));
        assertEquals(false, TapListGradKernel.ownGradients(2, 400 << 10));
        assertEquals(false, TapListGradKernel.ownGradients(1, 16 << 10));
    }

    /** Runs {@code body} on two threads, the thread count restored after. */
    private static void onTwoThreads(Runnable body) {
        int saved = dev.convolve.backend.Threads.threads();
        try {
            dev.convolve.backend.Threads.setThreads(2);
            body.run();
        } finally {
            dev.convolve.backend.Threads.setThreads(saved);
        }
    }

    /**
     * On two threads each thread packs the weights for itself ({@link TapListConv#ownWeightsFloats}): the MNIST 4x4 layer with
     * 256 images, 128x32x4x4 -> 32 s2 (two vectors of output channels) and 64x8x7x7 -> 16 s2, forward and input gradient,
     * match the reference with the weights packed per thread and packed once, each shape with two different kernels in a row
     * (a thread that kept the previous call's weights would fail the second).
     */
    @Test
    void weightsPackedPerThreadMatchReference() {
        int savedFloats = TapListConv.ownWeightsFloats;
        int[][] cases = {{256, 16, 4, 16}, {128, 32, 4, 32}, {64, 8, 7, 16}};
        try {
            onTwoThreads(() -> {
                for (int[] v : cases) {
                    ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
                    Tensor x = Tensor.randomNormal(5, DType.F32, 0, 1, v[0], v[1], v[2], v[2]);
                    for (int own : new int[] {Integer.MAX_VALUE, 0}) {
                        TapListConv.ownWeightsFloats = own;
                        for (long seed = 1; seed <= 2; seed++) {
                            Tensor w = Tensor.randomNormal(10 + seed, DType.F32, 0, 0.3, v[3], v[1], 3, 3);
                            ConvPlan p = ConvPlan.of(x.shape(), x.dtype(), w.shape(), w.dtype(), o);
                            RandomConvCase rc = new RandomConvCase(seed, x, w, o, p);
                            assertEquals(TapListConv.NAME, FAST.explain(p).algorithm(), p::toString);
                            int opad = TapListConv.padded(v[3], FAST.kernels().lanes());
                            int threads = TapListConv.threads(FAST.kernels(), p);
                            assertEquals(2, threads, p::toString);
                            assertEquals(own > 0, TapListConv.ownWeights(threads, (long) v[1] * 9 * opad));
                            FastConvPropertyTest.check(FAST, rc);
                            FastGradPropertyTest.checkInput(FAST, rc);
                        }
                    }
                }
            });
        } finally {
            TapListConv.ownWeightsFloats = savedFloats;
        }
        // the default: packed per thread up to 1M floats
        assertEquals(true, TapListConv.ownWeights(2, 1 << 20));
        assertEquals(false, TapListConv.ownWeights(2, (1 << 20) + 1));
        assertEquals(false, TapListConv.ownWeights(1, 100));
    }

    /**
     * Forced onto convs without input channels, and the kernel gradient onto an empty batch (the planner never picks them
     * there): each still makes one pass, which stores zeros, instead of leaving its buffers' old contents in the result.
     */
    @Test
    void noChannelsAndEmptyBatchGiveZeros() {
        ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
        RandomConvCase noChannels = RandomConvCase.inLayout(0, Tensor.randomNormal(7, DType.F32, 0, 1, 30, 0, 8, 8), Tensor.randomNormal(8, DType.F32, 0, 1, 48, 0, 3, 3), o);
        RandomConvCase emptyBatch = RandomConvCase.inLayout(0, Tensor.randomNormal(9, DType.F32, 0, 1, 0, 16, 8, 8), Tensor.randomNormal(10, DType.F32, 0, 1, 48, 16, 3, 3), o);
        RandomConvCase real = RandomConvCase.inLayout(0, Tensor.randomNormal(11, DType.F32, 0, 1, 30, 16, 8, 8), Tensor.randomNormal(12, DType.F32, 0, 1, 48, 16, 3, 3), o);
        withBothForced(() -> {
            // a real conv and kernel gradient first, so that the buffers hold non-zero sums
            FastConvPropertyTest.check(FAST, real);
            FastGradPropertyTest.checkKernel(FAST, real);
            assertEquals(TapListConv.NAME, FAST.explain(noChannels.plan()).algorithm());
            FastConvPropertyTest.check(FAST, noChannels);
            assertEquals(TapListGradKernel.NAME, FAST.explainGradKernel(emptyBatch.plan()).algorithm());
            FastGradPropertyTest.checkKernel(FAST, emptyBatch);
        });
    }

    /** How many input channels a chunk takes: all that fit the budget with the taps that land, at least one. */
    @Test
    void chunkChannelsFitTheBudget() {
        int saved = TapListConv.chunkFloats;
        try {
            TapListConv.chunkFloats = 6144;
            assertEquals(10, TapListConv.chunkChannels(32, 9, 64), "64x32x28x28 -> 64 s2: 576 floats a channel");
            assertEquals(5, TapListConv.chunkChannels(64, 9, 128));
            assertEquals(8, TapListConv.chunkChannels(8, 9, 16), "all channels when they fit");
            assertEquals(42, TapListConv.chunkChannels(128, 2.25, 64), "fewer taps land: more channels");
            TapListConv.chunkFloats = 700;
            assertEquals(1, TapListConv.chunkChannels(64, 9, 128), "at least one channel");
            TapListConv.chunkFloats = 1;
            ConvOptions o = ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1);
            RandomConvCase rc = RandomConvCase.inLayout(0, Tensor.randomNormal(5, DType.F32, 0, 1, 13, 64, 14, 14), Tensor.randomNormal(6, DType.F32, 0, 0.1, 64, 64, 3, 3), o);
            TapListConv.force = true;
            FastConvPropertyTest.check(FAST, rc);
            FastGradPropertyTest.checkInput(FAST, rc);
        } finally {
            TapListConv.force = false;
            TapListConv.chunkFloats = saved;
        }
    }

    /** A 4x4 plane, stride 2, padding 1: the 2x2 output's four positions have 4, 6, 6 and 9 of the 9 taps (25 of 36). */
    @Test
    void listsSkipThePadding() {
        ConvPlan p = ConvPlan.of(dev.convolve.tensor.Shape.of(8, 3, 4, 4), DType.F32, dev.convolve.tensor.Shape.of(16, 3, 3, 3), DType.F32,
                ConvOptions.defaults().withStrides(2).withPadding(1, 1, 1, 1));
        TapListConv.Geometry g = TapListConv.Geometry.of(p, 16);
        assertEquals(4, g.patterns());
        assertEquals(3 * 25, g.real());
        assertEquals(3 * 4, g.steps()[0]);
        assertEquals(3 * 9, g.steps()[3]);
        // position (1, 1) starts its window at input (1, 1)
        assertEquals(5, g.base()[3]);
    }
}
