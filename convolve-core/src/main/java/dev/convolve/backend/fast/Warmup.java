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
        float[] a = new float[8 * 64], b = new float[4096], c = new float[4096];
        int[] off = new int[64];
        for (int i = 0; i < off.length; i++) off[i] = i * 7;
        int[] rows = new int[32];
        for (int i = 0; i < rows.length; i++) rows[i] = i * 64;
        int[] tiles = k.dotTiles();
        for (int rep = 0; rep < 12_000; rep++) {
            for (int mr = 1; mr <= 8; mr++) {
                for (int nv = 1; nv <= 8; nv++) if (k.hasGemm(mr, nv)) k.gemm(mr, nv, a, 0, mr, 16, b, 0, off, 0, c, 0, 8 * l, (rep & 1) == 0);
            }
            for (int nv = 1; nv <= 4; nv++) k.bcast(nv, b, rows, 0, 0, 8, a, 0, 4 * l, c, 0, 4 * l);
            for (int i = 0; i < tiles.length; i += 2) k.dot(tiles[i], tiles[i + 1], b, rows, 0, 0, c, rows, 0, 0, 2 * l, a, 0, 16);
            if ((rep & 3) == 0) {
                k.windowMax(b, 0, off, 4, c, 0, 4 * l, 0f);
                k.windowMin(b, 0, off, 4, c, 0, 4 * l, 0f);
                k.windowSum(b, 0, off, 4, c, 0, 4 * l, 0f);
                k.deinterleave(b, 0, 3 * l, c, 0, 1024);
            }
        }
    }
}
