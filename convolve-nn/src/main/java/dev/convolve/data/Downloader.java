package dev.convolve.data;

import dev.convolve.io.AtomicFiles;
import dev.convolve.io.Idx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Downloads a dataset's files from its mirrors with {@link HttpClient}, verifies each one (decompressed MD5 as
 * published, then the IDX header and sizes) and writes it atomically into the cache folder. The system property
 * {@code convolve.datasets.mirror} replaces the mirror list (tests point it at a local server or an unreachable
 * address).
 */
public final class Downloader {
    private final List<String> mirrors;
    private final Duration timeout;

    public Downloader(DatasetInfo d) {
        String override = System.getProperty("convolve.datasets.mirror");
        this.mirrors = override != null && !override.isBlank() ? List.of(override.endsWith("/") ? override : override + "/") : d.mirrors();
        this.timeout = Duration.ofSeconds(Long.getLong("convolve.datasets.timeoutSeconds", 20));
    }

    public List<String> mirrors() { return mirrors; }

    /**
     * Downloads every missing file of {@code d} into {@code dir}.
     *
     * @throws IOException naming the last failure when a file cannot be fetched from any mirror
     */
    public void fetchInto(DatasetInfo d, Path dir, java.io.PrintStream progress) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        for (int i = 0; i < DatasetInfo.FILES.size(); i++) {
            String name = DatasetInfo.FILES.get(i);
            if (DatasetLocator.file(dir, name) != null) continue;
            IOException last = null;
            boolean done = false;
            for (String base : mirrors) {
                String url = base + name + ".gz";
                try {
                    if (progress != null) progress.println("convolve: downloading " + url);
                    byte[] gz = get(client, url);
                    verify(d, i, name, gz, url);
                    AtomicFiles.write(dir.resolve(name + ".gz"), gz);
                    done = true;
                    break;
                } catch (IOException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("download interrupted", e);
                }
            }
            if (!done) throw last != null ? last : new IOException("no mirror for " + name);
        }
    }

    private byte[] get(HttpClient client, String url) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout.multipliedBy(6)).GET().build();
        HttpResponse<byte[]> r;
        try {
            r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new IOException(url + ": " + why, e);
        }
        if (r.statusCode() != 200) throw new IOException(url + ": HTTP " + r.statusCode());
        return r.body();
    }

    /** Checks the decompressed MD5 and that the payload parses as IDX. */
    static void verify(DatasetInfo d, int index, String name, byte[] gz, String url) throws IOException {
        byte[] raw;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw new IOException(url + ": not a valid gzip file (" + e.getMessage() + ")");
        }
        String md5 = md5(raw);
        if (!md5.equals(d.md5(index))) {
            throw new IOException(url + ": checksum mismatch, the decompressed MD5 is " + md5 + " but " + d.md5(index) + " is expected for " + name);
        }
        try {
            Idx.read(new ByteArrayInputStream(raw), url);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }

    static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
