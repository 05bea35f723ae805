package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The helpers of {@link GemmKernels} against their definitions, for the vector and the scalar kernels:
 * {@link GemmKernels#transpose} (the block transposes that pack {@code gemm-dw}'s operands and block Winograd's channels) for
 * every row count, group size (whole blocks, the 4-row panels of a packed A, other divisors of the lanes) and stride, with the
 * elements it must leave alone checked too; {@link GemmKernels#bcastStore}, {@link GemmKernels#bcastPart} (its short rows, adding or storing) and {@link GemmKernels#gemmAdd} (the GEMMs of Winograd's
 * forward and kernel gradient) over random offsets and lengths; {@link GemmKernels#transposeTo} (batch-lanes' input, columns to
 * rows at their own offsets) for every column count, with the rows it must leave alone checked; {@link GemmKernels#bcastIdx} (the tap lists'
 * tiles) and {@link GemmKernels#bcastSeq} (the same over rows side by side) over random index lists; {@link GemmKernels#gather}
 * over strides on both sides of the vector kernels' table.
 */
class GemmKernelsTest {
    private static final Kernels KERNELS = FastBackend.create().kernels();
    private static final GemmKernels VECTOR = GemmKernels.of(KERNELS);

    @Property(tries = 300)
    void vectorTransposeMatchesDefinition(@ForAll long seed) {
        check(VECTOR, seed);
    }

    @Property(tries = 100)
    void scalarTransposeMatchesDefinition(@ForAll long seed) {
        check(ScalarGemmKernels.INSTANCE, seed);
    }

    @Property(tries = 300)
    void vectorTransposeToMatchesDefinition(@ForAll long seed) {
        checkTo(VECTOR, seed);
    }

    @Property(tries = 100)
    void scalarTransposeToMatchesDefinition(@ForAll long seed) {
        checkTo(ScalarGemmKernels.INSTANCE, seed);
    }

    @Property(tries = 200)
    void vectorGatherMatchesDefinition(@ForAll long seed) {
        checkGather(VECTOR, seed);
    }

    @Property(tries = 50)
    void scalarGatherMatchesDefinition(@ForAll long seed) {
        checkGather(ScalarGemmKernels.INSTANCE, seed);
    }

    @Property(tries = 100)
    void vectorBcastStoreMatchesDefinition(@ForAll long seed) {
        checkBcast(VECTOR, KERNELS.bcastRows(1 + (int) Math.floorMod(seed, 4L)), 1 + (int) Math.floorMod(seed, 4L), seed);
    }

    @Property(tries = 50)
    void scalarBcastStoreMatchesDefinition(@ForAll long seed) {
        checkBcast(ScalarGemmKernels.INSTANCE, 1 + (int) Math.floorMod(seed, 7L), 1 + (int) Math.floorMod(seed >> 3, 4L), seed);
    }

    /** Every row count up to the full tile's, for every vector count, adding and storing; the rows past them left alone. */
    @Property(tries = 200)
    void vectorBcastPartMatchesDefinition(@ForAll long seed) {
        int nv = 1 + (int) Math.floorMod(seed, 4L), mr = 1 + (int) Math.floorMod(seed >> 2, (long) KERNELS.bcastRows(nv));
        checkBcast(VECTOR, mr, nv, seed, true, ((seed >> 7) & 1) == 0);
    }

    @Property(tries = 50)
    void scalarBcastPartMatchesDefinition(@ForAll long seed) {
        checkBcast(ScalarGemmKernels.INSTANCE, 1 + (int) Math.floorMod(seed, 7L), 1 + (int) Math.floorMod(seed >> 3, 4L), seed, true, ((seed >> 7) & 1) == 0);
    }

    @org.junit.jupiter.api.Test
    void bcastPartRefusesMoreRowsThanTheTile() {
        int nv = 4, mr = KERNELS.bcastRows(nv) + 1;
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> VECTOR.bcastPart(mr, nv, new float[64], new int[mr], 0, 0, 1, new float[256], 0, 64, new float[1024], 0, 64, false));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("no bcast tile " + mr + "x4"), e.getMessage());
    }

    private static final int[][] IDX_TILES = {{6, 4}, {8, 3}, {12, 2}, {16, 1}, {24, 1}};

    /** The tile {@code {mr, nv}} of {@code tiles} that {@code seed} picks. */
    private static int[] tile(int[][] tiles, long seed) { return tiles[(int) Math.floorMod(seed, (long) tiles.length)]; }

    @Property(tries = 100)
    void vectorBcastIdxMatchesDefinition(@ForAll long seed) {
        int[] t = tile(IDX_TILES, seed);
        checkBcastIdx(VECTOR, t[0], t[1], seed);
    }

    @Property(tries = 50)
    void scalarBcastIdxMatchesDefinition(@ForAll long seed) {
        int[] t = tile(IDX_TILES, seed);
        checkBcastIdx(ScalarGemmKernels.INSTANCE, t[0], t[1], seed);
    }

    private static final int[][] SEQ_TILES = {{6, 4}, {8, 3}, {12, 2}, {16, 1}};

    @Property(tries = 50)
    void vectorBcastSeqMatchesDefinition(@ForAll long seed) {
        int[] t = tile(SEQ_TILES, seed);
        org.junit.jupiter.api.Assertions.assertTrue(VECTOR.hasBcastSeq(t[0], t[1]));
        checkBcastIdx(VECTOR, t[0], t[1], seed, true);
    }

    @Property(tries = 30)
    void scalarBcastSeqMatchesDefinition(@ForAll long seed) {
        checkBcastIdx(ScalarGemmKernels.INSTANCE, 1 + (int) Math.floorMod(seed, 16L), 1, seed, true);
    }

    private static void checkBcastIdx(GemmKernels k, int mr, int nv, long seed) { checkBcastIdx(k, mr, nv, seed, false); }

    /**
     * {@link GemmKernels#bcastIdx} (rows where they lie, at their own offsets) against its definition over random index lists;
     * the elements past the tile are left alone. With {@code seq}, {@link GemmKernels#bcastSeq}: row {@code m} at {@code m}.
     */
    private static void checkBcastIdx(GemmKernels k, int mr, int nv, long seed, boolean seq) {
        SplittableRandom r = new SplittableRandom(seed);
        int lanes = k.lanes(), nr = nv * lanes, steps = r.nextInt(0, 40), xBase = r.nextInt(5), gOff = r.nextInt(7), io = 2 * r.nextInt(3);
        int len = 60, gRows = 30, ldc = nr + r.nextInt(20), cOff = r.nextInt(9), ro = r.nextInt(3);
        int[] rowOff = new int[ro + mr], idx = new int[io + 2 * steps];
        for (int m = 0; m < mr; m++) rowOff[ro + m] = seq ? m : r.nextInt(0, 200);
        for (int p = 0; p < steps; p++) {
            idx[io + 2 * p] = r.nextInt(0, len);
            idx[io + 2 * p + 1] = r.nextInt(0, gRows) * nr;
        }
        float[] x = new float[xBase + 200 + len], g = new float[gOff + gRows * nr];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
        float[] want = new float[cOff + mr * ldc + nr], got = new float[want.length];
        Arrays.fill(want, 3f);
        Arrays.fill(got, 3f);
        // both add to the 3s already there on half the seeds (a bit the tile's choice does not use)
        boolean add = (seed >>> 8 & 1) == 1;
        for (int m = 0; m < mr; m++) {
            for (int j = 0; j < nr; j++) {
                double sum = add ? 3 : 0;
                for (int p = 0; p < steps; p++) sum += (double) x[xBase + rowOff[ro + m] + idx[io + 2 * p]] * g[gOff + idx[io + 2 * p + 1] + j];
                want[cOff + m * ldc + j] = (float) sum;
            }
        }
        if (seq) k.bcastSeq(mr, nv, x, xBase, idx, io, steps, g, gOff, got, cOff, ldc, add);
        else k.bcastIdx(mr, nv, x, rowOff, ro, xBase, idx, io, steps, g, gOff, got, cOff, ldc, add);
        for (int i = 0; i < want.length; i++) {
            final int at = i;
            boolean inTile = i >= cOff && (i - cOff) / ldc < mr && (i - cOff) % ldc < nr;
            float w = inTile ? want[i] : 3f;
            org.junit.jupiter.api.Assertions.assertEquals(w, got[i], 1e-4f * (1 + Math.abs(w)) * Math.max(1, steps), () -> (seq ? "bcastSeq" : "bcastIdx") + (add ? " adding" : "") + " mr " + mr + ", nv " + nv + ", at " + at);
        }
    }

    private static final int[][] GEMM_TILES = {{6, 4}, {8, 3}, {8, 2}, {8, 1}, {4, 2}, {1, 1}};

    @Property(tries = 100)
    void vectorGemmAddMatchesDefinition(@ForAll long seed) {
        int[] t = tile(GEMM_TILES, seed);
        checkGemmAdd(VECTOR, t[0], t[1], seed);
    }

    @Property(tries = 50)
    void scalarGemmAddMatchesDefinition(@ForAll long seed) {
        int[] t = tile(GEMM_TILES, seed);
        checkGemmAdd(ScalarGemmKernels.INSTANCE, t[0], t[1], seed);
    }

    /** {@link GemmKernels#gemmLinear}, storing and adding, against its definition; the row past the tile's left alone. */
    @Property(tries = 100)
    void gemmLinearMatchesDefinition(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean scalar = r.nextInt(3) == 0;
        GemmKernels k = scalar ? ScalarGemmKernels.INSTANCE : VECTOR;
        int mr = scalar ? 1 + r.nextInt(8) : 8, nv = scalar ? 1 + r.nextInt(3) : 3;
        if (!k.hasGemmLinear(mr, nv)) return;
        int lanes = k.lanes(), nr = nv * lanes, kc = r.nextInt(0, 40), aOff = r.nextInt(5), bOff = r.nextInt(7);
        int lda = mr + r.nextInt(6), ldb = nr + r.nextInt(30), ldc = nr + r.nextInt(20), cOff = r.nextInt(9);
        boolean add = r.nextBoolean();
        float[] a = new float[aOff + kc * lda + mr], b = new float[bOff + kc * ldb + nr];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        float[] want = new float[cOff + (mr + 1) * ldc + nr], got = new float[want.length];
        for (int i = 0; i < want.length; i++) want[i] = got[i] = (float) r.nextGaussian();
        for (int m = 0; m < mr; m++) {
            for (int j = 0; j < nr; j++) {
                double sum = add ? want[cOff + m * ldc + j] : 0;
                for (int p = 0; p < kc; p++) sum += (double) a[aOff + p * lda + m] * b[bOff + p * ldb + j];
                want[cOff + m * ldc + j] = (float) sum;
            }
        }
        k.gemmLinear(mr, nv, a, aOff, lda, kc, b, bOff, ldb, got, cOff, ldc, add);
        for (int i = 0; i < want.length; i++) {
            final int at = i;
            org.junit.jupiter.api.Assertions.assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])) * Math.max(1, kc),
                    () -> "gemmLinear" + (add ? " adding" : "") + " mr " + mr + ", nv " + nv + ", kc " + kc + ", at " + at);
        }
    }

    private static void checkGemmAdd(GemmKernels k, int mr, int nv, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lanes = k.lanes(), nr = nv * lanes, kc = r.nextInt(0, 40), o0 = r.nextInt(3), aOff = r.nextInt(5), bOff = r.nextInt(7);
        int lda = mr + r.nextInt(6), ldc = nr + r.nextInt(20), cOff = r.nextInt(9);
        int[] off = new int[o0 + kc];
        for (int i = 0; i < off.length; i++) off[i] = r.nextInt(0, 300);
        float[] a = new float[aOff + kc * lda + mr], b = new float[bOff + 300 + nr];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        float[] want = new float[cOff + mr * ldc + nr], got = new float[want.length];
        for (int i = 0; i < want.length; i++) want[i] = got[i] = (float) r.nextGaussian();
        for (int m = 0; m < mr; m++) {
            for (int j = 0; j < nr; j++) {
                double sum = 0;
                for (int p = 0; p < kc; p++) sum += (double) a[aOff + p * lda + m] * b[bOff + off[o0 + p] + j];
                want[cOff + m * ldc + j] += (float) sum;
            }
        }
        k.gemmAdd(mr, nv, a, aOff, lda, kc, b, bOff, off, o0, got, cOff, ldc);
        for (int i = 0; i < want.length; i++) {
            final int at = i;
            org.junit.jupiter.api.Assertions.assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])) * Math.max(1, kc),
                    () -> "mr " + mr + ", nv " + nv + ", kc " + kc + ", at " + at);
        }
    }

    private static void checkBcast(GemmKernels k, int mr, int nv, long seed) {
        checkBcast(k, mr, nv, seed, false, false);
    }

    /** {@link GemmKernels#bcastStore}, or with {@code part} {@link GemmKernels#bcastPart} (adding when {@code add}), against the definition. */
    private static void checkBcast(GemmKernels k, int mr, int nv, long seed, boolean part, boolean add) {
        SplittableRandom r = new SplittableRandom(seed);
        int lanes = k.lanes(), nr = nv * lanes, steps = r.nextInt(0, 40), xBase = r.nextInt(5), gOff = r.nextInt(7);
        int ldg = nr + r.nextInt(20), ldc = nr + r.nextInt(20), cOff = r.nextInt(9), ro = r.nextInt(3);
        int[] rowOff = new int[ro + mr];
        for (int m = 0; m < mr; m++) rowOff[ro + m] = r.nextInt(0, 200);
        float[] x = new float[xBase + 200 + steps], g = new float[gOff + steps * ldg + nr];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
        // a row past the tile's rows too: it must keep its 3s
        float[] want = new float[cOff + (mr + 1) * ldc + nr], got = new float[want.length];
        Arrays.fill(want, 3f);
        Arrays.fill(got, 3f);
        for (int m = 0; m < mr; m++) {
            for (int j = 0; j < nr; j++) {
                double sum = add ? 3 : 0;
                for (int p = 0; p < steps; p++) sum += (double) x[xBase + rowOff[ro + m] + p] * g[gOff + p * ldg + j];
                want[cOff + m * ldc + j] = (float) sum;
            }
        }
        if (part) k.bcastPart(mr, nv, x, rowOff, ro, xBase, steps, g, gOff, ldg, got, cOff, ldc, add);
        else k.bcastStore(mr, nv, x, rowOff, ro, xBase, steps, g, gOff, ldg, got, cOff, ldc);
        for (int i = 0; i < want.length; i++) {
            final int at = i;
            org.junit.jupiter.api.Assertions.assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])) * Math.max(1, steps),
                    () -> (part ? "bcastPart" + (add ? " adding" : "") : "bcastStore") + " mr " + mr + ", nv " + nv + ", steps " + steps + ", at " + at);
        }
    }

    private static void check(GemmKernels k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lanes = k.lanes();
        int rows = r.nextInt(1, lanes + 1);
        int group = lanes >> r.nextInt(Integer.numberOfTrailingZeros(lanes) + 1);
        if (r.nextInt(3) == 0) group = Math.min(lanes, 4);
        if (r.nextInt(4) == 0) rows = (rows + group - 1) / group * group > lanes ? rows : (rows + group - 1) / group * group;
        int sStride = lanes + r.nextInt(40), s = r.nextInt(10);
        // the packed-A form (dStride = group, groups one panel apart) or any wider stride
        int dStride = r.nextBoolean() ? group : group + r.nextInt(20);
        int groupStride = lanes * dStride + r.nextInt(30);
        int d = r.nextInt(lanes + 1);
        float[] src = new float[s + lanes * sStride + lanes];
        for (int i = 0; i < src.length; i++) src[i] = (float) r.nextGaussian();
        int size = d + lanes * groupStride + lanes * dStride + lanes + 16;
        float[] want = new float[size], got = new float[size];
        Arrays.fill(want, -7f);
        Arrays.fill(got, -7f);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < lanes; j++) want[d + (i / group) * groupStride + j * dStride + i % group] = src[s + i * sStride + j];
        }
        k.transpose(src, s, sStride, rows, got, d, dStride, group, groupStride);
        final int g = group, rw = rows;
        assertArrayEquals(want, got, () -> "lanes " + lanes + ", rows " + rw + ", group " + g + ", dStride " + dStride);
    }

    /** Strides 0 to 80 (past the vector kernels' table of lane offsets), the source ending at the last element read. */
    private static void checkGather(GemmKernels k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lanes = k.lanes(), stride = r.nextInt(81), s = r.nextInt(10), d = r.nextInt(10);
        float[] src = new float[s + (lanes - 1) * stride + 1];
        for (int i = 0; i < src.length; i++) src[i] = (float) r.nextGaussian();
        float[] want = new float[d + lanes + 5], got = new float[want.length];
        Arrays.fill(want, -7f);
        Arrays.fill(got, -7f);
        for (int j = 0; j < lanes; j++) want[d + j] = src[s + j * stride];
        k.gather(src, s, stride, got, d);
        assertArrayEquals(want, got, () -> "lanes " + lanes + ", stride " + stride);
    }

    private static void checkTo(GemmKernels k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lanes = k.lanes(), cols = r.nextInt(1, lanes + 1), sStride = lanes + r.nextInt(40), s = r.nextInt(10), o = r.nextInt(5);
        float[] src = new float[s + lanes * sStride + lanes];
        for (int i = 0; i < src.length; i++) src[i] = (float) r.nextGaussian();
        // destination rows in a shuffled order, some far apart, each lanes floats wide; o + lanes offsets (those past cols unused)
        int slots = 2 * lanes + 3, d = r.nextInt(lanes);
        int[] slot = new int[slots];
        for (int i = 0; i < slots; i++) slot[i] = i;
        for (int i = slots - 1; i > 0; i--) { int j = r.nextInt(i + 1), t = slot[i]; slot[i] = slot[j]; slot[j] = t; }
        int[] dOff = new int[o + lanes];
        for (int j = 0; j < o + lanes; j++) dOff[j] = slot[j] * (lanes + 3);
        float[] want = new float[d + slots * (lanes + 3) + lanes], got = new float[want.length];
        Arrays.fill(want, -7f);
        Arrays.fill(got, -7f);
        for (int j = 0; j < cols; j++) for (int i = 0; i < lanes; i++) want[d + dOff[o + j] + i] = src[s + i * sStride + j];
        k.transposeTo(src, s, sStride, cols, got, d, dOff, o);
        assertArrayEquals(want, got, () -> "lanes " + lanes + ", cols " + cols);
    }
}
