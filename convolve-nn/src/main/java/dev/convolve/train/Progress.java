package dev.convolve.train;

import java.io.PrintWriter;

/**
 * A one-line progress bar per epoch, redrawn in place ({@code \r}) at most every 100 ms:
 * {@code epoch 3/10 [=======>      ] 120/235 loss 0.1234 61234 img/s 0:02 left}.
 */
final class Progress {
    private final PrintWriter out;
    private final int epoch, epochs, batches;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int width;

    Progress(PrintWriter out, int epoch, int epochs, int batches) {
        this.out = out;
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
    }

    void update(int batch, double loss, long images, boolean force) {
        if (out == null) return;
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double secs = (now - start) / 1e9;
        double ips = secs > 0 ? images / secs : 0;
        double left = batch > 0 ? secs * (batches - batch) / batch : 0;
        int bar = 24, fill = batches == 0 ? bar : (int) ((long) bar * batch / batches);
        String line = String.format("epoch %d/%d [%s%s%s] %d/%d loss %.4f %.0f img/s %s left", epoch, epochs,
                "=".repeat(Math.max(0, fill - 1)), fill > 0 ? (fill == bar ? "=" : ">") : "", " ".repeat(bar - fill), batch, batches, loss, ips, clock(left));
        int pad = Math.max(0, width - line.length());
        width = line.length();
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
    }

    void finish() {
        if (out == null) return;
        out.print("\r" + " ".repeat(width) + "\r");
        out.flush();
    }

    static String clock(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }
}
