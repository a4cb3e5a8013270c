package dev.stepwise.core.internal;

import dev.stepwise.core.journal.JournalException;
import dev.stepwise.core.journal.RunJournal;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The run id of each target of a rollout, so that every target has a journal of its own and a resume finds it:
 * {@code <rolloutId>-<readable prefix of the target>-<32 hex digits>}. The hex digits are the first 128 bits of
 * the SHA-256 of the rollout id and the whole target, always — also for a target whose characters are all safe —
 * so two targets of one rollout get the same id only if SHA-256 collides; the prefix is there for people reading a
 * store, with every character outside {@code [A-Za-z0-9_.-]} shown as {@code _}, cut to what fits. Ids match
 * {@code [A-Za-z0-9_.-]{1,128}}, which every journal store accepts, and differ in more than letter case, so a
 * store on a case-insensitive file system keeps them apart too. Rollout ids are at most {@value #MAX_ROLLOUT_ID}
 * characters of the same set. Stateless.
 */
final class TargetRunIds {
    /** The longest run id a journal store accepts. */
    static final int MAX_RUN_ID = 128;
    /** How many hex digits of the SHA-256 end each id: 128 bits. */
    static final int HASH_HEX = 32;
    /** The longest rollout id whose target run ids still fit, with a readable prefix of at least 30 characters. */
    static final int MAX_ROLLOUT_ID = 64;

    private static final Pattern ROLLOUT_ID = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_ROLLOUT_ID + "}");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.-]");

    private TargetRunIds() {
    }

    /** The run id of {@code target} in rollout {@code rolloutId}. */
    static String of(String rolloutId, String target) {
        return of(rolloutId, null, target);
    }

    /**
     * The run id of {@code target} in wave {@code wave} of rollout {@code rolloutId}, for a wave that runs a plan of
     * its own (the same target may then run in another wave too); {@code wave} null for the rollout's plan.
     */
    static String of(String rolloutId, String wave, String target) {
        checkRolloutId(rolloutId);
        String hash = sha256Hex(rolloutId + "/" + (wave == null ? "" : wave + "/") + target).substring(0, HASH_HEX);
        int room = MAX_RUN_ID - rolloutId.length() - HASH_HEX - 2;
        String clean = UNSAFE.matcher(target).replaceAll("_");
        return rolloutId + "-" + clean.substring(0, Math.min(clean.length(), room)) + "-" + hash;
    }

    /**
     * Refuses a rollout id whose targets' run ids could not fit a journal store's ids.
     *
     * @throws JournalException naming the id and the rule
     */
    static void checkRolloutId(String rolloutId) {
        if (!ROLLOUT_ID.matcher(rolloutId).matches()) {
            throw new JournalException("Rollout id \"" + rolloutId + "\" does not match [A-Za-z0-9_.-]{1,"
                    + MAX_ROLLOUT_ID + "}: the run id of each of its targets (the rollout id, part of the target and "
                    + HASH_HEX + " hex digits) must fit the journal store's " + MAX_RUN_ID + " characters; rollout ids "
                    + "Stepwise makes are 12 hex digits");
        }
    }

    /**
     * Refuses to resume {@code target} from a journal that another target wrote: its run would skip steps, or be
     * reported done, on the strength of work done elsewhere.
     *
     * @throws JournalException naming the run id and both targets
     */
    static void checkTarget(RunJournal journal, String runId, String target) {
        if (!journal.target().filter(target::equals).isPresent()) {
            throw new JournalException("The journal of run " + runId + " records " + journal.target()
                    .map(t -> "target \"" + t + "\"").orElse("no target") + ", not target \"" + target
                    + "\": it is not this target's journal, so the target is neither resumed nor reported done from it");
        }
    }

    /** Hashes the UTF-16 code units as they are, so even targets with unpaired surrogates stay apart. */
    private static String sha256Hex(String s) {
        ByteBuffer units = ByteBuffer.allocate(s.length() * 2);
        units.asCharBuffer().put(s);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(units.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
