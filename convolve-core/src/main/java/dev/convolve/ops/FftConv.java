package dev.convolve.ops;

import dev.convolve.plan.ConvOptions;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.PadConfig;
import dev.convolve.tensor.Buffers;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;

/**
 * Convolution through the FFT, for large kernels: the same operator as {@link Conv#conv} (cross-correlation, every
 * option: strides, any padding, input and kernel dilation, feature and batch groups, permutations), computed with
 * our own mixed-radix FFT ({@link Fft}) in double precision.
 *
 * <p>Method, per spatial axis: the input is padded and dilated explicitly ({@code P}, SPEC.md 2.3 step 4), the
 * kernel dilated explicitly ({@code KD}); both are zero-extended to a 5-smooth length {@code L >= |P|}. Then
 * {@code corr = IFFT(sum_c FFT(P_c) * conj(FFT(KD_oc)))} is the circular cross-correlation, which equals the linear
 * one at the positions {@code 0 .. |P| - |KD|} used (no wrap-around since {@code L >= |P|}); strides keep every
 * s-th of them. The inputs are real, so two planes share one complex transform in each direction. Cost
 * {@code O((N C + O I + N O) L log L + N O I L)} instead of {@code O(N O I Q K)}: worth it for large kernels (on a
 * 256x256 image against the reference backend: slower at 5x5, about 2x faster at 15x15, about 8x at 31x31).
 *
 * <p><b>Tolerance.</b> The result is not exact (integer inputs included). Each element differs from the direct sum
 * by at most one unit in the last place of the output type plus {@code 1e-11 * sum_c ||P_bc||_2 ||KD_oc||_2} (the
 * Cauchy-Schwarz bound on the element's size, times a margin for double-precision FFT error, about
 * {@code log2(L) * 2^-53} relative); {@code FftConvTest} checks this bound against the direct conv.
 *
 * {@snippet :
 * Tensor image = Tensor.randomUniform(1, DType.F32, 0, 1, 1, 1, 256, 256);
 * Tensor blur = Tensor.full(1.0 / 225, DType.F32, 1, 1, 15, 15);
 * Tensor y = FftConv.conv(image, blur, ConvOptions.defaults().withPadding(Padding.same()));   // f32[1][1][256][256]
 * }
 */
public final class FftConv {
    private FftConv() {}

