package dev.stepwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.core.journal.JournalStore;
import dev.stepwise.core.rollout.RolloutProgress;
import dev.stepwise.core.rollout.Rollouts;
import dev.stepwise.report.HtmlReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stepwise rollout status | approve | reject}: a journaled rollout seen and steered from outside the process
 * that runs it, through {@link Rollouts} — the journal store is the only thing read or written.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true, versionProvider = StepwiseCli.Version.class,
        description = "Where a journaled rollout stands, and the answer to its pending approval, from its journal alone.")
final class RolloutCommands implements Callable<Integer> {

    /** Without a subcommand: say which there are. */
    @Override
    public Integer call() {
        throw new UsageException("rollout needs a subcommand: status, approve, reject or resume; see 'stepwise rollout --help'");
    }

    /** The journal every subcommand reads. */
    static final class JournalOption {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "The rollout's journal directory.")
        Path journal;

        JournalStore store() {
            return JournalStore.directory(journal);
        }
    }

    /** {@code rollout status ID}. */
    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = StepwiseCli.Version.class,
            description = "Where rollout ID stands: its state, what comes next and when, each wave, who approved what.")
    static final class Status implements Callable<Integer> {
        private final StepwiseCli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The rollout's id.")
        String id;

        @picocli.CommandLine.Mixin
        JournalOption journal;

        @Option(names = "--output", paramLabel = "table|json", defaultValue = "table",
                description = "How to print it on standard output: table (default) or json.")
        RunOptions.Output output = RunOptions.Output.table;

        @Option(names = "--html", paramLabel = "FILE", description = "Also write it as a self-contained HTML page to FILE.")
        Path html;

        Status(StepwiseCli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            RolloutProgress p = Rollouts.status(journal.store(), id);
            cli.out.println(output == RunOptions.Output.json ? json(p) : p.toString().stripTrailing());
            if (html != null) {
                cli.err.println("HTML report: " + HtmlReport.of(p).writeTo(html).toAbsolutePath());
            }
            return StepwiseCli.OK;
        }
    }

    /**
     * {@code rollout resume ID}: continues a journaled rollout a command of this tool started, rebuilt from the
     * parameters its journal recorded; before its {@code resumeAt} it parks again at once, calling nothing but the
     * journal. A resume continues what was started live, so it acts without {@code --execute}.
     */
    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = StepwiseCli.Version.class,
            description = {"Continues rollout ID from its journal, as its recorded parameters say; exits 0 when it",
                "parks again at the next long wait (run it from a daily job), 1 if it failed."})
    static final class Resume implements Callable<Integer> {
        private final StepwiseCli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The rollout's id.")
        String id;

        @picocli.CommandLine.Mixin
        JournalOption journal;

        @Option(names = "--park", paramLabel = "DURATION", defaultValue = "1h",
                description = "Exit instead of waiting longer than DURATION (default 1h).")
        String park;

        @picocli.CommandLine.Mixin
        AwsOptions aws;

        @picocli.CommandLine.Mixin
        RunOptions run;

        Resume(StepwiseCli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            java.time.Duration parkAfter = Checks.duration("--park", park);
            JournalStore store = journal.store();
            java.util.Map<String, Object> parameters = dev.stepwise.core.journal.RolloutJournal.read(store, id).start()
                    .parameters();
            Object kind = parameters.get("kind");
            if (!dev.stepwise.aws.patch.PatchRollout.PARAMETERS_KIND.equals(kind)) {
                throw new UsageException("rollout " + id + " was not started by this tool's patch-rollout (its journal "
                        + "records kind " + kind + "): resume it from the program that started it");
            }
            if (aws.region == null && parameters.get("region") instanceof String recorded) {
                aws.region = recorded;
            }
            try (dev.stepwise.aws.AwsContext context = aws.context(); Progress progress = cli.progress(run)) {
                dev.stepwise.aws.patch.PatchRollout rollout;
                try {
                    rollout = dev.stepwise.aws.patch.PatchRollout.Builder.fromParameters(parameters, context).build();
                } catch (dev.stepwise.core.StepwiseException e) {
                    throw new UsageException("rollout " + id + ": its recorded parameters no longer build a patch "
                            + "rollout: " + e.getMessage());
                }
                run.execute = true;
                dev.stepwise.core.run.Runner runner = StepwiseCli.runner(run, java.util.Optional.of(journal.journal),
                        progress).parkLongerThan(parkAfter);
                dev.stepwise.aws.patch.PatchRolloutResult result = rollout.resume(runner, id);
                progress.close();
                return PatchRolloutCommand.finish(cli, run, result);
            }
        }
    }

    /** {@code rollout approve ID --by NAME}. */
    @Command(name = "approve", mixinStandardHelpOptions = true, versionProvider = StepwiseCli.Version.class,
            description = "Approves rollout ID's pending approval as NAME; a waiting rollout takes it within a minute, "
                    + "a parked one at its next resume.")
    static final class Approve implements Callable<Integer> {
        private final StepwiseCli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The rollout's id.")
        String id;

        @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who approves, for the audit record.")
        String by;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the audit record.")
        String comment = "";

        @picocli.CommandLine.Mixin
        JournalOption journal;

        Approve(StepwiseCli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Rollouts.approve(journal.store(), id, by, comment);
            cli.err.println("Approved rollout " + id + " as " + by + ".");
            return StepwiseCli.OK;
        }
    }

    /** {@code rollout reject ID --by NAME --reason TEXT}. */
    @Command(name = "reject", mixinStandardHelpOptions = true, versionProvider = StepwiseCli.Version.class,
            description = "Rejects rollout ID's pending approval as NAME; the rollout halts before the wave it held back.")
    static final class Reject implements Callable<Integer> {
        private final StepwiseCli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The rollout's id.")
        String id;

        @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who rejects, for the audit record.")
        String by;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the audit record.")
        String reason;

        @picocli.CommandLine.Mixin
        JournalOption journal;

        Reject(StepwiseCli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Rollouts.reject(journal.store(), id, by, reason);
            cli.err.println("Rejected rollout " + id + " as " + by + ".");
            return StepwiseCli.OK;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The standing as JSON: the fields of {@link RolloutProgress}, times as ISO-8601 instants. */
    static String json(RolloutProgress p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rolloutId", p.rolloutId());
        n.put("rollout", p.rollout());
        n.put("plan", p.plan());
        n.put("state", p.state().name());
        n.put("reason", p.reason());
        n.put("resumeAt", str(p.resumeAt()));
        ArrayNode waves = n.putArray("waves");
        for (RolloutProgress.WaveProgressEntry w : p.waves()) {
            ObjectNode wn = waves.addObject();
            wn.put("wave", w.wave());
            wn.put("status", w.status());
            wn.put("reason", w.reason());
            w.targets().forEach(wn.putArray("targets")::add);
        }
        ArrayNode approvals = n.putArray("approvals");
        for (RolloutProgress.Decided d : p.approvals()) {
            ObjectNode dn = approvals.addObject();
            dn.put("wave", d.wave());
            dn.put("approved", d.approved());
            dn.put("by", d.by());
            dn.put("at", str(d.at()));
            dn.put("comment", d.comment());
        }
        RolloutProgress.Pending pending = p.pending();
        if (pending == null) {
            n.putNull("pending");
        } else {
            ObjectNode pn = n.putObject("pending");
            pn.put("wave", pending.wave());
            pn.put("description", pending.description());
            pn.put("since", str(pending.since()));
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the standing of rollout " + p.rolloutId() + " could not be written as JSON", e);
        }
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
