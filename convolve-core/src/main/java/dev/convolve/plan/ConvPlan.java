package dev.convolve.plan;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import java.util.Arrays;

/**
 * The one place where a conv call is validated and resolved: everything a kernel needs, already checked
 * (output shape, explicit low/high padding, dilations, groups, permutations, result type). Kernels never
 * re-check.
 *
 * <p>Canonical order: input {@code [N, C, S1..Sn]}, kernel {@code [O, I, K1..Kn]}, output
 * {@code [N / Gb, O, Q1..Qn]}. Definition (see SPEC.md section 2.3): tap {@code t} at output {@code q} reads
 * dilated-input coordinate {@code p = q*s + t*kd - lo}; it contributes {@code x[p / ld]} when
 * {@code 0 <= p < DI} and {@code p % ld == 0}, else zero.
 */
public final class ConvPlan {
    private final int n;
    private final Shape inputShape, kernelShape, outputShape;
    private final DType inputType, kernelType, outputType;
    private final int[] inputPerm, kernelPerm, outputPerm;
    private final int batch, channels, outChannels, kernelChannels, outBatch;
    private final int[] spatial, kernelSize, outSize;
    private final int[] strides, padLow, padHigh, inputDilation, kernelDilation;
    private final int featureGroups, batchGroups;

    private ConvPlan(Builder b) {
        n = b.n;
        inputShape = b.inputShape; kernelShape = b.kernelShape; outputShape = b.outputShape;
        inputType = b.inputType; kernelType = b.kernelType; outputType = b.outputType;
        inputPerm = b.inputPerm; kernelPerm = b.kernelPerm; outputPerm = b.outputPerm;
        batch = b.batch; channels = b.channels; outChannels = b.outChannels; kernelChannels = b.kernelChannels; outBatch = b.outBatch;
        spatial = b.spatial; kernelSize = b.kernelSize; outSize = b.outSize;
        strides = b.strides; padLow = b.padLow; padHigh = b.padHigh; inputDilation = b.inputDilation; kernelDilation = b.kernelDilation;
        featureGroups = b.featureGroups; batchGroups = b.batchGroups;
    }

    private static final class Builder {
        int n;
        Shape inputShape, kernelShape, outputShape;
        DType inputType, kernelType, outputType;
        int[] inputPerm, kernelPerm, outputPerm;
        int batch, channels, outChannels, kernelChannels, outBatch;
        int[] spatial, kernelSize, outSize;
        int[] strides, padLow, padHigh, inputDilation, kernelDilation;
        int featureGroups, batchGroups;
    }

    /** {@code dil(s, d) = (s - 1) * d + 1}: the extent of {@code s} taps spaced {@code d} apart (0 when s = 0). */
    public static int dilate(int size, int d) { return size == 0 ? 0 : (size - 1) * d + 1; }

