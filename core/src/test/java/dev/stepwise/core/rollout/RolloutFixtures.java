package dev.stepwise.core.rollout;

import dev.stepwise.core.plan.Input;
import dev.stepwise.core.plan.Inputs;
import dev.stepwise.core.plan.Key;
import dev.stepwise.core.plan.Plan;
import dev.stepwise.core.plan.Prediction;
import dev.stepwise.core.plan.Step;
import dev.stepwise.core.plan.StepContext;
import dev.stepwise.core.run.Runner;
import dev.stepwise.core.run.VirtualTimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Plans, keys and recorders shared by the rollout tests. */
final class RolloutFixtures {
    static final Key<String> INSTANCE_ID = Key.of("InstanceId", String.class);
    static final Key<String> PATCHES = Key.of("patches", String.class);

    private RolloutFixtures() {
    }

    /** What the plan's one MUTATING step does for a target. */
    @FunctionalInterface
    interface TargetAction {
        void run(String target, StepContext ctx) throws Exception;
    }

    /** A plan of one MUTATING step, "patch", which runs {@code action} with the target's id and predicts a call. */
    static Plan plan(TargetAction action) {
        return Plan.builder("patch-host")
                .input(Input.required(INSTANCE_ID))
                .step(Step.mutating("patch").reads(INSTANCE_ID)
                        .predict(ctx -> List.of(Prediction.call("ssm", "SendCommand",
                                Map.of("InstanceIds", List.of(ctx.get(INSTANCE_ID))))))
                        .run(ctx -> action.run(ctx.get(INSTANCE_ID), ctx)))
                .build();
    }

    /** A plan that succeeds for every target. */
    static Plan noop() {
        return plan((t, ctx) -> { });
    }

    /** A rollout builder of {@code plan} whose targets get their id as InstanceId. */
    static Rollout.Builder rollout(Plan plan) {
        return Rollout.builder("fleet", plan).inputs(t -> Inputs.of(INSTANCE_ID, t));
    }

    /** A live runner on {@code time}. */
    static Runner runner(VirtualTimeSource time) {
        return Runner.create().withTimeSource(time);
    }

    /** {@code prefix-1} … {@code prefix-n}. */
    static List<String> ids(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(prefix + "-" + i);
        }
        return out;
    }

    /** Counts steps in flight and remembers the most at once. */
    static final class InFlight {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        int enter() {
            int n = now.incrementAndGet();
            max.accumulateAndGet(n, Math::max);
            return n;
        }

        void exit() {
            now.decrementAndGet();
        }
    }

    /** Records every rollout event, in order. */
    static final class Recorder implements RolloutListener {
        final List<RolloutEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(RolloutEvent event) {
            events.add(event);
        }

        <E extends RolloutEvent> List<E> of(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
