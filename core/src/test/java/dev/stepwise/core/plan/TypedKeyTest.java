package dev.stepwise.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.core.journal.CrashingJournalStore;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.run.RunResult;
import dev.stepwise.core.run.RunStatus;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys for generic values keep their element types through runs, JSON and journals. */
class TypedKeyTest {
    /** A value a provider step returns in a list. */
    public record Gateway(String name, String version) {
    }

    static final Key<List<Gateway>> GATEWAYS = Key.listOf("Gateways", Gateway.class);
    static final Key<Map<String, List<String>>> BY_OS = Key.of("ByOs", new TypeRef<Map<String, List<String>>>() { });

    @TempDir
    Path dir;

    @Test
    void listOf_equalsTheSameTypeCapturedByATypeRef() {
        assertThat(GATEWAYS).isEqualTo(Key.of("Gateways", new TypeRef<List<Gateway>>() { }))
                .hasSameHashCodeAs(Key.of("Gateways", new TypeRef<List<Gateway>>() { }));
        assertThat(GATEWAYS.rawType()).isEqualTo(List.class);
        assertThat(GATEWAYS.toString()).isEqualTo("Gateways:List<TypedKeyTest.Gateway>");
        assertThat(BY_OS.typeName()).isEqualTo("Map<String, List<String>>");
    }

    @Test
    void cast_whenAListHoldsAnotherElementType_isRefusedNamingKeyAndType() {
        assertThat(GATEWAYS.isValue(List.of(new Gateway("spoke-1", "7.1")))).isTrue();
        assertThatThrownBy(() -> GATEWAYS.cast(List.of("spoke-1"))).isInstanceOf(dev.stepwise.core.StepwiseException.class)
                .hasMessageContaining("Gateways expects a List<TypedKeyTest.Gateway>")
                .hasMessageContaining("with elements of another type");
    }

    private Plan plan(AtomicInteger listed) {
        return Plan.builder("gateways")
                .step(Step.readOnly("list").output(GATEWAYS).action(ctx -> {
                    listed.incrementAndGet();
                    return List.of(new Gateway("spoke-1", "7.1.1"), new Gateway("spoke-2", "7.1.2"));
                }))
                .step(Step.mutating("upgrade").reads(GATEWAYS).run(ctx -> ctx.get(GATEWAYS).forEach(g -> g.name())))
                .build();
    }

    @Test
    void output_afterAJsonRoundTrip_isAListOfTheElementType() {
        RunResult r = RunResult.fromJson(Runner.create().run(plan(new AtomicInteger()), Inputs.empty()).toJson());
        assertThat(r.output(GATEWAYS)).hasValueSatisfying(l -> assertThat(l).first().isInstanceOf(Gateway.class)
                .isEqualTo(new Gateway("spoke-1", "7.1.1")));
    }

    @Test
    void resume_restoresAListOutputAsTheElementType() {
        AtomicInteger listed = new AtomicInteger();
        JournalStore store = JournalStore.directory(dir);
        Runner runner = Runner.create().withTimeSource(VirtualTimeSource.create());
        String runId = runner.withJournal(CrashingJournalStore.afterStepSucceeded(store, "list")).run(plan(listed),
                Inputs.empty()).runId();

        RunResult resumed = runner.withJournal(store).resume(plan(listed), runId, Inputs.empty(), Set.of());

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(listed).as("the list is restored, not read again").hasValue(1);
        assertThat(resumed.output(GATEWAYS).orElseThrow()).containsExactly(new Gateway("spoke-1", "7.1.1"),
                new Gateway("spoke-2", "7.1.2"));
    }
}
