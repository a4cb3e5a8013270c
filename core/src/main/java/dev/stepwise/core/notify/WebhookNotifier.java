package dev.stepwise.core.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.Durations;
import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.StepwiseJson;
import dev.stepwise.core.retry.RetryPolicy;
import dev.stepwise.core.retry.RetrySchedule;
import dev.stepwise.core.run.TimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.immutables.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each {@link Notice} as JSON to a webhook, e.g. a chat tool's incoming webhook, over
 * {@code java.net.http}: {@code {"text", "subject", "body", "moment", "severity", "audience", "source", "at"}}
 * ({@code text} is subject and body together, which most chat tools show as the message).
 *
 * <p>Defaults: a timeout of 10 s for connecting and for each request (the retry policy's attempt timeout, if
 * shorter, wins); retries per {@link #DEFAULT_RETRY}
 * (3 attempts, 1 s doubling up to 30 s) on I/O failures, timeouts, 429 and 5xx answers that the policy accepts;
 * other answers fail at once; the retries are decided by {@link RetryPolicy#schedule()}, as a step's are; delays
 * wait on the system clock (tests pass a virtual one). The URL must be
 * {@code https}; plain {@code http} is allowed only to a loopback address with {@link Builder#allowLoopbackHttp()},
 * for tests. Header values (e.g. {@code Authorization}) and the URL's path and query, which for many chat tools
 * hold the token, are never logged or shown: {@link #destination()} is {@code "webhook https://host/…"}.
 * Every duration is at most {@link dev.stepwise.core.Durations#MAX} (30 days). Immutable and thread-safe;
 * {@link #toBuilder()} starts a changed copy (another header, a shorter timeout).
 *
 * <pre>{@code
 * Notifier chat = WebhookNotifier.builder(URI.create("https://chat.example.com/hooks/ops")).
 *     header("Authorization", "Bearer " + token).
 *     retry(r -> r.maxAttempts(5)).
 *     build();
 * }</pre>
 */
@Value.Immutable
public abstract class WebhookNotifier implements Notifier {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = StepwiseJson.newMapper();
    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

    /** The default retry policy: 3 attempts, 1 s doubling up to 30 s. */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.defaults();
    /** The default connect and request timeout: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    WebhookNotifier() {
    }

    /** A builder posting to {@code url}. */
    public static Builder builder(URI url) {
        return new Builder().url(url);
    }

    /** A builder holding this notifier's settings. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** Where notices are posted; its path and query are never shown (see {@link #destination()}). */
    public abstract URI url();

    abstract Map<String, String> headers();

    /** The connect timeout and each request's timeout (default 10 s); a shorter attempt timeout of the retry policy wins. */
    @Value.Default
    public Duration timeout() {
        return DEFAULT_TIMEOUT;
    }

    /** How failed posts are retried (default {@link #DEFAULT_RETRY}). */
    @Value.Default
    public RetryPolicy retry() {
        return DEFAULT_RETRY;
    }

    /** The clock the retry delays wait on (default the system clock). */
    @Value.Default
    @Value.Auxiliary
    public TimeSource timeSource() {
        return TimeSource.system();
    }

    @Value.Default
    boolean loopbackHttp() {
        return false;
    }

    /** The timeout each request uses: the shorter of {@link #timeout()} and the retry policy's attempt timeout. */
    Duration requestTimeout() {
        return retry().attemptTimeout().filter(t -> t.compareTo(timeout()) < 0).orElse(timeout());
    }

    @Value.Lazy
    HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(requestTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Value.Check
    void check() {
        List<String> problems = new ArrayList<>();
        URI url = url();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null) {
            problems.add("webhook URL has no host: give an absolute https://host/path URL");
        } else if (scheme.equals("http")) {
            if (!loopbackHttp() || !isLoopback(url.getHost())) {
                problems.add("webhook URL " + shown(url) + " must use https: plain http is "
                        + "allowed only to a loopback address, with allowLoopbackHttp(), for tests");
            }
        } else if (!scheme.equals("https")) {
            problems.add("webhook URL scheme \"" + scheme + "\" must be https");
        }
        headers().forEach((name, value) -> {
            try {
                // the JDK's own rules (restricted names, no CR/LF), checked now rather than at the first notice
                HttpRequest.newBuilder().header(name, value);
            } catch (IllegalArgumentException e) {
                problems.add("webhook header \"" + name + "\" is not allowed or its value is malformed (restricted "
                        + "header, or a line break in the value); the value is not shown");
            }
        });
        List<String> timeouts = new ArrayList<>();
        Durations.checkPositive("timeout", timeout(), timeouts);
        timeouts.forEach(t -> problems.add("webhook " + t));
        if (!problems.isEmpty()) {
            throw new PlanValidationException("WebhookNotifier", problems);
        }
    }

    @Override
    public void send(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        HttpRequest.Builder rb = HttpRequest.newBuilder(url()).timeout(requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json(notice), StandardCharsets.UTF_8));
        headers().forEach(rb::header);
        String shown = shown(url());
        RetrySchedule schedule = retry().schedule();
        HttpRequest request = rb.build();
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try {
                HttpResponse<Void> response = client().send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return;
                }
                failure = new StatusException(status);
                if (status != 429 && status < 500) {
                    throw new NotifyException(shown + " answered HTTP " + status + "; not retried");
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotifyException(shown + ": interrupted while sending");
            }
            Optional<Duration> next = schedule.afterFailure(failure);
            if (next.isEmpty()) {
                throw new NotifyException(shown + " failed after " + attempt + " attempt(s): " + describe(failure));
            }
            Duration delay = next.get();
            log.debug("Webhook {} attempt {} failed ({}); retrying in {}", shown, attempt, describe(failure), delay);
            try {
                timeSource().await(new CountDownLatch(1), delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotifyException(shown + ": interrupted while waiting to retry");
            }
        }
    }

    /** {@code "webhook https://host/…"}: no path, query or credentials. */
    @Override
    public String destination() {
        return shown(url());
    }

    /** The JSON posted for {@code notice}. */
    public static String json(Notice notice) {
        ObjectNode n = JSON.createObjectNode();
        n.put("text", notice.text());
        n.put("subject", notice.subject());
        n.put("body", notice.body());
        n.put("moment", notice.moment().name());
        n.put("severity", notice.severity().name());
        n.put("audience", notice.audience());
        n.put("source", notice.source());
        n.put("at", notice.at().toString());
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice could not be written as JSON", e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof StatusException s) {
            return "HTTP " + s.status;
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String shown(URI url) {
        return "webhook " + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + "/…";
    }

    @Override
    public String toString() {
        return "WebhookNotifier{" + shown(url()) + ", " + headers().size() + " header(s), timeout " + requestTimeout() + ", "
                + retry() + "}";
    }

    /** An answer that may be retried: 429 or 5xx. */
    private static final class StatusException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StatusException(int status) {
            super("HTTP " + status);
            this.status = status;
        }
    }

    /**
     * Builds a {@link WebhookNotifier}. {@link #build()} reports every problem (a URL that is not https, or
     * loopback http when allowed; a header the JDK refuses; a timeout that is not positive or over 30 days) in one
     * {@link PlanValidationException}; a later valid value for the same setting replaces a bad one. Not
     * thread-safe; reusable.
     */
    public static final class Builder extends ImmutableWebhookNotifier.Builder {
        /** Problems of a retry policy made by {@link #retry(Consumer)}, reported by {@link #build()}. */
        private final List<String> problems = new ArrayList<>();

        Builder() {
        }

        /** Adds a request header, e.g. {@code Authorization}, replacing one of that name; its value is never logged or shown. */
        public Builder header(String name, String value) {
            return putHeaders(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
        }

        /**
         * A retry policy made by {@code policy} from {@link RetryPolicy#builder()}'s defaults; one that does not build
         * is reported by {@link #build()}, with the notifier's other problems.
         */
        public Builder retry(Consumer<RetryPolicy.Builder> policy) {
            RetryPolicy.Builder b = RetryPolicy.builder();
            Objects.requireNonNull(policy, "policy").accept(b);
            try {
                return retry(b.build());
            } catch (PlanValidationException e) {
                e.problems().forEach(p -> problems.add("retry: " + p));
                return this;
            }
        }

        @Override
        public WebhookNotifier build() {
            if (problems.isEmpty()) {
                return super.build();
            }
            List<String> all = new ArrayList<>();
            try {
                super.build();
            } catch (PlanValidationException e) {
                all.addAll(e.problems());
            }
            all.addAll(problems);
            throw new PlanValidationException("WebhookNotifier", all);
        }

        /** Allows plain {@code http} to a loopback address, for tests against a local server. */
        public Builder allowLoopbackHttp() {
            return loopbackHttp(true);
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return h.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
