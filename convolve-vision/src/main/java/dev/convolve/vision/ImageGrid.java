package dev.convolve.vision;

import dev.convolve.io.ImageBuffers;
import dev.convolve.io.ImageInterpolation;
import dev.convolve.io.Images;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of pictures with captions, drawn into one RGB image (fast.ai's {@code show_images}): rows of cells, each
 * cell a picture scaled (nearest neighbour when enlarging, keeping its aspect) to fit a square of {@code cellSize}
 * pixels, with an optional caption under it; a row is as tall as its tallest picture. Pictures are u8 images or maps of any values (shown with {@link Features#display}).
 * Drawn with {@code java.awt} in headless mode.
 *
 * {@snippet :
 * ImageGrid g = new ImageGrid(112);
 * g.add(0, Features.kernelPicture(Kernels.named("top-edge"), 16), "top-edge");
 * g.add(1, featureMap, "digit 0");
 * Tensor rgb = g.render();   // u8[h][w][3]
 * }
 */
public final class ImageGrid {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private record Cell(Tensor picture, String caption) {}

    private final int cellSize;
    private final List<List<Cell>> rows = new ArrayList<>();

    /**
     * An empty grid whose cells are {@code cellSize} pixels square.
     *
     * @throws IllegalArgumentException unless 8 <= cellSize <= 2048
     */
    public ImageGrid(int cellSize) {
        if (cellSize < 8 || cellSize > 2048) throw new IllegalArgumentException("grid: cell size must be between 8 and 2048 pixels, got " + cellSize);
        this.cellSize = cellSize;
    }

    /** Adds a picture at the end of row {@code row} (rows are created as needed); caption may be null. */
    public ImageGrid add(int row, Tensor picture, String caption) {
        if (row < 0) throw new IllegalArgumentException("grid: row must be non-negative, got " + row);
        while (rows.size() <= row) rows.add(new ArrayList<>());
        rows.get(row).add(new Cell(Features.display(picture), caption));
        return this;
    }

    /** Adds an empty cell at the end of row {@code row} (with an optional caption). */
    public ImageGrid addBlank(int row, String caption) {
        if (row < 0) throw new IllegalArgumentException("grid: row must be non-negative, got " + row);
        while (rows.size() <= row) rows.add(new ArrayList<>());
        rows.get(row).add(new Cell(null, caption));
        return this;
    }

    /** Number of rows. */
    public int rows() { return rows.size(); }

    /**
     * Draws the grid: white background, 8 pixels between cells, captions in 12-point text (left out when this
     * runtime has no fonts).
     *
     * @throws IllegalArgumentException when the grid is empty
     */
    public Tensor render() {
        if (rows.isEmpty()) throw new IllegalArgumentException("grid: nothing to draw");
        int gap = 8;
        boolean captions = rows.stream().flatMap(List::stream).anyMatch(c -> c.caption() != null && !c.caption().isEmpty());
        int captionHeight = captions ? 18 : 0;
        int cols = rows.stream().mapToInt(List::size).max().orElse(1);
        // Each picture fits a cellSize square keeping its aspect; a row is as tall as its tallest picture.
        List<List<Tensor>> fitted = new ArrayList<>();
        int[] rowHeight = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            List<Tensor> f = new ArrayList<>();
            for (Cell cell : rows.get(r)) {
                Tensor pic = cell.picture() == null ? null : fit(cell.picture());
                f.add(pic);
                rowHeight[r] = Math.max(rowHeight[r], pic == null ? 0 : pic.dim(0));
            }
            if (rowHeight[r] == 0) rowHeight[r] = Math.min(cellSize, 24);
            fitted.add(f);
        }
        int width = gap + cols * (cellSize + gap);
        int height = gap;
        for (int h : rowHeight) height += h + captionHeight + gap;
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = gap;
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Cell cell = rows.get(r).get(c);
                    Tensor pic = fitted.get(r).get(c);
                    int x = gap + c * (cellSize + gap);
                    if (pic != null) {
                        int px = x + (cellSize - pic.dim(1)) / 2, py = y + (rowHeight[r] - pic.dim(0)) / 2;
                        g.drawImage(ImageBuffers.toBufferedImage(pic), px, py, null);
                    }
                    if (captions && cell.caption() != null) caption(g, cell.caption(), x, y + rowHeight[r] + 14);
                }
                y += rowHeight[r] + captionHeight + gap;
            }
        } finally {
            g.dispose();
        }
        return ImageBuffers.toTensor(canvas);
    }

    private void caption(Graphics2D g, String text, int x, int baseline) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.DARK_GRAY);
            String t = text;
            while (t.length() > 1 && g.getFontMetrics().stringWidth(t) > cellSize) t = t.substring(0, t.length() - 1);
            g.drawString(t, x + Math.max(0, (cellSize - g.getFontMetrics().stringWidth(t)) / 2), baseline);
        } catch (Error | RuntimeException e) {
            // A runtime without fonts (fontconfig missing) cannot draw text: the picture stays useful without it.
        }
    }

    /** The picture scaled to fit the cell, keeping its aspect ratio; grey becomes RGB. */
    private Tensor fit(Tensor pic) {
        int h = pic.dim(0), w = pic.dim(1);
        double s = Math.min((double) cellSize / h, (double) cellSize / w);
        int nh = Math.max(1, (int) Math.round(h * s)), nw = Math.max(1, (int) Math.round(w * s));
        Tensor scaled = nh == h && nw == w ? pic : Images.resize(pic, nh, nw, s >= 1 ? ImageInterpolation.NEAREST : ImageInterpolation.BILINEAR);
        int c = scaled.dim(2);
        if (c == 3) return scaled;
        byte[] src = (byte[]) scaled.data();
        byte[] rgb = new byte[nh * nw * 3];
        for (int p = 0; p < nh * nw; p++) {
            for (int k = 0; k < 3; k++) rgb[p * 3 + k] = c == 1 ? src[p] : src[p * c + k];
        }
        return Tensor.wrap(DType.U8, Shape.of(nh, nw, 3), rgb);
    }
}
