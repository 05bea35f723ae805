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
 *   <li>{@code resnet}: a small residual network with batch norm: a 3x3 stem (24 channels), basic blocks at
 *       28x28 (24), 14x14 (48) and 7x7 (96), global average pooling and a dense classifier.</li>
 * </ul>
 */
public final class Models {
    private Models() {}

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("simple-cnn", "lenet5", "resnet");

    /**
     * A freshly initialized model.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static Module create(String name, long seed) {
        Module m = switch (normalize(name)) {
            case "simple-cnn" -> simpleCnn();
            case "lenet5" -> lenet5();
            case "resnet" -> resnet();
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

    /** fast.ai's {@code conv(ni, nf, ks=3, stride=2, act=True)}. */
    private static Module fastaiConv(int ni, int nf, boolean act) {
        Conv c = Conv.conv2d(ni, nf, 3, 2, 1);
        return act ? new Sequential(c, Activation.relu()) : c;
    }

    /** fast.ai's simple_cnn: 28x28 -> 14 -> 7 -> 4 -> 2 -> 1, 5274 parameters. */
    public static Sequential simpleCnn() {
        return new Sequential(
                fastaiConv(1, 4, true),
                fastaiConv(4, 8, true),
                fastaiConv(8, 16, true),
                fastaiConv(16, 16, true),
                fastaiConv(16, 10, false),
                new Flatten());
    }

    /** LeNet-5 for 28x28 inputs (the first conv pads by 2, as the original's 32x32 input). */
    public static Sequential lenet5() {
        return new Sequential(
                Conv.conv2d(1, 6, 5, 1, 2), Activation.relu(), Pool.max2d(2),
                Conv.conv2d(6, 16, 5, 1, 0), Activation.relu(), Pool.max2d(2),
                new Flatten(),
                new Dense(400, 120), Activation.relu(),
                new Dense(120, 84), Activation.relu(),
                new Dense(84, 10));
    }

    /** A small ResNet with batch norm for 28x28 grey images. */
    public static Sequential resnet() {
        return new Sequential(
                new Conv(1, 24, new int[] {3, 3}, ConvOptions.defaults().withPadding(1, 1, 1, 1), false, Init.kaimingNormal()),
                new BatchNorm(24), Activation.relu(),
                Residual.basicBlock(24, 24, 1),
                Residual.basicBlock(24, 48, 2),
                Residual.basicBlock(48, 96, 2),
                new GlobalAvgPool(),
                new Dense(96, 10));
    }
}
