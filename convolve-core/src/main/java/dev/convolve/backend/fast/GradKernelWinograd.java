package dev.convolve.backend.fast;

import dev.convolve.backend.Threads;
import dev.convolve.plan.ConvPlan;

/**
 * The kernel gradient of 3x3, 5x5 and 7x7 stride-1 convs by Winograd's F(3x3, 4x4), F(5x5, 2x2) and F(7x7, 2x2): per 4x4
 * (2x2) tile of the output gradient {@code g} and the 6x6 (8x8 for 7x7) input patch under it, {@code dW += A^T [(G g G^T) .
 * (B^T d B)] A}. Summed over tiles and images this is 36 (64) GEMMs {@code M[xi] (O x C) = sum_tiles Gt[xi][tile][O]^T
 * V[xi][tile][C]}, then one output transform per (output, input) channel pair: 4x (2.8x, 3.1x) fewer multiply-adds than the
 * direct sum. Each uses the points of the forward engine of its size in {@link Winograd}, so the input transform is the
 * forward's. Input and gradient are copied into blocks
 * of 16 channels first (as {@link Winograd} does), so every transform loads contiguous vectors; threads keep partial
 * sums of {@code M} of their own; when {@code M} is too big for a copy per thread (deep layers), every tile is transformed
 * first and threads take blocks of output channels instead, each summing over all tiles ({@link Job#byOutRows}). Feature
 * groups run one after another, each over all threads, as a conv of their own channels.
 */
final class GradKernelWinograd {
    private GradKernelWinograd() {}

    /**
     * 2-D, 3x3, unit stride and dilations, no batch groups, 16+ channels per feature group each way. Grouped, measured
     * 2026-11-24 on one thread (CPU time, against {@code bcast-o} in the same JVM): 8x256x28x28 in 4 groups 8.4 against
     * 19.4 ms (two threads 4.4 / 10.3), 8x128x56x56 in 4 groups 13.1 / 23.2, 8x512x14x14 in 8 groups 6.8 / 11.1, 8x64x56x56
     * in 4 groups 3.8 / 7.5, 32x512x7x7 in 8 groups 7.3 / 12.3.
     */
    static boolean suits(ConvPlan p) {
        return Winograd.shapeFits(p) && Planner.enabled("winograd-dw");
    }

    /**
     * 5x5 kernels: the shapes of {@link Winograd#shapeFits5}, any size. Measured 2026-11-25 on one thread (CPU time, against the
     * engine chosen without it): 16x128x14x14 -> 128 pad 2 13.2 against 25.3 ms (two threads 8.9 / 14.3), 8x64x56x56 -> 64 31.6
     * / 48.9, 64x32x4x4 -> 64 0.82 / 1.83, 8x16x28x28 -> 256 12.7 / 13.8, 4x128x28x28 in 4 groups 4.3 / 7.5, and at the smallest,
     * 1x16x8x8 -> 16, 18 / 32 µs; 8x16x32x32 -> 64 3.6 / 4.2, 8x64x64x64 -> 16 16.8 / 23.4. Slower on one shape measured:
     * 8x16x64x64 -> 64, 17.9 / 16.8 ms.
     */
    static boolean suits5(ConvPlan p) {
        return Winograd.shapeFits5(p) && Planner.enabled("winograd-5x5-dw");
    }

    /** 7x7 kernels: the shapes of {@link Winograd#shapeFits7} (F(7x7, 2x2), eight points). */
    static boolean suits7(ConvPlan p) {
        return Winograd.shapeFits7(p) && Planner.enabled("winograd-7x7-dw");
    }

    static void run(Kernels kern, ConvPlan p, float[] x, float[] g, float[] dw) {
        Winograd.eachGroup(p.featureGroups(), gi -> new Job(kern, p, gi, x, g).run(dw));
    }

