package dev.convolve.backend.fast;

import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/** Conversions between the tensors of a call and the canonical f32 arrays the kernels read and write. */
final class Canonical {
    private Canonical() {}

    /** The tensor in canonical axis order as f32: its own array when it already is (no copy). */
    static float[] f32(Tensor t, int[] perm) {
        Tensor c = t.transpose(perm);
        return c.dtype() == DType.F32 ? c.floatData() : c.asType(DType.F32).floatData();
    }

    /** Wraps a canonical f32 result into the plan's physical layout and output type. */
    static Tensor result(ConvPlan p, float[] out) {
        Tensor t = Tensor.wrap(DType.F32, p.canonicalOutputShape(), out);
        int[] perm = p.outputPermutation();
        if (!identity(perm)) t = t.transpose(inverse(perm));
        return p.outputType() == DType.F32 ? t : t.asType(p.outputType());
    }

    /** True when {@code perm} keeps every axis in place. */
    static boolean identity(int[] perm) {
        for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
        return true;
    }

    static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }

    /** Largest magnitude of the elements (as doubles; unsigned 64-bit read as unsigned). */
    static double maxAbs(Tensor t) {
        double m = 0;
        for (int i = 0, n = t.size(); i < n; i++) m = Math.max(m, Math.abs(t.getFlat(i)));
        return m;
    }

    static long product(int[] a) {
        long p = 1;
        for (int v : a) p *= v;
        return p;
    }
}
