package dev.stepwise.examples.recipes;

import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.nio.file.Path;

/**
 * Recipe: resume after a crash. {@code run DIR} starts a three-step plan journaled in DIR and kills its own
 * JVM in the middle of it, as a power cut would; {@code resume DIR RUNID} picks the run up: the finished step
 * is not repeated and its output comes back from the journal.
 */
public final class ResumeRecipe {
    static final Key<String> HOST = Key.of("host", String.class);
    static final Key<String> SNAPSHOT = Key.of("snapshot", String.class);

    private ResumeRecipe() {
    }

    static Plan plan(boolean crashDuringUpgrade) {
        return Plan.builder("upgrade-host")
                .input(Input.required(HOST))
                .step(Step.mutating("snapshot").output(SNAPSHOT).reads(HOST)
                        .action(ctx -> {
                            System.out.println("taking a snapshot of " + ctx.get(HOST));
                            return "snap-" + ctx.runId();
                        }))
                .step(Step.mutating("upgrade").reads(HOST, SNAPSHOT)
                        .rerunnable("the package manager skips what is already installed")
                        .run(ctx -> {
                            if (crashDuringUpgrade) {
                                System.out.println("RUN-ID " + ctx.runId());
                                System.out.flush();
                                Runtime.getRuntime().halt(137);
                            }
                            System.out.println("upgrading " + ctx.get(HOST) + " (restore point " + ctx.get(SNAPSHOT) + ")");
                        }))
                .step(Step.mutating("verify").reads(HOST).run(ctx -> System.out.println("verifying " + ctx.get(HOST))))
                .build();
    }

    /** Resumes {@code runId} from the journals in {@code dir}. */
    public static RunResult resume(Path dir, String runId) {
        RunResult r = Runner.create().withJournal(JournalStore.directory(dir)).resume(plan(false), runId);
        System.out.println(r);
        return r;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        if (args[0].equals("run")) {
            Runner.create().withJournal(JournalStore.directory(dir)).run(plan(true), Inputs.of(HOST, "db-1"));
        } else {
            System.exit(resume(dir, args[2]).isSuccess() ? 0 : 1);
        }
    }
}