    static final class Job {
        final Kernels kern;
        /** The block transposes of the packed GEMM's kernels, or null. */
        final GemmKernels gk;
        final float[] x, g;
        /** {@code c} and {@code o}: the channels of feature group {@code group}; {@code cAll} and {@code oAll}: all of them. */
        final int c, cb, cpad, o, ob, opad, cAll, oAll, group, batch, h, wd, q0, q1, th, tw, lo0, lo1, lanes, mr, nv, tb;
        /** The kernel's size ({@code r x r}: 3, 5 or 7), its taps, the gradient's tile ({@code tile x tile}: 4, 2, 2), the transform's size and points. */
        final int r, taps, tile, alpha, xi;
        final int wp, hp, plane, gw, gh, gplane, tiles, blocks;
        final int[] off;
        float[] xb, gb;
        /**
         * With sums too big for a copy per worker ({@link #byOutRows}): every tile transformed once into {@code vAll} and
         * {@code gAll}, then blocks of {@code orows} output channels, each summing its rows of M over all tiles in one GEMM
         * per transformed point and transforming them back ({@link #outRows}).
         */
        final boolean byOut;
        final int orows;
        /**
         * By blocks of tiles (not {@link #byOut}), each block copies only the input and gradient rows its tiles read into
         * buffers of its thread ({@link Winograd#copyTileRows}): up to {@link #segments} images, {@link #segPlane} and
         * {@link #segGPlane} floats per block of channels.
         */
        final int segments, segPlane, segGPlane;
        /**
         * Floats from one transformed point's block of tiles to the next in the transformed input ({@code tb x cpad}) and
         * gradient ({@code tb x opad}): one vector more when that is a multiple of 4 KB, so that a transform's 36 stores do
         * not all fall in one set of the L1 cache (64 tiles of 64 channels are 16 KB).
         */
        final int vPoint, gPoint;
        /** Whether blocks copy their own rows: when those copies are within {@link #localCopyFloats}. */
        final boolean local;
        float[] vAll, gAll;

        Job(Kernels kern, ConvPlan p, int group, float[] x, float[] g) {
            this.kern = kern; this.x = x; this.g = g; this.group = group;
            lanes = kern.lanes();
            gk = kern instanceof GemmKernels gm ? gm : null;
            cAll = p.channels();
            oAll = p.outChannels();
            c = p.kernelChannels();
            cb = (c + lanes - 1) / lanes;
            cpad = cb * lanes;
            o = oAll / p.featureGroups();
            ob = (o + lanes - 1) / lanes;
            opad = ob * lanes;
            batch = p.batch();
            int[] in = p.spatial(), q = p.outSize(), lo = p.padLow();
            h = in[0]; wd = in[1]; q0 = q[0]; q1 = q[1];
            lo0 = lo[0]; lo1 = lo[1];
            r = p.kernelSize()[0];
            taps = r * r;
            tile = Winograd.tile(r);
            alpha = Winograd.alpha(r);
            xi = alpha * alpha;
            th = (q0 + tile - 1) / tile;
            tw = (q1 + tile - 1) / tile;
            wp = tw * tile + r - 1;
            hp = th * tile + r - 1;
            plane = hp * wp * lanes;
            gw = tw * tile;
            gh = th * tile;
            gplane = gh * gw * lanes;
            // GEMM tile over (output channel rows) x (input channel vectors)
            int v = 4;
            while (cb % v != 0) v--;
            nv = v;
            int m = 8;
            while (!kern.hasGemm(m, nv)) m--;
            mr = m;
            // blocks of at most 64 tiles (32, see maxBlockTiles), as many for every worker (49 blocks of 64 left one of two
            // workers 25, the other 24)
            tiles = batch * th * tw;
            int workers = Math.max(1, ShiftedConv.threadsFor((long) xi * cpad * opad * tiles));
            int most = maxBlockTiles(cpad, opad);
            blocks = Math.min(tiles, ((tiles + most - 1) / most + workers - 1) / workers * workers);
            tb = (tiles + blocks - 1) / blocks;
            byOut = byOutRows(xi, cpad, opad, tiles);
            orows = (64 + mr - 1) / mr * mr;
            off = new int[byOut ? tiles : tb];
            for (int t = 0; t < off.length; t++) off[t] = t * cpad;
            int rowsT = Winograd.tileRowsFor(tb, th, tw);
            segments = Winograd.segmentsFor(tb, th * tw, batch);
            segPlane = (rowsT * tile + r - 1) * wp * lanes;
            segGPlane = rowsT * tile * gw * lanes;
            vPoint = Winograd.pointStride(tb * cpad, lanes);
            gPoint = Winograd.pointStride(tb * opad, lanes);
            local = !byOut && (long) segments * (cb * segPlane + ob * segGPlane) <= localCopyFloats;
        }

