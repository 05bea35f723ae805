package dev.convolve.backend.fast;

import dev.convolve.backend.Backend;
import dev.convolve.backend.Backends;
import dev.convolve.backend.WindowReduction;
import dev.convolve.plan.ConvPlan;
import dev.convolve.plan.WindowPlan;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;

/**
 * The fast backend: SIMD kernels (the Vector API when present, else scalar Java) on worker threads, with an
 * algorithm chosen per call by {@link Planner}. Anything it has no fast path for goes to the reference
 * backend, so it accepts every call the reference accepts.
 *
 * <p>Types: f32 runs on the fast paths; f16 and bf16 are computed in f32 and rounded once; integer convolutions
 * take the f32 path only when that is provably exact (every partial sum is an integer below 2^24), otherwise
 * the reference (which sums exactly); f64 results use the reference.
 */
public final class FastBackend implements Backend {
    private static volatile boolean noticeShown;

    private final Kernels kernels;
    private final String whyScalar;
    private final Backend reference = Backends.reference();

    private FastBackend(Kernels kernels, String whyScalar) {
        this.kernels = kernels;
        this.whyScalar = whyScalar;
    }

    /**
     * The fast backend with the best kernels this JVM can run. When the Vector API cannot be used it says so once
     * on stderr, in one line, and runs the scalar kernels.
     */
    public static FastBackend create() {
        Simd.Choice c = Simd.choose();
        if (c.whyScalar() != null && !noticeShown) {
            noticeShown = true;
            System.err.println("convolve: fast backend without SIMD: " + c.whyScalar());
        }
        Warmup.start(c.kernels());
        return new FastBackend(c.kernels(), c.whyScalar());
    }

    /** The fast backend with the scalar kernels (for tests and comparisons). */
    public static FastBackend scalar() { return new FastBackend(new ScalarKernels(), "scalar kernels requested"); }

    static FastBackend with(Kernels k) { return new FastBackend(k, null); }

    @Override
    public String name() { return "fast"; }

    /** Which micro-kernels run: for example {@code Vector API, 512-bit (16 floats)}. */
    public String simd() { return kernels.describe(); }

    /** Why the scalar kernels run, or null when SIMD is in use. */
    public String whyScalar() { return whyScalar; }

    Kernels kernels() { return kernels; }

    /** What {@link #conv} will do for {@code plan}, and why: the algorithm, its tile and data layout. */
    public Planner.Choice explain(ConvPlan plan) { return Planner.choose(kernels, plan); }

    @Override
    public Tensor conv(ConvPlan p, Tensor input, Tensor kernel) {
        if (TypeRoute.of(p, input, kernel) == TypeRoute.REFERENCE) return reference.conv(p, input, kernel);
        Planner.Choice c = Planner.choose(kernels, p);
        float[] out = FullWrite.freshOutput(c, p);
        run(c, p, input, kernel, out);
        return Canonical.result(p, out);
    }

    /**
     * {@link #conv} into {@code out}: f32 results in the canonical layout are computed in place, zeroed first only when the
     * engine does not store every output element ({@link FullWrite}); others are computed and copied.
     */
    @Override
    public Tensor convInto(ConvPlan p, Tensor input, Tensor kernel, Tensor out) {
        if (TypeRoute.of(p, input, kernel) == TypeRoute.REFERENCE || p.outputType() != DType.F32 || !Canonical.identity(p.outputPermutation())) {
            return Backend.super.convInto(p, input, kernel, out);
        }
        Planner.Choice c = Planner.choose(kernels, p);
        float[] o = out.floatData();
        if (!FullWrite.of(c, p)) java.util.Arrays.fill(o, 0f);
        run(c, p, input, kernel, o);
        return out;
    }

    /** Engine {@code c} on the operands as canonical f32 arrays, into {@code out} (zeroed, or stored whole by {@code c}). */
    private void run(Planner.Choice c, ConvPlan p, Tensor input, Tensor kernel, float[] out) {
        float[] x = Canonical.f32(input, p.inputPermutation());
        float[] w = Canonical.f32(kernel, p.kernelPermutation());
        c.run(kernels, p, x, w, out);
    }

