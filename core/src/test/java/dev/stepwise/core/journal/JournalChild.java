package dev.stepwise.core.journal;

import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.Runner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A child JVM for the journal lock tests; it prints one result line and exits 0.
 *
 * <ul>
 *   <li>{@code resume <dir> <runId> <marker> <release> <ready> <go>}: creates {@code ready}, waits for {@code go},
 *       then resumes the run of {@link #racePlan}; prints {@code RESULT <status>} or {@code REFUSED <type>
 *       holder=<holder>}.</li>
 *   <li>{@code hold <dir> <runId> <ready> <release>}: opens the existing run's journal, creates {@code ready}, and
 *       holds the journal until {@code release} exists (or it is killed).</li>
 *   <li>{@code open <dir> <runId>}: opens the existing run's journal and closes it again; prints {@code OPENED} or
 *       {@code REFUSED <type> holder=<holder>}.</li>
 * </ul>
 * Every wait is bounded by {@link #WAIT_MILLIS}.
 */
public final class JournalChild {
    static final long WAIT_MILLIS = 60_000;

    private JournalChild() {
    }

    /**
     * Step "prepare" does nothing; MUTATING step "act" appends this process's id to {@code marker}, then waits until
     * {@code release} exists.
     */
    static Plan racePlan(Path marker, Path release) {
        return Plan.builder("lock-race")
                .step(Step.mutating("prepare").run(ctx -> { }))
                .step(Step.mutating("act").run(ctx -> {
                    Files.writeString(marker, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    await(release);
                }))
                .build();
    }

    /** Waits until {@code file} exists, at most {@link #WAIT_MILLIS}. */
    static void await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + WAIT_MILLIS + " ms for " + file);
            }
            Thread.sleep(2);
        }
    }

    public static void main(String[] args) throws Exception {
        JournalStore store = JournalStore.directory(Path.of(args[1]));
        String runId = args[2];
        try {
            switch (args[0]) {
                case "resume" -> {
                    Files.createFile(Path.of(args[5]));
                    await(Path.of(args[6]));
                    RunResult r = Runner.create().withJournal(store)
                            .resume(racePlan(Path.of(args[3]), Path.of(args[4])), runId, Inputs.empty(), Set.of());
                    System.out.println("RESULT " + r.status());
                }
                case "hold" -> {
                    try (JournalWriter w = store.open(runId, false)) {
                        Files.createFile(Path.of(args[3]));
                        await(Path.of(args[4]));
                    }
                    System.out.println("RELEASED");
                }
                case "open" -> {
                    store.open(runId, false).close();
                    System.out.println("OPENED");
                }
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (JournalLockedException e) {
            System.out.println("REFUSED " + e.getClass().getName() + " holder=" + e.holder().orElse("none"));
        } catch (IOException | RuntimeException e) {
            System.out.println("ERROR " + e);
        }
        System.out.flush();
    }
}