        /**
         * The most floats of a block's own copies of the input and gradient rows. Beyond, with the block's transformed tiles and
         * the worker's sums beside them, they outgrow the L2 cache, and one copy of the whole input and gradient first is faster:
         * 8x64x56x56 -> 64 (364K floats) 1.12x the time with copies per block, 8x128x28x28 -> 256 1.03x; under the line
         * 64x32x28x28 -> 32 (161K) 0.85x, 64x64x14x14 -> 64 0.93x, 64x64x7x7 -> 64 0.89x, 256x32x4x4 -> 64 0.72x (2026-11-26, two
         * threads, one-JVM A/B).
         */
        static long localCopyFloats = 256 << 10;

        /**
         * Most tiles per block: 64, or 32 when with 64 one transformed point's tiles and gradient ({@code 64 * (C + O)} floats)
         * and its sums ({@code C * O}, at most 4096) are above 8192 floats (32 kB, two thirds of the L1 cache), so that they
         * stay in the L1 cache through the point's GEMM. Measured 2026-11-26 on the Xeon (one-JVM A/B both orders): 64x64x14x14
         * -> 64 0.89-0.92x the time with 32, 64x64x7x7 -> 64 0.80-0.88x, 8x64x56x56 -> 64 0.96-0.99x; 64x32x28x28 -> 32 (5120
         * floats) 1.09-1.13x, so it keeps 64.
         */
        static int maxBlockTiles(int cpad, int opad) {
            return cpad * opad <= 4096 && 64 * (cpad + opad) + cpad * opad > 8192 ? 32 : 64;
        }

        /**
         * Whether to run by blocks of output channels: the sums M ({@code xi * O * C} floats, one copy per worker otherwise,
         * cleared, added to per block of tiles, then summed) above 2M floats, and the transformed input and gradient of all
         * tiles ({@code xi * tiles * (C + O)}) within 10M floats. Measured 2026-11-25 on two threads (the two ways alternating,
         * medians of three): 8x512x7x7 -> 512 7.8 against 18.6 ms, 8x256x14x14 -> 256 5.2 / 7.9, 16x512x7x7 -> 512 13.2 / 22.1,
         * 32x512x7x7 -> 512 24.6 / 38.1, 64x512x7x7 -> 512 (9.4M floats of transformed tiles) 42.5 / 52.6, 8x256x28x28 -> 256
         * 19.2 / 21.1, 32x256x14x14 -> 256 22.3 / 23.5.
         */
        static boolean byOutRows(int xi, int cpad, int opad, int tiles) {
            return (long) xi * cpad * opad > (2L << 20) && (long) xi * tiles * (cpad + opad) <= (10L << 20);
        }

