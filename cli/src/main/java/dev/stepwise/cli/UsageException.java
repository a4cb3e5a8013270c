package dev.stepwise.cli;

/**
 * A command line the tool will not run: an unknown flag, a missing one, or a value that breaks a rule. Always thrown
 * before any remote call; the tool prints the message and exits with status 2.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the flag, the value given and the rule it breaks */
    public UsageException(String message) {
        super(message);
    }
}
