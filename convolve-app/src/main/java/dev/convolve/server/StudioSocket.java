package dev.convolve.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.io.ImageJpegEncoder;
import dev.convolve.tensor.DType;
import dev.convolve.tensor.Shape;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.Filters;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WebSocketPartialListener;
import org.eclipse.jetty.websocket.api.WriteCallback;

/**
 * One WebSocket connection of the studio (the protocol is in docs/vision.md).
 *
 * <p>Messages arrive in parts (Jetty's partial listener), so a message of any size can be refused without buffering it:
 * a binary frame is copied only while its header is valid and its length within bounds; anything else is counted,
 * discarded and answered with a JSON error when it ends, and the connection goes on.
 *
 * <p>Frames are processed on a worker pool, one at a time per connection: a frame that arrives while the previous one
 * is being processed replaces the one waiting (latest frame wins, nothing queues). Replies are sent asynchronously; while
 * more than {@link #MAX_UNSENT} replies are unsent (a client that does not read), new frames are dropped.
 */
final class StudioSocket implements WebSocketPartialListener {
    static final int MAX_TEXT = 64 * 1024;
    static final int MAX_UNSENT = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Frame(FrameHeader header, byte[] data, long receivedNanos) {}

    private final StudioServer.Shared shared;
    private volatile Session session;
    private volatile StudioSettings settings = StudioSettings.defaults();

    // Assembly of the current incoming binary message (Jetty calls the listener serially for one connection).
    private final ByteBuffer head = ByteBuffer.allocate(FrameHeader.SIZE);
    private byte[] body;
    private FrameHeader bodyHeader;
    private long messageBytes;
    private String refusal;
    // Assembly of the current text message.
    private final StringBuilder text = new StringBuilder();
    private long textBytes;

    private final AtomicReference<Frame> pending = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final AtomicInteger unsent = new AtomicInteger();
    private volatile boolean closed;
    private final Object sendLock = new Object();
    private ImageJpegEncoder encoder;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

    StudioSocket(StudioServer.Shared shared) {
        this.shared = shared;
    }

