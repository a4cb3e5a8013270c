package dev.stepwise.aws.testkit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An instance that the scenario reports as managed by SSM, as {@code DescribeInstanceInformation} shows it.
 *
 * <p>Defaults: {@code PingStatus} {@code Online}, agent version {@value #DEFAULT_AGENT_VERSION} and latest,
 * platform name and version by platform type ("Microsoft Windows Server 2019 Datacenter" / "10.0.17763" for
 * Windows, "Amazon Linux" / "2023" for Linux, "macOS" / "14.0" for MacOS).
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return copies.
 *
 * <pre>{@code
 * ManagedInstance db = ManagedInstance.windows("i-0123456789abcdef0").
 *     withPingStatus(ManagedInstance.PingStatus.CONNECTION_LOST);
 * proxy.scenario().managedInstance(db);
 * }</pre>
 *
 * @param instanceId    the EC2 ({@code i-…}) or hybrid ({@code mi-…}) id
 * @param platformType  Windows, Linux or MacOS
 * @param platformName  the operating system's name
 * @param platformVersion the operating system's version
 * @param agentVersion  the SSM Agent version
 * @param latestAgent   whether the agent is the latest version
 * @param pingStatus    whether the agent is reachable
 */
public record ManagedInstance(
        String instanceId,
        PlatformType platformType,
        String platformName,
        String platformVersion,
        String agentVersion,
        boolean latestAgent,
        PingStatus pingStatus) {

    /** The agent version reported unless one is set. */
    public static final String DEFAULT_AGENT_VERSION = "3.3.1142.0";

    static final Pattern INSTANCE_ID = Pattern.compile("(i|mi)-[0-9a-f]{8,17}");

    /** SSM's {@code PingStatus}: whether the agent answers. */
    public enum PingStatus {
        /** The agent answers. */
        ONLINE("Online"),
        /** The agent stopped answering. */
        CONNECTION_LOST("ConnectionLost"),
        /** The instance is stopped or terminated. */
        INACTIVE("Inactive");

        private final String wireName;

        PingStatus(String wireName) {
            this.wireName = wireName;
        }

        /** @return the value SSM sends, such as {@code ConnectionLost} */
        public String wireName() {
            return wireName;
        }
    }

    /** SSM's {@code PlatformType}. */
    public enum PlatformType {
        /** Microsoft Windows. */
        WINDOWS("Windows"),
        /** Linux. */
        LINUX("Linux"),
        /** macOS. */
        MACOS("MacOS");

        private final String wireName;

        PlatformType(String wireName) {
            this.wireName = wireName;
        }

        /** @return the value SSM sends, such as {@code Windows} */
        public String wireName() {
            return wireName;
        }

        /**
         * Parses SSM's spelling, ignoring case.
         *
         * @param value {@code Windows}, {@code Linux} or {@code MacOS}
         * @return the platform type
         * @throws IllegalArgumentException for any other value
         */
        public static PlatformType parse(String value) {
            Objects.requireNonNull(value, "platformType");
            for (PlatformType t : values()) {
                if (t.wireName.equalsIgnoreCase(value)) {
                    return t;
                }
            }
            throw new IllegalArgumentException(
                    "PlatformType \"" + value + "\" is not one of Windows, Linux, MacOS");
        }
    }

    /**
     * Checks the id against {@code (i|mi)-[0-9a-f]{8,17}} and every component for null.
     *
     * @param instanceId the EC2 or hybrid instance id
     * @param platformType the platform
     * @param platformName the operating system name
     * @param platformVersion the operating system version
     * @param agentVersion the SSM Agent version
     * @param latestAgent whether the agent is the latest
     * @param pingStatus whether the agent answers
     */
    public ManagedInstance {
        checkInstanceId(instanceId);
        Objects.requireNonNull(platformType, "platformType");
        Objects.requireNonNull(platformName, "platformName");
        Objects.requireNonNull(platformVersion, "platformVersion");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(pingStatus, "pingStatus");
    }

    /**
     * A managed instance with the defaults for its platform.
     *
     * @param instanceId   {@code i-} or {@code mi-} and 8 to 17 hex digits
     * @param platformType the platform
     * @return an online instance with the latest agent
     */
    public static ManagedInstance of(String instanceId, PlatformType platformType) {
        Objects.requireNonNull(platformType, "platformType");
        return switch (platformType) {
            case WINDOWS -> new ManagedInstance(instanceId, platformType,
                    "Microsoft Windows Server 2019 Datacenter", "10.0.17763", DEFAULT_AGENT_VERSION, true, PingStatus.ONLINE);
            case LINUX -> new ManagedInstance(instanceId, platformType,
                    "Amazon Linux", "2023", DEFAULT_AGENT_VERSION, true, PingStatus.ONLINE);
            case MACOS -> new ManagedInstance(instanceId, platformType,
                    "macOS", "14.0", DEFAULT_AGENT_VERSION, true, PingStatus.ONLINE);
        };
    }

    /**
     * @param instanceId the instance id
     * @return an online Windows Server 2019 instance
     */
    public static ManagedInstance windows(String instanceId) {
        return of(instanceId, PlatformType.WINDOWS);
    }

    /**
     * @param instanceId the instance id
     * @return an online Amazon Linux 2023 instance
     */
    public static ManagedInstance linux(String instanceId) {
        return of(instanceId, PlatformType.LINUX);
    }

    /**
     * @param status the new ping status
     * @return a copy with it
     */
    public ManagedInstance withPingStatus(PingStatus status) {
        return new ManagedInstance(instanceId, platformType, platformName, platformVersion, agentVersion, latestAgent, status);
    }

    /**
     * @param version the agent version
     * @param latest whether it is the latest
     * @return a copy with them
     */
    public ManagedInstance withAgentVersion(String version, boolean latest) {
        return new ManagedInstance(instanceId, platformType, platformName, platformVersion, version, latest, pingStatus);
    }

    /**
     * @param name the platform name
     * @param version the platform version
     * @return a copy with them
     */
    public ManagedInstance withPlatform(String name, String version) {
        return new ManagedInstance(instanceId, platformType, name, version, agentVersion, latestAgent, pingStatus);
    }

    static String checkInstanceId(String instanceId) {
        Objects.requireNonNull(instanceId, "instanceId");
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException(
                    "InstanceId \"" + instanceId + "\" does not match " + INSTANCE_ID.pattern());
        }
        return instanceId;
    }
}
