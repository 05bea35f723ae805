package dev.convolve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir Path tmp;

    private static final Path SHARED_MNIST = new DatasetLocator(null).find(DatasetInfo.MNIST);

    @Test
    void findsTheSharedCopyAndValidatesIt() throws IOException {
        assertTrue(SHARED_MNIST != null, "the test datasets should be found from the repository");
        Datasets.Split s = Datasets.load("mnist", (Path) null, false, null);
        assertEquals(60000, s.train().count());
        assertEquals(10000, s.test().count());
        assertEquals(28, s.train().height());
        assertEquals(7, s.test().labels()[0]);   // the Livebook: image 15 of the test set is a 5, image 0 a 7
        assertEquals(5, s.test().labels()[15]);
    }

    @Test
    void searchOrderExplicitThenEnvironmentThenCache() throws IOException {
        Path explicit = tmp.resolve("mine"), env = tmp.resolve("env"), home = tmp.resolve("home");
        DatasetLocator l = new DatasetLocator(explicit, env.toString(), home, false);
        assertEquals(Arrays.asList(explicit, explicit.resolve("mnist"), env.resolve("mnist"), env, home.resolve(".cache/convolve/datasets/mnist")),
                l.candidates(DatasetInfo.MNIST));
        assertEquals(null, l.find(DatasetInfo.MNIST));
        writeSet(env.resolve("mnist"), 12, 12, 0);
        assertEquals(env.resolve("mnist"), l.find(DatasetInfo.MNIST));
    }

    @Test
    void offlineGivesOneClearLineSayingWhereItLookedAndWhatToDo() {
        String before = System.getProperty("convolve.datasets.mirror");
        System.setProperty("convolve.datasets.mirror", "http://127.0.0.1:9/unreachable/");
        try {
            DatasetLocator l = new DatasetLocator(null, null, tmp, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("fashion-mnist", l, true, null));
            String m = e.getMessage();
            assertTrue(m.startsWith("dataset: Fashion-MNIST (Zalando) not found (looked in " + tmp.resolve(".cache/convolve/datasets/fashion-mnist")
                    + ") and downloading failed: http://127.0.0.1:9/unreachable/train-images-idx3-ubyte.gz: "), m);
            assertTrue(m.endsWith("pass --data-dir DIR or set CONVOLVE_DATA (on Debian or Ubuntu: apt-get install dataset-fashion-mnist), or run once with internet access"), m);
            assertTrue(!m.contains("\n"), "one line");
        } finally {
            restore(before);
        }
    }

    @Test
    void downloadsVerifiesAndCachesFromAMirror() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Set<String> served = new HashSet<>();
        server.createContext("/mnist/", ex -> {
            String file = ex.getRequestURI().getPath().substring("/mnist/".length());
            served.add(file);
            byte[] body = Files.readAllBytes(SHARED_MNIST.resolve(file));
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.createContext("/broken/", ex -> {
            byte[] body = gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        String before = System.getProperty("convolve.datasets.mirror");
        try {
            int port = server.getAddress().getPort();
            System.setProperty("convolve.datasets.mirror", "http://127.0.0.1:" + port + "/broken/");
            DatasetLocator l = new DatasetLocator(null, null, tmp, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("mnist", l, true, null));
            assertTrue(e.getMessage().contains("checksum mismatch, the decompressed MD5 is "), e.getMessage());
            assertTrue(!Files.exists(l.cacheDir(DatasetInfo.MNIST).resolve("train-images-idx3-ubyte.gz")), "nothing unverified is kept");

            System.setProperty("convolve.datasets.mirror", "http://127.0.0.1:" + port + "/mnist/");
            Datasets.Split s = Datasets.load("mnist", l, true, null);
            assertEquals(l.cacheDir(DatasetInfo.MNIST), s.folder());
            assertEquals(4, served.size());
            assertEquals(60000, s.train().count());
        } finally {
            server.stop(0);
            restore(before);
        }
    }

    @Test
    void corruptTruncatedAndMislabelledFilesAreReported() throws IOException {
        Path d = tmp.resolve("bad");
        writeSet(d, 10, 10, 0);
        assertEquals(10, Datasets.read(d, DatasetInfo.MNIST, 0, 1).count());

        // labels that belong to another images file
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(new int[] {7}, new byte[7]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.read(d, DatasetInfo.MNIST, 0, 1));
        assertTrue(e.getMessage().endsWith("holds 10 images but " + d.resolve("train-labels-idx1-ubyte") + " holds 7 labels; the files do not belong together"), e.getMessage());

        // a label outside 0..9
        byte[] labels = new byte[10];
        labels[4] = 12;
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(new int[] {10}, labels));
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.read(d, DatasetInfo.MNIST, 0, 1));
        assertTrue(e.getMessage().endsWith("has label 12 at position 4, outside 0..9"), e.getMessage());

        // an images file where the labels should be
        Files.write(d.resolve("train-labels-idx1-ubyte"), Files.readAllBytes(d.resolve("train-images-idx3-ubyte")));
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.read(d, DatasetInfo.MNIST, 0, 1));
        assertTrue(e.getMessage().contains("should hold u8 labels [count], but holds u8[10][28][28] (an images file where the labels should be?)"), e.getMessage());

        // truncated images
        byte[] img = Files.readAllBytes(d.resolve("train-images-idx3-ubyte"));
        Files.write(d.resolve("train-images-idx3-ubyte"), Arrays.copyOf(img, img.length - 100));
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.read(d, DatasetInfo.MNIST, 0, 1));
        assertTrue(e.getMessage().contains("is truncated"), e.getMessage());

        // a corrupt gzip
        Files.delete(d.resolve("train-images-idx3-ubyte"));
        byte[] gz = gzip(img);
        gz[gz.length / 2] ^= 0x55;
        Files.write(d.resolve("train-images-idx3-ubyte.gz"), gz);
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.read(d, DatasetInfo.MNIST, 0, 1));
        assertTrue(e.getMessage().contains("corrupt gzip") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void batchesAreSeededShuffledAndCoverTheEpoch() throws IOException {
        LabeledImages data = Datasets.read(writeSet(tmp.resolve("b"), 50, 50, 1), DatasetInfo.MNIST, 0, 1);
        Batches b = new Batches(data, 16, 7, 0);
        assertEquals(4, b.count());
        assertArrayEquals(b.order(2), new Batches(data, 16, 7, 0).order(2));
        assertNotEquals(Arrays.toString(b.order(2)), Arrays.toString(b.order(3)));
        Set<Integer> seen = new HashSet<>();
        int total = 0;
        for (Batches.Batch batch : b.epoch(0)) {
            total += batch.size();
            for (int y : batch.labels().toIntArray()) seen.add(y);
        }
        assertEquals(50, total);
        // batch-last batches hold the same values transposed
        Batches.Batch first = b.epoch(1).iterator().next(), firstLast = b.epoch(1, true).iterator().next();
        assertTrue(first.images().transpose(1, 2, 3, 0).contentEquals(firstLast.images()));
        // augmented batches agree between the two layouts, and a flip mirrors the columns
        Batches aug = new Batches(data, 16, 9, 2, true);
        assertTrue(aug.epoch(0).iterator().next().images().transpose(1, 2, 3, 0).contentEquals(aug.epoch(0, true).iterator().next().images()));
        Batches flipOnly = new Batches(data, 50, 9, 0, true);
        Batches.Batch fb = flipOnly.epoch(0).iterator().next(), plain = new Batches(data, 50, 9, 0).epoch(0).iterator().next();
        int mirrored = 0;
        for (int i = 0; i < 50; i++) {
            dev.convolve.tensor.Tensor a = fb.images().sliceAxis(i, 1, 0), p = plain.images().sliceAxis(i, 1, 0);
            if (!a.contentEquals(p)) {
                assertTrue(a.contentEquals(p.reverse(3)), "image " + i + " is either unchanged or mirrored");
                mirrored++;
            }
        }
        assertTrue(mirrored > 10 && mirrored < 40, mirrored + " of 50 mirrored");
        // shifted images move the content by up to 2 pixels
        Batches shifted = new Batches(data, 50, 7, 2);
        Batches.Batch sb = shifted.epoch(0).iterator().next();
        assertEquals(data.images().sum().item(), sb.images().sum().item(), data.images().sum().item() * 0.5);
    }

    /** Writes MNIST-shaped IDX files with {@code n} train and {@code m} test images (values from the image index). */
    static Path writeSet(Path dir, int n, int m, int seed) throws IOException {
        Files.createDirectories(dir);
        for (int split = 0; split < 2; split++) {
            int count = split == 0 ? n : m;
            byte[] px = new byte[count * 784];
            byte[] lb = new byte[count];
            for (int i = 0; i < count; i++) {
                lb[i] = (byte) ((i + seed) % 10);
                for (int p = 0; p < 784; p++) px[i * 784 + p] = (byte) ((i * 31 + p * 7 + seed) % 256);
            }
            String prefix = split == 0 ? "train" : "t10k";
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(new int[] {count, 28, 28}, px));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(new int[] {count}, lb));
        }
        return dir;
    }

    static byte[] idx(int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(raw);
        }
        return bo.toByteArray();
    }

    private static void restore(String before) {
        if (before == null) System.clearProperty("convolve.datasets.mirror");
        else System.setProperty("convolve.datasets.mirror", before);
    }
}
