package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.Padding;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The channels-in-lanes direct conv against the reference oracle, forced on every plan it can compute. */
class ChannelLanesConvTest {
    private static final FastBackend FAST = FastBackend.create();
    private static final FastBackend SCALAR = FastBackend.scalar();

    @Property(tries = 200)
    void forcedMatchesReference(@ForAll long seed) {
        ChannelLanesConv.force = true;
        boolean savedSkip = ChannelLanesConv.skipRows;
        ChannelLanesConv.skipRows = seed % 5 != 0;
        try {
            RandomConvCase c = RandomConvCase.of(seed, false);
            FastConvPropertyTest.check(FAST, c);
            if (seed % 3 == 0) FastConvPropertyTest.check(SCALAR, c);
            FastConvPropertyTest.check(FAST, RandomConvCase.bigBatch(seed));
            if (seed % 2 == 0) FastGradPropertyTest.checkInput(FAST, c);
        } finally {
            ChannelLanesConv.force = false;
            ChannelLanesConv.skipRows = savedSkip;
        }
    }

    /**
     * One channel per reduction chunk (or a few) and one tile per position block: the tiles accumulate onto the partial sums
     * of the chunks before, and every block (ending anywhere inside a tile, or inside a part of a split image) is transposed
     * out on its own; the tiles in rows that read padding skip its tap rows in each chunk, or not.
     */
    @Property(tries = 100)
    void chunkedReductionMatchesReference(@ForAll long seed) {
        ChannelLanesConv.force = true;
        int saved = ChannelLanesConv.chunkFloats, savedBlock = ChannelLanesConv.blockFloats;
        boolean savedSkip = ChannelLanesConv.skipRows;
        ChannelLanesConv.chunkFloats = seed % 3 == 0 ? 1 + (int) Math.floorMod(seed, 2000L) : 1;
        ChannelLanesConv.blockFloats = 1;
        ChannelLanesConv.skipRows = seed % 4 != 0;
        try {
            RandomConvCase c = RandomConvCase.of(seed, false);
            FastConvPropertyTest.check(FAST, c);
            FastConvPropertyTest.check(SCALAR, c);
        } finally {
            ChannelLanesConv.force = false;
            ChannelLanesConv.chunkFloats = saved;
            ChannelLanesConv.blockFloats = savedBlock;
            ChannelLanesConv.skipRows = savedSkip;
        }
    }

    private static ConvPlan plan(int n, int c, int h, int w, int o, int k, int s, int pad) {
        return ConvPlan.of(Shape.of(n, c, h, w), DType.F32, Shape.of(o, c, k, k), DType.F32,
                ConvOptions.defaults().withStrides(new int[] {s, s}).withPadding(Padding.explicit(new int[] {pad, pad}, new int[] {pad, pad})));
    }

    private static String algorithm(ConvPlan p) { return FAST.explain(p).algorithm(); }

    /** {@code cs}'s forward on the vector and scalar tiles and its input gradient, this engine forced, against the reference. */
    private static void checkForced(RandomConvCase cs) {
        ChannelLanesConv.force = true;
        try {
            FastConvPropertyTest.check(FAST, cs);
            FastConvPropertyTest.check(SCALAR, cs);
            FastGradPropertyTest.checkInput(FAST, cs);
        } finally {
            ChannelLanesConv.force = false;
        }
    }