    /**
     * Validates and resolves a conv call. Checks, in Nx's order: ranks, strides, dilations, permutations,
     * groups, padding, and that the output is not empty.
     *
     * @throws IllegalArgumentException naming the rule and both shapes
     */
    public static ConvPlan of(Shape input, DType inputType, Shape kernel, DType kernelType, ConvOptions o) {
        String ctx = "for input " + inputType + input + " and kernel " + kernelType + kernel;
        if (input.rank() < 3) {
            throw new IllegalArgumentException("conv: input shape in conv requires at least rank 3, shape " + input.toTuple() + " has rank " + input.rank() + ", " + ctx);
        }
        if (kernel.rank() < 3) {
            throw new IllegalArgumentException("conv: kernel shape in conv requires at least rank 3, shape " + kernel.toTuple() + " has rank " + kernel.rank() + ", " + ctx);
        }
        if (input.rank() != kernel.rank()) {
            throw new IllegalArgumentException("conv: input and kernel must have the same rank, but " + input.rank() + " != " + kernel.rank() + ", " + ctx);
        }
        Builder b = new Builder();
        int r = input.rank();
        int n = r - 2;
        b.n = n;
        b.inputShape = input; b.kernelShape = kernel; b.inputType = inputType; b.kernelType = kernelType;
        b.strides = o.strides().resolve("conv", "strides", n, ctx);
        b.inputDilation = o.inputDilation().resolve("conv", "input dilation", n, ctx);
        b.kernelDilation = o.kernelDilation().resolve("conv", "kernel dilation", n, ctx);
        b.inputPerm = permutation("input permutation", o.inputPermutation(), r, ctx);
        b.kernelPerm = permutation("kernel permutation", o.kernelPermutation(), r, ctx);
        b.outputPerm = permutation("output permutation", o.outputPermutation(), r, ctx);

        int[] cin = new int[r], ck = new int[r];
        for (int i = 0; i < r; i++) {
            cin[i] = input.dim(b.inputPerm[i]);
            ck[i] = kernel.dim(b.kernelPerm[i]);
        }
        b.batch = cin[0]; b.channels = cin[1]; b.outChannels = ck[0]; b.kernelChannels = ck[1];
        b.spatial = Arrays.copyOfRange(cin, 2, r);
        b.kernelSize = Arrays.copyOfRange(ck, 2, r);
        int gf = o.featureGroupSize(), gb = o.batchGroupSize();
        if (gf < 1) throw new IllegalArgumentException("conv: feature group size must be a positive integer, got " + gf + ", " + ctx);
        if (gb < 1) throw new IllegalArgumentException("conv: batch group size must be a positive integer, got " + gb + ", " + ctx);
        if (gf > 1 && gb > 1) {
            throw new IllegalArgumentException("conv: either feature group size or batch group size must be 1, but got " + gf + " and " + gb + ", " + ctx);
        }
        if (b.channels % gf != 0 || b.channels / gf != b.kernelChannels) {
            String lhs = b.channels % gf == 0 ? Integer.toString(b.channels / gf) : b.channels + "/" + gf;
            throw new IllegalArgumentException("conv: input channels / feature group size must equal kernel input channels, but "
                    + b.channels + " / " + gf + " != " + b.kernelChannels + ", " + ctx
                    + (b.channels % gf == 0 ? "" : " (" + lhs + " is not a whole number)"));
        }
        if (b.outChannels % gf != 0) {
            throw new IllegalArgumentException("conv: kernel output channels must be evenly divisible by feature group size, but "
                    + b.outChannels + " % " + gf + " != 0, " + ctx);
        }
        if (b.batch % gb != 0) {
            throw new IllegalArgumentException("conv: batch group size must evenly divide the input batch size, but " + b.batch + " % " + gb + " != 0, " + ctx);
        }
        if (b.outChannels % gb != 0) {
            throw new IllegalArgumentException("conv: kernel output channels must be evenly divisible by batch group size, but " + b.outChannels + " % " + gb + " != 0, " + ctx);
        }
        b.featureGroups = gf; b.batchGroups = gb;
        b.outBatch = b.batch / gb;

        b.padLow = new int[n]; b.padHigh = new int[n];
        int[] dk = new int[n], di = new int[n];
        for (int i = 0; i < n; i++) {
            dk[i] = dilate(b.kernelSize[i], b.kernelDilation[i]);
            di[i] = dilate(b.spatial[i], b.inputDilation[i]);
        }
        resolvePadding("conv", o.padding(), di, dk, b.strides, b.inputDilation, b.padLow, b.padHigh, ctx);
        b.outSize = new int[n];
        for (int i = 0; i < n; i++) {
            int padded = di[i] + b.padLow[i] + b.padHigh[i];
            if (b.kernelSize[i] == 0 || padded < dk[i]) {
                throw new IllegalArgumentException("conv: the dilated kernel must fit in the padded, dilated input on every spatial axis, but on spatial axis "
                        + i + " it has size " + dk[i] + " and the input " + padded + " (input " + b.spatial[i] + " dilated by " + b.inputDilation[i]
                        + ", padding " + b.padLow[i] + ":" + b.padHigh[i] + "), so the output would be empty, " + ctx);
            }
            b.outSize[i] = Math.floorDiv(padded - dk[i], b.strides[i]) + 1;
        }
        DType merged = DType.merge(inputType, kernelType);
        b.outputType = merged.toFloating();
        int[] canonOut = new int[r];
        canonOut[0] = b.outBatch;
        canonOut[1] = b.outChannels;
        System.arraycopy(b.outSize, 0, canonOut, 2, n);
        int[] phys = new int[r];
        for (int i = 0; i < r; i++) phys[b.outputPerm[i]] = canonOut[i];
        b.outputShape = Shape.of(phys);
        return new ConvPlan(b);
    }

    /** Resolves {@code padding} into low/high per axis; shared by conv and window plans. */
    static void resolvePadding(String op, Padding padding, int[] dilatedInput, int[] dilatedWindow, int[] strides, int[] inputDilation,
                               int[] lo, int[] hi, String ctx) {
        int n = lo.length;
        switch (padding) {
            case Padding.Valid v -> { }
            case Padding.Same s -> {
                for (int i = 0; i < n; i++) {
                    int total = Math.max(dilatedWindow[i] - 1, 0);
                    lo[i] = total / 2;
                    hi[i] = total - lo[i];
                }
            }
            case Padding.SameUpper s -> stridedSame(op, dilatedInput, dilatedWindow, strides, inputDilation, lo, hi, true, ctx);
            case Padding.SameLower s -> stridedSame(op, dilatedInput, dilatedWindow, strides, inputDilation, lo, hi, false, ctx);
            case Padding.Explicit e -> {
                int[] l = e.low(), h = e.high();
                if (l.length != n) {
                    throw new IllegalArgumentException(op + ": invalid padding configuration, rank of padding configuration and shape must match, but got "
                            + l.length + " low/high pairs (" + e + ") for " + n + " " + (op.equals("conv") ? "spatial " : "") + "axes, " + ctx);
                }
                System.arraycopy(l, 0, lo, 0, n);
                System.arraycopy(h, 0, hi, 0, n);
            }
        }
    }

