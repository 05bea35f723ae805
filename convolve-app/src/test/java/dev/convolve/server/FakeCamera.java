package dev.convolve.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A y4m video for Chromium's fake camera ({@code --use-file-for-fake-video-capture}): 4:2:0 ({@code C420jpeg}), a
 * known picture of four coloured quadrants (red, green, blue, white) with a soft grey gradient band across the middle
 * so that blurs have something to blur.
 */
final class FakeCamera {
    private FakeCamera() {}

    /** The RGB colour the picture has at {@code (x, y)}. */
    static int[] rgb(int x, int y, int w, int h) {
        if (Math.abs(y - h / 2) < h / 10) {
            int g = 40 + 180 * x / (w - 1);
            return new int[] {g, g, g};
        }
        boolean left = x < w / 2, top = y < h / 2;
        if (top && left) return new int[] {220, 30, 30};
        if (top) return new int[] {30, 200, 40};
        if (left) return new int[] {40, 50, 220};
        return new int[] {235, 235, 235};
    }

    /** Writes {@code frames} identical frames of {@code w x h} (both even) at 30 frames per second. */
    static void write(Path file, int w, int h, int frames) throws IOException {
        byte[] y = new byte[w * h], u = new byte[w * h / 4], v = new byte[w * h / 4];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int[] c = rgb(i, j, w, h);
                y[j * w + i] = (byte) clamp(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
            }
        }
        for (int j = 0; j < h / 2; j++) {
            for (int i = 0; i < w / 2; i++) {
                int[] c = rgb(2 * i, 2 * j, w, h);
                u[j * (w / 2) + i] = (byte) clamp(128 - 0.168736 * c[0] - 0.331264 * c[1] + 0.5 * c[2]);
                v[j * (w / 2) + i] = (byte) clamp(128 + 0.5 * c[0] - 0.418688 * c[1] - 0.081312 * c[2]);
            }
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(("YUV4MPEG2 W" + w + " H" + h + " F30:1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
            for (int f = 0; f < frames; f++) {
                out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                out.write(y);
                out.write(u);
                out.write(v);
            }
        }
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
