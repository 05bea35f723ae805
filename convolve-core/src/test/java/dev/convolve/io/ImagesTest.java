package dev.convolve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir Path dir;

    static Tensor randomImage(long seed, int h, int w, int c) {
        byte[] b = new byte[h * w * c];
        new Random(seed).nextBytes(b);
        return Tensor.wrap(DType.U8, Shape.of(h, w, c), b);
    }

    /** A smooth picture (JPEG keeps it well). */
    static Tensor gradient(int h, int w) {
        byte[] b = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                b[p] = (byte) (x * 255 / (w - 1));
                b[p + 1] = (byte) (y * 255 / (h - 1));
                b[p + 2] = (byte) 128;
            }
        }
        return Tensor.wrap(DType.U8, Shape.of(h, w, 3), b);
    }

    @Test
    void losslessFormatsRoundTripExactly() throws Exception {
        for (ImageFormat f : new ImageFormat[] {ImageFormat.PNG, ImageFormat.BMP}) {
            for (int c : new int[] {1, 3, 4}) {
                if (c == 4 && f == ImageFormat.BMP) continue;
                Tensor img = randomImage(c, 13, 7, c);
                Path p = dir.resolve("x" + c + "." + f.extension());
                Images.write(img, p);
                Tensor back = Images.read(p);
                assertTrue(back.contentEquals(img), f + " with " + c + " channels: " + back.describe());
            }
        }
    }

    @Test
    void greyGifRoundTripsExactly() throws Exception {
        Tensor img = randomImage(5, 9, 11, 1);
        Path p = dir.resolve("g.gif");
        Images.write(img, p);
        assertTrue(Images.read(p).contentEquals(img));
    }

    @Test
    void jpegQualityTradesSizeForError() throws Exception {
        Tensor img = gradient(64, 96);
        byte[] low = Images.encode(img, ImageFormat.JPEG, 20);
        byte[] high = Images.encode(img, ImageFormat.JPEG, 98);
        assertTrue(high.length > low.length, high.length + " vs " + low.length);
        double errLow = Images.decode(low).maxAbsDiff(img), errHigh = Images.decode(high).maxAbsDiff(img);
        assertTrue(errHigh <= 4, "quality 98 error " + errHigh);
        assertTrue(errHigh < errLow, errHigh + " vs " + errLow);
        assertEquals(Shape.of(64, 96, 3), Images.decode(high).shape());
    }

    @Test
    void writesAtomicallyWithTheFormatOfTheExtension() throws Exception {
        Tensor img = gradient(8, 8);
        Path p = dir.resolve("a.JPEG");
        Images.write(img, p);
        byte[] b = Files.readAllBytes(p);
        assertEquals(0xFF, b[0] & 0xFF);
        assertEquals(0xD8, b[1] & 0xFF);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void readsTheSharedPhotographsLikeOpenCv() throws Exception {
        // Sums per channel (RGB order) and pixel (10, 20), computed with cv2.imread (BGR, reversed here).
        check("astronaut.png", 512, 512, new long[] {37109758, 27724204, 25290362}, new int[] {3, 1, 8});
        check("coffee.png", 400, 600, new long[] {38056581, 20590566, 12356340}, new int[] {30, 20, 11});
        check("chelsea.png", 300, 451, new long[] {19980169, 15078438, 11743750}, new int[] {151, 129, 115});
        check("camera.png", 512, 512, new long[] {33832495}, new int[] {200});
    }

    @Test
    void readsTheSharedJpegCloseToOpenCv() throws Exception {
        Tensor t = Images.read(ImageTestData.image("hubble_deep_field.jpg"));
        assertEquals(Shape.of(872, 1000, 3), t.shape());
        long[] cv = {16203335, 17258561, 16646155};
        long[] sums = channelSums(t);
        for (int c = 0; c < 3; c++) {
            // Two JPEG decoders may differ by a grey level here and there; the mean must agree to 0.05 levels.
            assertEquals(cv[c] / 872e3, sums[c] / 872e3, 0.05, "channel " + c);
        }
    }

    private static void check(String name, int h, int w, long[] sums, int[] pixel1020) throws Exception {
        Tensor t = Images.read(ImageTestData.image(name));
        assertEquals(Shape.of(h, w, sums.length), t.shape(), name);
        assertArrayEquals(sums, channelSums(t), name);
        int[] px = new int[sums.length];
        for (int c = 0; c < px.length; c++) px[c] = (int) t.get(10, 20, c);
        assertArrayEquals(pixel1020, px, name);
    }

    private static long[] channelSums(Tensor t) {
        int c = t.dim(2);
        long[] s = new long[c];
        byte[] b = (byte[]) t.data();
        for (int i = 0; i < b.length; i++) s[i % c] += b[i] & 0xFF;
        return s;
    }

    @Test
    void sixteenBitPaletteAndGreyAlphaImagesBecomeEightBitTensors() throws Exception {
        BufferedImage g16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 0);
        g16.getRaster().setSample(1, 0, 0, 65535);
        g16.getRaster().setSample(2, 0, 0, 257 * 100);
        Tensor t = Images.decode(png(g16));
        assertEquals(Shape.of(1, 3, 1), t.shape());
        assertEquals("[[[0], [255], [100]]]", t.valuesString());

        byte[] r = {(byte) 255, 0}, g = {0, 0}, b = {0, (byte) 200};
        BufferedImage pal = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 2, r, g, b));
        pal.getRaster().setSample(0, 0, 0, 1);
        pal.getRaster().setSample(1, 0, 0, 0);
        assertEquals("[[[0, 0, 200], [255, 0, 0]]]", Images.decode(png(pal)).valuesString());

        Tensor ga = Images.decode(Files.readAllBytes(writeGreyAlpha()));
        assertEquals(Shape.of(1, 2, 4), ga.shape());
        assertEquals("[[[10, 10, 10, 255], [200, 200, 200, 7]]]", ga.valuesString());
    }

    /** A grey+alpha PNG written by hand-picked ImageIO types. */
    private Path writeGreyAlpha() throws Exception {
        var cs = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
        var cm = new java.awt.image.ComponentColorModel(cs, true, false, java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        var raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {10, 255});
        raster.setPixel(1, 0, new int[] {200, 7});
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        Path p = dir.resolve("ga.png");
        assertTrue(ImageIO.write(img, "png", p.toFile()));
        return p;
    }

    private static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    @Test
    void badInputIsRefusedWithAClearMessage() throws Exception {
        Path notImage = dir.resolve("x.png");
        Files.writeString(notImage, "hello");
        var e = assertThrows(IllegalArgumentException.class, () -> Images.read(notImage));
        assertTrue(e.getMessage().contains("is not a PNG, JPEG, BMP or GIF image"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> Images.read(dir.resolve("missing.png")));

        byte[] png = Images.encode(randomImage(1, 32, 32, 3), ImageFormat.PNG, 90);
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        e = assertThrows(IllegalArgumentException.class, () -> Images.decode(cut));
        assertTrue(e.getMessage().contains("damaged PNG"), e.getMessage());

        Tensor rgba = randomImage(1, 2, 2, 4);
        e = assertThrows(IllegalArgumentException.class, () -> Images.encode(rgba, ImageFormat.JPEG, 90));
        assertEquals("image: JPEG cannot store the alpha channel of u8[2][2][4]; write PNG, or keep the first 3 channels", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Images.encode(Tensor.zeros(DType.U8, 2, 2, 2), ImageFormat.PNG, 90));
        assertEquals("image: an image has 1 (grey), 3 (RGB) or 4 (RGBA) channels, got 2 in u8[2][2][2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Images.encode(Tensor.zeros(DType.F32, 2, 2, 3), ImageFormat.PNG, 90));
        assertEquals("image: expected a u8 image [height][width][channels], got f32[2][2][3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Images.write(rgba, dir.resolve("x.tiff")));
        assertTrue(e.getMessage().contains("unknown extension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Images.encode(randomImage(1, 2, 2, 3), ImageFormat.JPEG, 0));
        assertTrue(e.getMessage().contains("quality must be between 1 and 100"), e.getMessage());
    }

    @Test
    void floatConversionClipsAndRoundsHalfUp() {
        Tensor u = Tensor.fromU8(new byte[] {0, 1, (byte) 128, (byte) 255}, 1, 4, 1);
        Tensor f = Images.toFloat(u);
        assertEquals(DType.F32, f.dtype());
        assertEquals(128 / 255f, f.get(0, 2, 0), 0);
        assertTrue(Images.toU8(f).contentEquals(u));
        Tensor g = Tensor.fromDoubles(new double[] {-0.2, 127.5 / 255, 127.49 / 255, 1.7, Double.NaN, 0.5 / 255}, 6);
        assertEquals("[0, 128, 127, 255, 0, 1]", Images.toU8(g).valuesString());
        assertThrows(IllegalArgumentException.class, () -> Images.toU8(u));
        assertThrows(IllegalArgumentException.class, () -> Images.toFloat(f));
    }

    @Test
    void bilinearUsesHalfPixelCentresLikeOpenCv() {
        // cv2.resize(np.array([[0, 100]], np.uint8), (4, 1)) == [[0, 25, 75, 100]]
        Tensor row = Tensor.fromU8(new byte[] {0, 100}, 1, 2);
        assertEquals("[[0, 25, 75, 100]]", Images.resize(row, 1, 4, ImageInterpolation.BILINEAR).valuesString());
        // Shrinking [0, 10, 20, 30] to 2 averages neighbours: [5, 25]
        Tensor four = Tensor.fromU8(new byte[] {0, 10, 20, 30}, 1, 4);
        assertEquals("[[5, 25]]", Images.resize(four, 1, 2, ImageInterpolation.BILINEAR).valuesString());
        // Nearest picks floor(d * n / m): [0, 20] when shrinking, [0, 0, 100, 100] when growing
        assertEquals("[[0, 20]]", Images.resize(four, 1, 2, ImageInterpolation.NEAREST).valuesString());
        assertEquals("[[0, 0, 100, 100]]", Images.resize(row, 1, 4, ImageInterpolation.NEAREST).valuesString());
        Tensor f = Images.resize(Tensor.fromFloats(new float[] {0, 1, 2, 3}, 2, 2, 1), 4, 4, ImageInterpolation.BILINEAR);
        assertEquals(Shape.of(4, 4, 1), f.shape());
        assertEquals(0.75, f.get(1, 1, 0), 1e-6); // (0.25, 0.25) between 0,1,2,3
        var e = assertThrows(IllegalArgumentException.class, () -> Images.resize(row, 0, 3, ImageInterpolation.NEAREST));
        assertEquals("resize: the new size must be positive, got 0x3 for u8[1][2]", e.getMessage());
    }

    @Test
    void bilinearMatchesAStraightforwardFormulaOnRandomSizes() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int h = 1 + rnd.nextInt(13), w = 1 + rnd.nextInt(13), c = new int[] {1, 3, 4}[rnd.nextInt(3)];
            int nh = 1 + rnd.nextInt(29), nw = 1 + rnd.nextInt(29);
            Tensor img = randomImage(trial, h, w, c);
            Tensor out = Images.resize(img, nh, nw, ImageInterpolation.BILINEAR);
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    for (int k = 0; k < c; k++) {
                        double sy = Math.min(Math.max((y + 0.5) * h / nh - 0.5, 0), h - 1);
                        double sx = Math.min(Math.max((x + 0.5) * w / nw - 0.5, 0), w - 1);
                        int y0 = (int) sy, x0 = (int) sx, y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
                        double fy = sy - y0, fx = sx - x0;
                        double v = (1 - fy) * ((1 - fx) * img.get(y0, x0, k) + fx * img.get(y0, x1, k))
                                + fy * ((1 - fx) * img.get(y1, x0, k) + fx * img.get(y1, x1, k));
                        // within rounding of an exact tie (94.5 may be computed as 94.4999...)
                        assertEquals(v, out.get(y, x, k), 0.5 + 1e-9, "at " + y + "," + x + "," + k);
                    }
                }
            }
        }
    }

    @Test
    void jpegEncoderReusesItsWriterForFramesOfAnySize() {
        try (ImageJpegEncoder enc = new ImageJpegEncoder(95)) {
            Tensor a = gradient(48, 64);
            byte[] ja = enc.encode(a);
            assertTrue(Images.decode(ja).maxAbsDiff(a) <= 6);
            Tensor b = gradient(20, 30);
            byte[] rgba = new byte[20 * 30 * 4];
            byte[] rgb = (byte[]) b.data();
            for (int i = 0; i < 600; i++) {
                rgba[4 * i] = rgb[3 * i];
                rgba[4 * i + 1] = rgb[3 * i + 1];
                rgba[4 * i + 2] = rgb[3 * i + 2];
                rgba[4 * i + 3] = (byte) 255;
            }
            byte[] jb = enc.encodeInterleaved(rgba, 30, 20, 4);
            assertEquals(Shape.of(20, 30, 3), Images.decode(jb).shape());
            assertArrayEquals(enc.encode(b), jb, "RGBA is encoded as its RGB part");
            assertTrue(java.util.Arrays.equals(ja, enc.encode(a)), "same frame, same bytes");
            assertThrows(IllegalArgumentException.class, () -> enc.encodeInterleaved(rgba, 31, 20, 4));
        }
    }
}
