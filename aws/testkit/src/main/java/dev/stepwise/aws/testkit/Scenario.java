package dev.stepwise.aws.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The model a {@link FillInProxy} answers the filled-in operations from: managed instances, Run Command
 * outcomes, patch inventories, Automation outcomes and ENA support.
 *
 * <p>What the proxy fills in, and how it uses this model:
 * <ul>
 *   <li>{@code DescribeInstanceInformation} lists the {@linkplain #managedInstance managed instances}
 *       (filters {@code InstanceIds}, {@code PingStatus}, {@code PlatformTypes}, {@code ResourceType},
 *       {@code AgentVersion}; pages of {@code MaxResults}).</li>
 *   <li>{@code SendCommand} to instance ids (or a {@code Key=InstanceIds} target) is answered by the proxy;
 *       every instance must be managed, or the answer is {@code InvalidInstanceId} as in real SSM.
 *       Each invocation follows the {@linkplain #commandOutcome outcome} scripted for its instance and
 *       document; unscripted ones succeed at once with no output, or end {@code DeliveryTimedOut} when
 *       the instance is not {@code Online}. {@code SendCommand} with tag targets is forwarded to Moto.
 *       {@code GetCommandInvocation}, {@code ListCommandInvocations}, {@code ListCommands} and
 *       {@code CancelCommand} answer for the proxy's commands; for other command ids
 *       {@code GetCommandInvocation} and {@code ListCommands} are forwarded to Moto, while
 *       {@code ListCommandInvocations} and {@code CancelCommand} answer {@code InvalidCommandId}.
 *       {@code ListCommands} without a {@code CommandId} lists only the proxy's commands, newest first.
 *       How polls advance an invocation is described on {@link CommandOutcome}.</li>
 *   <li>A successful {@code AWS-RunPatchBaseline} invocation changes the instance's
 *       {@linkplain #patches patch inventory}: {@code Install} turns {@code MISSING} patches into
 *       {@code INSTALLED} ({@code RebootOption=NoReboot}: {@code INSTALLED_PENDING_REBOOT}); both
 *       operations set the operation, its times, {@code SnapshotId} and {@code RebootOption}. Pending
 *       reboots become installed with {@code RebootIfNeeded}, or at the next operation after an EC2
 *       {@code RebootInstances} of the instance through the proxy.</li>
 *   <li>{@code StartAutomationExecution} for a document with a {@linkplain #automationOutcome scripted
 *       outcome}, or for {@code AWSSupport-StartEC2RescueWorkflow} (default: success, no outputs), is
 *       answered by the proxy; other documents are forwarded to Moto.</li>
 *   <li>EC2 {@code ModifyInstanceAttribute} / {@code DescribeInstanceAttribute} for {@code EnaSupport}
 *       are answered from {@link #enaSupport(String)}, after checking the instance in Moto.</li>
 *   <li>EC2 {@code CreateImage} with snapshot {@code TagSpecifications} (which Moto does not implement) is
 *       forwarded without them, then the image's snapshots are tagged; {@code DescribeInstances} reports the
 *       {@linkplain #marketplaceProductCode Marketplace product codes} scripted here; {@code StartInstances}
 *       brings the agents scripted with {@link #onlineAfterStart} {@code Online}; the EC2Rescue
 *       {@code OfflineScript} is checked and decoded ({@link #offlineScripts()}).</li>
 * </ul>
 * The model is not per region. It is cleared by {@link FillInProxy#reset()}.
 *
 * <p>Thread-safe: every method holds one lock shared with the proxy's handlers.
 *
 * <pre>{@code
 * proxy.scenario().
 *     managedInstance("i-0123456789abcdef0", "Windows").
 *     commandOutcome("i-0123456789abcdef0", "AWS-RunPowerShellScript", CommandOutcome.success("ok").afterPolls(2)).
 *     patches("i-0123456789abcdef0", Patch.missing("KB5031356"));
 * }</pre>
 */
public final class Scenario {

    /** The document whose outcome {@link #automationOutcome(String, AutomationOutcome)} usually scripts. */
    public static final String EC2_RESCUE_WORKFLOW = "AWSSupport-StartEC2RescueWorkflow";

    private final ScenarioState state;

    Scenario(ScenarioState state) {
        this.state = state;
    }

    /**
     * Declares a managed instance with the defaults of {@link ManagedInstance#of}.
     *
     * @param instanceId   the instance id
     * @param platformType {@code Windows}, {@code Linux} or {@code MacOS}
     * @return this scenario
     */
    public Scenario managedInstance(String instanceId, String platformType) {
        return managedInstance(ManagedInstance.of(instanceId, ManagedInstance.PlatformType.parse(platformType)));
    }

    /**
     * @param instance the instance, replacing any with the same id
     * @return this scenario
     */
    public Scenario managedInstance(ManagedInstance instance) {
        Objects.requireNonNull(instance, "instance");
        synchronized (state) {
            state.managed.put(instance.instanceId(), instance);
        }
        return this;
    }

    /** @return the managed instances, in declaration order */
    public List<ManagedInstance> managedInstances() {
        synchronized (state) {
            return List.copyOf(state.managed.values());
        }
    }

    /**
     * Scripts the outcome of every later invocation of a document on an instance.
     *
     * @param instanceId   the instance id
     * @param documentName the document, such as {@code AWS-RunPowerShellScript}
     * @param outcome      the outcome
     * @return this scenario
     */
    public Scenario commandOutcome(String instanceId, String documentName, CommandOutcome outcome) {
        ManagedInstance.checkInstanceId(instanceId);
        Objects.requireNonNull(documentName, "documentName");
        Objects.requireNonNull(outcome, "outcome");
        synchronized (state) {
            state.commandOutcomes.put(ScenarioState.outcomeKey(instanceId, documentName), outcome);
        }
        return this;
    }

    /**
     * Scripts the outcome of every later invocation on an instance of a document without its own outcome.
     *
     * @param instanceId the instance id
     * @param outcome    the outcome
     * @return this scenario
     */
    public Scenario commandOutcome(String instanceId, CommandOutcome outcome) {
        return commandOutcome(instanceId, ScenarioState.ANY_DOCUMENT, outcome);
    }

    /**
     * Sets an instance's patch inventory (replacing any), last reported by a {@code Scan} now.
     *
     * @param instanceId the instance id
     * @param patches    the patches, each id at most once
     * @return this scenario
     */
    public Scenario patches(String instanceId, Patch... patches) {
        return patches(instanceId, Arrays.asList(patches));
    }

    /**
     * @param instanceId the instance id
     * @param patches the patches
     * @return this scenario
     */
    public Scenario patches(String instanceId, List<Patch> patches) {
        ManagedInstance.checkInstanceId(instanceId);
        List<Patch> copy = List.copyOf(patches);
        long distinct = copy.stream().map(Patch::kbId).distinct().count();
        if (distinct != copy.size()) {
            throw new IllegalArgumentException("patches for " + instanceId + " name a KBId more than once: "
                    + copy.stream().map(Patch::kbId).toList());
        }
        synchronized (state) {
            ScenarioState.PatchInventory inv = inventory(instanceId);
            inv.patches.clear();
            inv.patches.addAll(copy);
        }
        return this;
    }

    /**
     * A patch released while a rollout runs: added to the instance's inventory, so the next Scan lists it. Patch
     * Manager approves new patches by the baseline's approval rules and evaluates Linux patches on the node against
     * its repositories (reference aws-patching-and-drivers.md §1, "Approval rules", "Where evaluated"), so a patch
     * can appear between two operations of one rollout.
     *
     * @param instanceId the instance id
     * @param patch      the new patch, usually {@code Patch.missing(...)}
     * @return this scenario
     */
    public Scenario releasePatch(String instanceId, Patch patch) {
        ManagedInstance.checkInstanceId(instanceId);
        Objects.requireNonNull(patch, "patch");
        synchronized (state) {
            ScenarioState.PatchInventory inv = inventory(instanceId);
            if (inv.patches.stream().anyMatch(p -> p.kbId().equals(patch.kbId()))) {
                throw new IllegalArgumentException(instanceId + " already lists " + patch.kbId());
            }
            inv.patches.add(patch);
        }
        return this;
    }

    /**
     * The YAML an {@code InstallOverrideList} URL serves ({@code patches:} entries with {@code id} and an optional
     * {@code title}; reference aws-patching-and-drivers.md §1): a test's stand-in for the {@code s3://} or
     * {@code https://} object instances read. An Install whose list URL the scenario does not hold installs nothing.
     *
     * @param url  the URL AWS-RunPatchBaseline is given
     * @param yaml the list
     * @return this scenario
     */
    public Scenario overrideList(String url, String yaml) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(yaml, "yaml");
        synchronized (state) {
            state.overrideLists.put(url, yaml);
        }
        return this;
    }

    /**
     * @param instanceId the instance id
     * @param patchGroup its patch group
     * @return this scenario
     */
    public Scenario patchGroup(String instanceId, String patchGroup) {
        ManagedInstance.checkInstanceId(instanceId);
        Objects.requireNonNull(patchGroup, "patchGroup");
        synchronized (state) {
            inventory(instanceId).patchGroup = patchGroup;
        }
        return this;
    }

    /**
     * @param instanceId the instance id
     * @param baselineId the patch baseline, default {@code pb-0123456789abcdef0}
     * @return this scenario
     */
    public Scenario patchBaseline(String instanceId, String baselineId) {
        ManagedInstance.checkInstanceId(instanceId);
        Objects.requireNonNull(baselineId, "baselineId");
        synchronized (state) {
            inventory(instanceId).baselineId = baselineId;
        }
        return this;
    }

    /**
     * What {@code GetPatchBaseline} answers for {@code baselineId} (Moto does not implement it, reference moto.md
     * "SSM"): a baseline for {@code operatingSystem} (a model {@code OperatingSystem} value, such as
     * {@code AMAZON_LINUX_2}) with one approval rule approving every patch {@code approveAfterDays} days after its
     * release (reference aws-patching-and-drivers.md §1 "Approval rules"). Instances use
     * {@link ScenarioState#DEFAULT_BASELINE} unless {@link #patchBaseline(String, String)} says otherwise; an
     * instance's OS, for a {@code BaselineOverride}, is its baseline's {@code OperatingSystem}.
     *
     * @param baselineId       the baseline id
     * @param operatingSystem  its OperatingSystem
     * @param approveAfterDays 0 to 360
     * @return this scenario
     */
    public Scenario baselineDefinition(String baselineId, String operatingSystem, int approveAfterDays) {
        Objects.requireNonNull(baselineId, "baselineId");
        Objects.requireNonNull(operatingSystem, "operatingSystem");
        if (approveAfterDays < 0 || approveAfterDays > 360) {
            throw new IllegalArgumentException("approveAfterDays " + approveAfterDays + " is outside 0..360 (reference §1)");
        }
        String json = "{\"BaselineId\":\"" + baselineId + "\",\"Name\":\"" + baselineId + "\",\"OperatingSystem\":\""
                + operatingSystem + "\",\"GlobalFilters\":{\"PatchFilters\":[]},\"ApprovalRules\":{\"PatchRules\":[{"
                + "\"PatchFilterGroup\":{\"PatchFilters\":[]},\"ComplianceLevel\":\"UNSPECIFIED\",\"ApproveAfterDays\":"
                + approveAfterDays + ",\"EnableNonSecurity\":false}]},\"ApprovedPatches\":[],\"RejectedPatches\":[],"
                + "\"RejectedPatchesAction\":\"ALLOW_AS_DEPENDENCY\",\"PatchGroups\":[],\"Sources\":[]}";
        synchronized (state) {
            state.baselines.put(baselineId, json);
        }
        return this;
    }

    /**
     * @param instanceId the instance id
     * @return its patches now, empty if it has no inventory
     */
    public List<Patch> patchesOf(String instanceId) {
        synchronized (state) {
            ScenarioState.PatchInventory inv = state.patches.get(instanceId);
            return inv == null ? List.of() : List.copyOf(inv.patches);
        }
    }

    /**
     * Scripts the outcome of every later execution of an Automation document.
     *
     * @param documentName the document, such as {@link #EC2_RESCUE_WORKFLOW}
     * @param outcome      the outcome
     * @return this scenario
     */
    public Scenario automationOutcome(String documentName, AutomationOutcome outcome) {
        Objects.requireNonNull(documentName, "documentName");
        Objects.requireNonNull(outcome, "outcome");
        synchronized (state) {
            state.automationOutcomes.put(ScenarioState.outcomeKey("*", documentName), outcome);
        }
        return this;
    }

    /**
     * Scripts the outcome of later executions of a document whose {@code InstanceId} parameter is an instance;
     * it takes precedence over the outcome for the document alone.
     *
     * @param documentName the document
     * @param instanceId   the value of the execution's {@code InstanceId} parameter
     * @param outcome      the outcome
     * @return this scenario
     */
    public Scenario automationOutcome(String documentName, String instanceId, AutomationOutcome outcome) {
        Objects.requireNonNull(documentName, "documentName");
        ManagedInstance.checkInstanceId(instanceId);
        Objects.requireNonNull(outcome, "outcome");
        synchronized (state) {
            state.automationOutcomes.put(ScenarioState.outcomeKey(instanceId, documentName), outcome);
        }
        return this;
    }

    /**
     * @param instanceId the instance id
     * @param enabled its ENA support
     * @return this scenario
     */
    public Scenario enaSupport(String instanceId, boolean enabled) {
        ManagedInstance.checkInstanceId(instanceId);
        synchronized (state) {
            state.ena.put(instanceId, enabled);
        }
        return this;
    }

    /**
     * @param instanceId the instance id
     * @return its ENA support as set here or through {@code ModifyInstanceAttribute}; empty when neither
     *     happened (the proxy then reports Moto's value)
     */
    public Optional<Boolean> enaSupport(String instanceId) {
        synchronized (state) {
            return Optional.ofNullable(state.ena.get(instanceId));
        }
    }

    /**
     * Adds a Marketplace product code to what {@code DescribeInstances} reports for an instance (Moto reports none).
     *
     * @param instanceId  the instance id
     * @param productCode the product code
     * @return this scenario
     */
    public Scenario marketplaceProductCode(String instanceId, String productCode) {
        ManagedInstance.checkInstanceId(instanceId);
        Objects.requireNonNull(productCode, "productCode");
        synchronized (state) {
            state.marketplaceCodes.computeIfAbsent(instanceId, k -> new ArrayList<>()).add(productCode);
        }
        return this;
    }

    /**
     * Scripts an SSM agent that reports {@code Online} once the instance is started through the proxy
     * ({@code StartInstances}); before that the instance is unmanaged, or as declared with {@link #managedInstance}.
     *
     * @param instanceId the instance id
     * @return this scenario
     */
    public Scenario onlineAfterStart(String instanceId) {
        ManagedInstance.checkInstanceId(instanceId);
        synchronized (state) {
            state.onlineAfterStart.add(instanceId);
        }
        return this;
    }

    /**
     * @return the decoded {@code OfflineScript} of every {@code AWSSupport-StartEC2RescueWorkflow} execution started so
     *     far, in order (UTF-16LE or ASCII/UTF-8, whichever was sent)
     */
    public List<String> offlineScripts() {
        synchronized (state) {
            return List.copyOf(state.offlineScripts);
        }
    }

    /** Forgets everything scripted and every command and execution. */
    public void clear() {
        state.clear();
    }

    private ScenarioState.PatchInventory inventory(String instanceId) {
        return state.patches.computeIfAbsent(instanceId, id -> new ScenarioState.PatchInventory(state.clock.instant()));
    }

    @Override
    public String toString() {
        synchronized (state) {
            return "Scenario[managed=" + state.managed.keySet() + ", commands=" + state.commands.size()
                    + ", patchInventories=" + state.patches.keySet() + ", automations=" + state.automations.size() + "]";
        }
    }
}
