package dev.convolve.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.io.Images;
import dev.convolve.tensor.Tensor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Filters#apply} (and the conv path) on crops of the shared photographs against OpenCV: fixtures written by
 * {@code src/test/python/make_filter_fixtures.py} (cv2.filter2D in double precision, clipped and rounded half up, and
 * cv2.GaussianBlur on u8 as shipped). Exact for filter2D up to float rounding at ties (one grey level), one grey level
 * for GaussianBlur's fixed-point arithmetic.
 */
class FilterFixturesTest {
    record Case(String input, String kernel, String border, int stride, String expected, int tolerance) {
        @Override public String toString() { return input + " " + kernel + " border " + border + " stride " + stride + " -> " + expected; }
    }

    static Stream<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        String tsv = new String(resource("cases.tsv").readAllBytes(), StandardCharsets.UTF_8);
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            cases.add(new Case(f[0], f[1], f[2], Integer.parseInt(f[3]), f[4], Integer.parseInt(f[5])));
        }
        assertEquals(90, cases.size());
        return cases.stream();
    }

    static InputStream resource(String name) {
        InputStream in = FilterFixturesTest.class.getResourceAsStream("/fixtures/" + name);
        if (in == null) throw new IllegalStateException("missing test resource fixtures/" + name);
        return in;
    }

    static Tensor image(String name) throws Exception {
        try (InputStream in = resource(name)) {
            return Images.read(in, name);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesOpenCv(Case c) throws Exception {
        Tensor in = image(c.input() + ".png"), expected = image(c.expected());
        Kernel k = Kernels.spec(c.kernel(), Kernels.KernelParams.DEFAULT);
        FilterOptions o = FilterOptions.defaults().withBorder(BorderMode.parse(c.border())).withStride(c.stride());
        Tensor fast = Filters.apply(in, k, o);
        assertEquals(expected.shape(), fast.shape(), c.toString());
        int tol = Math.max(1, c.tolerance());
        assertTrue(fast.maxAbsDiff(expected) <= tol, c + ": fast path differs by " + fast.maxAbsDiff(expected));
        if (c.tolerance() == 0) {
            // Against double precision, only float rounding at ties may differ.
            assertTrue(fractionDifferent(fast, expected) < 0.001, c + ": more than 0.1% of pixels differ: " + fractionDifferent(fast, expected));
        }
        Tensor conv = Filters.applyWithConv(in, k, o);
        assertTrue(conv.maxAbsDiff(expected) <= tol, c + ": conv path differs by " + conv.maxAbsDiff(expected));
    }

    static double fractionDifferent(Tensor a, Tensor b) {
        int n = 0;
        for (int i = 0; i < a.size(); i++) if (a.getFlat(i) != b.getFlat(i)) n++;
        return n / (double) a.size();
    }
}
