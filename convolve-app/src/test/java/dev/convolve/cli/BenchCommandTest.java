package dev.convolve.cli;

import static dev.convolve.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code convolve bench conv}: a real (short) run of a tiny shape, its JSON, the table, and bad input. */
class BenchCommandTest {

    @Test
    void jsonHasOneObjectPerShapeAndDirection() throws Exception {
        String out = run("bench", "conv", "--case", "2,3,9,9,4,3,3,1,1", "--case", "4,1,12,12,2,3,3,2,1", "--backward", "--json",
                "--threads", "1", "--rounds", "1", "--sample-ms", "5", "--warmup-ms", "20", "--peak", "100").ok();
        String[] lines = out.split("\\R");
        assertEquals(4, lines.length, out);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines[0]);
        assertEquals("2x3x9x9*4x3x3-p1", first.get("case").asText());
        assertEquals("forward", first.get("direction").asText());
        assertTrue(first.get("micros").asDouble() > 0, out);
        assertTrue(first.get("gflops").asDouble() > 0, out);
        assertTrue(first.has("algorithm"), out);
        assertEquals("forward+backward", json.readTree(lines[1]).get("direction").asText());
        assertEquals("4x1x12x12*2x1x3-s2-p1", json.readTree(lines[2]).get("case").asText());
    }

    @Test
    void tablePrintsTheAlgorithmAndPercentOfPeak() {
        String out = run("bench", "conv", "--case", "1,1,28,28,1,3,3", "--threads", "1", "--rounds", "1", "--sample-ms", "5", "--warmup-ms", "20", "--peak", "100").ok();
        assertTrue(out.contains("case") && out.contains("GFLOP/s") && out.contains("%peak"), out);
        assertTrue(out.contains("1x1x28x28*1x1x3"), out);
    }

    @Test
    void badCasesSayWhatIsWrong() {
        String e = run("bench", "conv", "--case", "1,2,3").fails("convolve bench conv: bench: --case expects N,C,H,W,K,R,S");
        assertTrue(e.contains("'1,2,3'"), e);
        run("bench", "conv", "--case", "1,3,8,8,4,3,3,1,0,2").fails("convolve bench conv: bench: --case '1,3,8,8,4,3,3,1,0,2': channels 3 are not divisible by groups 2");
        run("bench", "conv", "--case", "1,1,2,2,1,5,5").fails("convolve bench conv: bench: case 1x1x2x2*1x1x5: the kernel");
        run("bench", "conv", "--threads", "0").fails("convolve bench conv: --threads must be at least 1");
        run("bench", "conv", "--only", "no-such-row").fails("convolve bench conv: --only no-such-row matches no row");
    }
}
