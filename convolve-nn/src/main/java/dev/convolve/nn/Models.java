package dev.convolve.nn;

import dev.convolve.plan.ConvOptions;
import java.util.List;
import java.util.Locale;

/**
 * The built-in models, by name, for 1 x 28 x 28 images and 10 classes (MNIST, Fashion-MNIST).
 *
 * <ul>
 *   <li>{@code simple-cnn}: fast.ai's {@code simple_cnn}, five stride-2 3x3 convs (1-4-8-16-16-10) with ReLU
 *       between them, then Flatten; 5274 parameters.</li>
 *   <li>{@code lenet5}: LeNet-5 with ReLU and max pooling (conv 5x5 6, pool, conv 5x5 16, pool, dense 120-84-10);
 *       61,706 parameters.</li>
 *   <li>{@code resnet}: a small residual network with batch norm: a 3x3 stem (16 channels), downsampling basic
 *       blocks to 14x14 (32 channels) and 7x7 (64), global average pooling and a dense classifier.</li>
 * </ul>
 */
public final class Models {
    private Models() {}

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("simple-cnn", "lenet5", "resnet");

    /**
     * A freshly initialized model in the {@link Layout#BATCH_LAST} memory format (the fast one for training; it
     * takes and returns batch-first tensors like any model).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static Module create(String name, long seed) { return create(name, seed, defaultLayout()); }

    /** {@link Layout#BATCH_LAST}, unless the system property {@code convolve.nn.layout} says {@code batch-first}. */
    public static Layout defaultLayout() {
        return "batch-first".equals(System.getProperty("convolve.nn.layout")) ? Layout.BATCH_FIRST : Layout.BATCH_LAST;
    }

    /** A freshly initialized model whose activations use {@code layout}. */
    public static Module create(String name, long seed, Layout layout) {
        Module m = switch (normalize(name)) {
            case "simple-cnn" -> simpleCnn(layout);
            case "lenet5" -> lenet5(layout);
            case "resnet" -> resnet(layout);
            default -> throw new IllegalArgumentException("model: unknown model '" + name + "', expected one of " + String.join(", ", NAMES));
        };
        return m.initialize(seed);
    }

    /** Canonical spelling: lower case, underscores as dashes ({@code simple_cnn -> simple-cnn}). */
    public static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "simplecnn", "simple-cnn" -> "simple-cnn";
            case "lenet", "lenet-5", "lenet5" -> "lenet5";
            case "resnet", "small-resnet" -> "resnet";
            default -> n;
        };
    }

    private static Conv conv2d(Layout l, int in, int out, int k, int stride, int pad, boolean bias, Init init) {
        return new Conv(in, out, new int[] {k, k}, l.convOptions(ConvOptions.defaults().withStrides(stride).withPadding(pad, pad, pad, pad), 2), bias, init);
    }

    /** fast.ai's {@code conv(ni, nf, ks=3, stride=2, act=True)}. */
    private static Module fastaiConv(Layout l, int ni, int nf, boolean act) {
        Conv c = conv2d(l, ni, nf, 3, 2, 1, true, Init.pytorchWeight());
        return act ? new Sequential(c, Activation.relu()) : c;
    }

    /** fast.ai's simple_cnn: 28x28 -> 14 -> 7 -> 4 -> 2 -> 1, 5274 parameters. */
    public static Sequential simpleCnn(Layout l) {
        return new Sequential(
                fastaiConv(l, 1, 4, true),
                fastaiConv(l, 4, 8, true),
                fastaiConv(l, 8, 16, true),
                fastaiConv(l, 16, 16, true),
                fastaiConv(l, 16, 10, false),
                new Flatten(l)).withInputLayout(l);
    }

    /** LeNet-5 for 28x28 inputs (the first conv pads by 2, as the original's 32x32 input). */
    public static Sequential lenet5(Layout l) {
        return new Sequential(
                conv2d(l, 1, 6, 5, 1, 2, true, Init.pytorchWeight()), Activation.relu(), Pool.max2d(2).inLayout(l),
                conv2d(l, 6, 16, 5, 1, 0, true, Init.pytorchWeight()), Activation.relu(), Pool.max2d(2).inLayout(l),
                new Flatten(l),
                new Dense(400, 120), Activation.relu(),
                new Dense(120, 84), Activation.relu(),
                new Dense(84, 10)).withInputLayout(l);
    }

    /**
     * A small ResNet with batch norm for 28x28 grey images: a 3x3 stem (16 channels at 28x28), two downsampling
     * basic blocks (32 channels at 14x14, 64 at 7x7), global average pooling and a dense classifier; about 5.7
     * million multiply-adds per image.
     */
    public static Sequential resnet(Layout l) {
        return new Sequential(
                conv2d(l, 1, 16, 3, 1, 1, false, Init.kaimingNormal()), new BatchNorm(16).inLayout(l), Activation.relu(),
                Residual.basicBlock(16, 32, 2, l),
                Residual.basicBlock(32, 64, 2, l),
                new GlobalAvgPool(l),
                new Dense(64, 10)).withInputLayout(l);
    }
}