    /** The tap rows that each grid row reads the input with: the register tiles in the others' rows skip them. */
    @Test
    void tilesInRowsThatReadPaddingSkipItsTapRows() {
        int[][] five = ChannelLanesConv.Job.readingRows(SubProblem.of(plan(16, 128, 14, 14, 128, 5, 1, 2)).get(0), 14);
        assertEquals("[2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]", java.util.Arrays.toString(five[0]));
        assertEquals("[5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 3]", java.util.Arrays.toString(five[1]));
        int[][] strided = ChannelLanesConv.Job.readingRows(SubProblem.of(plan(8, 256, 14, 14, 512, 3, 2, 1)).get(0), 14);
        assertEquals("[1, 0, 0, 0, 0, 0, 0]", java.util.Arrays.toString(strided[0]));
        assertEquals("[3, 3, 3, 3, 3, 3, 3]", java.util.Arrays.toString(strided[1]));
        // padding wider than the kernel: the first and last grid rows read nothing
        int[][] wide = ChannelLanesConv.Job.readingRows(SubProblem.of(plan(1, 1, 3, 3, 1, 3, 1, 3)).get(0), 3);
        assertEquals("[0, 2, 1, 0, 0, 0, 0]", java.util.Arrays.toString(wide[0]));
        assertEquals("[0, 3, 3, 3, 2, 1, 0]", java.util.Arrays.toString(wide[1]));
        assertEquals(null, ChannelLanesConv.Job.readingRows(SubProblem.of(plan(8, 64, 14, 14, 64, 3, 1, 0)).get(0), 14), "no padding");
    }

