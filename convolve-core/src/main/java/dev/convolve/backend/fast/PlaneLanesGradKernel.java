package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The kernel gradient in the plane-lanes layout ({@link PlaneLanes}): each image's input gathered exactly as the forward
 * pass gathers it, so that tap {@code k = (c, r, s)} across the whole output plane is one contiguous run of the buffer, and
 * {@code dw[o][k] = sum_images sum_q g[o][q] * buf[off[k] + q]} is a dot product over the plane's vectors. The output
 * gradient is copied per image into planes of whole vectors (zero past the plane), and the register tiles of
 * {@link GradKernelBatch} ({@code mr} gradient rows x {@code nc} taps, one vector of positions per step, the steps running over
 * the images of a part) keep vector sums; the lanes are summed once at the end. For grouped layers with few channels per
 * group (ResNeXt's stride-2 3x3, 32 groups of 8), where the other engines either fill no lanes with output channels or read
 * strided input one tap at a time.
 */
final class PlaneLanesGradKernel {
    private PlaneLanesGradKernel() {}

    static final String NAME = "plane-lanes-dw";

    /** Tests force this engine on every plan it can compute. */
    static volatile boolean force;

    /** The largest register tile: gradient rows (output channels) and taps; smaller ones take the edges. */
    static final int MR = GradKernelBatch.MR, NC = GradKernelBatch.NC;

    /** Computes the plan: what the forward engine computes, without input dilation (one output phase, the whole plane). */
    static boolean supports(Kernels k, ConvPlan p) {
        if (!Planner.enabled(NAME) || p.spatialRank() != 2) return false;
        java.util.List<SubProblem> subs = SubProblem.of(p);
        return PlaneLanes.supports(k, p, subs) && subs.size() == 1 && subs.get(0).coversOutput(p.outSize());
    }

    /**
     * Chosen for kernels of two or more taps when no engine with output channels in the lanes takes the plan ({@code bcast-o}
     * needs a vector of them per group), asked after {@code batch-lanes-dw} (which keeps big batches of small planes: mnist-l2
     * 111 against 220 µs here, mnist-l3 98 against 181). Measured against the engine chosen before (2026-11-25, alternating JVMs,
     * medians of 3, two threads): ResNeXt's 8x256x28x28 -> 256 3x3 s2 in 32 groups 744 against 1085 µs ({@code dot}; one thread
     * 1363 against 1948: about a third is the gather reading the 6.4 MB input, at the cache's bandwidth), 8x128x14x14 -> 128 in
     * 16 groups 315 against 466, 8x64x28x28 -> 64 s2 in 8 groups 242 against 260, 16x4x14x14 -> 8 s2 20 against 64, two such
     * images 7.0 against 14.4, 4x3x16x16 -> 8 5x5 16 against 61.
     */
    static boolean suits(Kernels k, ConvPlan p) {
        if (!supports(k, p)) return false;
        if (force) return true;
        return Canonical.product(p.kernelSize()) > 1 && !GradKernelWide.suits(k, p);
    }

    /**
     * Computes {@code dw} (canonical {@code [O][I][K...]}, zeroed) from canonical {@code x} and {@code g}. The plane's whole
     * vectors are read in place from the gathered arrays; its last, partial vector ({@code rem} positions) is copied per tap
     * into a vector of its own, zero past the plane: read in place, its lanes past the plane would hold other rows' input (or
     * stale floats), and a NaN or infinity there times the gradient's zero would be NaN where the reference has a number.
     */
    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        PlaneLanes.Job j = new PlaneLanes.Job(kern, p, null);
        PlaneLanes.Sub sub = j.subs[0];
        PlaneLanes.Gather gt = sub.gt;
        GradKernelBatch.Tiles tl = GradKernelBatch.tiles(kern);
        int lanes = kern.lanes(), batch = j.batch, groups = j.groups, og = j.og, cg = j.cg, o = j.o, q = sub.q;
        int cols = sub.kc, full = q / lanes, rem = q - full * lanes, plane = (full + (rem > 0 ? 1 : 0)) * lanes;
        if (batch == 0) return;
        long work = (long) batch * o * cols * plane;
        int threads = ShiftedConv.threadsFor(work);
        // parts of the batch: one per thread when the groups are too few to share out, more when a part's buffers (gathered
        // input, partial vectors and gradient planes of its images) would take more than GradKernelBatch.PART_BYTES
        long perImage = 4L * (j.img + (long) cols * lanes + (long) og * plane);
        int minParts = groups >= 2 * threads ? 1 : threads;
        int parts = (int) Math.min(batch, Math.max(minParts, (perImage * batch + GradKernelBatch.PART_BYTES - 1) / GradKernelBatch.PART_BYTES));
        int per = (batch + parts - 1) / parts;
        int nParts = (batch + per - 1) / per, sums = o * cols;
        // per part, the vector sums [O][cols][L] of the whole vectors, then per part those of the partial ones: added up
        // across all of them and the lanes at the end
        float[] part = Scratch.floats(Scratch.PART, 2 * nParts * sums * lanes);
        if (rem == 0) java.util.Arrays.fill(part, nParts * sums * lanes, 2 * nParts * sums * lanes, 0f);
        int[] tailCol = new int[cols];
        for (int k = 0; k < cols; k++) tailCol[k] = k * lanes;
        Threads.parallelFor(nParts * groups, threads, item -> {
            int pi = item / groups, grp = item % groups;
            int b0 = pi * per, b1 = Math.min(batch, b0 + per), n = b1 - b0;
            float[] buf = Scratch.floats(Scratch.SRC, n * j.img);
            float[] tail = Scratch.floats(Scratch.TILE, n * cols * lanes + lanes);
            // the gradient: [og][image][whole vectors], then [og][image][partial vector], zero past the plane
            float[] gb = Scratch.floats(Scratch.GRAD, og * n * plane + lanes);
            int[] xStep = Scratch.ints(Scratch.AUX, n * full + n);
            int gRow = n * plane, tailG = n * full * lanes;
            if (rem > 0) {
                java.util.Arrays.fill(tail, 0, n * cols * lanes, 0f);
                for (int oc = 0; oc < og; oc++) java.util.Arrays.fill(gb, oc * gRow + tailG, (oc + 1) * gRow, 0f);
            }
            for (int b = 0; b < n; b++) {
                int base = b * j.img + gt.bufOff;
                gt.zeroPadding(buf, base, cg);
                gt.run(j.gk, x, ((b0 + b) * j.c + grp * cg) * j.h * j.wIn, j.wIn, cg * j.h, buf, base);
                for (int oc = 0; oc < og; oc++) {
                    int src = ((b0 + b) * o + grp * og + oc) * q;
                    System.arraycopy(g, src, gb, oc * gRow + b * full * lanes, full * lanes);
                    if (rem > 0) System.arraycopy(g, src + full * lanes, gb, oc * gRow + tailG + b * lanes, rem);
                }
                for (int v = 0; v < full; v++) xStep[b * full + v] = base + v * lanes;
                if (rem > 0) {
                    for (int k = 0; k < cols; k++) System.arraycopy(buf, base + sub.off[k] + full * lanes, tail, (b * cols + k) * lanes, rem);
                    xStep[n * full + b] = b * cols * lanes;
                }
            }
            for (int o0 = 0; o0 < og; o0 += MR) {
                int mr = Math.min(MR, og - o0), oc = grp * og + o0;
                for (int c0 = 0; c0 < cols; c0 += NC) {
                    int nc = Math.min(NC, cols - c0);
                    tl.tile(mr, nc, gb, o0 * gRow, gRow, buf, 0, sub.off, c0, xStep, 0, n * full, part, (pi * sums + oc * cols + c0) * lanes, cols);
                    if (rem > 0) {
                        tl.tile(mr, nc, gb, o0 * gRow, gRow, tail, 0, tailCol, c0, xStep, n * full, n * full + n, part,
                                ((nParts + pi) * sums + oc * cols + c0) * lanes, cols);
                    }
                }
            }
        });
        int kPlane = (int) Canonical.product(p.kernelSize()), taps = sub.kOff.length;
        for (int oc = 0; oc < o; oc++) {
            for (int col = 0; col < cols; col++) {
                dw[oc * cg * kPlane + (col / taps) * kPlane + sub.kOff[col % taps]] = tl.sumLanes(part, (oc * cols + col) * lanes, 2 * nParts, sums * lanes);
            }
        }
    }
}
