package dev.stepwise.aws.testkit;

import java.nio.charset.StandardCharsets;

/**
 * Decodes an EC2Rescue {@code OfflineScript} in either encoding AWS's pages use (reference
 * aws-patching-and-drivers.md section 4, "Encoding discrepancy"): UTF-16LE ({@code [Text.Encoding]::Unicode}) when
 * every odd byte is NUL, as it is for text in the ASCII range, otherwise UTF-8 (ASCII being part of it).
 */
final class OfflineScriptText {
    private OfflineScriptText() {
    }

    static String decode(byte[] raw) {
        boolean utf16 = raw.length >= 2 && raw.length % 2 == 0;
        for (int i = 1; utf16 && i < raw.length; i += 2) {
            utf16 = raw[i] == 0;
        }
        return new String(raw, utf16 ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8);
    }
}
