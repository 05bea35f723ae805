package dev.convolve.backend.fast;

/**
 * Compiles the micro-kernels ahead of use. Before C2 has compiled them, Vector API calls run as plain Java objects,
 * 10-100x slower than the compiled code, so the first real conv of a program would crawl; a daemon thread therefore
 * runs every tile shape a few thousand times on small buffers as soon as the backend is created.
 */
final class Warmup {
    private Warmup() {}

    private static volatile boolean started;

    static void start(Kernels k) {
        if (started || Boolean.getBoolean("convolve.nowarmup")) return;
        started = true;
        Thread t = new Thread(() -> run(k), "convolve-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run(Kernels k) {
        int l = k.lanes();
        float[] a = new float[8 * 64 * 8], b = new float[4096], c = new float[4096];
        int[] off = new int[64];
        for (int i = 0; i < off.length; i++) off[i] = i * 7;
        int[] rows = new int[32];
        for (int i = 0; i < rows.length; i++) rows[i] = i * 64;
        int[] tiles = k.dotTiles();
        // A few hundred calls with 64-step loops reach C2's thresholds; more would only keep a core busy (in the
        // interpreter the Vector API is slow), so only the tiles the engines use most are warmed.
        int[] idx = new int[l];
        float[] big = new float[8192];
        for (int rep = 0; rep < 400; rep++) {
            for (int mr = 1; mr <= 8; mr++) k.gemm(mr, k.gemmVectors(mr), a, 0, mr, 64, b, 0, off, 0, c, 0, 8 * l);
            k.gemm(6, 4, a, 0, 6, 64, b, 0, off, 0, c, 0, 4 * l);
            k.gemm(4, 4, a, 0, 4, 64, b, 0, off, 0, c, 0, 4 * l);
            k.wino4Input(big, 0, idx, 0, off, big, c, 0, 16);
            k.wino4Output(big, 0, 16, c, a);
            k.wino4Kernel(big, 0, 16, c, big, 4096, 16, 256);
            for (int nv = 1; nv <= 4; nv++) k.bcast(nv, b, rows, 0, 0, 8, a, 0, 4 * l, c, 0, 4 * l);
            for (int i = 0; i < tiles.length; i += 2) k.dot(tiles[i], tiles[i + 1], b, rows, 0, 0, c, rows, 0, 0, 8 * l, a, 0, 16);
            if ((rep & 3) == 0) {
                k.windowMax(b, 0, off, 4, c, 0, 4 * l, 0f);
                k.windowMin(b, 0, off, 4, c, 0, 4 * l, 0f);
                k.windowSum(b, 0, off, 4, c, 0, 4 * l, 0f);
                k.deinterleave(b, 0, 3 * l, c, 0, 1024);
                k.copy(b, 0, c, 0, 37);
                k.copyRows(b, 0, 40, c, 0, 50, 4, 14);
                k.deinterleaveRows(b, 0, 40, 4, 14, c, 0, 1024, 15);
            }
        }
    }
}
