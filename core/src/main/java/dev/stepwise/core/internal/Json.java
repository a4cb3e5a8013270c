package dev.stepwise.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.StepwiseJson;

/** The engine's one Jackson mapper, with {@link StepwiseJson}'s conventions. */
public final class Json {
    /** Shared by the engine's classes; thread-safe once configured, never reconfigured. */
    public static final ObjectMapper MAPPER = StepwiseJson.newMapper();

    private Json() {
    }
}
