package dev.stepwise.cli;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.core.PlanValidationException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every command that runs something has: how to print the result, the HTML report, progress. Whether it
 * acts is {@link #execute}, an option only where a command may dry-run ({@link ActOptions}); a resume always acts.
 */
class RunOptions {
    /** How the result is printed on standard output. */
    enum Output {
        /** The readable table the result prints as. */
        table,
        /** The result's JSON ({@code toJson()}), alone on standard output, for other tools. */
        json
    }

    /** Act; without it the command only dry-runs. */
    boolean execute;

    @Option(names = "--output", paramLabel = "table|json", defaultValue = "table",
            description = "How to print the result on standard output: table (default) or json.")
    Output output = Output.table;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report of the result to FILE.")
    Path html;

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
            description = "Progress on standard error: a live bar when standard output is a terminal (auto, the "
                    + "default), or one line per event as CI logs want.")
    Progress.Mode progress = Progress.Mode.auto;

    Optional<Path> html() {
        return Optional.ofNullable(html);
    }
}

/** {@link RunOptions} for a command that dry-runs unless told {@code --execute}. */
final class ActOptions extends RunOptions {
    @Option(names = "--execute", description = "Act. Without it the command only dry-runs: read-only checks run, "
            + "changes are predicted call by call, nothing is changed.")
    void execute(boolean act) {
        execute = act;
    }
}

/** Where AWS calls go: a region (else the SDK's default chain) and, for tests or private endpoints, an endpoint. */
final class AwsOptions {
    @Option(names = "--region", paramLabel = "REGION", description = "For example eu-west-1; default: the AWS SDK's chain "
            + "(AWS_REGION, the profile).")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Send every AWS call here instead (a VPC endpoint, "
            + "or Moto in tests).")
    String endpoint;

    /** Checks both options; it makes no call. */
    void check() {
        if (region != null) {
            Checks.matching("--region", region, Checks.REGION);
        }
        if (endpoint != null) {
            Checks.endpoint(endpoint);
        }
    }

    /** Builds the context; it makes no call, so a missing region is still a usage error. */
    AwsContext context() {
        check();
        AwsContext.Builder b = AwsContext.builder();
        if (region != null) {
            b.region(region);
        }
        if (endpoint != null) {
            b.endpointOverride(Checks.endpoint(endpoint));
        }
        try {
            return b.build();
        } catch (PlanValidationException e) {
            // region and endpoint were checked as options, so what is left is a region nobody gave
            throw new UsageException("--region is not given and the AWS SDK found no default region: give --region "
                    + "or set AWS_REGION");
        }
    }
}
