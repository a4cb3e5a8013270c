package dev.stepwise.core.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * One thing a MUTATING step would do, as reported by a dry run: ideally the exact API call with its
 * parameters ({@code ec2:CreateImage InstanceId=i-0abc…, NoReboot=true}), otherwise a sentence.
 *
 * <p>A record rather than a generated value: it is part of a dry run's result, made by the factories below and
 * read back from a result's JSON, and its two or four fields are all given every time.
 *
 * @param service   the API's service ({@code ec2}, {@code ssm}, {@code aviatrix}), or empty for a sentence
 * @param operation the API operation, or the sentence itself
 * @param parameters the call's parameters, in a stable order
 * @param condition  empty when the call will surely be made; otherwise when it will ("the instance has not
 *                   stopped within PT10M"), for calls that depend on what the live run will find
 */
public record Prediction(String service, String operation, Map<String, Object> parameters, String condition) {

    public Prediction {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
        condition = condition == null ? "" : condition;
    }

    /** A predicted API call. */
    public static Prediction call(String service, String operation, Map<String, ?> parameters) {
        return new Prediction(service, operation, new LinkedHashMap<>(parameters), "");
    }

    /** A prediction that is a sentence rather than an API call. */
    public static Prediction of(String sentence) {
        return new Prediction("", sentence, Map.of(), "");
    }

    /** This call, made only if {@code condition} holds when the live run gets there. */
    public Prediction onlyIf(String condition) {
        return new Prediction(service, operation, parameters, Objects.requireNonNull(condition, "condition"));
    }

    /** Whether the live run will surely make this call. */
    public boolean isCertain() {
        return condition.isEmpty();
    }

    /** Whether this names an API call (rather than being a sentence). */
    public boolean isCall() {
        return !service.isEmpty();
    }

    @Override
    public String toString() {
        String when = condition.isEmpty() ? "" : " (only if " + condition + ")";
        if (!isCall()) {
            return operation + when;
        }
        StringJoiner j = new StringJoiner(", ", service + ":" + operation + (parameters.isEmpty() ? "" : " "), "");
        parameters.forEach((k, v) -> j.add(k + "=" + v));
        return j + when;
    }
}
