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
 * @param service   the API's service ({@code ec2}, {@code ssm}, {@code aviatrix}), or empty for a sentence
 * @param operation the API operation, or the sentence itself
 * @param parameters the call's parameters, in a stable order
 */
public record Prediction(String service, String operation, Map<String, Object> parameters) {

    public Prediction {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
    }

    /** A predicted API call. */
    public static Prediction call(String service, String operation, Map<String, ?> parameters) {
        return new Prediction(service, operation, new LinkedHashMap<>(parameters));
    }

    /** A prediction that is a sentence rather than an API call. */
    public static Prediction of(String sentence) {
        return new Prediction("", sentence, Map.of());
    }

    /** Whether this names an API call (rather than being a sentence). */
    public boolean isCall() {
        return !service.isEmpty();
    }

    @Override
    public String toString() {
        if (!isCall()) {
            return operation;
        }
        StringJoiner j = new StringJoiner(", ", service + ":" + operation + (parameters.isEmpty() ? "" : " "), "");
        parameters.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