        void run(float[] dw) {
            long work = (long) xi * cpad * opad * tiles;
            int threads = ShiftedConv.threadsFor(work);
            int rowsPad = (opad + mr - 1) / mr * mr;
            if (!local) {
                xb = Scratch.floats(Scratch.SRC, batch * cb * plane);
                gb = Scratch.floats(Scratch.AUX, batch * ob * gplane);
                Threads.parallelFor(batch * cb, threads, this::blockInput);
                Threads.parallelFor(batch * ob, threads, this::blockGrad);
            }
            if (byOut) {
                vAll = Scratch.floats(Scratch.PART, xi * tiles * cpad);
                gAll = Scratch.floats(Scratch.PACK, xi * tiles * opad + mr * lanes);
                java.util.Arrays.fill(gAll, xi * tiles * opad, xi * tiles * opad + mr * lanes, 0f);
                int chunk = 4;
                Threads.parallelFor((tiles + chunk - 1) / chunk, threads, i -> {
                    float[] tmp = Scratch.floats(Scratch.TILE, 2 * xi * lanes);
                    for (int t = i * chunk; t < Math.min(tiles, i * chunk + chunk); t++) transformTile(t, tmp, vAll, t * cpad, tiles * cpad, gAll, t * opad, tiles * opad);
                });
                Threads.parallelFor((rowsPad + orows - 1) / orows, threads, bi -> outRows(bi, rowsPad, dw));
                return;
            }
            int workers = Math.max(1, Math.min(threads, blocks));
            int part = xi * rowsPad * cpad;
            float[] partials = Scratch.floats(Scratch.PART, workers * part);
            Threads.parallelFor(workers, workers, wk -> {
                java.util.Arrays.fill(partials, wk * part, (wk + 1) * part, 0f);
                for (int b = wk; b < blocks; b += workers) block(b, partials, wk * part, rowsPad);
            });
            // the sums and the inverse transform per output channel on every thread (on the calling thread alone, with the
            // partials cleared there too, they took 10% of 32x512x7x7 -> 512 on two threads: 33.8 -> 30.5 ms)
            Threads.parallelFor(o, threads, oc -> output(oc, partials, part, workers, rowsPad, dw));
        }

        /**
         * Output channel {@code oc} of the kernel gradient: the workers' partial sums of its rows added into the first
         * worker's, in worker order, then {@code dW[oc][c] = A^T (sum) A}, 16 input channels at a time.
         */
        private void output(int oc, float[] partials, int part, int workers, int rowsPad, float[] dw) {
            for (int wk = 1; wk < workers; wk++) {
                for (int e = 0; e < xi; e++) {
                    int r = (e * rowsPad + oc) * cpad, src = wk * part + r;
                    for (int i = 0; i < cpad; i++) partials[r + i] += partials[src + i];
                }
            }
            float[] tmp = Scratch.floats(Scratch.TILE, 56 * lanes);
            float[] y = Scratch.floats(Scratch.OUT, taps * lanes);
            transformBack(partials, oc * cpad, rowsPad * cpad, oc, tmp, y, dw);
        }

        /**
         * Tile {@code t}: its input patch transformed into {@code v[vOff + ..]} (transformed point xi at {@code + xi*vStride}), its
         * gradient tile into {@code gt[gOff + ..]} likewise, every channel block.
         */
        private void transformTile(int t, float[] tmp, float[] v, int vOff, int vStride, float[] gt, int gOff, int gStride) {
            int xBase = Winograd.tileStart(t, th, tw, tile, wp, cb * plane, lanes), gBase = Winograd.tileStart(t, th, tw, tile, gw, ob * gplane, lanes);
            transformPatches(xb, xBase, plane, gb, gBase, gplane, tmp, v, vOff, vStride, gt, gOff, gStride);
        }

