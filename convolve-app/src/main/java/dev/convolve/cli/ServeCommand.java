package dev.convolve.cli;

import dev.convolve.server.StudioServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convolve serve [--port P]}: the live webcam studio. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Serve the live studio: your webcam filtered on the server, frame by frame, in a web page.",
        description = {"Serves the live studio: a web page that streams your webcam to this server, which filters every frame",
            "(Gaussian blur by default; kernel, sigma and stride chosen on the page) and sends it back as JPEG.",
            "Open the printed address in a browser (http://localhost works with a camera; other hosts need HTTPS). Ctrl-C stops."})
final class ServeCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--max-pixels", defaultValue = "2073600", description = "largest frame accepted, in pixels (default ${DEFAULT-VALUE} = 1920x1080)")
    long maxPixels;

    @Override
    public Integer call() throws Exception {
        StudioServer server = new StudioServer(maxPixels).start(host, port);
        String shown = host.equals("0.0.0.0") || host.equals("127.0.0.1") ? "localhost" : host;
        spec.commandLine().getOut().println("convolve studio: http://" + shown + ":" + server.port() + "/  (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }, "studio-shutdown"));
        stop.await();
        return 0;
    }
}
