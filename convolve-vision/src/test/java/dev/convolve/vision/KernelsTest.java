package dev.convolve.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.convolve.tensor.DType;
import dev.convolve.tensor.Tensor;
import org.junit.jupiter.api.Test;

class KernelsTest {
    @Test
    void gaussianIsTheNxSeedsKernel() {
        // Filter.gaussian_blur_kernel(sigma: 0.5) as the Nx seed prints it (f32).
        double[][] nx = {
            {6.962478948935313e-8, 2.8088648832635954e-5, 2.075485826935619e-4, 2.8088648832635954e-5, 6.962478948935313e-8},
            {2.8088648832635954e-5, 0.0113317696377635, 0.08373107761144638, 0.0113317696377635, 2.8088648832635954e-5},
            {2.075485826935619e-4, 0.08373107761144638, 0.6186935901641846, 0.08373107761144638, 2.075485826935619e-4},
            {2.8088648832635954e-5, 0.0113317696377635, 0.08373107761144638, 0.0113317696377635, 2.8088648832635954e-5},
            {6.962478948935313e-8, 2.8088648832635954e-5, 2.075485826935619e-4, 2.8088648832635954e-5, 6.962478948935313e-8},
        };
        Tensor k = Kernels.gaussian(5, 0.5).toTensor(DType.F32);
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) assertEquals(nx[a][b], k.get(a, b), 1e-6 * nx[a][b], "at " + a + "," + b);  // Nx computes in f32
        }
        assertEquals(1.0, Kernels.gaussian(5, 0.5).sum(), 1e-12);
    }

    @Test
    void gaussianIsTheOuterProductOfOpenCvsOneDimensionalKernel() {
        // cv2.getGaussianKernel(5, 1.0)
        double[] g = {0.05448868454964294, 0.24420134200323332, 0.40261994689424746, 0.24420134200323332, 0.05448868454964294};
        Kernel k = Kernels.gaussian(5, 1.0);
        for (int a = 0; a < 5; a++) for (int b = 0; b < 5; b++) assertEquals(g[a] * g[b], k.get(a, b), 1e-12);
        Kernel.Separable s = k.separable().orElseThrow();
        for (int a = 0; a < 5; a++) assertEquals(g[a] * g[2] / g[2], s.column()[a] / s.column()[2] * g[2], 1e-12);
        assertEquals(5, Kernels.named("gaussian").rows(), "default sigma 1 gives 5x5");
        assertEquals(13, Kernels.spec("gaussian:sigma=3", Kernels.KernelParams.DEFAULT).rows(), "2*ceil(2*sigma)+1");
        assertEquals(15, Kernels.spec("gaussian:size=15,sigma=3", Kernels.KernelParams.DEFAULT).rows());
        assertEquals(Kernels.gaussian(4, 1), Kernels.named("gaussian", new Kernels.KernelParams(4, 1)), "even sizes are centred between pixels");
        assertEquals(Kernels.gaussian(4, 1).get(0, 1), Kernels.gaussian(4, 1).get(0, 2), 1e-15);
    }

    @Test
    void separableKernelsAreFound() {
        for (String n : new String[] {"gaussian", "box", "sobel-x", "sobel-y", "scharr-x", "scharr-y", "prewitt-x", "prewitt-y",
                "top-edge", "left-edge", "nx-edge", "nx-edge-v", "d2l-edge", "identity"}) {
            Kernel k = Kernels.named(n);
            Kernel.Separable s = k.separable().orElseThrow(() -> new AssertionError(n + " should be separable"));
            for (int a = 0; a < k.rows(); a++) {
                for (int b = 0; b < k.cols(); b++) assertEquals(k.get(a, b), s.column()[a] * s.row()[b], 1e-12, n);
            }
        }
        for (String n : new String[] {"laplacian", "laplacian8", "sharpen", "emboss", "diag1-edge", "diag2-edge"}) {
            assertFalse(Kernels.named(n).separable().isPresent(), n + " is not separable");
        }
    }

    @Test
    void theCatalogueHasTheKernelsOfTheIssueAndTheSeeds() {
        assertEquals(Kernels.named("top-edge"), Kernels.parse("-1,-1,-1;0,0,0;1,1,1"));
        assertEquals(Kernels.named("left"), Kernels.parse("-1,0,1;-1,0,1;-1,0,1"));
        assertEquals(Kernels.named("diag1"), Kernels.parse("0,-1,1;-1,1,0;1,0,0"));
        assertEquals(Kernels.named("diag2"), Kernels.parse("1,-1,0;0,1,-1;0,0,1"));
        assertEquals(Kernels.named("nx-edge"), Kernels.parse("-1,0,1"));
        assertEquals(Kernels.named("d2l-edge"), Kernels.parse("1,-1"));
        assertEquals(Kernels.named("laplacian4"), Kernels.parse("0 1 0; 1 -4 1; 0 1 0"));
        assertEquals(Kernels.named("laplacian8"), Kernels.parse("1,1,1;1,-8,1;1,1,1"));
        assertEquals(Kernels.named("sharpen"), Kernels.parse("0,-1,0;-1,5,-1;0,-1,0"));
        assertEquals(Kernels.named("scharr-x"), Kernels.parse("-3,0,3;-10,0,10;-3,0,3"));
        assertEquals(Kernels.named("box", new Kernels.KernelParams(2, 0)), Kernels.parse("1/4,1/4;1/4,1/4"));
        assertEquals(Kernels.named("sobel-x"), Kernels.parse("[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]"));
        assertTrue(Kernels.catalogue().size() >= 20);
    }

    @Test
    void matricesPrintAligned() {
        assertEquals("[-1,  0,  1]\n[-2,  0,  2]\n[-1,  0,  1]\n", Kernels.named("sobel-x").matrixString());
        assertEquals("[0.25, 0.25]\n[0.25, 0.25]\n", Kernels.box(2).matrixString());
    }

    @Test
    void badKernelsAreRefusedWithAClearMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> Kernels.parse("1,2;3"));
        assertEquals("kernel: every row must have the same length, but row 0 has 2 weights and row 1 has 1 in '1,2;3'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.parse("1,x,3"));
        assertEquals("kernel: 'x' is not a number in '1,x,3'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.parse(" ; "));
        assertTrue(e.getMessage().contains("has no weights"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.named("blurry"));
        assertTrue(e.getMessage().startsWith("kernel: unknown kernel 'blurry'; known: gaussian, box, sobel-x"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.spec("sobel-x:size=5", Kernels.KernelParams.DEFAULT));
        assertEquals("kernel: sobel-x has a fixed size; only gaussian and box take size=", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.spec("gaussian:radius=5", Kernels.KernelParams.DEFAULT));
        assertTrue(e.getMessage().contains("unknown parameter 'radius'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.gaussian(5, 0));
        assertEquals("gaussian: sigma must be positive, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.parse("1,1e999"));
        assertTrue(e.getMessage().contains("is not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.box(300));
        assertEquals("box: size must be between 1 and 255, got 300", e.getMessage());
    }
}
