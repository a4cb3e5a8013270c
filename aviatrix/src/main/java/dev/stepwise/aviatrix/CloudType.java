package dev.stepwise.aviatrix;

/**
 * Where the controller stores backups, with the controller's {@code cloud_type} code.
 *
 * <pre>{@code
 * BackupRequest.of(CloudType.AWS, "aws-primary", "controller-backups");
 * }</pre>
 */
public enum CloudType {
    /** AWS, code 1. */
    AWS(1),
    /** Google Cloud, code 4. */
    GCP(4),
    /** Azure, code 8. */
    AZURE(8),
    /** Oracle Cloud, code 16. */
    OCI(16),
    /** AWS GovCloud, code 256. */
    AWS_GOV(256);

    private final int code;

    CloudType(int code) {
        this.code = code;
    }

    /** @return the controller's {@code cloud_type} code */
    public int code() {
        return code;
    }
}