    @Test
    void plannedForStridedLayersWithShortRows() {
        String cl = Planner.enabled("channel-lanes") ? "channel-lanes" : "shifted-gemm";
        assertEquals(cl, algorithm(plan(8, 64, 14, 14, 128, 3, 2, 1)));
        // 64 images: the tap lists (TapListConv) take it
        assertEquals(Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : cl, algorithm(plan(64, 32, 28, 28, 64, 3, 2, 1)), "196 outputs per image");
        assertEquals(cl, algorithm(plan(1, 128, 28, 28, 256, 3, 2, 1)), "one image, split into parts");
        assertEquals(cl, algorithm(plan(64, 3, 32, 32, 32, 3, 2, 1)), "few input channels");
        assertEquals(cl, algorithm(plan(64, 3, 64, 64, 32, 3, 2, 1)), "rows of 32");
        assertEquals(cl, algorithm(plan(8, 128, 224, 224, 128, 3, 2, 1)), "rows of 112 with 16+ input channels");
        assertEquals(Planner.enabled("channel-lanes") ? "channel-lanes" : "gemm", algorithm(plan(64, 64, 14, 14, 128, 1, 2, 0)), "1x1 strided, read in place");
        assertEquals(PointwiseConv.NAME, algorithm(plan(64, 64, 14, 14, 128, 1, 1, 0)), "1x1 unstrided on 14x14");
        String small = Planner.enabled("channel-lanes") ? "channel-lanes" : "gemm";
        assertEquals(small, algorithm(plan(16, 512, 7, 7, 512, 1, 1, 0)), "1x1 unstrided on 7x7");
        // weights up to 256K over 1024+ columns: on the input in place (PointwiseConv.suits); bigger, with 512+ output
        // channels: the packed GEMM over the batch (ChannelLanesConv.wideBatchedGemm)
        assertEquals(PointwiseConv.NAME, algorithm(plan(32, 512, 7, 7, 512, 1, 1, 0)), "1x1 on 7x7, 512 outputs, 1568 columns");
        assertEquals("gemm", algorithm(plan(32, 1024, 7, 7, 512, 1, 1, 0)), "1x1 on 7x7, 512K weights, 1568 columns");
        assertEquals(PointwiseConv.NAME, FAST.explainGradInput(plan(32, 512, 7, 7, 512, 1, 1, 0)).algorithm(), "its input gradient");
        assertEquals(PointwiseConv.NAME, algorithm(plan(32, 1024, 7, 7, 256, 1, 1, 0)), "1x1 on 7x7 onto 256 outputs");
        assertEquals(small, algorithm(plan(8, 2048, 7, 7, 512, 1, 1, 0)), "1x1 on 7x7 over 392 columns");
        assertEquals(small, algorithm(plan(1, 512, 7, 7, 512, 1, 1, 0)), "1x1 unstrided on 7x7, one image");
        assertEquals(PointwiseConv.NAME, algorithm(plan(32, 128, 10, 10, 128, 1, 1, 0)), "1x1 unstrided on 10x10");
        assertEquals(small, algorithm(plan(64, 256, 5, 5, 256, 1, 1, 0)), "1x1 unstrided on 5x5: 3 of 28 tile positions wasted");
        assertEquals(small, FAST.explainGradInput(plan(16, 512, 7, 7, 512, 1, 1, 0)).algorithm(), "input gradient of a 1x1 conv on 7x7");
        String many = Planner.enabled("channel-lanes") ? "channel-lanes" : "shifted-gemm";
        // 5x5 and 7x7 unstrided with 32+ input channels: Winograd (WinogradTest); dilated kernels here
        ConvPlan dilated5 = ConvPlan.of(Shape.of(16, 128, 14, 14), DType.F32, Shape.of(128, 128, 5, 5), DType.F32,
                ConvOptions.defaults().withKernelDilation(2).withPadding(Padding.explicit(new int[] {4, 4}, new int[] {4, 4})));
        ConvPlan dilated7 = ConvPlan.of(Shape.of(8, 64, 28, 28), DType.F32, Shape.of(64, 64, 7, 7), DType.F32,
                ConvOptions.defaults().withKernelDilation(2).withPadding(Padding.explicit(new int[] {6, 6}, new int[] {6, 6})));
        assertEquals(many, algorithm(dilated5), "5x5 with dilation 2, 128 channels");
        assertEquals(many, algorithm(dilated7), "7x7 with dilation 2, rows of 28");
        assertEquals(many, FAST.explainGradInput(dilated5).algorithm(), "input gradient of a dilated 5x5 conv");
        ConvPlan dilated = ConvPlan.of(Shape.of(8, 64, 28, 28), DType.F32, Shape.of(64, 64, 3, 3), DType.F32,
                ConvOptions.defaults().withKernelDilation(2).withPadding(Padding.explicit(new int[] {2, 2}, new int[] {2, 2})));
        assertEquals(many, algorithm(dilated), "3x3 with dilation 2 (no Winograd)");
        assertTrue(FAST.explain(dilated5).reason().contains("128 input channels x 25 taps per output")
                || !Planner.enabled("channel-lanes"), () -> FAST.explain(dilated5).reason());
        assertTrue(FAST.explain(plan(16, 512, 7, 7, 512, 1, 1, 0)).reason().contains("1x1 on a small plane (49 positions)")
                || !Planner.enabled("channel-lanes"), () -> FAST.explain(plan(16, 512, 7, 7, 512, 1, 1, 0)).reason());
        assertEquals(cl, FAST.explainGradInput(plan(8, 256, 14, 14, 512, 3, 2, 1)).algorithm(), "input gradient: 4 output phases");
        // with 32 and 64 images the tap lists take these (64x64x14x14 -> 128: 2598 against 3142 µs on two threads), but 128
        // channels onto 14x14 phases go to plane-lanes (PlaneLanes.beforeTapList, beforeChannelLanes)
        String tlOrCl = Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : cl;
        assertEquals(PlaneLanes.NAME, FAST.explainGradInput(plan(32, 128, 28, 28, 128, 3, 2, 1)).algorithm(), "stride 2, 128 input channels");
        assertEquals(tlOrCl, FAST.explainGradInput(plan(64, 64, 14, 14, 128, 3, 2, 1)).algorithm(), "stride 2, 64 input channels");
        assertEquals(Planner.enabled("channel-lanes") ? "channel-lanes" : "gemm", FAST.explainGradInput(plan(64, 64, 14, 14, 128, 1, 2, 0)).algorithm(),
                "input gradient of a strided 1x1 conv");
    }