    /**
     * Gradient with respect to the kernel: f32 (and exactly representable types) by the planner's choice
     * ({@link Planner#chooseGradKernel}, which {@link #explainGradKernel} reports), others as
     * the default conv form.
     */
    @Override
    public Tensor convGradKernel(ConvPlan p, Tensor input, Tensor gradOut) {
        if (gradOut.dtype() != DType.F32 || !exactInF32(input)) return Backend.super.convGradKernel(p, input, gradOut);
        float[] x = Canonical.f32(input, p.inputPermutation());
        float[] g = Canonical.f32(gradOut, p.outputPermutation());
        float[] dw = SpareArrays.zeroed(p.kernelShape().size());   // engines may add into it: zeroed, made ahead when a spare is ready
        Planner.chooseGradKernel(kernels, p).run(kernels, p, x, g, dw);
        Tensor t = Tensor.wrap(DType.F32, p.canonicalKernelShape(), dw);
        return t.transpose(Canonical.inverse(p.kernelPermutation()));
    }

    /**
     * Gradient with respect to the input: f32 gradients (without batch groups) as the planned gradient conv with a kernel
     * flipped by {@link GradInput}, others as the default conv form.
     */
    @Override
    public Tensor convGradInput(ConvPlan p, Tensor kernel, Tensor gradOut) {
        if (!GradInput.suits(p, gradOut)) return Backend.super.convGradInput(p, kernel, gradOut);
        if (DepthwiseRows.suits(kernels, p, "depthwise-rows-dx")) return GradInput.depthwise(kernels, p, kernel, gradOut, DepthwiseRows::gradInput);
        if (DepthwiseBlocked.suitsGradInput(kernels, p)) return GradInput.depthwise(kernels, p, kernel, gradOut, DepthwiseBlocked::gradInput);
        if (Depthwise.suits(p, "depthwise-dx")) return GradInput.depthwise(kernels, p, kernel, gradOut, Depthwise::gradInput);
        return GradInput.run(kernels, p, kernel, gradOut);
    }

    /** What {@link #convGradKernel} runs for {@code plan}. */
    public Planner.Choice explainGradKernel(ConvPlan plan) { return Planner.chooseGradKernel(kernels, plan); }

    /** What {@link #convGradInput} runs for {@code plan}: the forward conv of the gradient (see {@link dev.convolve.backend.ConvGradients}). */
    public Planner.Choice explainGradInput(ConvPlan plan) { return Planner.chooseGradInput(kernels, plan); }

    private static boolean exactInF32(Tensor t) {
        DType d = t.dtype();
        if (d == DType.F32 || d == DType.F16 || d == DType.BF16) return true;
        if (d.isInteger()) return Canonical.maxAbs(t) <= (1 << 24);
        return false;
    }

    /**
     * Window reductions: sums, maxima and minima of floats on the fast path (f16/bf16 through f32, rounded once), and
     * maxima/minima of integers that f32 holds exactly; products, f64 and other integers by the reference.
     */
    @Override
    public Tensor window(WindowPlan plan, WindowReduction op, Tensor input) {
        DType t = input.dtype();
        boolean ok = op != WindowReduction.PRODUCT && t != DType.F64
                && (!t.isInteger() || (op != WindowReduction.SUM && (t.bits() <= 16 || Canonical.maxAbs(input) <= (1 << 24))));
        if (!ok) return reference.window(plan, op, input);
        float[] x = t == DType.F32 ? input.floatData() : input.asType(DType.F32).floatData();
        float[] out = FreshArrays.forFullWrite(plan.outputShape().size());   // Pooling stores every output
        // Integers: a window entirely in padding gives -/+Inf, which the conversion back saturates to the type's extreme
        // value, the reference's identity.
        Pooling.reduce(kernels, plan, op, x, out);
        Tensor r = Tensor.wrap(DType.F32, plan.outputShape(), out);
        return t == DType.F32 ? r : r.asType(t);
    }