    private static void stridedSame(String op, int[] di, int[] dk, int[] s, int[] inputDilation, int[] lo, int[] hi, boolean upper, String ctx) {
        for (int i = 0; i < lo.length; i++) {
            if (inputDilation != null && inputDilation[i] != 1) {
                throw new IllegalArgumentException(op + ": stride-aware SAME padding is not defined with input dilation " + Arrays.toString(inputDilation) + ", " + ctx);
            }
            int out = (di[i] + s[i] - 1) / s[i];
            int total = Math.max(0, (out - 1) * s[i] + dk[i] - di[i]);
            int small = total / 2, big = total - small;
            lo[i] = upper ? small : big;
            hi[i] = upper ? big : small;
        }
    }

    private static int[] permutation(String what, int[] perm, int r, String ctx) {
        if (perm == null) {
            int[] id = new int[r];
            for (int i = 0; i < r; i++) id[i] = i;
            return id;
        }
        if (perm.length != r) {
            throw new IllegalArgumentException("conv: expected length of " + what + " (" + perm.length + ") to match rank of shape (" + r + "), got "
                    + Arrays.toString(perm) + ", " + ctx);
        }
        boolean[] seen = new boolean[r];
        for (int a : perm) {
            if (a < 0 || a >= r || seen[a]) {
                throw new IllegalArgumentException("conv: " + what + " " + Arrays.toString(perm) + " is not a permutation of the axes 0.." + (r - 1) + ", " + ctx);
            }
            seen[a] = true;
        }
        return perm.clone();
    }

    // ------------------------------------------------------------------ accessors (arrays are copies)

    /** Number of spatial axes. */
    public int spatialRank() { return n; }

    public Shape inputShape() { return inputShape; }

    public Shape kernelShape() { return kernelShape; }

    /** The physical output shape (after the output permutation). */
    public Shape outputShape() { return outputShape; }

    public DType inputType() { return inputType; }

    public DType kernelType() { return kernelType; }

    /** {@code to_floating(merge(input, kernel))}: integer convolutions give f32. */
    public DType outputType() { return outputType; }

    public int[] inputPermutation() { return inputPerm.clone(); }

    public int[] kernelPermutation() { return kernelPerm.clone(); }

    public int[] outputPermutation() { return outputPerm.clone(); }

    /** True when no permutation moves an axis. */
    public boolean isCanonicalLayout() { return isIdentity(inputPerm) && isIdentity(kernelPerm) && isIdentity(outputPerm); }

    private static boolean isIdentity(int[] p) {
        for (int i = 0; i < p.length; i++) if (p[i] != i) return false;
        return true;
    }

    /** Input batch N. */
    public int batch() { return batch; }

    /** Input channels C. */
    public int channels() { return channels; }

    /** Output channels O (kernel axis 0). */
    public int outChannels() { return outChannels; }

    /** Kernel input channels I (= C / featureGroups). */
    public int kernelChannels() { return kernelChannels; }

    /** Output batch N / batchGroups. */
    public int outBatch() { return outBatch; }

    public int[] spatial() { return spatial.clone(); }

    public int[] kernelSize() { return kernelSize.clone(); }

    public int[] outSize() { return outSize.clone(); }

    public int[] strides() { return strides.clone(); }

    public int[] padLow() { return padLow.clone(); }

    public int[] padHigh() { return padHigh.clone(); }

    public int[] inputDilation() { return inputDilation.clone(); }

    public int[] kernelDilation() { return kernelDilation.clone(); }

    public int featureGroups() { return featureGroups; }

    public int batchGroups() { return batchGroups; }

    /** Canonical input shape {@code [N, C, S...]}. */
    public Shape canonicalInputShape() { return Shape.of(concat(batch, channels, spatial)); }

    /** Canonical kernel shape {@code [O, I, K...]}. */
    public Shape canonicalKernelShape() { return Shape.of(concat(outChannels, kernelChannels, kernelSize)); }

    /** Canonical output shape {@code [N / Gb, O, Q...]}. */
    public Shape canonicalOutputShape() { return Shape.of(concat(outBatch, outChannels, outSize)); }

    /** Multiply-adds of the direct definition (taps that land in padding counted too). */
    public long macs() {
        long m = (long) outBatch * outChannels * kernelChannels;
        for (int i = 0; i < n; i++) m *= (long) outSize[i] * kernelSize[i];
        return m;
    }

    private static int[] concat(int a, int b, int[] rest) {
        int[] r = new int[rest.length + 2];
        r[0] = a;
        r[1] = b;
        System.arraycopy(rest, 0, r, 2, rest.length);
        return r;
    }

    @Override
    public String toString() {
        return "ConvPlan[input=" + inputType + inputShape + ", kernel=" + kernelType + kernelShape + ", output=" + outputType + outputShape
                + ", strides=" + Arrays.toString(strides) + ", padding=" + Arrays.toString(padLow) + ":" + Arrays.toString(padHigh)
                + ", inputDilation=" + Arrays.toString(inputDilation) + ", kernelDilation=" + Arrays.toString(kernelDilation)
                + ", featureGroups=" + featureGroups + ", batchGroups=" + batchGroups + "]";
    }
}