    @Test
    void notPlannedWhereTheFlatWalkMeasuredFaster() {
        assertEquals("shifted-gemm", algorithm(plan(8, 3, 224, 224, 64, 7, 2, 3)), "rows of 112 (the ResNet stem)");
        assertEquals("shifted-gemm", algorithm(plan(64, 3, 32, 32, 16, 3, 1, 1)), "stride 1");
        assertEquals("shifted-gemm", algorithm(plan(64, 3, 32, 32, 64, 3, 1, 1)), "stride 1");
        assertEquals("shifted-gemm", algorithm(plan(8, 16, 64, 64, 16, 3, 2, 1)), "one vector of output channels");
        assertEquals("gemm", algorithm(plan(64, 32, 8, 8, 128, 1, 1, 0)), "1x1 on a plane of whole vectors");
        assertEquals("shifted-gemm", algorithm(plan(8, 16, 64, 64, 64, 5, 1, 2)), "5x5 unstrided, 16 input channels");
        ConvPlan threeD = ConvPlan.of(Shape.of(2, 64, 8, 16, 16), DType.F32, Shape.of(64, 64, 3, 3, 3), DType.F32,
                ConvOptions.defaults().withPadding(Padding.explicit(new int[] {1, 1, 1}, new int[] {1, 1, 1})));
        assertEquals("shifted-gemm", algorithm(threeD), "3-D unstrided (not measured here)");
        // tiles of 7 would waste 6 of 42 positions; with 4 vectors of outputs its steps are linear, in tiles of 6 (0.84-0.90x gemm's time)
        assertEquals(Planner.enabled("channel-lanes") ? "channel-lanes" : "gemm", algorithm(plan(64, 256, 6, 6, 256, 1, 1, 0)), "1x1 on 6x6");
        assertEquals(PointwiseConv.NAME, algorithm(plan(64, 128, 11, 11, 64, 1, 1, 0)), "1x1 on 11x11");
        assertEquals(PointwiseConv.NAME, algorithm(plan(64, 64, 7, 7, 32, 1, 1, 0)), "1x1 on 7x7 with 32 outputs");
        assertEquals("shifted-gemm", algorithm(plan(8, 3, 224, 224, 32, 3, 2, 1)), "rows of 112 with 3 input channels");
        assertEquals("shifted-gemm", FAST.explainGradInput(plan(8, 3, 224, 224, 64, 7, 2, 3)).algorithm(), "input gradient with 3 channels");
        String tl = Planner.enabled(TapListConv.NAME) ? TapListConv.NAME : null;
        assertEquals(tl != null ? tl : "dense-matrix", FAST.explainGradInput(plan(256, 32, 4, 4, 64, 3, 2, 1)).algorithm(), "phases of 4 positions");
        // without tap-list, batch-lanes' choices with 64 images go to plane-lanes on two or more threads where it supports them
        String small = dev.convolve.backend.Threads.threads() > 1 ? PlaneLanes.NAME : "batch-lanes";
        // with tap-list, plane-lanes takes this one from it (PlaneLanes.beforeTapList: 32 channels onto 14x14 phases)
        assertEquals(tl != null ? PlaneLanes.NAME : small, FAST.explainGradInput(plan(64, 32, 28, 28, 64, 3, 2, 1)).algorithm(), "a batch of 64, 32 input channels");
        assertEquals(tl != null ? tl : small, FAST.explainGradInput(plan(64, 64, 14, 14, 128, 3, 3, 1)).algorithm(), "stride 3: no paired phases");
    }

