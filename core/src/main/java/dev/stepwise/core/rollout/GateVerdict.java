package dev.stepwise.core.rollout;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a computing gate decided, why, and what it saw: the data (plain JSON values — maps, lists, strings, numbers,
 * booleans) is journaled with the verdict, so a resumed rollout keeps the verdict and shows what it rested on, and
 * it appears in the result and the report. Immutable and thread-safe.
 *
 * <p>Kept as a small hand-written value: two factories read better than a builder for a verdict and its evidence.
 *
 * <pre>{@code
 * gateWithData("production's patches match what non-production verified", r -> {
 *     PatchComparison c = compare(r);
 *     return c.matches() ? GateVerdict.pass("no difference", Map.of("verified", c.verifiedCount()))
 *             : GateVerdict.fail(c.differences().size() + " difference(s)", Map.of("differences", c.asJson()));
 * })
 * }</pre>
 *
 * @param held   whether the next wave may start
 * @param detail one sentence for people
 * @param data   what the gate saw, as plain JSON values
 */
public record GateVerdict(boolean held, String detail, Map<String, Object> data) {
    public GateVerdict {
        Objects.requireNonNull(detail, "detail");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The next wave may start. */
    public static GateVerdict pass(String detail, Map<String, Object> data) {
        return new GateVerdict(true, detail, data);
    }

    /** The rollout halts before the next wave. */
    public static GateVerdict fail(String detail, Map<String, Object> data) {
        return new GateVerdict(false, detail, data);
    }

    /** A verdict with no data: "held" or "did not hold". */
    public static GateVerdict of(boolean held) {
        return new GateVerdict(held, held ? "held" : "did not hold", Map.of());
    }
}
