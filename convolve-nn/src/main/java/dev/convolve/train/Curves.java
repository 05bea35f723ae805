package dev.convolve.train;

import dev.convolve.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the loss and accuracy curves of a run as a PNG (two panels: train/test loss and train/test accuracy per
 * epoch), with java.awt in headless mode, written atomically.
 */
public final class Curves {
    private Curves() {}

    private static final int W = 960, H = 420, PANEL = W / 2;
    private static final Color TRAIN = new Color(0x1f77b4), TEST = new Color(0xd62728);

    /** Renders the curves of {@code history} to {@code file}. */
    public static void write(Path file, String title, List<EpochStats> history) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = render(title, history);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        AtomicFiles.write(file, out.toByteArray());
    }

    static BufferedImage render(String title, List<EpochStats> h) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 16, 20);
        panel(g, 0, "loss", h, EpochStats::trainLoss, EpochStats::testLoss, false);
        panel(g, PANEL, "accuracy", h, EpochStats::trainAccuracy, EpochStats::testAccuracy, true);
        g.dispose();
        return img;
    }

    private static void panel(Graphics2D g, int x0, String name, List<EpochStats> h, ToDoubleFunction<EpochStats> train,
                              ToDoubleFunction<EpochStats> test, boolean accuracy) {
        int left = x0 + 60, right = x0 + PANEL - 20, top = 56, bottom = H - 50;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (EpochStats e : h) {
            for (double v : new double[] {train.applyAsDouble(e), test.applyAsDouble(e)}) {
                if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            }
        }
        if (!(lo <= hi)) { lo = 0; hi = 1; }
        if (accuracy) hi = Math.min(1, hi + 0.002);
        if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(left, top, right - left, bottom - top);
        g.setColor(Color.GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = bottom - (int) Math.round((bottom - top) * i / 4.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, right - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(accuracy ? String.format("%.2f%%", 100 * v) : String.format("%.3f", v), x0 + 4, y + 4);
        }
        int n = h.size();
        for (int i = 0; i < n; i++) {
            int x = xAt(i, n, left, right);
            g.drawString(Integer.toString(h.get(i).epoch()), x - 4, bottom + 16);
        }
        g.drawString("epoch", (left + right) / 2 - 14, bottom + 34);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.setColor(Color.BLACK);
        g.drawString(name, left, top - 8);
        series(g, h, train, TRAIN, left, right, top, bottom, lo, hi);
        series(g, h, test, TEST, left, right, top, bottom, lo, hi);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(TRAIN);
        g.drawString("train", right - 90, top - 8);
        g.setColor(TEST);
        g.drawString("test", right - 40, top - 8);
    }

    private static int xAt(int i, int n, int left, int right) {
        return n <= 1 ? (left + right) / 2 : left + 10 + (int) Math.round((right - left - 20) * (double) i / (n - 1));
    }

    private static void series(Graphics2D g, List<EpochStats> h, ToDoubleFunction<EpochStats> f, Color c, int left, int right, int top, int bottom,
                               double lo, double hi) {
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        int n = h.size();
        int px = -1, py = -1;
        for (int i = 0; i < n; i++) {
            double v = f.applyAsDouble(h.get(i));
            if (!Double.isFinite(v)) continue;
            int x = xAt(i, n, left, right);
            int y = bottom - (int) Math.round((bottom - top) * (v - lo) / (hi - lo));
            g.fillOval(x - 3, y - 3, 6, 6);
            if (px >= 0) g.drawLine(px, py, x, y);
            px = x;
            py = y;
        }
        g.setStroke(new BasicStroke(1f));
    }
}
