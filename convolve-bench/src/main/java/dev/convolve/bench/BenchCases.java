package dev.convolve.bench;

import static dev.convolve.bench.BenchCase.conv2d;

import java.util.List;

/**
 * The standard table: the anchor's shapes ({@code torch_conv.py}) first, then the rest of the families
 * (the whole MNIST CNN, a small residual network, 1-D, 3-D and pooling). Rows are only ever added.
 */
public final class BenchCases {
    private BenchCases() {}

    public static List<BenchCase> standard() {
        return List.of(
                conv2d("fastai-28x28-1img-3x3", 1, 1, 28, 28, 1, 3, 3, 1, 0, 1),
                conv2d("mnist-l1-b256", 256, 1, 28, 28, 4, 3, 3, 2, 1, 1),
                conv2d("mnist-l3-b256", 256, 8, 7, 7, 16, 3, 3, 2, 1, 1),
                conv2d("resnet-56x56-64-64-b8", 8, 64, 56, 56, 64, 3, 3, 1, 1, 1),
                conv2d("vgg-28x28-128-256-b8", 8, 128, 28, 28, 256, 3, 3, 1, 1, 1),
                conv2d("pointwise-28x28-256-256-b8", 8, 256, 28, 28, 256, 1, 1, 1, 0, 1),
                conv2d("depthwise-56x56-128-b8", 8, 128, 56, 56, 128, 3, 3, 1, 1, 128),
                conv2d("blur-rgba-256-5x5-s2", 4, 1, 256, 256, 1, 5, 5, 2, 2, 1),
                conv2d("blur-1080p-rgb-15x15", 3, 1, 1080, 1920, 1, 15, 15, 1, 7, 1),
                // the rest of the seeds' MNIST CNN (1 -> 4 -> 8 -> 16 -> 16 -> 10, 3x3 stride 2 pad 1)
                conv2d("mnist-l2-b256", 256, 4, 14, 14, 8, 3, 3, 2, 1, 1),
                conv2d("mnist-l4-b256", 256, 16, 4, 4, 16, 3, 3, 2, 1, 1),
                conv2d("mnist-l5-b256", 256, 16, 2, 2, 10, 3, 3, 2, 1, 1),
                // a small residual network at 28x28 / 14x14 / 7x7
                conv2d("res-28x28-32-32-b64", 64, 32, 28, 28, 32, 3, 3, 1, 1, 1),
                conv2d("res-14x14-64-64-b64", 64, 64, 14, 14, 64, 3, 3, 1, 1, 1),
                conv2d("res-7x7-64-64-b64", 64, 64, 7, 7, 64, 3, 3, 1, 1, 1),
                conv2d("res-down-28-14-32-64-b64", 64, 32, 28, 28, 64, 3, 3, 2, 1, 1),
                // other strided shapes of these families: a 5x5 MNIST layer, the next residual downsampling
                conv2d("mnist-l2-5x5-b256", 256, 4, 14, 14, 8, 5, 5, 2, 2, 1),
                conv2d("res-down-14-7-64-128-b64", 64, 64, 14, 14, 128, 3, 3, 2, 1, 1),
                conv2d("depthwise-28x28-256-s2-b8", 8, 256, 28, 28, 256, 3, 3, 2, 1, 256),
                // other 1x1 layers: a ResNet bottleneck's last stage (small planes) and its first expansion (a large output)
                conv2d("pointwise-7x7-512-512-b32", 32, 512, 7, 7, 512, 1, 1, 1, 0, 1),
                conv2d("pointwise-56x56-64-256-b8", 8, 64, 56, 56, 256, 1, 1, 1, 0, 1),
                // 1-D and 3-D
                new BenchCase("conv1d-4096-64-64-k9", BenchCase.Kind.CONV, new int[] {32, 64, 4096}, new int[] {64, 64, 9}, new int[] {1}, new int[] {4}, 1),
                new BenchCase("conv3d-32x64x64-16-32-k3", BenchCase.Kind.CONV, new int[] {2, 16, 32, 64, 64}, new int[] {32, 16, 3, 3, 3},
                        new int[] {1, 1, 1}, new int[] {1, 1, 1}, 1),
                // pooling on 8x64x112x112
                pool("maxpool-2x2-s2", BenchCase.Kind.MAX_POOL, 2, 2, 0),
                pool("avgpool-2x2-s2", BenchCase.Kind.AVG_POOL, 2, 2, 0),
                pool("maxpool-3x3-s2-p1", BenchCase.Kind.MAX_POOL, 3, 2, 1),
                pool("avgpool-3x3-s2-p1", BenchCase.Kind.AVG_POOL, 3, 2, 1));
    }

    private static BenchCase pool(String name, BenchCase.Kind kind, int k, int s, int p) {
        return new BenchCase(name, kind, new int[] {8, 64, 112, 112}, new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, 1);
    }

    /** The case of the standard table with this name, or null. */
    public static BenchCase named(String name) {
        for (BenchCase c : standard()) if (c.name().equals(name)) return c;
        return null;
    }
}
