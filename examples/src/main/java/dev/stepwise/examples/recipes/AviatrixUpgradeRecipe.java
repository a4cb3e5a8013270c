package dev.stepwise.examples.recipes;

import dev.stepwise.aviatrix.AviatrixClient;
import dev.stepwise.aviatrix.BackupRequest;
import dev.stepwise.aviatrix.CloudType;
import dev.stepwise.aviatrix.ControllerUpgrade;
import dev.stepwise.aviatrix.testkit.FakeController;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.time.Duration;
import java.util.List;

/** Recipe: stepping a controller through its release train, 3.1 → 3.5 and 6.5 → 6.8, on the fake controller. */
public final class AviatrixUpgradeRecipe {
    private AviatrixUpgradeRecipe() {
    }

    /** Upgrades a fake controller from {@code from} to {@code to} and returns the live result. */
    public static RunResult upgrade(String from, String to) {
        try (FakeController fake = FakeController.builder().version(from).start()) {
            // Against a real controller: controller(URI.create("https://…")), and no allowPlainHttpOnLoopback().
            AviatrixClient client = AviatrixClient.builder().controller(fake.uri())
                    .username(FakeController.DEFAULT_USERNAME).password(FakeController.DEFAULT_PASSWORD.toCharArray())
                    .allowPlainHttpOnLoopback().unavailableRetryInterval(Duration.ofMillis(10)).build();
            ControllerUpgrade upgrade = ControllerUpgrade.builder().client(client).train(FakeController.DEFAULT_TRAIN)
                    .backup(BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups"))
                    .upgradeInitialDelay(Duration.ofMillis(10)).pollInterval(Duration.ofMillis(10)).build();
            Inputs target = Inputs.of(ControllerUpgrade.TARGET_VERSION, to);
            System.out.println(Runner.create().dryRun().run(upgrade.plan(), target));
            RunResult live = Runner.create().run(upgrade.plan(), target);
            System.out.println(live);
            System.out.println("versions reached: " + fake.versionsReached() + ", backups: " + fake.backups().size());
            return live;
        }
    }

    /** Both upgrades of the recipe. */
    public static List<RunResult> run() {
        return List.of(upgrade("3.1", "3.5"), upgrade("6.5.2608", "6.8"));
    }

    public static void main(String[] args) {
        System.exit(run().stream().allMatch(RunResult::isSuccess) ? 0 : 1);
    }
}
