package io.outlast.family;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeepAliveTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"timeout=5, max=100|5000", "max=100, timeout=60|60000", "timeout = 2|2000",
            "Timeout=3|3000", "max=5|-1", "timeout=|-1", "timeout=soon|-1", "timeoutx, timeout=4|4000",
            "timeout=99999999999|-1"})
    void theAnnouncedIdle(String header, long ms) {
        assertEquals(ms, KeepAlive.timeoutMs(header));
    }
}
