package dev.convolve.testing;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Seeded random tensors of every type for property tests. Integers cover the type's range when {@code wide} (sums
 * then overflow 32 bits, or 64 bits for the 64-bit types, and exceed f32's 24-bit significand), else stay small;
 * floats mix small integers (exact sums) with uniform values in [-2, 2), both rounded into the type.
 */
public final class TestTensors {
    private TestTensors() {}

    /** A tensor of {@code type} and {@code shape} with values drawn from {@code seed}. */
    public static Tensor random(DType type, int[] shape, long seed, boolean wide) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = Index.size(shape);
        if (type.isInteger()) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = integer(type, rnd, wide);
            return Values.integers(type, Shape.of(shape), v);
        }
        double[] v = new double[n];
        boolean smallInts = rnd.nextBoolean();
        for (int i = 0; i < n; i++) v[i] = smallInts ? rnd.nextInt(-8, 9) : rnd.nextDouble(-2, 2);
        return Values.floats(type, Shape.of(shape), v);
    }

    private static long integer(DType t, SplittableRandom rnd, boolean wide) {
        return switch (t) {
            case U8 -> rnd.nextInt(256);
            case S8 -> rnd.nextInt(-128, 128);
            case U16 -> wide ? rnd.nextInt(65536) : rnd.nextInt(300);
            case S16 -> wide ? rnd.nextInt(-32768, 32768) : rnd.nextInt(-300, 300);
            case U32 -> wide ? rnd.nextLong(1L << 32) : rnd.nextInt(1000);
            case S32 -> wide ? rnd.nextLong(Integer.MIN_VALUE, Integer.MAX_VALUE + 1L) : rnd.nextInt(-1000, 1000);
            case U64, S64 -> wide ? rnd.nextLong() : rnd.nextInt(-1000, 1000) & (t == DType.U64 ? 0x3FF : -1);
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** A random permutation of {@code 0..r-1}. */
    public static int[] permutation(int r, SplittableRandom rnd) {
        int[] p = Index.identity(r);
        for (int i = r - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The physical shape of a tensor whose canonical axis {@code i} is stored on physical axis {@code perm[i]}. */
    public static int[] physical(int[] canonical, int[] perm) {
        int[] p = new int[canonical.length];
        for (int i = 0; i < perm.length; i++) p[perm[i]] = canonical[i];
        return p;
    }
}
