package dev.stepwise.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fill-in proxy reads an OfflineScript in both encodings AWS's pages use. */
class DriversOfflineScriptDecodingTest {
    private static final String SCRIPT = "$ErrorActionPreference = 'Stop'\nWrite-Output \"ok\"\n";

    @Test
    void decode_whenUtf16le_asTheOlderPagesEncode_readsTheText() {
        assertThat(OfflineScriptText.decode(SCRIPT.getBytes(StandardCharsets.UTF_16LE))).isEqualTo(SCRIPT);
    }

    @Test
    void decode_whenAscii_asTheCurrentPagesEncode_readsTheText() {
        assertThat(OfflineScriptText.decode(SCRIPT.getBytes(StandardCharsets.US_ASCII))).isEqualTo(SCRIPT);
    }

    @Test
    void decode_whenAsciiOfEvenLength_isNotTakenForUtf16() {
        String even = "ab";
        assertThat(OfflineScriptText.decode(even.getBytes(StandardCharsets.US_ASCII))).isEqualTo(even);
    }
}
