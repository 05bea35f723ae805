package dev.convolve.vision;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A 2-D filter kernel: {@code rows x cols} weights in double precision, applied as a cross-correlation (not
 * flipped, as Nx's {@code conv}, OpenCV's {@code filter2D} and every deep learning library do). Immutable.
 *
 * <p>{@link #separable()} finds whether the kernel is an outer product {@code column x row} (Gaussian, box, Sobel,
 * ...), in which case filters apply it as two 1-D passes.
 */
public final class Kernel {
    private final String name;
    private final int rows, cols;
    private final double[] weights;
    private final Separable separable;

    /** The factors of a separable kernel: {@code k[a][b] = column[a] * row[b]}. */
    public record Separable(double[] column, double[] row) {
        public Separable {
            column = column.clone();
            row = row.clone();
        }

        @Override public double[] column() { return column.clone(); }

        @Override public double[] row() { return row.clone(); }
    }

    /** Largest kernel side accepted. */
    public static final int MAX_SIDE = 255;

    /**
     * A kernel named {@code name} with {@code rows x cols} weights given row-major (copied).
     *
     * @throws IllegalArgumentException when a side is not in 1..{@value #MAX_SIDE}, the count does not match, or a
     *         weight is not finite
     */
    public Kernel(String name, int rows, int cols, double[] weights) {
        if (rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
            throw new IllegalArgumentException("kernel: sides must be between 1 and " + MAX_SIDE + ", got " + rows + "x" + cols);
        }
        if (weights.length != rows * cols) {
            throw new IllegalArgumentException("kernel: a " + rows + "x" + cols + " kernel needs " + rows * cols + " weights, got " + weights.length);
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) throw new IllegalArgumentException("kernel: weights must be finite numbers, got " + w + " in " + name);
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.weights = weights.clone();
        this.separable = factor(rows, cols, this.weights);
    }

    /** A kernel from a matrix {@code m[row][col]} (rows of equal length). */
    public static Kernel of(String name, double[][] m) {
        if (m.length == 0) throw new IllegalArgumentException("kernel: " + name + " has no rows");
        int c = m[0].length;
        double[] w = new double[m.length * c];
        for (int r = 0; r < m.length; r++) {
            if (m[r].length != c) {
                throw new IllegalArgumentException("kernel: every row must have the same length, but row 0 has " + c + " and row " + r + " has " + m[r].length);
            }
            System.arraycopy(m[r], 0, w, r * c, c);
        }
        return new Kernel(name, m.length, c, w);
    }

    public String name() { return name; }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** The weight at row {@code r}, column {@code c}. */
    public double get(int r, int c) { return weights[r * cols + c]; }

    /** All weights, row-major (a copy). */
    public double[] weights() { return weights.clone(); }

    /** Sum of the weights (1 for blurs, 0 for edge detectors). */
    public double sum() {
        double s = 0;
        for (double w : weights) s += w;
        return s;
    }

    /** The factors when the kernel is an outer product of a column and a row (within 1e-9 of its largest weight). */
    public Optional<Separable> separable() { return Optional.ofNullable(separable); }

    /** The same weights under another name. */
    public Kernel named(String newName) { return new Kernel(newName, rows, cols, weights); }

    /** The weights as a tensor {@code [rows][cols]} of {@code type} (f32 or f64). */
    public Tensor toTensor(DType type) {
        return Tensor.fromValues(type, weights, rows, cols);
    }

    /** The weights as {@code [1][1][rows][cols]} f32: a conv kernel with one output and one input channel. */
    public Tensor toConvKernel() {
        return Tensor.wrap(DType.F32, Shape.of(1, 1, rows, cols), toFloats());
    }

    /** The weights as floats, row-major. */
    public float[] toFloats() {
        float[] f = new float[weights.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) weights[i];
        return f;
    }

    /** The matrix as text, one row per line, columns aligned (integers without decimals). */
    public String matrixString() {
        String[] cells = new String[weights.length];
        int width = 0;
        for (int i = 0; i < weights.length; i++) {
            cells[i] = format(weights[i]);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            sb.append('[');
            for (int c = 0; c < cols; c++) {
                if (c > 0) sb.append(", ");
                sb.append(" ".repeat(width - cells[r * cols + c].length())).append(cells[r * cols + c]);
            }
            sb.append("]\n");
        }
        return sb.toString();
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) return s;
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /** The kernel as {@code name rows x cols}. */
    @Override
    public String toString() { return name + " " + rows + "x" + cols; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kernel k && k.rows == rows && k.cols == cols && Arrays.equals(k.weights, weights);
    }

    @Override
    public int hashCode() { return 31 * (31 * rows + cols) + Arrays.hashCode(weights); }

    /** Rank-1 test: pivot on the largest weight, rebuild the matrix from its row and column, compare. */
    private static Separable factor(int rows, int cols, double[] w) {
        int p = 0;
        for (int i = 1; i < w.length; i++) if (Math.abs(w[i]) > Math.abs(w[p])) p = i;
        double max = Math.abs(w[p]);
        if (max == 0) return new Separable(new double[rows], new double[cols]);
        int pr = p / cols, pc = p % cols;
        double[] column = new double[rows], row = new double[cols];
        for (int a = 0; a < rows; a++) column[a] = w[a * cols + pc];
        for (int b = 0; b < cols; b++) row[b] = w[pr * cols + b] / w[p];
        for (int a = 0; a < rows; a++) {
            for (int b = 0; b < cols; b++) {
                if (Math.abs(column[a] * row[b] - w[a * cols + b]) > 1e-9 * max) return null;
            }
        }
        return new Separable(column, row);
    }
}
