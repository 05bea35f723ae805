package dev.convolve.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchCaseTest {

    @Test
    void parsesTheCaseSyntaxWithDefaults() {
        BenchCase c = BenchCase.parse("8,64,56,56,64,3,3,1,1");
        assertArrayEquals(new int[] {8, 64, 56, 56}, c.input());
        assertArrayEquals(new int[] {64, 64, 3, 3}, c.kernel());
        assertArrayEquals(new int[] {1, 1}, c.stride());
        assertArrayEquals(new int[] {1, 1}, c.pad());
        BenchCase d = BenchCase.parse("8, 128, 56, 56, 128, 3, 3, 1, 1, 128");
        assertArrayEquals(new int[] {128, 1, 3, 3}, d.kernel());
        assertEquals(128, d.groups());
        assertArrayEquals(new int[] {1, 1}, BenchCase.parse("1,1,5,5,1,3,3").stride());
    }

    @Test
    void flopsCountEveryTapAsTheAnchorDoes() {
        // PyTorch's anchor: 2 * N * K * OH * OW * (C / g) * R * S
        assertEquals(2.0 * 8 * 64 * 56 * 56 * 64 * 9, BenchCase.parse("8,64,56,56,64,3,3,1,1").flops());
        assertEquals(2.0 * 256 * 4 * 14 * 14 * 1 * 9, BenchCase.parse("256,1,28,28,4,3,3,2,1").flops());
        assertEquals(2.0 * 8 * 128 * 56 * 56 * 1 * 9, BenchCase.parse("8,128,56,56,128,3,3,1,1,128").flops());
    }

    @Test
    void rejectsWhatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> BenchCase.parse("1,2,3"));
        assertThrows(IllegalArgumentException.class, () -> BenchCase.parse("1,2,3,4,5,6,x"));
        assertThrows(IllegalArgumentException.class, () -> BenchCase.parse("0,1,8,8,1,3,3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchCase.parse("1,3,8,8,4,3,3,1,0,2"));
        assertTrue(e.getMessage().contains("not divisible by groups 2"), e.getMessage());
    }

    @Test
    void theStandardTableKeepsTheAnchorRowsAndHasUniqueNames() {
        Set<String> names = new HashSet<>();
        for (BenchCase c : BenchCases.standard()) assertTrue(names.add(c.name()), "duplicate " + c.name());
        for (String anchor : new String[] {"fastai-28x28-1img-3x3", "mnist-l1-b256", "mnist-l3-b256", "resnet-56x56-64-64-b8", "vgg-28x28-128-256-b8",
                "pointwise-28x28-256-256-b8", "depthwise-56x56-128-b8", "blur-rgba-256-5x5-s2", "blur-1080p-rgb-15x15"}) {
            assertNotNull(BenchCases.named(anchor), anchor);
        }
    }

    @Test
    void jsonCarriesTheRequiredKeys() {
        BenchCase c = BenchCases.named("mnist-l1-b256");
        String j = new Measurement(c, "forward", "flat", 100, 36.1, 15.7, 200, 2.0, false).toJson();
        for (String key : new String[] {"\"case\":", "\"direction\":", "\"micros\":", "\"gflops\":", "\"torch_micros\":", "\"ratio\":"}) {
            assertTrue(j.contains(key), j);
        }
        assertFalse(j.contains("\"output\""), j);
        String reused = new Measurement(c, "forward", "flat", 100, 36.1, 15.7, 200, 2.0, true).toJson();
        assertTrue(reused.endsWith(",\"output\":\"reused\"}"), reused);
    }
}
