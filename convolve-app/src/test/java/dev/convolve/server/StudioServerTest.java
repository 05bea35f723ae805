package dev.convolve.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.convolve.io.ImageFormat;
import dev.convolve.io.Images;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.BorderMode;
import dev.convolve.vision.Features;
import dev.convolve.vision.FilterOptions;
import dev.convolve.vision.Filters;
import dev.convolve.vision.Kernels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The studio's protocol with a Java WebSocket client: frames, settings, errors that keep the connection, many clients. */
class StudioServerTest {
    static StudioServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = new StudioServer(StudioServer.DEFAULT_MAX_PIXELS).start("127.0.0.1", 0);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A smooth RGBA test picture (JPEG keeps it well): gradients and a bright square. */
    static byte[] picture(int w, int h, int seed) {
        byte[] rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 4;
                boolean square = x > w / 3 && x < w / 2 && y > h / 3 && y < h / 2;
                rgba[p] = (byte) (square ? 230 : x * 200 / w + seed);
                rgba[p + 1] = (byte) (square ? 230 : y * 200 / h);
                rgba[p + 2] = (byte) (square ? 230 : 60 + seed);
                rgba[p + 3] = (byte) 255;
            }
        }
        return rgba;
    }

    static Tensor rgbOf(byte[] rgba, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) System.arraycopy(rgba, 4 * i, rgb, 3 * i, 3);
        return Tensor.wrap(DType.U8, Shape.of(h, w, 3), rgb);
    }

    static double meanAbsDiff(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += Math.abs(a.getFlat(i) - b.getFlat(i));
        return s / a.size();
    }

    /** Sends a frame and checks the reply is the server-side filter of it (within JPEG's error). */
    static JsonNode roundTrip(StudioClient c, int w, int h, long id, int seed, String kernel, int stride) throws Exception {
        byte[] rgba = picture(w, h, seed);
        c.sendBinary(StudioClient.frame(w, h, id, rgba));
        JsonNode stats = c.expect("frame").json();
        byte[] jpeg = c.expect("binary").binary();
        assertEquals(id, stats.get("id").asLong());
        Tensor got = Images.decode(jpeg);
        Tensor want = Filters.apply(rgbOf(rgba, w, h), Kernels.spec(kernel, Kernels.KernelParams.DEFAULT),
                FilterOptions.defaults().withStride(stride).withBorder(BorderMode.REFLECT));
        assertEquals(want.shape(), got.shape());
        assertEquals(want.dim(1), stats.get("width").asInt());
        // JPEG keeps grey levels well (colour is subsampled): compare those.
        double d = meanAbsDiff(Features.grey(got), Features.grey(want));
        assertTrue(d < 3, "mean difference of grey levels " + d);
        assertTrue(stats.get("serverMs").asDouble() >= stats.get("filterMs").asDouble());
        return stats;
    }

    @Test
    void framesComeBackFilteredAsJpeg() throws Exception {
        try (StudioClient c = new StudioClient(port)) {
            JsonNode hello = c.expect("hello").json();
            assertEquals("gaussian", hello.get("kernel").asText());
            assertEquals(5, hello.get("rows").asInt());
            roundTrip(c, 64, 48, 1, 0, "gaussian", 1);
            c.sendText("{\"type\":\"settings\",\"kernel\":\"sobel-x\",\"stride\":2}");
            JsonNode s = c.expect("settings").json();
            assertEquals("sobel-x", s.get("kernel").asText());
            assertEquals(2, s.get("stride").asInt());
            roundTrip(c, 128, 96, 2, 10, "sobel-x", 2);
            c.sendText("{\"type\":\"settings\",\"kernel\":\"1,0,-1;2,0,-2;1,0,-1\",\"stride\":1}");
            c.expect("settings");
            roundTrip(c, 33, 17, 3, 20, "1,0,-1;2,0,-2;1,0,-1", 1);
        }
    }

    @Test
    void malformedAndOversizedMessagesGetAnErrorAndTheConnectionGoesOn() throws Exception {
        try (StudioClient c = new StudioClient(port)) {
            c.expect("hello");
            byte[] good = StudioClient.frame(16, 8, 7, picture(16, 8, 0));
            byte[] badMagic = good.clone();
            badMagic[0] = 'X';
            byte[] shortFrame = java.util.Arrays.copyOf(good, good.length - 5);
            byte[] longFrame = java.util.Arrays.copyOf(good, good.length + 5);
            byte[] zeroWidth = StudioClient.frame(16, 8, 7, picture(16, 8, 0));
            zeroWidth[4] = 0;
            zeroWidth[5] = 0;
            byte[] huge = new byte[40 << 20];   // 40 MiB: five times the 1920x1080 limit
            java.nio.ByteBuffer.wrap(huge).putInt(FrameHeader.MAGIC).putShort((short) 4000).putShort((short) 3000);
            byte[][] bad = {new byte[0], new byte[] {1, 2, 3}, badMagic, shortFrame, longFrame, zeroWidth, huge};
            String[] codes = {"bad-frame", "bad-frame", "bad-frame", "bad-frame", "bad-frame", "bad-frame", "too-large"};
            for (int i = 0; i < bad.length; i++) {
                c.sendBinary(bad[i]);
                JsonNode e = c.expect("error").json();
                assertEquals(codes[i], e.get("code").asText(), e.toString());
                assertTrue(e.get("message").asText().contains("the connection stays open"), e.toString());
            }
            for (String text : new String[] {"not json", "[1,2]", "{\"type\":\"dance\"}", "{\"type\":\"settings\",\"kernel\":\"blurry\"}",
                    "{\"type\":\"settings\",\"stride\":0}", "{\"type\":\"settings\",\"sigma\":\"big\"}", "{\"type\":\"settings\",\"colour\":1}",
                    "{\"type\":\"settings\",\"kernel\":\"gaussian:size=101\"}", "x".repeat(100_000)}) {
                c.sendText(text);
                JsonNode e = c.expect("error").json();
                assertFalse(e.get("message").asText().isEmpty());
            }
            roundTrip(c, 16, 8, 8, 0, "gaussian", 1);
            assertFalse(c.closed);
        }
        JsonNode health = StudioClient.JSON.readTree(server.healthJson());
        assertTrue(health.get("messagesRefused").asLong() >= 16, health.toString());
    }

    @Test
    void aFrameArrivingDuringProcessingReplacesTheWaitingOne() throws Exception {
        try (StudioClient c = new StudioClient(port)) {
            c.expect("hello");
            c.sendText("{\"type\":\"settings\",\"kernel\":\"gaussian:size=31,sigma=8\"}");
            c.expect("settings");
            int w = 640, h = 480, n = 30;
            byte[] rgba = picture(w, h, 0);
            for (int i = 1; i <= n; i++) c.sendBinary(StudioClient.frame(w, h, i, rgba));
            List<Long> ids = new ArrayList<>();
            long dropped = 0;
            while (ids.isEmpty() || ids.get(ids.size() - 1) < n) {
                JsonNode s = c.expect("frame").json();
                c.expect("binary");
                ids.add(s.get("id").asLong());
                dropped = s.get("dropped").asLong();
            }
            assertEquals(n, ids.get(ids.size() - 1), "the last frame is always answered");
            assertTrue(ids.size() < n, "some frames were replaced: answered " + ids);
            assertEquals(n - ids.size(), dropped, "every frame is answered or counted as dropped");
            for (int i = 1; i < ids.size(); i++) assertTrue(ids.get(i) > ids.get(i - 1), "answers in order: " + ids);
        }
    }

    @Test
    void severalClientsAtOnceEachWithItsOwnSettings() throws Exception {
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                int stride = 1 + k % 3;
                String kernel = new String[] {"gaussian", "box", "sharpen", "sobel-y"}[k % 4];
                int seed = k;
                done.add(pool.submit(() -> {
                    try (StudioClient c = new StudioClient(port)) {
                        c.expect("hello");
                        c.sendText("{\"type\":\"settings\",\"kernel\":\"" + kernel + "\",\"stride\":" + stride + "}");
                        c.expect("settings");
                        for (int f = 0; f < 10; f++) roundTrip(c, 96 + seed, 64, f, seed, kernel, stride);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void uploadModeFiltersAStillImage() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Tensor img = rgbOf(picture(50, 40, 3), 50, 40);
        byte[] png = Images.encode(img, ImageFormat.PNG, 90);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/filter?kernel=emboss&border=replicate&stride=2"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        Tensor want = Filters.apply(img, Kernels.named("emboss"), FilterOptions.defaults().withStride(2).withBorder(BorderMode.REPLICATE));
        assertTrue(Images.decode(r.body()).contentEquals(want), "PNG is lossless: exactly the server-side filter");
        assertTrue(r.headers().firstValue("X-Convolve-Server-Ms").isPresent());

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/filter?kernel=nope"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("unknown kernel 'nope'"), bad.body());
        HttpResponse<String> notImage = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/filter"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notImage.statusCode());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Convolve studio"));
    }

    @Test
    void randomGarbageNeverStopsTheServer() throws Exception {
        Random rnd = new Random(5);
        try (StudioClient c = new StudioClient(port)) {
            c.expect("hello");
            for (int i = 0; i < 50; i++) {
                byte[] b = new byte[rnd.nextInt(3000)];
                rnd.nextBytes(b);
                if (rnd.nextBoolean() && b.length >= 4) java.nio.ByteBuffer.wrap(b).putInt(FrameHeader.MAGIC);
                c.sendBinary(b);
                assertEquals("error", c.next().type());
            }
            roundTrip(c, 20, 20, 99, 1, "gaussian", 1);
        }
    }
}
