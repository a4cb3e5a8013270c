package dev.stepwise.examples.recipes;

import dev.stepwise.aws.AwsContext;
import dev.stepwise.aws.patch.Pin;
import dev.stepwise.aws.patch.PatchRollout;
import dev.stepwise.aws.patch.PatchRolloutResult;
import dev.stepwise.aws.patch.PatchTargets;
import dev.stepwise.aws.testkit.Patch;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.rollout.RolloutStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Recipe: a staged patch rollout, non-production first, a week's soak with its health alarm watched daily, then
 * production, pinned to exactly the patches non-production verified, only if the patches match.
 */
public final class PatchRolloutRecipe {
    private PatchRolloutRecipe() {
    }

    /**
     * Runs the rollout against a local Moto on a virtual clock (the week passes at once): it parks at the soak, as a
     * process that cannot stay up for a week would, and a fresh rollout built with the same settings resumes it from
     * the journal, as a daily scheduled job would.
     */
    public static PatchRolloutResult run() {
        try (LocalAws local = LocalAws.start()) {
            AwsContext aws = local.aws();
            for (String env : new String[] {"dev", "prod", "prod"}) {
                String id = local.launch(LocalAws.WINDOWS_AMI, Map.of("Env", env));
                local.proxy().scenario().managedInstance(id, "Windows")
                        .patches(id, Patch.missing("KB5031356").withTitle("2023-10 Cumulative Update"));
            }
            try (S3Client s3 = aws.configure(S3Client.builder()).credentialsProvider(aws.credentials())
                    .forcePathStyle(true).build();
                    CloudWatchClient cloudWatch = aws.configure(CloudWatchClient.builder())
                            .credentialsProvider(aws.credentials()).build()) {
                s3.createBucket(b -> b.bucket("patch-lists"));
                // the alarm your monitoring already has on the service the non-production instances run
                cloudWatch.putMetricAlarm(a -> a.alarmName("orders-dev-5xx").namespace("AWS/ApplicationELB")
                        .metricName("HTTPCode_Target_5XX_Count").statistic(Statistic.SUM).period(300)
                        .evaluationPeriods(1).threshold(10.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
            }
            JournalStore journal = JournalStore.directory(Files.createTempDirectory("patch-journal"));
            PatchRollout rollout = PatchRollout.builder("monthly-patching", aws)
                    .nonProduction(PatchTargets.tagged(aws, "Env", "dev"))
                    .production(PatchTargets.tagged(aws, "Env", "prod"))
                    .soak(Duration.ofDays(7))
                    .healthAlarms("orders-dev-5xx")
                    .healthWatchEvery(Duration.ofDays(1))
                    .pin(Pin.s3("patch-lists", "monthly/"))
                    .productionWave(w -> w.maxConcurrency("50%").maxErrors(0))
                    .journal(journal)
                    .build();
            VirtualTimeSource clock = VirtualTimeSource.create();
            Runner runner = Runner.create().withTimeSource(clock).parkLongerThan(Duration.ofMinutes(5));
            System.out.println(rollout.dryRun(runner));
            PatchRolloutResult result = rollout.run(runner);
            while (result.status() == RolloutStatus.WAITING) {
                System.out.println("parked until " + result.resumeAt().orElseThrow() + "; resume " + result.rolloutId());
                clock.advance(Duration.between(clock.now(), result.resumeAt().orElseThrow()));
                PatchRollout again = PatchRollout.Builder.fromParameters(rollout.parameters(), aws).journal(journal).build();
                result = again.resume(runner, result.rolloutId());
            }
            System.out.println(result);
            return result;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        System.exit(run().status().name().equals("SUCCEEDED") ? 0 : 1);
    }
}