    /**
     * f32 window sums divided as each tile of them is stored ({@link Pooling#reduce}): the quotient of each float sum by the
     * float divisor, which is what dividing the stored sums gives (a correctly rounded f32 division either way); other types
     * by the default.
     */
    @Override
    public Tensor windowSumDivided(WindowPlan plan, Tensor input, double divisor) {
        float d = (float) divisor;
        if (input.dtype() != DType.F32 || d != divisor) return Backend.super.windowSumDivided(plan, input, divisor);
        float[] out = FreshArrays.forFullWrite(plan.outputShape().size());
        Pooling.reduce(kernels, plan, WindowReduction.SUM, input.floatData(), out, d);
        return Tensor.wrap(DType.F32, plan.outputShape(), out);
    }

    /** What {@link #window} runs for {@code plan}. */
    public Planner.Choice explainWindow(WindowPlan plan) { return Planner.chooseWindow(kernels, plan); }

    /** What {@link #windowSelectScatter} (the max/min pooling gradient) runs for {@code plan}. */
    public Planner.Choice explainWindowGradient(WindowPlan plan) { return Planner.chooseWindowGradient(kernels, plan); }

    @Override
    public Tensor windowSelectScatter(WindowPlan plan, boolean max, Tensor input, Tensor source) {
        if (input.dtype() != DType.F32 || source.dtype() != DType.F32) return reference.windowSelectScatter(plan, max, input, source);
        float[] acc = SpareArrays.zeroed(input.size());
        if (WindowGrad.suits(plan)) WindowGrad.run(kernels, plan, max, input.floatData(), source.floatData(), acc);
        else Pooling.selectScatter(plan, max, input.floatData(), source.floatData(), acc);
        return Tensor.wrap(DType.F32, input.shape(), acc);
    }

    /** The window-sum gradient: f32 over two window axes as a depthwise input gradient ({@link WindowSumGrad}), else the default. */
    @Override
    public Tensor windowSumTranspose(WindowPlan plan, Tensor g) {
        ConvPlan c = g.dtype() == DType.F32 ? WindowSumGrad.convPlan(plan) : null;
        if (c == null) return Backend.super.windowSumTranspose(plan, g);
        return Tensor.wrap(DType.F32, plan.inputShape(), WindowSumGrad.run(kernels, c, g.floatData()));
    }

    /** The window-sum gradient with the kernel of ones replaced by {@code scale} (one pass, no scaled copy of {@code g}). */
    @Override
    public Tensor windowSumTransposeScaled(WindowPlan plan, Tensor g, double scale) {
        ConvPlan c = g.dtype() == DType.F32 ? WindowSumGrad.convPlan(plan) : null;
        if (c == null) return Backend.super.windowSumTransposeScaled(plan, g, scale);
        return Tensor.wrap(DType.F32, plan.inputShape(), WindowSumGrad.run(kernels, c, g.floatData(), (float) scale));
    }

    /** What {@link #windowSumTranspose} runs for {@code plan}. */
    public Planner.Choice explainWindowSumGradient(WindowPlan plan) { return Planner.chooseWindowSumGradient(kernels, plan); }

    @Override
    public String toString() {
        return "fast backend (" + simd() + (FreshArrays.uninitialized() ? "; fresh full-write outputs not zeroed" : "") + ")";
    }

    /** How a call's types are handled. */
    enum TypeRoute {
        F32, REFERENCE;

        static TypeRoute of(ConvPlan p, Tensor x, Tensor k) {
            DType out = p.outputType();
            if (out == DType.F64) return REFERENCE;
            boolean xi = x.dtype().isInteger(), ki = k.dtype().isInteger();
            if (!xi && !ki) return F32;
            double mx = Canonical.maxAbs(x), mk = Canonical.maxAbs(k);
            if (xi && ki) {
                // Exact in f32 when every product and partial sum is an integer of magnitude below 2^24.
                double bound = mx * mk * (double) p.kernelChannels() * Canonical.product(p.kernelSize());
                return bound <= (1 << 24) ? F32 : REFERENCE;
            }
            // Integers mixed with floats: the integers must convert to f32 exactly.
            double m = xi ? mx : mk;
            return m <= (1 << 24) ? F32 : REFERENCE;
        }
    }
}
