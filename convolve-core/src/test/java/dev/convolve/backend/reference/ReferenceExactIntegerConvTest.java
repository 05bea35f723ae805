package dev.convolve.backend.reference;

import dev.convolve.backend.Backends;
import dev.convolve.ops.Conv;
import dev.convolve.plan.ConvOptions;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import dev.convolve.testing.Values;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Integer convolutions are exact sums rounded once to f32, even when the sum does not fit 64 bits. */
class ReferenceExactIntegerConvTest {

    private static Tensor conv(Tensor x, Tensor w) {
        return Backends.reference().conv(Conv.plan(x, w, ConvOptions.defaults()), x, w);
    }

    @Test
    void s64SumBeyond64BitsIsExactThenRoundedOnce() {
        long big = 1L << 62;
        Tensor x = Values.integers(DType.S64, Shape.of(1, 4, 1), new long[] {big, big, big, -1});
        Tensor w = Values.integers(DType.S64, Shape.of(1, 4, 1), new long[] {3, 3, 3, 1});
        // 9 * 2^62 - 1, far outside a long; the nearest f32 is 9 * 2^62.
        float expected = BigInteger.valueOf(big).multiply(BigInteger.valueOf(9)).subtract(BigInteger.ONE).floatValue();
        assertEquals(expected, (float) conv(x, w).getFlat(0));
        assertEquals(9 * Math.pow(2, 62), conv(x, w).getFlat(0), 0.0);
    }

    @Test
    void u64ValuesAbove2To63AreUnsigned() {
        Tensor x = Values.integers(DType.U64, Shape.of(1, 1, 1), new long[] {-1L}); // 2^64 - 1
        Tensor w = Values.integers(DType.U8, Shape.of(1, 1, 1), new long[] {2});
        assertEquals((float) (2 * 18446744073709551615.0), (float) conv(x, w).getFlat(0));
    }

    @Test
    void s32SumAbove2To24RoundsOnceNotPerTerm() {
        // 2^24 + 1 + 1: an f32 accumulator would stay at 2^24 after each +1; the exact sum 2^24 + 2 is representable.
        Tensor x = Values.integers(DType.S32, Shape.of(1, 3, 1), new long[] {1 << 24, 1, 1});
        Tensor w = Values.integers(DType.S32, Shape.of(1, 3, 1), new long[] {1, 1, 1});
        assertEquals(16777218.0, conv(x, w).getFlat(0), 0.0);
        assertEquals(DType.F32, conv(x, w).dtype());
    }
}
