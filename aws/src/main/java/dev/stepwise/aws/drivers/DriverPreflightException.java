package dev.stepwise.aws.drivers;

import dev.stepwise.core.StepwiseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link WindowsDriverUpgrade} refused the instance: the message names the instance, the fact found and the rule it
 * breaks. Thrown by the plan's read-only preflight steps, before any change, so a run that meets one ends
 * {@code FAILED} with no mutating call made; also thrown when the offline script finds a domain controller, after
 * which the plan restores ENA support and the instance's state. {@link #details()} keeps the three parts for a
 * result read back from a journal.
 */
public class DriverPreflightException extends StepwiseException {
    private static final long serialVersionUID = 1L;
    private final String instanceId;
    private final String fact;
    private final String rule;

    /**
     * @param instanceId the instance refused
     * @param fact       what was found, such as {@code the root volume vol-… is encrypted}
     * @param rule       the rule it breaks, with its source
     */
    public DriverPreflightException(String instanceId, String fact, String rule) {
        super("Instance " + Objects.requireNonNull(instanceId, "instanceId") + ": " + Objects.requireNonNull(fact, "fact")
                + "; " + Objects.requireNonNull(rule, "rule"));
        this.instanceId = instanceId;
        this.fact = fact;
        this.rule = rule;
    }

    /** The instance refused. */
    public String instanceId() {
        return instanceId;
    }

    /** What the preflight found. */
    public String fact() {
        return fact;
    }

    /** The rule the fact breaks. */
    public String rule() {
        return rule;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("instanceId", instanceId);
        d.put("fact", fact);
        d.put("rule", rule);
        return d;
    }
}
