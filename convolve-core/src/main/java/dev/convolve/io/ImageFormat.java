package dev.convolve.io;

import java.nio.file.Path;
import java.util.Locale;

/** The image file formats {@link Images} reads and writes through {@code javax.imageio}. */
public enum ImageFormat {
    /** Lossless; grey, RGB and RGBA. */
    PNG("png"),
    /** Lossy with a quality from 1 to 100; grey and RGB (no alpha). */
    JPEG("jpeg"),
    /** Uncompressed; grey and RGB (no alpha). */
    BMP("bmp"),
    /** At most 256 colours (RGB images are quantised to a palette); binary transparency. */
    GIF("gif");

    private final String imageIoName;

    ImageFormat(String imageIoName) { this.imageIoName = imageIoName; }

    /** The format name {@code javax.imageio} knows it by. */
    public String imageIoName() { return imageIoName; }

    /** The usual file extension, without the dot. */
    public String extension() { return this == JPEG ? "jpg" : imageIoName; }

    /**
     * The format a file name asks for, from its extension ({@code .png}, {@code .jpg}/{@code .jpeg}, {@code .bmp},
     * {@code .gif}, any case).
     *
     * @throws IllegalArgumentException when the extension is missing or not one of these
     */
    public static ImageFormat fromPath(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("image: cannot tell the format of '" + file + "' without an extension (use .png, .jpg, .bmp or .gif)");
        }
        try {
            return parse(name.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image: unknown extension of '" + file + "' (use .png, .jpg, .bmp or .gif)");
        }
    }

    /** Parses {@code png}, {@code jpg}/{@code jpeg}, {@code bmp} or {@code gif} (any case). */
    public static ImageFormat parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "png" -> PNG;
            case "jpg", "jpeg" -> JPEG;
            case "bmp" -> BMP;
            case "gif" -> GIF;
            default -> throw new IllegalArgumentException("image: unknown format '" + name + "', expected png, jpeg, bmp or gif");
        };
    }
}
