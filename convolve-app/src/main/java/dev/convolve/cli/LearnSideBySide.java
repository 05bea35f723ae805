package dev.convolve.cli;

import dev.convolve.tensor.Tensor;

/** Prints a learned kernel beside the true one, row by row. */
final class LearnSideBySide {
    private LearnSideBySide() {}

    static String format(Tensor learned, Tensor truth) {
        int rows = learned.dim(0), cols = learned.dim(1);
        StringBuilder sb = new StringBuilder();
        int w = cols * 9 + 2;
        sb.append(String.format("  %-" + w + "s   %s%n", "learned", "true"));
        for (int r = 0; r < rows; r++) {
            StringBuilder a = new StringBuilder("["), b = new StringBuilder("[");
            for (int c = 0; c < cols; c++) {
                a.append(String.format("%8.4f", learned.get(r, c))).append(c + 1 < cols ? " " : "");
                b.append(String.format("%4.0f", truth.get(r, c))).append(c + 1 < cols ? " " : "");
            }
            sb.append(String.format("  %-" + w + "s   %s%n", a.append(']'), b.append(']')));
        }
        return sb.toString();
    }
}
