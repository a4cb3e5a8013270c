package dev.stepwise.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.core.plan.Key;
import dev.stepwise.core.run.RunResult;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Every output of a run, read back through its key from the JSON a journal (a resume in another process) or a Temporal
 * workflow's history keeps it in, equals the value the step produced. An output type that writes JSON it cannot read
 * back breaks a resume at the first step that reads it (as the Aviatrix {@code UpgradePath} once did).
 */
public final class OutputsRoundTrip {
    private OutputsRoundTrip() {
    }

    /** Checks every output of {@code run}, finding each output's key among the static {@link Key} fields of {@code holders}. */
    public static void check(RunResult run, Class<?>... holders) {
        Map<String, Key<?>> keys = new HashMap<>();
        for (Class<?> holder : holders) {
            for (Field f : holder.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && Key.class.isAssignableFrom(f.getType())) {
                    try {
                        f.setAccessible(true);
                        Key<?> k = (Key<?>) f.get(null);
                        keys.put(k.name(), k);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        assertThat(run.outputs()).as("outputs of " + run.plan()).isNotEmpty();
        RunResult back = RunResult.fromJson(run.toJson());
        for (String name : run.outputs().keySet()) {
            Key<?> key = keys.get(name);
            assertThat(key).as("a key for output %s of %s", name, run.plan()).isNotNull();
            assertThat(back.output(key)).as("output %s of %s read back from JSON", name, run.plan())
                    .isEqualTo(run.output(key));
        }
    }
}