    /**
     * The conv of {@code input} and {@code kernel} under {@code options}, with {@link Conv#conv}'s shapes and types.
     *
     * @throws IllegalArgumentException for any invalid conv, as {@link Conv#conv}
     */
    public static Tensor conv(Tensor input, Tensor kernel, ConvOptions options) {
        ConvPlan plan = Conv.plan(input, kernel, options);
        int n = plan.spatialRank(), r = n + 2;
        // Canonical operands in double precision, padded / dilated explicitly.
        Tensor x = input.transpose(plan.inputPermutation()).asType(DType.F64);
        Tensor w = kernel.transpose(plan.kernelPermutation()).asType(DType.F64);
        int[] lo = new int[r], hi = new int[r], in = new int[r], klo = new int[r], khi = new int[r], kin = new int[r];
        int[] pl = plan.padLow(), ph = plan.padHigh(), ld = plan.inputDilation(), kd = plan.kernelDilation();
        for (int i = 0; i < n; i++) {
            lo[i + 2] = pl[i];
            hi[i + 2] = ph[i];
            in[i + 2] = ld[i] - 1;
            kin[i + 2] = kd[i] - 1;
        }
        Tensor p = Pad.pad(x, 0L, new PadConfig(lo, hi, in));
        Tensor kdil = Pad.pad(w, 0L, new PadConfig(klo, khi, kin));
        int[] pSize = Arrays.copyOfRange(p.dims(), 2, r), kSize = Arrays.copyOfRange(kdil.dims(), 2, r);
        int[] len = new int[n];
        for (int i = 0; i < n; i++) len[i] = Fft.goodSize(pSize[i]);
        int box = Unfold.product(len);

        int batch = plan.batch(), c = plan.channels(), o = plan.outChannels(), ic = plan.kernelChannels();
        double[] pd = p.doubleData();
        int pPlane = Unfold.product(pSize);
        double[][] xBoxes = new double[batch * c][];
        for (int bc = 0; bc < batch * c; bc++) xBoxes[bc] = embed(pd, bc * pPlane, pSize, len);
        double[][][] xf = Fft.realForward(xBoxes, len);
        double[][] xr = xf[0], xi = xf[1];
        double[] kdd = kdil.doubleData();
        int kPlane = Unfold.product(kSize);
        double[][] kBoxes = new double[o * ic][];
        for (int oc = 0; oc < o * ic; oc++) kBoxes[oc] = embed(kdd, oc * kPlane, kSize, len);
        double[][][] kf = Fft.realForward(kBoxes, len);
        double[][] kr = kf[0], ki = kf[1];

        int outBatch = plan.outBatch();
        int[] q = plan.outSize(), s = plan.strides();
        int nq = Unfold.product(q);
        int[] canon = new int[r];
        canon[0] = outBatch;
        canon[1] = o;
        System.arraycopy(q, 0, canon, 2, n);
        double[] out = new double[outBatch * o * nq];
        int perF = o / plan.featureGroups(), perB = o / plan.batchGroups();
        int[] lenStrides = strides(len);
        int[] pick = new int[nq];
        int[] qi = new int[n];
        for (int f = 0; f < nq; f++) {
            for (int i = 0; i < n; i++) pick[f] += qi[i] * s[i] * lenStrides[i];
            for (int i = n - 1; i >= 0; i--) {
                if (++qi[i] < q[i]) break;
                qi[i] = 0;
            }
        }
        // Two real outputs per inverse transform: IFFT(Y1 + i Y2) = y1 + i y2.
        double[] yr = new double[box], yi = new double[box];
        int pairs = outBatch * o;
        for (int first = 0; first < pairs; first += 2) {
            Arrays.fill(yr, 0);
            Arrays.fill(yi, 0);
            for (int which = 0; which < 2 && first + which < pairs; which++) {
                int b = (first + which) / o, oc = (first + which) % o;
                int inB = (oc / perB) * outBatch + b, g = oc / perF;
                for (int cc = 0; cc < ic; cc++) {
                    double[] ar = xr[inB * c + g * ic + cc], ai = xi[inB * c + g * ic + cc];
                    double[] br = kr[oc * ic + cc], bi = ki[oc * ic + cc];
                    if (which == 0) {
                        for (int j = 0; j < box; j++) { // (a) * conj(b)
                            yr[j] += ar[j] * br[j] + ai[j] * bi[j];
                            yi[j] += ai[j] * br[j] - ar[j] * bi[j];
                        }
                    } else {
                        for (int j = 0; j < box; j++) { // i * (a) * conj(b)
                            yr[j] -= ai[j] * br[j] - ar[j] * bi[j];
                            yi[j] += ar[j] * br[j] + ai[j] * bi[j];
                        }
                    }
                }
            }
            Fft.transform(yr, yi, len, true);
            for (int f = 0; f < nq; f++) out[first * nq + f] = yr[pick[f]];
            if (first + 1 < pairs) for (int f = 0; f < nq; f++) out[(first + 1) * nq + f] = yi[pick[f]];
        }
        DType t = plan.outputType();
        Object data = Buffers.allocate(t, out.length);
        for (int i = 0; i < out.length; i++) Buffers.setDouble(t, data, i, out[i]);
        Tensor canonical = Tensor.wrap(t, dev.convolve.tensor.Shape.of(canon), data);
        return canonical.transpose(inverse(plan.outputPermutation()));
    }

    /** A plane of sizes {@code size} copied into the corner of a zero box of sizes {@code len}. */
    private static double[] embed(double[] src, int offset, int[] size, int[] len) {
        double[] box = new double[Unfold.product(len)];
        int n = size.length, plane = Unfold.product(size);
        int[] ls = strides(len);
        int[] idx = new int[n];
        for (int f = 0; f < plane; f++) {
            int at = 0;
            for (int i = 0; i < n; i++) at += idx[i] * ls[i];
            box[at] = src[offset + f];
            for (int i = n - 1; i >= 0; i--) {
                if (++idx[i] < size[i]) break;
                idx[i] = 0;
            }
        }
        return box;
    }

    private static int[] strides(int[] dims) {
        int[] st = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= dims[i];
        }
        return st;
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }
}
