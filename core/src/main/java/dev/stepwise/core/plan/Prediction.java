package dev.stepwise.core.plan;

import dev.stepwise.core.AllowNulls;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.immutables.value.Value;

/**
 * One thing a MUTATING step would do, as reported by a dry run: ideally the exact API call with its
 * parameters ({@code ec2:CreateImage InstanceId=i-0abc…, NoReboot=true}), otherwise a sentence.
 *
 * <p>Made by predictors with {@link #call(String, String, Map)} or {@link #of(String)}, narrowed with
 * {@link #withCondition(String)}, and read back from a result's JSON. Defaults: no service (a sentence), no
 * parameters, no condition (certain). Immutable and thread-safe.
 *
 * <pre>{@code
 * Prediction.call("ec2", "StopInstances", Map.of("InstanceIds", List.of(id))).
 *     withCondition("the instance is not stopped when this step starts");
 * }</pre>
 */
@Value.Immutable
public abstract class Prediction {

    Prediction() {
    }

    /** A predicted API call: {@code service:operation} with {@code parameters}, in their order. */
    public static Prediction call(String service, String operation, Map<String, ?> parameters) {
        return builder().service(service).operation(operation).parameters(parameters).build();
    }

    /** A prediction that is a sentence rather than an API call. */
    public static Prediction of(String sentence) {
        return builder().operation(sentence).build();
    }

    /** Starts a prediction; {@code operation} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this prediction's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** The API's service ({@code ec2}, {@code ssm}, {@code aviatrix}), or empty for a sentence. */
    @Value.Default
    public String service() {
        return "";
    }

    /** The API operation, or the sentence itself. */
    public abstract String operation();

    /** The call's parameters, in a stable order. */
    @AllowNulls
    public abstract Map<String, Object> parameters();

    /**
     * Empty when the call will surely be made; otherwise when it will ("the instance has not stopped within
     * PT10M"), for calls that depend on what the live run will find.
     */
    @Value.Default
    public String condition() {
        return "";
    }

    /**
     * A copy of this call, made only if {@code condition} holds when the live run gets there. Replaces
     * {@code onlyIf(String)}: copies of Stepwise's values are named {@code with…}.
     */
    public Prediction withCondition(String condition) {
        return toBuilder().condition(Objects.requireNonNull(condition, "condition")).build();
    }

    /** Whether the live run will surely make this call. */
    public boolean isCertain() {
        return condition().isEmpty();
    }

    /** Whether this names an API call (rather than being a sentence). */
    public boolean isCall() {
        return !service().isEmpty();
    }

    @Override
    public String toString() {
        String when = condition().isEmpty() ? "" : " (only if " + condition() + ")";
        if (!isCall()) {
            return operation() + when;
        }
        StringJoiner j = new StringJoiner(", ", service() + ":" + operation() + (parameters().isEmpty() ? "" : " "), "");
        parameters().forEach((k, v) -> j.add(k + "=" + v));
        return j + when;
    }

    /** Builds a {@link Prediction}; a missing operation throws a {@code PlanValidationException}. */
    public static final class Builder extends ImmutablePrediction.Builder {
        Builder() {
        }
    }
}
