package dev.convolve.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client of the studio for the tests (java.net.http): messages queued as they arrive. */
final class StudioClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A text message parsed as JSON, or a binary one. */
    record Message(JsonNode json, byte[] binary) {
        String type() { return json == null ? "binary" : json.path("type").asText(); }
    }

    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final WebSocket ws;
    volatile boolean closed;

    StudioClient(int port) throws Exception {
        ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();
                    final ByteArrayOutputStream bin = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                messages.add(new Message(JSON.readTree(text.toString()), null));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        bin.writeBytes(b);
                        if (last) {
                            messages.add(new Message(null, bin.toByteArray()));
                            bin.reset();
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                        closed = true;
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    Message next() throws InterruptedException {
        Message m = messages.poll(20, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message from the server within 20 s");
        return m;
    }

    /** The next message of {@code type}, skipping none: fails if another comes first. */
    Message expect(String type) throws InterruptedException {
        Message m = next();
        if (!m.type().equals(type)) throw new AssertionError("expected a " + type + " message, got " + (m.json == null ? "binary" : m.json.toString()));
        return m;
    }

    void sendText(String s) { ws.sendText(s, true).join(); }

    void sendBinary(byte[] b) { ws.sendBinary(ByteBuffer.wrap(b), true).join(); }

    /** A frame message: header + RGBA. */
    static byte[] frame(int w, int h, long id, byte[] rgba) {
        ByteBuffer b = ByteBuffer.allocate(FrameHeader.SIZE + rgba.length);
        FrameHeader.write(b, w, h, id);
        b.put(rgba);
        return b.array();
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
        }
    }
}
