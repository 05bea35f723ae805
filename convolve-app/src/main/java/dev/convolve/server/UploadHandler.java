package dev.convolve.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.convolve.io.ImageFormat;
import dev.convolve.io.Images;
import dev.convolve.tensor.Tensor;
import dev.convolve.vision.Filters;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Locale;

/**
 * {@code POST /api/filter?kernel=..&sigma=..&size=..&stride=..&border=..&format=png|jpeg&quality=..}: the body is an
 * image file (PNG, JPEG, BMP, GIF, up to {@link StudioServer#MAX_UPLOAD_BYTES}); the answer is the filtered image
 * (PNG by default), with the timings in the headers {@code X-Convolve-Filter-Ms} and {@code X-Convolve-Server-Ms}.
 * Errors are {@code 400} (or {@code 413}) with {@code {"type": "error", "message": ...}}.
 */
final class UploadHandler implements Handler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StudioServer.Shared shared;

    UploadHandler(StudioServer.Shared shared) { this.shared = shared; }

    @Override
    public void handle(Context ctx) {
        long t0 = System.nanoTime();
        try {
            ObjectNode q = JSON.createObjectNode();
            for (String key : new String[] {"kernel", "border"}) if (ctx.queryParam(key) != null) q.put(key, ctx.queryParam(key));
            for (String key : new String[] {"sigma"}) if (ctx.queryParam(key) != null) q.put(key, number(key, ctx.queryParam(key)));
            for (String key : new String[] {"size", "stride", "quality"}) if (ctx.queryParam(key) != null) q.put(key, whole(key, ctx.queryParam(key)));
            StudioSettings s = StudioSettings.defaults().with(q);
            String fmt = ctx.queryParam("format") == null ? "png" : ctx.queryParam("format");
            ImageFormat format = ImageFormat.parse(fmt);
            byte[] body = ctx.bodyAsBytes();
            if (body.length == 0) throw new IllegalArgumentException("upload: the request body must be an image file (PNG, JPEG, BMP or GIF)");
            Tensor img = Images.decode(body);
            if ((long) img.dim(0) * img.dim(1) > 64L << 20) throw new IllegalArgumentException("upload: the image " + img.describe() + " is too large");
            long t1 = System.nanoTime();
            Tensor out = Filters.apply(img, s.kernel(), s.options());
            long t2 = System.nanoTime();
            if (format == ImageFormat.JPEG || format == ImageFormat.BMP) {
                if (out.rank() == 3 && out.dim(2) == 4) out = out.sliceAxis(0, 3, 2);
            }
            byte[] bytes = Images.encode(out, format, s.quality());
            ctx.header("X-Convolve-Filter-Ms", String.format(Locale.ROOT, "%.3f", (t2 - t1) / 1e6));
            ctx.header("X-Convolve-Server-Ms", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e6));
            ctx.header("X-Convolve-Shape", out.describe());
            ctx.contentType(format == ImageFormat.JPEG ? "image/jpeg" : "image/" + format.imageIoName());
            ctx.result(bytes);
        } catch (IllegalArgumentException e) {
            shared.refused.incrementAndGet();
            error(ctx, 400, e.getMessage());
        } catch (io.javalin.http.HttpResponseException e) {
            shared.refused.incrementAndGet();
            error(ctx, e.getStatus(), "upload: " + e.getMessage() + " (at most " + StudioServer.MAX_UPLOAD_BYTES + " bytes)");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "error");
        e.put("message", message);
        ctx.status(status).contentType("application/json").result(e.toString());
    }

    private static double number(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("upload: " + key + " must be a number, got '" + v + "'");
        }
    }

    private static long whole(String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("upload: " + key + " must be a whole number, got '" + v + "'");
        }
    }
}
