package dev.convolve.ops;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;

/**
 * A convolution as a matrix (the probml seed, "convolution as matrix multiplication"): for a kernel, an input shape
 * and any conv options, the matrix {@code W} with {@code W . vec(X) = vec(conv(X, K))} for every input {@code X} of
 * that shape, where {@code vec} flattens a tensor in row-major order of its physical layout.
 *
 * <p>Row {@code r} of {@code W} is output element {@code r}; column {@code j} is input element {@code j}; the entry is
 * the kernel value that multiplies input {@code j} in output {@code r}, or 0. Each (output, input) pair meets at most
 * one kernel tap, so entries are kernel values, never sums. The transpose {@code W^T} is the gradient of the conv
 * with respect to its input (and the transposed convolution).
 *
 * {@snippet :
 * Tensor k = Tensor.of(new int[][][][] {{{{1, 2}, {3, 4}}}});
 * Tensor w = ConvMatrix.kernelToMatrix(k, Shape.of(1, 1, 3, 3), ConvOptions.defaults());
 * // f32[4][9]: [[1, 2, 0, 3, 4, 0, 0, 0, 0], [0, 1, 2, 0, 3, 4, 0, 0, 0],
 * //             [0, 0, 0, 1, 2, 0, 3, 4, 0], [0, 0, 0, 0, 1, 2, 0, 3, 4]]
 * }
 */
public final class ConvMatrix {
    private ConvMatrix() {}

    /** Entries above this count are refused (the matrix is dense). */
    public static final long MAX_ENTRIES = 1L << 28;

    /**
     * {@link #kernelToMatrix(Tensor, Shape, DType, ConvOptions)} for an input of the kernel's type.
     */
    public static Tensor kernelToMatrix(Tensor kernel, Shape inputShape, ConvOptions options) {
        return kernelToMatrix(kernel, inputShape, kernel.dtype(), options);
    }

    /**
     * The matrix {@code W} of shape {@code [outputSize, inputSize]} (sizes of the whole physical tensors) in the conv's
     * output type {@code to_floating(merge(inputType, kernelType))}.
     *
     * @throws IllegalArgumentException for any invalid conv (as {@link Conv#conv}), or when the dense matrix would have
     *         more than {@link #MAX_ENTRIES} entries
     */
    public static Tensor kernelToMatrix(Tensor kernel, Shape inputShape, DType inputType, ConvOptions options) {
        ConvPlan p = ConvPlan.of(inputShape, inputType, kernel.shape(), kernel.dtype(), options);
        int rows = p.outputShape().size(), cols = inputShape.size();
        if ((long) rows * cols > MAX_ENTRIES) {
            throw new IllegalArgumentException("conv_matrix: the matrix would have " + rows + " x " + cols + " entries, more than " + MAX_ENTRIES
                    + ", for input " + inputType + inputShape + " and kernel " + kernel.describe());
        }
        int n = p.spatialRank();
        int[] xs = permuted(inputShape.strides(), p.inputPermutation());
        int[] ks = permuted(kernel.shape().strides(), p.kernelPermutation());
        int[] os = permuted(p.outputShape().strides(), p.outputPermutation());
        int[] q = p.outSize(), k = p.kernelSize(), s = p.strides(), lo = p.padLow(), ld = p.inputDilation(), kd = p.kernelDilation(), sp = p.spatial();
        DType t = p.outputType();
        Object w = Buffers.allocate(t, rows * cols);
        int ic = p.kernelChannels(), outBatch = p.outBatch();
        int perF = p.outChannels() / p.featureGroups(), perB = p.outChannels() / p.batchGroups();
        int nq = Unfold.product(q), nk = Unfold.product(k);
        int[] qi = new int[n];
        for (int b = 0; b < outBatch; b++) {
            for (int o = 0; o < p.outChannels(); o++) {
                int inBatch = (o / perB) * outBatch + b;
                for (int qf = 0; qf < nq; qf++) {
                    int row = b * os[0] + o * os[1];
                    for (int i = 0; i < n; i++) row += qi[i] * os[i + 2];
                    for (int c = 0; c < ic; c++) {
                        int colBase = inBatch * xs[0] + ((o / perF) * ic + c) * xs[1];
                        int[] ti = new int[n];
                        for (int tf = 0; tf < nk; tf++) {
                            int col = colBase, kOff = o * ks[0] + c * ks[1];
                            for (int i = 0; i < n && col >= 0; i++) {
                                int pos = qi[i] * s[i] + ti[i] * kd[i] - lo[i];
                                int di = ConvPlan.dilate(sp[i], ld[i]);
                                if (pos < 0 || pos >= di || pos % ld[i] != 0) col = -1;
                                else col += (pos / ld[i]) * xs[i + 2];
                                kOff += ti[i] * ks[i + 2];
                            }
                            if (col >= 0) Buffers.setDouble(t, w, row * cols + col, kernel.getFlat(kOff));
                            next(ti, k);
                        }
                    }
                    next(qi, q);
                }
            }
        }
        return Tensor.wrap(t, Shape.of(rows, cols), w);
    }

    private static int[] permuted(int[] strides, int[] perm) {
        int[] r = new int[perm.length];
        for (int i = 0; i < perm.length; i++) r[i] = strides[perm[i]];
        return r;
    }

    private static void next(int[] idx, int[] dims) {
        for (int i = dims.length - 1; i >= 0; i--) {
            if (++idx[i] < dims[i]) return;
            idx[i] = 0;
        }
    }
}