    @Override
    public void onWebSocketConnect(Session s) {
        session = s;
        shared.connections.incrementAndGet();
        shared.opened.incrementAndGet();
        ObjectNode hello = settings.toJson(JSON.createObjectNode());
        hello.put("type", "hello");
        hello.put("maxPixels", shared.maxPixels);
        hello.put("implementation", Filters.implementation());
        send(hello.toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed = true;
        shared.connections.decrementAndGet();
        pending.set(null);
        if (scheduled.compareAndSet(false, true)) cleanup();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Jetty closes the connection after this; onWebSocketClose does the rest.
    }

    // ------------------------------------------------------------------ binary: frames

    @Override
    public void onWebSocketPartialBinary(ByteBuffer payload, boolean fin) {
        int n = payload.remaining();
        messageBytes += n;
        if (refusal == null) {
            if (head.hasRemaining()) {
                int take = Math.min(head.remaining(), payload.remaining());
                ByteBuffer part = payload.duplicate();
                part.limit(part.position() + take);
                head.put(part);
                payload.position(payload.position() + take);
                if (!head.hasRemaining()) startBody();
            }
            if (refusal == null && body != null && payload.hasRemaining()) {
                long at = messageBytes - n + (n - payload.remaining()) - FrameHeader.SIZE;
                if (at + payload.remaining() > body.length) {
                    refusal = "frame: a " + bodyHeader.width() + "x" + bodyHeader.height() + " RGBA frame is " + (FrameHeader.SIZE + body.length)
                            + " bytes with its header, but the message is longer";
                    body = null;
                } else {
                    payload.get(body, (int) at, payload.remaining());
                }
            }
        }
        if (fin) finishBinary();
    }

    /** The header is complete: validate what can be validated before the rest arrives. */
    private void startBody() {
        ByteBuffer full = head.duplicate().flip();   // head itself stays full, so no later part writes into it
        try {
            FrameHeader h = FrameHeader.parse(full, FrameHeader.SIZE + 4L * (full.getShort(4) & 0xFFFF) * (full.getShort(6) & 0xFFFF), shared.maxPixels);
            bodyHeader = h;
            body = new byte[4 * h.width() * h.height()];
        } catch (IllegalArgumentException e) {
            refusal = e.getMessage();
        }
    }

    private void finishBinary() {
        long length = messageBytes;
        String why = refusal;
        FrameHeader h = bodyHeader;
        byte[] data = body;
        head.clear();
        body = null;
        bodyHeader = null;
        messageBytes = 0;
        refusal = null;
        if (why == null) {
            if (h == null) {
                why = "frame: a binary message must start with a 12-byte header, got " + length + " bytes";
            } else if (length != FrameHeader.SIZE + 4L * h.width() * h.height()) {
                why = "frame: a " + h.width() + "x" + h.height() + " RGBA frame is " + (FrameHeader.SIZE + 4L * h.width() * h.height())
                        + " bytes with its header, got " + length;
            }
        }
        if (why != null) {
            shared.refused.incrementAndGet();
            sendError(length > shared.maxMessageBytes() ? "too-large" : "bad-frame", why + " (message of " + length + " bytes; the connection stays open)");
            return;
        }
        shared.received.incrementAndGet();
        Frame old = pending.getAndSet(new Frame(h, data, System.nanoTime()));
        if (old != null) {
            dropped.incrementAndGet();
            shared.dropped.incrementAndGet();
        }
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                shared.workers.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    /** Processes the waiting frame until there is none (runs on a worker, one at a time per connection). */
    private void drain() {
        try {
            Frame f;
            while (!closed && (f = pending.getAndSet(null)) != null) {
                if (unsent.get() > MAX_UNSENT) {
                    dropped.incrementAndGet();
                    shared.dropped.incrementAndGet();
                    continue;
                }
                process(f);
            }
        } catch (RuntimeException | Error e) {
            sendError("server", "frame: the server failed on this frame: " + e);
        } finally {
            if (closed) {
                cleanup();
            } else {
                scheduled.set(false);
                if (pending.get() != null) schedule();
            }
        }
    }

    private void process(Frame f) {
        StudioSettings s = settings;
        FrameHeader h = f.header();
        int w = h.width(), ht = h.height();
        long t0 = System.nanoTime();
        byte[] rgba = f.data();
        byte[] rgb = new byte[w * ht * 3];
        for (int i = 0, p = 0, q = 0; i < w * ht; i++, p += 4, q += 3) {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }
        Tensor out;
        try {
            out = Filters.apply(Tensor.wrap(DType.U8, Shape.of(ht, w, 3), rgb), s.kernel(), s.options());
        } catch (IllegalArgumentException e) {
            sendError("bad-frame", e.getMessage() + " (frame " + h.id() + ")");
            return;
        }
        long t1 = System.nanoTime();
        if (encoder == null) encoder = new ImageJpegEncoder(s.quality());
        if (encoder.quality() != s.quality()) encoder.setQuality(s.quality());
        byte[] jpeg = encoder.encode(out);
        long t2 = System.nanoTime();
        ObjectNode stats = JSON.createObjectNode();
        stats.put("type", "frame");
        stats.put("id", h.id());
        stats.put("width", out.dim(1));
        stats.put("height", out.dim(0));
        stats.put("inWidth", w);
        stats.put("inHeight", ht);
        stats.put("filterMs", (t1 - t0) / 1e6);
        stats.put("encodeMs", (t2 - t1) / 1e6);
        stats.put("serverMs", (t2 - f.receivedNanos()) / 1e6);
        stats.put("bytes", jpeg.length);
        stats.put("dropped", dropped.get());
        stats.put("kernel", s.kernel().name() + " " + s.kernel().rows() + "x" + s.kernel().cols());
        shared.processed.incrementAndGet();
        shared.serverNanos.addAndGet(t2 - f.receivedNanos());
        synchronized (sendLock) {
            send(stats.toString());
            sendBinary(jpeg);
        }
    }

    private void cleanup() {
        if (cleaned.compareAndSet(false, true)) {
            pending.set(null);
            if (encoder != null) encoder.close();
            encoder = null;
        }
    }

    // ------------------------------------------------------------------ text: settings

    @Override
    public void onWebSocketPartialText(String payload, boolean fin) {
        textBytes += payload.length();
        if (textBytes <= MAX_TEXT) text.append(payload);
        if (!fin) return;
        long length = textBytes;
        String msg = text.toString();
        text.setLength(0);
        textBytes = 0;
        if (length > MAX_TEXT) {
            shared.refused.incrementAndGet();
            sendError("too-large", "text messages are limited to " + MAX_TEXT + " characters, got " + length + " (the connection stays open)");
            return;
        }
        handleText(msg);
    }

    private void handleText(String msg) {
        JsonNode node;
        try {
            node = JSON.readTree(msg);
        } catch (Exception e) {
            shared.refused.incrementAndGet();
            sendError("bad-json", "text messages must be JSON objects: " + oneLine(e.getMessage()));
            return;
        }
        if (node == null || !node.isObject()) {
            shared.refused.incrementAndGet();
            sendError("bad-json", "text messages must be JSON objects, got " + abbreviate(msg));
            return;
        }
        String type = node.path("type").asText("");
        switch (type) {
            case "settings" -> {
                try {
                    StudioSettings next = settings.with(node);
                    settings = next;
                    send(next.toJson(JSON.createObjectNode()).toString());
                } catch (IllegalArgumentException e) {
                    shared.refused.incrementAndGet();
                    sendError("bad-settings", e.getMessage() + " (settings unchanged)");
                }
            }
            case "ping" -> {
                ObjectNode pong = JSON.createObjectNode();
                pong.put("type", "pong");
                if (node.has("t")) pong.set("t", node.get("t"));
                send(pong.toString());
            }
            default -> {
                shared.refused.incrementAndGet();
                sendError("bad-message", "unknown message type '" + type + "', expected settings or ping");
            }
        }
    }

    // ------------------------------------------------------------------ sending

    private void sendError(String code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "error");
        e.put("code", code);
        e.put("message", message);
        send(e.toString());
    }

    private final WriteCallback done = new WriteCallback() {
        @Override public void writeSuccess() { unsent.decrementAndGet(); }

        @Override public void writeFailed(Throwable x) { unsent.decrementAndGet(); }
    };

    private void send(String json) {
        Session s = session;
        if (s == null || !s.isOpen()) return;
        synchronized (sendLock) {
            unsent.incrementAndGet();
            try {
                s.getRemote().sendString(json, done);
            } catch (RuntimeException e) {
                unsent.decrementAndGet();
            }
        }
    }

    private void sendBinary(byte[] bytes) {
        Session s = session;
        if (s == null || !s.isOpen()) return;
        synchronized (sendLock) {
            unsent.incrementAndGet();
            try {
                s.getRemote().sendBytes(ByteBuffer.wrap(bytes), done);
            } catch (RuntimeException e) {
                unsent.decrementAndGet();
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
