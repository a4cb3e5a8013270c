package dev.stepwise.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stepwise.core.journal.CrashingJournalStore;
import dev.stepwise.core.journal.JournalEntry;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.plan.OnFailure;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.StepStatus;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures reach callers as the exceptions that caused them, and their details survive a journal. */
class TypedFailuresTest {
    @TempDir
    Path dir;

    /** A caller's own exception, with no Stepwise type in its ancestry. */
    static final class InventoryException extends Exception {
        private static final long serialVersionUID = 1L;

        InventoryException(String message) {
            super(message);
        }
    }

    /** A failure carrying data for its caller, as ControllerUpgradeException does with its report. */
    static final class HopFailedException extends StepwiseException {
        private static final long serialVersionUID = 1L;

        HopFailedException() {
            super("hop to 6.8 failed");
        }

        @Override
        public Map<String, Object> details() {
            return Map.of("reached", "6.7.1376", "backups", List.of("backup-6.6", "backup-6.7"));
        }
    }

    private static Runner runner() {
        return Runner.create().withTimeSource(VirtualTimeSource.create());
    }

    @Test
    void orThrow_whenAStepThrewTheCallersOwnException_hasThatExceptionAsCause() {
        InventoryException thrown = new InventoryException("host db-1 is not in the inventory");
        Plan plan = Plan.builder("own").step(Step.mutating("look up").run(ctx -> {
            throw thrown;
        })).build();

        RunResult r = runner().run(plan, Inputs.empty());

        StepFailedException e = catchThrowableOfType(StepFailedException.class, r::orThrow);
        assertThat(e.step()).isEqualTo("look up");
        assertThat(e.getCause()).isSameAs(thrown);
        assertThat(r.step("look up").orElseThrow().failure().exception()).containsSame(thrown);
    }

    @Test
    void orThrow_whenAStepThrewAStepwiseExceptionWithDetails_keepsTypeAndDetails() {
        Plan plan = Plan.builder("hop").step(Step.mutating("upgrade").run(ctx -> {
            throw new HopFailedException();
        })).build();

        RunResult r = runner().run(plan, Inputs.empty());

        assertThatThrownBy(r::orThrow).isInstanceOf(StepFailedException.class)
                .cause().isInstanceOf(HopFailedException.class);
        assertThat(r.failure().details()).containsEntry("reached", "6.7.1376");
    }

    @Test
    void orThrow_whenARequireDidNotHold_throwsPreconditionFailedException() {
        Plan plan = Plan.builder("guarded").require("instance is Windows", ctx -> false)
                .step(Step.mutating("change").run(ctx -> { })).build();

        RunResult r = runner().run(plan, Inputs.empty());

        PreconditionFailedException e = catchThrowableOfType(PreconditionFailedException.class, r::orThrow);
        assertThat(e.precondition()).isEqualTo("instance is Windows");
        assertThat(r.step("change").orElseThrow().status()).isEqualTo(StepStatus.NOT_REACHED);
    }

    @Test
    void orThrow_whenARequireThrew_throwsPreconditionFailedExceptionCausedByIt() {
        IllegalStateException boom = new IllegalStateException("DescribeInstances failed");
        Plan plan = Plan.builder("guarded").require("instance is Windows", ctx -> {
            throw boom;
        }).step(Step.mutating("change").run(ctx -> { })).build();

        RunResult r = runner().run(plan, Inputs.empty());

        PreconditionFailedException e = catchThrowableOfType(PreconditionFailedException.class, r::orThrow);
        assertThat(e.getCause()).isSameAs(boom);
        assertThat(e).hasMessageContaining("DescribeInstances failed");
    }

    @Test
    void orThrow_afterAJsonRoundTrip_causeNamesTheOriginalTypeMessageAndDetails() {
        Plan plan = Plan.builder("hop").step(Step.mutating("upgrade").run(ctx -> {
            throw new HopFailedException();
        })).build();
        RunResult read = RunResult.fromJson(runner().run(plan, Inputs.empty()).toJson());

        RestoredFailureException cause = (RestoredFailureException) catchThrowableOfType(StepFailedException.class,
                read::orThrow).getCause();
        assertThat(cause.originalType()).isEqualTo(HopFailedException.class.getName());
        assertThat(cause.originalMessage()).isEqualTo("hop to 6.8 failed");
        assertThat(cause.details()).containsEntry("backups", List.of("backup-6.6", "backup-6.7"));
        assertThat(cause).isInstanceOf(StepwiseException.class).hasMessageContaining("HopFailedException: hop to 6.8 failed");
    }

    @Test
    void resume_afterAFailureTheRunWentPast_keepsTheFailureFromTheJournalAndDoesNotActTwice() {
        AtomicInteger upgrades = new AtomicInteger();
        AtomicInteger restores = new AtomicInteger();
        Plan plan = Plan.builder("hop")
                .step(Step.mutating("upgrade").onFailure(OnFailure.goTo("restore")).run(ctx -> {
                    upgrades.incrementAndGet();
                    throw new HopFailedException();
                }))
                .step(Step.mutating("verify").run(ctx -> { }))
                .step(Step.mutating("restore").rerunnable("restoring twice is harmless").run(ctx -> restores.incrementAndGet()))
                .build();
        JournalStore store = JournalStore.directory(dir);
        // the process dies as the clean-up starts
        String runId = runner().withJournal(CrashingJournalStore.after(store,
                e -> e instanceof JournalEntry.StepFailed)).run(plan, Inputs.empty()).runId();

        RunResult resumed = runner().withJournal(store).resume(plan, runId, Inputs.empty(), Set.of());

        assertThat(upgrades).as("the failed upgrade is not tried again").hasValue(1);
        assertThat(resumed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(resumed.step("upgrade").orElseThrow().note()).contains("from the journal");
        RestoredFailureException cause = (RestoredFailureException) catchThrowableOfType(StepFailedException.class,
                resumed::orThrow).getCause();
        assertThat(cause.originalType()).isEqualTo(HopFailedException.class.getName());
        assertThat(cause.details()).containsEntry("reached", "6.7.1376");
    }
}
