package dev.convolve.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.backend.Threads;
import dev.convolve.vision.Filters;
import dev.convolve.vision.Kernels;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.websocket.server.JettyWebSocketServletFactory;

/**
 * The web studio behind {@code convolve serve}: a page that streams the webcam to the server over a WebSocket, the
 * server filters each frame and sends it back as JPEG (protocol: docs/vision.md).
 * <ul>
 *   <li>{@code GET /}: the page (plain HTML and JavaScript from the classpath, folder {@code web});</li>
 *   <li>{@code GET /ws}: the WebSocket (frames, settings, replies);</li>
 *   <li>{@code POST /api/filter}: upload mode, an image file in, the filtered image out;</li>
 *   <li>{@code GET /api/kernels}, {@code GET /api/health}: the kernel library and the server's counters as JSON.</li>
 * </ul>
 *
 * {@snippet :
 * try (StudioServer s = new StudioServer(StudioServer.DEFAULT_MAX_PIXELS).start("127.0.0.1", 0)) {
 *     System.out.println("http://127.0.0.1:" + s.port() + "/");
 * }
 * }
 */
public final class StudioServer implements AutoCloseable {
    static {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** Frames up to 1920x1080 pixels by default. */
    public static final long DEFAULT_MAX_PIXELS = 1920L * 1080;
    /** Largest upload accepted by {@code POST /api/filter}. */
    public static final long MAX_UPLOAD_BYTES = 32L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What every connection shares: limits, the worker pool, the counters. */
    static final class Shared {
        final long maxPixels;
        final ExecutorService workers;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicLong opened = new AtomicLong(), received = new AtomicLong(), processed = new AtomicLong(),
                dropped = new AtomicLong(), refused = new AtomicLong(), serverNanos = new AtomicLong();

        Shared(long maxPixels, int workers) {
            this.maxPixels = maxPixels;
            AtomicInteger n = new AtomicInteger();
            this.workers = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "studio-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        long maxMessageBytes() { return FrameHeader.SIZE + 4 * maxPixels; }
    }

    private final Shared shared;
    private Javalin app;

    /**
     * A server (not started) accepting frames of up to {@code maxPixels} pixels.
     *
     * @throws IllegalArgumentException unless 1 <= maxPixels <= 4096 * 4096
     */
    public StudioServer(long maxPixels) {
        if (maxPixels < 1 || maxPixels > (long) FrameHeader.MAX_SIDE * FrameHeader.MAX_SIDE) {
            throw new IllegalArgumentException("serve: max pixels must be between 1 and " + (long) FrameHeader.MAX_SIDE * FrameHeader.MAX_SIDE + ", got " + maxPixels);
        }
        this.shared = new Shared(maxPixels, Math.max(2, Threads.threads()));
    }

    /**
     * Starts listening on {@code host:port} (port 0: any free port, see {@link #port()}).
     *
     * @throws IllegalArgumentException when the port is out of range
     * @throws IllegalStateException when the port cannot be opened (for example, already in use)
     */
    public StudioServer start(String host, int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("serve: port must be between 0 and 65535, got " + port);
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = MAX_UPLOAD_BYTES;
            cfg.staticFiles.add(sf -> {
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
                sf.hostedPath = "/";
            });
            cfg.jetty.modifyServletContextHandler(h -> h.addServlet(new ServletHolder(new SocketServlet(shared)), "/ws"));
        });
        app.get("/api/kernels", ctx -> ctx.contentType("application/json").result(kernelsJson()));
        app.get("/api/health", ctx -> ctx.contentType("application/json").result(healthJson()));
        app.post("/api/filter", new UploadHandler(shared));
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            app = null;
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new IllegalStateException("serve: cannot listen on " + host + ":" + port + ": " + root.getMessage(), e);
        }
        Thread warm = new Thread(StudioServer::warmUp, "studio-warm-up");
        warm.setDaemon(true);
        warm.setPriority(Thread.MIN_PRIORITY);
        warm.start();
        return this;
    }

    /**
     * Runs the frame path (filters, JPEG) on a dummy 640x480 frame for a moment, so that the JIT has compiled it before
     * the first user's frames arrive (the first frames would otherwise take tens of milliseconds).
     */
    static void warmUp() {
        byte[] rgb = new byte[640 * 480 * 3];
        new java.util.Random(1).nextBytes(rgb);
        dev.convolve.tensor.Tensor frame = dev.convolve.tensor.Tensor.wrap(dev.convolve.tensor.DType.U8, dev.convolve.tensor.Shape.of(480, 640, 3), rgb);
        try (dev.convolve.io.ImageJpegEncoder jpeg = new dev.convolve.io.ImageJpegEncoder(80)) {
            long end = System.nanoTime() + 1_500_000_000L;
            for (int i = 0; i < 200 && System.nanoTime() < end; i++) {
                dev.convolve.tensor.Tensor out = Filters.apply(frame, i % 3 == 2 ? Kernels.named("laplacian") : Kernels.gaussian(5, 1),
                        dev.convolve.vision.FilterOptions.defaults().withStride(1 + i % 2));
                if (i % 4 == 0) jpeg.encode(out);
            }
        } catch (RuntimeException e) {
            // Only an optimisation: the server works without it.
        }
    }

    /** The port the server listens on. */
    public int port() {
        if (app == null) throw new IllegalStateException("serve: the server is not started");
        return app.port();
    }

    /** The counters of {@code GET /api/health}. */
    public String healthJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", "ok");
        o.put("connections", shared.connections.get());
        o.put("opened", shared.opened.get());
        o.put("framesReceived", shared.received.get());
        o.put("framesProcessed", shared.processed.get());
        o.put("framesDropped", shared.dropped.get());
        o.put("messagesRefused", shared.refused.get());
        long n = shared.processed.get();
        o.put("meanServerMs", n == 0 ? 0 : shared.serverNanos.get() / 1e6 / n);
        o.put("implementation", Filters.implementation());
        o.put("maxPixels", shared.maxPixels);
        return o.toString();
    }

    private static String kernelsJson() {
        ArrayNode a = JSON.createArrayNode();
        for (Kernels.Entry e : Kernels.catalogue()) {
            ObjectNode o = a.addObject();
            o.put("name", e.name());
            o.put("description", e.description());
            o.put("takesSize", e.takesSize());
            o.put("takesSigma", e.takesSigma());
        }
        return a.toString();
    }

    @Override
    public void close() {
        if (app != null) app.stop();
        app = null;
        shared.workers.shutdownNow();
        try {
            shared.workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The WebSocket endpoint: partial messages (no size limit in Jetty; the socket refuses what is too big itself). */
    static final class SocketServlet extends JettyWebSocketServlet {
        private final transient Shared shared;

        SocketServlet(Shared shared) { this.shared = shared; }

        @Override
        protected void configure(JettyWebSocketServletFactory f) {
            // Jetty would close the connection on a message above these limits; the socket receives messages in parts
            // and refuses oversized ones itself, so the connection survives them. Frames above maxFrameSize are split.
            f.setMaxBinaryMessageSize(Long.MAX_VALUE / 2);
            f.setMaxTextMessageSize(Long.MAX_VALUE / 2);
            f.setMaxFrameSize(1 << 20);
            f.setAutoFragment(true);
            f.setIdleTimeout(Duration.ofMinutes(10));
            f.setCreator((req, resp) -> new StudioSocket(shared));
        }
    }
}
