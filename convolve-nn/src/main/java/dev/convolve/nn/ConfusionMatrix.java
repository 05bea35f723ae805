package dev.convolve.nn;

/** Counts of (true class, predicted class) pairs; rows are true classes, columns predictions. */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 1) throw new IllegalArgumentException("confusion matrix: needs at least one class, got " + classes);
        counts = new long[classes][classes];
    }

    /**
     * Adds pairs.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a class is out of range
     */
    public void add(int[] labels, int[] predicted) {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException("confusion matrix: " + labels.length + " labels but " + predicted.length + " predictions");
        }
        int k = counts.length;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("confusion matrix: class out of range [0, " + k + ") at position " + i + ": label " + labels[i] + ", predicted " + predicted[i]);
            }
            counts[labels[i]][predicted[i]]++;
        }
    }

    public int classes() { return counts.length; }

    public long count(int trueClass, int predictedClass) { return counts[trueClass][predictedClass]; }

    public long total() {
        long t = 0;
        for (long[] r : counts) for (long v : r) t += v;
        return t;
    }

    /** Fraction on the diagonal. */
    public double accuracy() {
        long d = 0;
        for (int i = 0; i < counts.length; i++) d += counts[i][i];
        long t = total();
        return t == 0 ? 0 : (double) d / t;
    }

    /** Recall of one class (diagonal over the row). */
    public double recall(int c) {
        long row = 0;
        for (long v : counts[c]) row += v;
        return row == 0 ? 0 : (double) counts[c][c] / row;
    }

    /** The matrix as a table with class labels, rows = true class. */
    public String format(String[] names) {
        int k = counts.length;
        int w = 6;
        for (long[] r : counts) for (long v : r) w = Math.max(w, Long.toString(v).length() + 1);
        int nw = 10;
        if (names != null) for (String s : names) nw = Math.max(nw, s.length());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + nw + "s", "true\\pred"));
        for (int j = 0; j < k; j++) sb.append(String.format("%" + w + "s", j));
        sb.append(System.lineSeparator());
        for (int i = 0; i < k; i++) {
            sb.append(String.format("%-" + nw + "s", names == null ? Integer.toString(i) : names[i]));
            for (int j = 0; j < k; j++) sb.append(String.format("%" + w + "d", counts[i][j]));
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
