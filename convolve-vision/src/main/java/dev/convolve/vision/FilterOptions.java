package dev.convolve.vision;

/**
 * How {@link Filters} applies a kernel: the stride (the same on both axes), the padding and the border.
 * Defaults: stride 1, {@link FilterPadding#SAME}, {@link BorderMode#REFLECT} (as OpenCV's filters).
 *
 * @param stride  step between output pixels, in input pixels (1 or more)
 * @param padding {@link FilterPadding#SAME} or {@link FilterPadding#VALID}
 * @param border  what lies beyond the edges (used by {@code SAME} only)
 */
public record FilterOptions(int stride, FilterPadding padding, BorderMode border) {
    public FilterOptions {
        if (stride < 1) throw new IllegalArgumentException("filter: stride must be at least 1, got " + stride);
        if (padding == null) padding = FilterPadding.SAME;
        if (border == null) border = BorderMode.REFLECT;
    }

    private static final FilterOptions DEFAULTS = new FilterOptions(1, FilterPadding.SAME, BorderMode.REFLECT);

    public static FilterOptions defaults() { return DEFAULTS; }

    public FilterOptions withStride(int s) { return new FilterOptions(s, padding, border); }

    public FilterOptions withPadding(FilterPadding p) { return new FilterOptions(stride, p, border); }

    public FilterOptions withBorder(BorderMode b) { return new FilterOptions(stride, padding, b); }

    /** Padding before the first pixel of an axis for a kernel of side {@code k}: {@code (k - 1) / 2} for SAME, else 0. */
    public int padBefore(int k) { return padding == FilterPadding.SAME ? (k - 1) / 2 : 0; }

    /** Padding after the last pixel: {@code k - 1 - (k - 1) / 2} for SAME, else 0. */
    public int padAfter(int k) { return padding == FilterPadding.SAME ? k - 1 - (k - 1) / 2 : 0; }

    /** Output size of an axis of {@code n} pixels for a kernel side {@code k}; 0 when a VALID kernel does not fit. */
    public int outputSize(int n, int k) {
        int span = n + padBefore(k) + padAfter(k) - k;
        return span < 0 ? 0 : span / stride + 1;
    }
}
