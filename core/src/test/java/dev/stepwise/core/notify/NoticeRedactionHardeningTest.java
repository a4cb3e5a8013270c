package dev.stepwise.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Hardening item 6, for notices: a secret input that reaches a failure message in an encoded form — URL-encoded
 * by an HTTP library, JSON-escaped by a server — is blanked like its raw form. Regression: notices blanked the
 * raw text only.
 */
class NoticeRedactionHardeningTest {
    private static final Key<String> PASSWORD = Key.secret("password", String.class);
    private static final String SECRET = "p@ss w+rd&=ö";

    @Test
    void forRun_whenAFailureQuotesTheSecretEncoded_blanksEveryForm() {
        String formEncoded = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        String lowerPercent20 = formEncoded.replace("+", "%20").toLowerCase(Locale.ROOT);
        String jsonEscaped = "p@ss w+rd&=\\u00f6";
        Plan plan = Plan.builder("login").input(Input.required(PASSWORD))
                .step(Step.mutating("login").reads(PASSWORD).run(ctx -> {
                    throw new IllegalStateException("refused form password=" + formEncoded + "; retried as "
                            + lowerPercent20 + "; server said {\"password\":\"" + jsonEscaped + "\"}");
                })).build();
        Inputs inputs = Inputs.of(PASSWORD, SECRET);
        Recorder mail = Recorder.working("mail");

        RunResult r = Runner.create().withTimeSource(VirtualTimeSource.create())
                .withListener(Notifications.builder(mail).audience("ops").build().forRun(plan, inputs)).run(plan, inputs);

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        String all = mail.allText();
        assertThat(all).contains("refused form password=****; retried as ****; server said {\"password\":\"****\"}");
        for (String piece : List.of("p@ss", "p%40ss", "w+rd", "w%2Brd", "w%2brd", "\\u00f6", "%C3%B6", "%c3%b6")) {
            assertThat(all).as("leaks %s", piece).doesNotContain(piece);
        }
    }
}