    /**
     * Tiles of 2 to 4 vectors of output channels (the random cases have at most 17 per group), padded channel blocks (40, 80,
     * 96), one to three images (split into parts), strides, dilation and padding on one side, on the vector and scalar tiles;
     * and the input gradient of the same call (the forward engine forced on the gradient conv too).
     */
    @Property(tries = 60)
    void wideChannelBlocksMatchReference(@ForAll long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[] ogs = {32, 40, 48, 64, 80, 96, 128};
        int og = ogs[r.nextInt(ogs.length)], groups = r.nextInt(4) == 0 ? 2 : 1, c = (1 + r.nextInt(5)) * groups, batch = 1 + r.nextInt(3);
        int h = 3 + r.nextInt(30), w = 3 + r.nextInt(30), k = 1 + r.nextInt(5), s = 1 + r.nextInt(3), d = r.nextInt(4) == 0 ? 2 : 1;
        int padLo = r.nextInt(k), padHi = r.nextInt(3) == 0 ? 0 : r.nextInt(k);
        ConvOptions opt = ConvOptions.defaults().withStrides(new int[] {s, s}).withKernelDilation(new int[] {d, 1})
                .withPadding(Padding.explicit(new int[] {padLo, padHi}, new int[] {padHi, padLo})).withFeatureGroupSize(groups);
        RandomConvCase cs = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {batch, c, h, w}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {og * groups, c / groups, k, k}), opt);
        if (cs == null) return;
        // the input gradient: output phases of a conv with input dilation, each scattered into its interleaved positions
        checkForced(cs);
    }

    /** The planner's explanation says which input layout the plan reads: channels-last for 3x3 s2, in place for 1x1 s2. */
    @Test
    void explanationNamesTheChannelsLastCopy() {
        String s3 = FAST.explain(plan(8, 128, 28, 28, 256, 3, 2, 1)).toString(), s1 = FAST.explain(plan(8, 256, 28, 28, 512, 1, 2, 0)).toString();
        assertTrue(s3.contains("channel-lanes") && s3.contains("channels-last") && s3.contains("tap-major"), s3);
        assertTrue(s1.contains("channel-lanes") && s1.contains("input read in place") && !s1.contains("channels-last"), s1);
    }

    /**
     * The channels-last copy ({@code ChannelLanesConv.channelsLast}): 1 to 40 channels per group (the fill's block transposes
     * of 16 channels and 16 columns and their tails), rows of 3 to 41, kernel dilation along the columns (kernel rows as runs)
     * or along the rows (then the plan keeps channel planes), strides 1 and 2, padding on one side, groups, every tap row its own chunk in a third of the
     * tries, the tiles in rows that read padding skipping its tap rows or not; forward and the input gradient (its conv, with
     * output phases when strided, is channels-last too), vector and scalar tiles, against the reference.
     */
    @Property(tries = 60)
    void channelsLastMatchesReference(@ForAll long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[] ogs = {16, 32, 48, 64, 80};
        int og = ogs[r.nextInt(ogs.length)], groups = r.nextInt(4) == 0 ? 2 : 1, c = (1 + r.nextInt(40)) * groups, batch = 1 + r.nextInt(3);
        int h = 3 + r.nextInt(20), w = 3 + r.nextInt(39), k = 2 + r.nextInt(4), s = 1 + r.nextInt(2);
        int[] dil = r.nextInt(4) == 0 ? new int[] {1, 2} : r.nextInt(3) == 0 ? new int[] {2, 1} : new int[] {1, 1};
        int padLo = 1 + r.nextInt(k - 1), padHi = r.nextInt(3) == 0 ? 0 : r.nextInt(k);
        ConvOptions opt = ConvOptions.defaults().withStrides(new int[] {s, s}).withKernelDilation(dil)
                .withPadding(Padding.explicit(new int[] {padLo, padHi}, new int[] {padHi, padLo})).withFeatureGroupSize(groups);
        RandomConvCase cs = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {batch, c, h, w}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {og * groups, c / groups, k, k}), opt);
        if (cs == null) return;
        // the rule: kernel dilation 1 along the rows, and some tap reads padding (a tap that reads only padding for every
        // output is dropped from the plan's sub-problem, and the rest may then lie inside the input)
        assertEquals(dil[1] == 1 && !ChannelLanesConv.readsInPlace(cs.plan()), ChannelLanesConv.channelsLast(cs.plan()), cs::toString);
        int savedChunk = ChannelLanesConv.lastChunkFloats;
        boolean savedSkip = ChannelLanesConv.skipRows;
        if (seed % 3 == 0) ChannelLanesConv.lastChunkFloats = 1;
        ChannelLanesConv.skipRows = seed % 2 == 0;
        try {
            checkForced(cs);
        } finally {
            ChannelLanesConv.lastChunkFloats = savedChunk;
            ChannelLanesConv.skipRows = savedSkip;
        }
    }

    /**
     * Input gradients of stride-2 convs with whole vectors of input channels per group (16 to 80), the case whose output
     * phases interleave by twos and are stored by vector transposes and even-lane stores ({@code Job.spread}): runs cut by
     * grid rows, by the end of a position block (one tile per block in a third of the tries) and at any count up to 16;
     * odd and even sizes, padding on one side, kernel dilation, groups; vector and scalar tiles, against the reference.
     */
    @Property(tries = 60)
    void stride2InputGradientsMatchReference(@ForAll long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[] cs = {16, 32, 48, 64, 80};
        int groups = r.nextInt(4) == 0 ? 2 : 1, c = cs[r.nextInt(cs.length)] * groups, o = (1 + r.nextInt(40)) * groups, batch = 1 + r.nextInt(3);
        int h = 3 + r.nextInt(34), w = 3 + r.nextInt(34), k = 1 + r.nextInt(5), d = r.nextInt(4) == 0 ? 2 : 1;
        int padLo = r.nextInt(k), padHi = r.nextInt(3) == 0 ? 0 : r.nextInt(k);
        ConvOptions opt = ConvOptions.defaults().withStrides(new int[] {2, 2}).withKernelDilation(new int[] {d, 1})
                .withPadding(Padding.explicit(new int[] {padLo, padHi}, new int[] {padHi, padLo})).withFeatureGroupSize(groups);
        RandomConvCase cs2 = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {batch, c, h, w}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {o, c / groups, k, k}), opt);
        if (cs2 == null) return;
        int savedBlock = ChannelLanesConv.blockFloats;
        if (seed % 3 == 0) ChannelLanesConv.blockFloats = 1;
        ChannelLanesConv.force = true;
        try {
            FastGradPropertyTest.checkInput(FAST, cs2);
            FastGradPropertyTest.checkInput(SCALAR, cs2);
        } finally {
            ChannelLanesConv.force = false;
            ChannelLanesConv.blockFloats = savedBlock;
        }
    }

    /**
     * Few images read in place with several blocks of output channels: the items split an image's channel blocks instead
     * of its rows (one image 64 -> 256 at 7x7 is four items of one block each), against the reference.
     */
    @Test
    void fewImagesReadInPlaceSplitTheirChannelBlocks() {
        int[][] shapes = {{1, 64, 7, 7, 256, 1, 1, 0}, {2, 48, 9, 9, 128, 1, 2, 0}, {1, 32, 15, 15, 96, 3, 2, 0}, {3, 40, 6, 6, 80, 1, 1, 0},
            {1, 24, 5, 5, 160, 1, 1, 0}};
        ChannelLanesConv.force = true;
        try {
            for (int[] v : shapes) {
                ConvPlan p = plan(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
                assertTrue(ChannelLanesConv.readsInPlace(p), p::toString);
                RandomConvCase cs = RandomConvCase.inLayout(v[4], RandomConvCase.values(v[1], DType.F32, new int[] {v[0], v[1], v[2], v[3]}),
                        RandomConvCase.values(v[4] + 7L, DType.F32, new int[] {v[4], v[1], v[5], v[5]}),
                        ConvOptions.defaults().withStrides(new int[] {v[6], v[6]}));
                FastConvPropertyTest.check(FAST, cs);
                FastConvPropertyTest.check(SCALAR, cs);
            }
        } finally {
            ChannelLanesConv.force = false;
        }
    }

    /**
     * 1x1 kernels with 4 vectors of output channels where tiles of 6 fit the grid ({@link ChannelLanesConv#linear}): the steps
     * run by input stride instead of the offset table, from the first step of each reduction chunk (chunks of one channel
     * up to whole), for one to three images (split into rows or channel blocks), two groups, strides 1 and 2, a 1-D conv;
     * vector and scalar tiles and the input gradient, against the reference. A 7x7 plane keeps 7 positions from the table.
     */
    @Property(tries = 40)
    void linearStepsOfOneByOneKernelsMatchReference(@ForAll long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[][] planes = {{10, 10, 1}, {4, 4, 1}, {28, 28, 2}, {5, 9, 1}, {12, 6, 2}, {100, 0, 1}};
        int[] pl = planes[r.nextInt(planes.length)];
        int og = r.nextBoolean() ? 64 : 128 + 64 * r.nextInt(2), groups = r.nextInt(4) == 0 ? 2 : 1, c = (1 + r.nextInt(40)) * groups;
        int batch = 1 + r.nextInt(3), s = pl[2];
        int[] xShape = pl[1] == 0 ? new int[] {batch, c, pl[0]} : new int[] {batch, c, pl[0], pl[1]};
        int[] kShape = pl[1] == 0 ? new int[] {og * groups, c / groups, 1} : new int[] {og * groups, c / groups, 1, 1};
        int[] strides = pl[1] == 0 ? new int[] {s} : new int[] {s, s};
        RandomConvCase cs = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, xShape),
                RandomConvCase.values(r.nextLong(), DType.F32, kShape), ConvOptions.defaults().withStrides(strides).withFeatureGroupSize(groups));
        assertTrue(ChannelLanesConv.linear(FAST.kernels(), cs.plan()), cs::toString);
        int saved = ChannelLanesConv.chunkFloats;
        ChannelLanesConv.chunkFloats = seed % 2 == 0 ? og * (1 + (int) Math.floorMod(seed, 7L)) : saved;
        try {
            checkForced(cs);
        } finally {
            ChannelLanesConv.chunkFloats = saved;
        }
        assertFalse(ChannelLanesConv.linear(FAST.kernels(), plan(32, 512, 7, 7, 512, 1, 1, 0)), "7x7: 54 positions in tiles of 6");
        assertFalse(ChannelLanesConv.linear(FAST.kernels(), plan(8, 64, 10, 10, 64, 3, 1, 1)), "3x3");
        assertFalse(ChannelLanesConv.linear(FAST.kernels(), plan(8, 64, 10, 10, 32, 1, 1, 0)), "2 vectors");
    }

    /**
     * Weights of at least {@link GemmConv#PARALLEL_PACK} floats (packed by all threads, by block transposes with a
     * scalar tail of the reduction), against the reference.
     */
    @Property(tries = 8)
    void bigWeightsMatchReference(@ForAll long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int og = r.nextBoolean() ? 64 : 128, c = r.nextBoolean() ? 64 + 16 * r.nextInt(3) : 60 + r.nextInt(30), h = 5 + r.nextInt(8), w = 5 + r.nextInt(8);
        org.junit.jupiter.api.Assertions.assertTrue((long) og * c * 9 >= GemmConv.PARALLEL_PACK);
        ConvOptions opt = ConvOptions.defaults().withStrides(new int[] {2, 2}).withPadding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1}));
        RandomConvCase cs = RandomConvCase.inLayout(seed, RandomConvCase.values(r.nextLong(), DType.F32, new int[] {1 + r.nextInt(2), c, h, w}),
                RandomConvCase.values(r.nextLong(), DType.F32, new int[] {og, c, 3, 3}), opt);
        if (cs == null) return;
        // its input gradient: every phase's weights packed straight from this kernel by all threads
        checkForced(cs);
    }
}
