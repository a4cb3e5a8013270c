package dev.stepwise.aws;

import dev.stepwise.core.PlanValidationException;
import dev.stepwise.core.Secrets;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Where and as whom Stepwise's AWS steps act: region, credentials (the SDK's default chain unless given),
 * an optional role to assume through STS, an optional endpoint override (for Moto or a VPC endpoint), the
 * SDK's retry attempts, and the {@link AwsTimings} of every wait.
 *
 * <p>Hand-written rather than generated, because a context is a resource, not a value: it owns the SDK clients it
 * creates and closes them. Clients are created once, on first use, and closed with the context;
 * {@link #toBuilder()} starts a second context from this one's settings. Thread-safe. {@code toString()}
 * names the region, the endpoint's scheme, host and port, and the role, never credentials or the endpoint's path
 * and query.
 *
 * <pre>{@code
 * try (AwsContext aws = AwsContext.builder().region("eu-west-1").timings(t -> t.pollInterval(Duration.ofSeconds(10))).build()) {
 *     RunResult r = Runner.create().dryRun().run(WindowsDriverUpgrade.plan(aws), WindowsDriverUpgrade.inputs("i-0123456789abcdef0"));
 * }
 * }</pre>
 */
public final class AwsContext implements AutoCloseable {
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private final Region region;
    private final URI endpoint;
    private final String roleArn;
    private final int sdkMaxAttempts;
    private final AwsTimings timings;
    private final AwsCredentialsProvider credentials;
    private final AwsCredentialsProvider givenCredentials;
    private final boolean ownsCredentials;

    private Ec2Client ec2;
    private SsmClient ssm;
    private StsClient sts;
    private boolean closed;

    private AwsContext(Builder b) {
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.roleArn = b.roleArn;
        this.sdkMaxAttempts = b.sdkMaxAttempts;
        this.timings = b.timings;
        this.givenCredentials = b.credentials;
        AwsCredentialsProvider base = b.credentials != null ? b.credentials : DefaultCredentialsProvider.builder().build();
        if (roleArn != null) {
            this.sts = configure(StsClient.builder()).credentialsProvider(base).build();
            this.credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                    .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("stepwise")).build();
            this.ownsCredentials = true;
        } else {
            this.credentials = base;
            this.ownsCredentials = b.credentials == null;
        }
    }

    /** A builder; {@link Builder#region} is needed unless the SDK's default region chain finds one. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this context's settings (credentials only if they were given), for a second context
     * that differs in a setting: {@code aws.toBuilder().region("us-east-1").build()}. The new context has its own
     * clients.
     */
    public Builder toBuilder() {
        Builder b = new Builder().region(region).sdkMaxAttempts(sdkMaxAttempts).timings(timings);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (roleArn != null) {
            b.assumeRole(roleArn);
        }
        if (givenCredentials != null) {
            b.credentials(givenCredentials);
        }
        return b;
    }

    public Region region() {
        return region;
    }

    /** The endpoint every client talks to instead of AWS's, if one was set. */
    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** The role assumed through STS for every call, if one was set. */
    public Optional<String> roleArn() {
        return Optional.ofNullable(roleArn);
    }

    public AwsTimings timings() {
        return timings;
    }

    /** The EC2 client, created on first use. */
    public synchronized Ec2Client ec2() {
        ensureOpen();
        if (ec2 == null) {
            ec2 = configure(Ec2Client.builder()).credentialsProvider(credentials).build();
        }
        return ec2;
    }

    /** The SSM client, created on first use. */
    public synchronized SsmClient ssm() {
        ensureOpen();
        if (ssm == null) {
            ssm = configure(SsmClient.builder()).credentialsProvider(credentials).build();
        }
        return ssm;
    }

    /** Applies this context's region, endpoint and retry settings to any SDK client builder (SNS, SES, DynamoDB …). */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(r -> r.maxAttempts(sdkMaxAttempts)).build());
        return builder;
    }

    /** The credentials every client of this context uses. */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("AwsContext for " + region + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (ec2 != null) {
            ec2.close();
        }
        if (ssm != null) {
            ssm.close();
        }
        if (ownsCredentials && credentials instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing credential caches cannot fail in a way a caller could act on
            }
        }
        if (sts != null) {
            sts.close();
        }
    }

    @Override
    public String toString() {
        return "AwsContext{region=" + region + (endpoint == null ? "" : ", endpoint=" + Secrets.uri(endpoint))
                + (roleArn == null ? "" : ", role=" + roleArn) + ", sdkMaxAttempts=" + sdkMaxAttempts + "}";
    }

    /**
     * Builds an {@link AwsContext}. A bad value is recorded and reported by {@link #build()} with every other
     * problem, in one {@link PlanValidationException}; a later valid value for the same setting replaces it.
     * Not thread-safe.
     */
    public static final class Builder {
        private Region region;
        private URI endpoint;
        private String roleArn;
        private int sdkMaxAttempts = 3;
        private AwsTimings timings = AwsTimings.defaults();
        private AwsCredentialsProvider credentials;
        /** Problems found by the setters, by setting, so that a later good value clears a bad one. */
        private final Map<String, String> problems = new LinkedHashMap<>();

        private Builder() {
        }

        private boolean record(String setting, String problem) {
            problems.remove(setting);
            if (problem != null) {
                problems.put(setting, problem);
            }
            return problem == null;
        }

        /** The region, e.g. {@code "eu-west-1"}. */
        public Builder region(String region) {
            Objects.requireNonNull(region, "region");
            if (record("region", region.matches("[a-z]{2}(-[a-z]+)+-\\d") ? null
                    : "region \"" + region + "\" does not look like an AWS region (e.g. eu-west-1)")) {
                this.region = Region.of(region);
            }
            return this;
        }

        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            record("region", null);
            return this;
        }

        /** Sends every call to {@code endpoint} instead of AWS (Moto in tests, or a private endpoint). */
        public Builder endpointOverride(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            String problem = null;
            if (endpoint.getRawAuthority() != null && endpoint.getRawAuthority().contains("@")) {
                // never echo it: what sits before '@' is usually a key and secret
                problem = "endpointOverride \"" + endpoint.getScheme()
                        + "://…@…\" must not carry user info; give credentials with credentials(...)";
            } else if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
                // a host Java cannot parse leaves the user info unchecked: show only what is safe
                problem = "endpointOverride \"" + Secrets.uri(endpoint) + "\" must be an absolute http(s) URI";
            }
            if (record("endpointOverride", problem)) {
                this.endpoint = endpoint;
            }
            return this;
        }

        /** Credentials to use instead of the SDK's default chain. */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Assumes this IAM role through STS for every call (like a runbook's AutomationAssumeRole). */
        public Builder assumeRole(String roleArn) {
            Objects.requireNonNull(roleArn, "roleArn");
            if (record("assumeRole", ROLE_ARN.matcher(roleArn).matches() ? null
                    : "assumeRole \"" + roleArn + "\" does not match " + ROLE_ARN.pattern())) {
                this.roleArn = roleArn;
            }
            return this;
        }

        /** How many attempts the SDK makes per call before Stepwise's own step retries (default 3). */
        public Builder sdkMaxAttempts(int attempts) {
            if (record("sdkMaxAttempts", attempts >= 1 && attempts <= 20 ? null
                    : "sdkMaxAttempts " + attempts + " must be between 1 and 20")) {
                this.sdkMaxAttempts = attempts;
            }
            return this;
        }

        /** Every wait and timeout of the AWS steps (default {@link AwsTimings#defaults()}). */
        public Builder timings(AwsTimings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            record("timings", null);
            return this;
        }

        /**
         * Changes the timings from their current values, in place:
         * {@code timings(t -> t.pollInterval(Duration.ofMillis(10)))}. Bad timings are reported by {@link #build()}
         * with every other problem.
         */
        public Builder timings(Consumer<AwsTimings.Builder> change) {
            Objects.requireNonNull(change, "change");
            AwsTimings.Builder b = timings.toBuilder();
            change.accept(b);
            try {
                this.timings = b.build();
                record("timings", null);
            } catch (PlanValidationException e) {
                record("timings", String.join("; ", e.problems()));
            }
            return this;
        }

        /**
         * Builds the context.
         *
         * @throws PlanValidationException listing every problem: a malformed region, endpoint, role or attempt
         *                                 count, or no region at all when the SDK's default chain finds none
         */
        public AwsContext build() {
            List<String> all = new ArrayList<>(problems.values());
            Region resolved = region;
            if (resolved == null && !problems.containsKey("region")) {
                try {
                    resolved = new DefaultAwsRegionProviderChain().getRegion();
                } catch (RuntimeException e) {
                    all.add("region is not set: call region(\"eu-west-1\") or set AWS_REGION (the SDK's default region "
                            + "chain found none)");
                }
            }
            if (!all.isEmpty()) {
                throw new PlanValidationException("AwsContext", all);
            }
            region = resolved;
            return new AwsContext(this);
        }
    }
}
