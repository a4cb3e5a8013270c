package dev.stepwise.aviatrix;

import java.util.Objects;

/**
 * One access account's IAM policy audit, from {@code get_account_audit_records}.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>A record, not a generated value: the client parses it from the controller's JSON, users only read it, and a step
 * output is journaled and read back by Jackson; its canonical constructor is public only because a record cannot
 * hide it, and it may gain components, so do not call it.
 *
 * <pre>{@code
 * List<AccountAudit> failing = client.accountAudit().stream().filter(a -> !a.passed()).toList();
 * }</pre>
 *
 * @param accountName the access account
 * @param status the audit status; it contains {@code "Pass"} when the policies are current
 * @param comment the controller's comment
 */
public record AccountAudit(String accountName, String status, String comment) {

    /** Validates the parts. */
    public AccountAudit {
        Objects.requireNonNull(accountName, "accountName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(comment, "comment");
    }

    /** @return whether the account's IAM policies passed the audit */
    public boolean passed() {
        return status.contains("Pass");
    }
}
