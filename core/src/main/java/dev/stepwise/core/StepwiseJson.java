package dev.stepwise.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON conventions of everything Stepwise writes — journals, results, notices, reports: times and durations
 * as ISO-8601 text, and unknown fields ignored on reading, because a newer Stepwise may add some.
 *
 * <pre>{@code
 * ObjectMapper json = StepwiseJson.newMapper();
 * JsonNode result = json.readTree(runResult.toJson());
 * }</pre>
 *
 * <p>Each call returns a new mapper, so a caller that reconfigures its own cannot change Stepwise's. A mapper is
 * thread-safe once configured; keep one rather than calling this per value.
 */
public final class StepwiseJson {
    private static final ObjectMapper SHARED = newMapper();

    private StepwiseJson() {
    }

    /** A new Jackson mapper with Stepwise's conventions. */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * {@code value} as indented JSON with these conventions.
     *
     * @throws IllegalStateException naming the value's class if Jackson cannot write it
     */
    public static String pretty(Object value) {
        try {
            return SHARED.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a " + (value == null ? "null" : value.getClass().getName())
                    + " could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