        /**
         * A tile's input patch at {@code xs[xBase ..]} (channel blocks {@code xStride} apart) transformed into {@code v[vOff + ..]},
         * its gradient tile at {@code gs[gBase ..]} ({@code gStrideBlocks} apart) into {@code gt[gOff + ..]}.
         */
        private void transformPatches(float[] xs, int xBase, int xStride, float[] gs, int gBase, int gStrideBlocks, float[] tmp, float[] v, int vOff,
                                      int vStride, float[] gt, int gOff, int gStride) {
            for (int kc = 0; kc < cb; kc++) Winograd.inputTransform(kern, alpha, xs, xBase + kc * xStride, wp * lanes, tmp, v, vOff + kc * lanes, vStride);
            for (int ko = 0; ko < ob; ko++) {
                if (r == 3) kern.wino34Grad(gs, gBase + ko * gStrideBlocks, gw * lanes, tmp, gt, gOff + ko * lanes, gStride);
                else if (r == 5) kern.wino52Grad(gs, gBase + ko * gStrideBlocks, gw * lanes, tmp, gt, gOff + ko * lanes, gStride);
                else kern.wino72Grad(gs, gBase + ko * gStrideBlocks, gw * lanes, tmp, gt, gOff + ko * lanes, gStride);
            }
        }

        /** Output channel rows {@code [bi*orows, ..)}: M's rows summed over all tiles, then transformed back into {@code dw}. */
        private void outRows(int bi, int rowsPad, float[] dw) {
            int o0 = bi * orows, o1 = Math.min(rowsPad, o0 + orows);
            // the points' sums a vector further apart than their size: the back transform reads one row of every point, and
            // with 64 x 512 floats apart those were 36 loads in one set of the L1 and L2 caches (its column and row transforms
            // then took 30% of 8x512x7x7 -> 512 on two threads)
            int mE = orows * cpad + lanes;
            float[] m = Scratch.floats(Scratch.GRAD, xi * mE);
            for (int e = 0; e < xi; e++) {
                for (int r0 = o0; r0 < o1; r0 += mr) {
                    for (int cv = 0; cv < cb; cv += nv) {
                        kern.gemm(mr, nv, gAll, e * tiles * opad + r0, opad, tiles, vAll, e * tiles * cpad + cv * lanes, off, 0, m, e * mE + (r0 - o0) * cpad + cv * lanes, cpad);
                    }
                }
            }
            float[] tmp = Scratch.floats(Scratch.TILE, 56 * lanes);
            float[] y = Scratch.floats(Scratch.OUT, taps * lanes);
            for (int oc = o0; oc < Math.min(o, o1); oc++) transformBack(m, (oc - o0) * cpad, mE, oc, tmp, y, dw);
        }

        /**
         * {@code dW[oc][c] = A^T M A} for the sums of output channel {@code oc} at {@code m[mOff + e*mStride + c]}, 16 input
         * channels at a time (each element of {@code dw} is written once, by this). A whole block of channels is one
         * {@code [taps][16]} to {@code [16][taps]} block transpose straight into {@code dw} (element by element, the loads of
         * single floats from the transform's vector stores took 15% of 8x512x7x7 -> 512's kernel gradient on one thread).
         */
        private void transformBack(float[] m, int mOff, int mStride, int oc, float[] tmp, float[] y, float[] dw) {
            for (int k = 0; k < cb; k++) {
                if (r == 3) kern.wino34Out(m, mOff + k * lanes, mStride, tmp, y);
                else if (r == 5) kern.wino52Out(m, mOff + k * lanes, mStride, tmp, y);
                else kern.wino72Out(m, mOff + k * lanes, mStride, tmp, y);
                int chans = Math.min(lanes, c - k * lanes), d0 = ((group * o + oc) * c + k * lanes) * taps;
                if (gk != null && chans == lanes) {
                    for (int t0 = 0; t0 < taps; t0 += lanes) gk.transpose(y, t0 * lanes, lanes, Math.min(lanes, taps - t0), dw, d0 + t0, taps, lanes, 0);
                } else {
                    for (int l = 0; l < chans; l++) for (int t = 0; t < taps; t++) dw[d0 + l * taps + t] = y[t * lanes + l];
                }
            }
        }

