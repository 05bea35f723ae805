package dev.convolve.backend.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link GemmKernels#transpose} (the block transposes that pack the operands of {@code gemm-dw}) against its definition, for
 * the vector and the scalar kernels: every row count, group size (whole blocks, the 4-row panels of a packed A, other
 * divisors of the lanes) and stride, with the elements it must leave alone checked too.
 */
class GemmTransposeTest {
    private static final GemmKernels VECTOR = GemmKernels.of(FastBackend.create().kernels());

    @Property(tries = 300)
    void vectorTransposeMatchesDefinition(@ForAll long seed) {
        check(VECTOR, seed);
    }

    @Property(tries = 100)
    void scalarTransposeMatchesDefinition(@ForAll long seed) {
        check(ScalarGemmKernels.INSTANCE, seed);
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
}
