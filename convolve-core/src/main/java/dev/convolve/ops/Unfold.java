package dev.convolve.ops;

import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * im2col and col2im exactly as PyTorch's {@code F.unfold} / {@code F.fold}, for 1 to 3 spatial axes.
 *
 * <p>{@link #unfold} turns {@code [N, C, S1..Sn]} into {@code [N, C * prod(k), L]}: column {@code l} holds the
 * (dilated, zero-padded) block of every channel at sliding position {@code l}, rows ordered channel-major then
 * kernel tap row-major ({@code row = c * prod(k) + t}), positions row-major. Per axis the number of blocks is
 * {@code L_i = (S_i + 2 p_i - d_i (k_i - 1) - 1) / s_i + 1} and {@code L = prod(L_i)}. A conv is then a matrix
 * product: {@code w.reshape(O, C * prod(k)) @ unfold(x)} reshaped to {@code [N, O, L1..Ln]} (the fast.ai seed).
 * {@link #fold} is its adjoint: it adds every column entry back to the input position it came from, so overlapping
 * blocks sum. An unbatched input ({@code [C, S1..Sn]}, {@code [C * prod(k), L]}) is accepted as PyTorch does.
 *
 * {@snippet :
 * Tensor x = Tensor.iota(DType.F32, 1, 1, 28, 28);
 * Tensor cols = Unfold.unfold(x, Unfold.Options.kernel(3, 3));   // f32[1][9][676]
 * }
 */
public final class Unfold {
    private Unfold() {}

    /**
     * {@code F.unfold}'s arguments; a single value for dilation, padding or stride applies to every spatial axis.
     *
     * @param kernel   block size per spatial axis (its length is the spatial rank, 1 to 3)
     * @param dilation spacing of the taps inside a block
     * @param padding  zeros added on both sides of each spatial axis
     * @param stride   step between blocks
     */
    public record Options(int[] kernel, int[] dilation, int[] padding, int[] stride) {
        public Options {
            if (kernel == null) throw new IllegalArgumentException("unfold: a kernel size is required");
            kernel = kernel.clone();
            dilation = dilation == null ? new int[] {1} : dilation.clone();
            padding = padding == null ? new int[] {0} : padding.clone();
            stride = stride == null ? new int[] {1} : stride.clone();
        }

        /** Dilation 1, padding 0, stride 1. */
        public static Options kernel(int... kernel) { return new Options(kernel, null, null, null); }

        @Override public int[] kernel() { return kernel.clone(); }

        @Override public int[] dilation() { return dilation.clone(); }

        @Override public int[] padding() { return padding.clone(); }

        @Override public int[] stride() { return stride.clone(); }

        public Options withDilation(int... d) { return new Options(kernel, d, padding, stride); }

        public Options withPadding(int... p) { return new Options(kernel, dilation, p, stride); }

        public Options withStride(int... s) { return new Options(kernel, dilation, padding, s); }

        @Override
        public String toString() {
            return "kernel_size=" + Arrays.toString(kernel) + ", dilation=" + Arrays.toString(dilation) + ", padding=" + Arrays.toString(padding)
                    + ", stride=" + Arrays.toString(stride);
        }
    }

    /**
     * The number of sliding blocks per spatial axis for an input of spatial size {@code size}.
     *
     * @throws IllegalArgumentException for invalid options or when a block does not fit in the padded input
     */
    public static int[] blocks(int[] size, Options o) { return Geometry.of("unfold", size, o, "for spatial size " + Arrays.toString(size)).blocks; }

    /**
     * im2col: {@code [N, C, S1..Sn]} to {@code [N, C * prod(k), L]} (or unbatched {@code [C, S...]} to
     * {@code [C * prod(k), L]}); the type is kept and padding reads as zero.
     *
     * @throws IllegalArgumentException for an input whose rank is not n + 1 or n + 2, non-positive kernel, dilation or
     *         stride, negative padding, or a block larger than the padded input; the message names the shapes
     */
    public static Tensor unfold(Tensor x, Options o) {
        int n = o.kernel().length;
        String ctx = "for input " + x.describe() + " and " + o;
        checkRank("unfold", x, n, ctx);
        boolean unbatched = x.rank() == n + 1;
        Tensor in = unbatched ? x.newAxis(0) : x;
        int batch = in.dim(0), c = in.dim(1);
        int[] size = Arrays.copyOfRange(in.dims(), 2, n + 2);
        Geometry g = Geometry.of("unfold", size, o, ctx);
        int taps = product(g.k), l = product(g.blocks);
        DType t = x.dtype();
        Object dst = Buffers.allocate(t, batch * c * taps * l);
        int[] src = g.sourceOffsets(Shape.of(size).strides());
        int plane = product(size);
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < c; ch++) {
                int inBase = (b * c + ch) * plane;
                int outBase = (b * c + ch) * taps * l;
                for (int j = 0; j < taps * l; j++) {
                    if (src[j] >= 0) System.arraycopy(in.data(), inBase + src[j], dst, outBase + j, 1);
                }
            }
        }
        Tensor out = Tensor.wrap(t, Shape.of(batch, c * taps, l), dst);
        return unbatched ? out.squeeze(0) : out;
    }

    /**
     * col2im: {@code [N, C * prod(k), L]} back to {@code [N, C, outputSize...]}, adding every entry to the input
     * position it was read from (entries that came from padding are dropped). Float sums are taken in double precision
     * and rounded once; integer sums wrap into the type.
     *
     * @throws IllegalArgumentException when axis 1 is not divisible by {@code prod(kernel)}, or axis 2 does not equal
     *         the number of sliding blocks for {@code outputSize}; the message names the shapes and options
     */
    public static Tensor fold(Tensor cols, int[] outputSize, Options o) {
        int n = o.kernel().length;
        String ctx = "for input " + cols.describe() + ", output size " + Arrays.toString(outputSize) + " and " + o;
        if (outputSize.length != n) {
            throw new IllegalArgumentException("fold: output size must have one entry per kernel axis (" + n + "), " + ctx);
        }
        if (cols.rank() != 2 && cols.rank() != 3) {
            throw new IllegalArgumentException("fold: expected an input of rank 2 (unbatched [C * prod(k), L]) or 3 ([N, C * prod(k), L]), " + ctx);
        }
        boolean unbatched = cols.rank() == 2;
        Tensor in = unbatched ? cols.newAxis(0) : cols;
        Geometry g = Geometry.of("fold", outputSize, o, ctx);
        int taps = product(g.k), l = product(g.blocks);
        if (in.dim(1) % taps != 0) {
            throw new IllegalArgumentException("fold: expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
                    + in.dim(1) + " and kernel_size=" + Arrays.toString(g.k) + ", " + ctx);
        }
        if (in.dim(2) != l) {
            throw new IllegalArgumentException("fold: expected size of input's dimension 2 to match the calculated number of sliding blocks "
                    + Arrays.toString(g.blocks).replace(", ", " * ").replace("[", "").replace("]", "") + " = " + l + ", but got " + in.dim(2) + ", " + ctx);
        }
        int batch = in.dim(0), c = in.dim(1) / taps;
        int plane = product(outputSize);
        int[] src = g.sourceOffsets(Shape.of(outputSize).strides());
        DType t = cols.dtype();
        Object dst = Buffers.allocate(t, batch * c * plane);
        boolean integer = t.isInteger();
        long[] accL = integer ? new long[plane] : null;
        double[] accD = integer ? null : new double[plane];
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < c; ch++) {
                int inBase = (b * c + ch) * taps * l;
                if (integer) Arrays.fill(accL, 0);
                else Arrays.fill(accD, 0);
                for (int j = 0; j < taps * l; j++) {
                    if (src[j] < 0) continue;
                    if (integer) accL[src[j]] += in.getFlatLong(inBase + j);
                    else accD[src[j]] += in.getFlat(inBase + j);
                }
                int outBase = (b * c + ch) * plane;
                for (int i = 0; i < plane; i++) {
                    if (integer) Buffers.setLong(t, dst, outBase + i, accL[i]);
                    else Buffers.setDouble(t, dst, outBase + i, accD[i]);
                }
            }
        }
        int[] shape = new int[n + 2];
        shape[0] = batch;
        shape[1] = c;
        System.arraycopy(outputSize, 0, shape, 2, n);
        Tensor out = Tensor.wrap(t, Shape.of(shape), dst);
        return unbatched ? out.squeeze(0) : out;
    }

    private static void checkRank(String op, Tensor x, int n, String ctx) {
        if (n < 1 || n > 3) throw new IllegalArgumentException(op + ": the kernel must have 1, 2 or 3 entries (one per spatial axis), " + ctx);
        if (x.rank() != n + 1 && x.rank() != n + 2) {
            throw new IllegalArgumentException(op + ": expected an input of rank " + (n + 1) + " (unbatched) or " + (n + 2) + " ([N, C, S1..S" + n
                    + "]) for a kernel of " + n + " axes, got rank " + x.rank() + ", " + ctx);
        }
    }

    static int product(int[] a) {
        int p = 1;
        for (int v : a) p *= v;
        return p;
    }

    /** Kernel, dilation, padding and stride per axis, and the block counts. */
    private record Geometry(int[] size, int[] k, int[] d, int[] p, int[] s, int[] blocks) {
        static Geometry of(String op, int[] size, Options o, String ctx) {
            int n = o.kernel().length;
            if (n < 1 || n > 3) throw new IllegalArgumentException(op + ": the kernel must have 1, 2 or 3 entries (one per spatial axis), " + ctx);
            int[] k = o.kernel(), d = expand(op, "dilation", o.dilation(), n, ctx), p = expand(op, "padding", o.padding(), n, ctx),
                    s = expand(op, "stride", o.stride(), n, ctx);
            int[] blocks = new int[n];
            for (int i = 0; i < n; i++) {
                if (k[i] < 1 || d[i] < 1 || s[i] < 1) {
                    throw new IllegalArgumentException(op + ": kernel size, dilation and stride must be positive, " + ctx);
                }
                if (p[i] < 0) throw new IllegalArgumentException(op + ": padding must be non-negative, " + ctx);
                int span = size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1;
                if (span < 0) {
                    throw new IllegalArgumentException(op + ": the dilated kernel (" + (d[i] * (k[i] - 1) + 1) + ") is larger than the padded input ("
                            + (size[i] + 2 * p[i]) + ") on spatial axis " + i + ", so there are no sliding blocks, " + ctx);
                }
                blocks[i] = span / s[i] + 1;
            }
            return new Geometry(size.clone(), k, d, p, s, blocks);
        }

        /** For every (tap, block) pair in row-major order, the offset in one input plane it reads, or -1 for padding. */
        int[] sourceOffsets(int[] strides) {
            int n = k.length, taps = product(k), l = product(blocks);
            int[] out = new int[taps * l];
            int[] t = new int[n];
            for (int ti = 0; ti < taps; ti++) {
                int[] q = new int[n];
                for (int li = 0; li < l; li++) {
                    int off = 0;
                    for (int i = 0; i < n && off >= 0; i++) {
                        int pos = q[i] * s[i] + t[i] * d[i] - p[i];
                        off = (pos < 0 || pos >= size[i]) ? -1 : off + pos * strides[i];
                    }
                    out[ti * l + li] = off;
                    next(q, blocks);
                }
                next(t, k);
            }
            return out;
        }

        private static void next(int[] idx, int[] dims) {
            for (int i = dims.length - 1; i >= 0; i--) {
                if (++idx[i] < dims[i]) return;
                idx[i] = 0;
            }
        }

        private static int[] expand(String op, String what, int[] v, int n, String ctx) {
            if (v.length == 1) {
                int[] r = new int[n];
                Arrays.fill(r, v[0]);
                return r;
            }
            if (v.length != n) {
                throw new IllegalArgumentException(op + ": " + what + " must have one entry per spatial axis (" + n + ") or be a single number, got "
                        + Arrays.toString(v) + ", " + ctx);
            }
            return v.clone();
        }
    }
}