        /** Image and 16-channel block {@code idx} of the input, zero padded: {@code [n][cb][hp][wp][16]}. */
        private void blockInput(int idx) {
            int n = idx / cb, k = idx % cb;
            ChannelBlocks.copy(kern, gk, x, (n * cAll + group * c + k * lanes) * h * wd, h * wd, Math.min(lanes, c - k * lanes), h, wd, xb, idx * plane, hp, wp, lo0, lo1);
        }

        /** Image and 16-channel block {@code idx} of the output gradient, zero past the output: {@code [n][ob][gh][gw][16]}. */
        private void blockGrad(int idx) {
            int n = idx / ob, k = idx % ob;
            ChannelBlocks.copy(kern, gk, g, (n * oAll + group * o + k * lanes) * q0 * q1, q0 * q1, Math.min(lanes, o - k * lanes), q0, q1, gb, idx * gplane, gh, gw, 0, 0);
        }

        private void block(int b, float[] partials, int partBase, int rowsPad) {
            int t0 = b * tb, count = Math.min(tb, tiles - t0);
            if (count <= 0) return;
            float[] v = Scratch.floats(Scratch.GRAD, xi * vPoint);
            float[] gt = Scratch.floats(Scratch.OUT, xi * gPoint + mr * lanes);
            float[] tmp = Scratch.floats(Scratch.PACK, 2 * xi * lanes);
            if (local) {
                // the rows this block's tiles read, channel-blocked into this thread's buffers (read back from the L2 cache)
                float[] xl = Scratch.floats(Scratch.SRC, segments * cb * segPlane), gl = Scratch.floats(Scratch.AUX, segments * ob * segGPlane);
                int[] xBase = Scratch.ints(Scratch.SRC, tb), gBase = Scratch.ints(Scratch.AUX, tb);
                Winograd.copyTileRows(kern, gk, t0, count, th, tw, tile, alpha, x, cAll * h * wd, group * c * h * wd, c, h, wd, lo0, lo1, wp, segPlane, xl, xBase);
                Winograd.copyTileRows(kern, gk, t0, count, th, tw, tile, tile, g, oAll * q0 * q1, group * o * q0 * q1, o, q0, q1, 0, 0, gw, segGPlane, gl, gBase);
                for (int k = 0; k < count; k++) transformPatches(xl, xBase[k], segPlane, gl, gBase[k], segGPlane, tmp, v, k * cpad, vPoint, gt, k * opad, gPoint);
            } else {
                for (int k = 0; k < count; k++) transformTile(t0 + k, tmp, v, k * cpad, vPoint, gt, k * opad, gPoint);
            }
            // tiles past count: zero gradient rows, so they add nothing
            for (int e = 0; e < xi; e++) java.util.Arrays.fill(gt, e * gPoint + count * opad, e * gPoint + tb * opad, 0f);
            // M[xi] (+)= Gt[xi]^T V[xi], added straight into this worker's partial sums
            float[] mblk = gk == null ? Scratch.floats(Scratch.TILE, xi * rowsPad * cpad) : partials;
            int mBase = gk == null ? 0 : partBase;
            for (int e = 0; e < xi; e++) {
                for (int r0 = 0; r0 < opad; r0 += mr) {
                    for (int cv = 0; cv < cb; cv += nv) {
                        int at = mBase + (e * rowsPad + r0) * cpad + cv * lanes;
                        if (gk != null) gk.gemmAdd(mr, nv, gt, e * gPoint + r0, opad, tb, v, e * vPoint + cv * lanes, off, 0, mblk, at, cpad);
                        else kern.gemm(mr, nv, gt, e * gPoint + r0, opad, tb, v, e * vPoint + cv * lanes, off, 0, mblk, at, cpad);
                    }
                }
            }
            if (gk == null) {
                int n = xi * rowsPad * cpad;
                for (int i = 0; i < n; i++) partials[partBase + i] += mblk[i];
            }
        }
    }
}
