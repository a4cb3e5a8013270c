package dev.stepwise.aviatrix;

/**
 * The controller's API endpoint: {@code /v2/api} (default) or {@code /v1/api} for older controllers.
 *
 * <pre>{@code
 * AviatrixClient.builder().apiVersion(ApiVersion.V1)...
 * }</pre>
 */
public enum ApiVersion {
    /** {@code /v1/api}, for old controllers. */
    V1("/v1/api"),
    /** {@code /v2/api}, the default. */
    V2("/v2/api");

    private final String path;

    ApiVersion(String path) {
        this.path = path;
    }

    /** @return the endpoint's path, e.g. {@code /v2/api} */
    public String path() {
        return path;
    }
}
