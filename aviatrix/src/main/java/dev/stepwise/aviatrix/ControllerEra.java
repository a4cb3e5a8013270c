package dev.stepwise.aviatrix;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API eras of the Aviatrix controller: which endpoint, login, upgrade call and progress poll a controller
 * of a given version speaks. This enum is the one place the era table lives; every cell cites its source from
 * {@code shared/reference/aviatrix-controller-api.md} (V1…V8: the Terraform provider's {@code goaviatrix/version.go}
 * at the commits the reference lists; C0…CH: its {@code client.go}; B0…B2: {@code controller.go}; G:
 * {@code gateway.go}; A: {@code account.go}; IU/SU/RN/FN: the Aviatrix docs; H1: Controller-HA-for-AWS).
 *
 * <table>
 *   <caption>eras</caption>
 *   <tr><th>era</th><th>login</th><th>start an upgrade</th><th>progress</th><th>controller only</th>
 *       <th>gateways, audit</th></tr>
 *   <tr><td>{@link #V3_0} 3.0–3.2</td><td>POST {@code /v1/api} [C0]</td>
 *       <td>POST {@code /v1/backend1 userconnect_release} [V1]</td><td>none: read the version</td><td>no</td>
 *       <td>unknown</td></tr>
 *   <tr><td>{@link #V3_3} 3.3–6.4</td><td>POST {@code /v1/api} [C0]</td>
 *       <td>GET {@code /v1/api upgrade}, synchronous [V2, V3]</td><td>none</td><td>no [IU]</td><td>unknown</td></tr>
 *   <tr><td>{@link #V6_5} 6.5–6.9</td><td>POST {@code /v1/api} [C0]</td>
 *       <td>POST {@code /v1/api upgrade async=true} [V5]</td>
 *       <td>{@code /v1/backend1 check_upgrade_status} [V4, V5]</td><td>{@code upgrade_platform} [V3]</td>
 *       <td>{@code list_vpcs_summary} [G], audit [A]</td></tr>
 *   <tr><td>{@link #V7_0} 7.0</td><td>{@code get_api_token}, login on {@code /v2/api} [C2]</td>
 *       <td>as 6.5, on {@code /v1/api} [C2, V5]</td><td>as 6.5</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>{@link #V7_1} 7.1–7.x</td><td>as 7.0 [C3]</td><td>POST {@code /v2/api upgrade async=true} [V7]</td>
 *       <td>{@code platform_upgrade_status} [V7]</td><td>yes, with {@code version} [V7]</td><td>yes</td></tr>
 *   <tr><td>{@link #V8} 8.x</td><td>as 7.1 [CH]</td><td colspan="3">unknown: the provider removed upgrades in
 *       v8.0.0 [CK]; refused</td><td>yes</td></tr>
 * </table>
 *
 * <p>Versions before 3.0 belong to no documented era: {@link #of(ControllerVersion)} refuses them.
 *
 * <p>Assumptions where the reference leaves a detail open (each also followed, and marked, by the testkit's fake):
 * <ul>
 *   <li>Which 6.5 build switched from {@code caller=ui} to {@code async=true} is unknown. Stepwise sends
 *       {@code async=true} to every 6.5–7.0 controller (as the provider did from v2.20.2, which still served 6.5)
 *       and accepts both documented answers: a bare integer [V4] and {@code {return:true, results:<int>}} [V5].</li>
 *   <li>The answer of {@code userconnect_release} is unknown: like the provider, Stepwise judges only the HTTP status
 *       [V1], then reads the version until it changes.</li>
 *   <li>The answer to a backup with {@code now=true} is unknown, and so is whether {@code /v2/api} accepts it
 *       (the only source, AZ, posts it to {@code /v1/api}): Stepwise sends it to the era's action endpoint
 *       ({@code /v2/api} from 7.1, as the provider sends every other action there [C3]), accepts
 *       {@code return:true}, and then reads {@code get_cloudn_backup_config} to check that backups are enabled. A
 *       lost answer is never re-sent.</li>
 *   <li>Listing gateways and the IAM audit before 6.5 are unknown: refused ({@link UnsupportedEraException}); the
 *       upgrade plan then skips those checks with a warning, since before 6.5 every upgrade moves the gateways.</li>
 *   <li>After a token login Stepwise reads the version on {@code /v2/api} first (7.1+) and, when that endpoint does
 *       not serve {@code list_version_info} (a 404, a non-JSON body or {@code valid action required}), on
 *       {@code /v1/api} (7.0 keeps its actions there [C2]).</li>
 *   <li>The first release with {@code get_account_audit_records} is unknown ([A] dates only the provider's code);
 *       Stepwise reads it from 6.5, the first release the provider's tags map to [RC].</li>
 * </ul>
 *
 * <pre>{@code
 * ControllerEra era = ControllerEra.of(ControllerVersion.parse("6.5.2608"));   // V6_5
 * era.canUpgrade();   // true
 * }</pre>
 */
public enum ControllerEra {
    /** 3.0–3.2: the provider's test is {@code major<=3 && minor<=2}, so 3.2 upgrades the old way [V1]. */
    V3_0("3.0–3.2", "/v1/api", false, Upgrade.USERCONNECT_RELEASE, false, false),
    /** 3.3–6.4: synchronous GET {@code upgrade}; before 6.5 an upgrade moves every gateway too [V2, V3, IU]. */
    V3_3("3.3–6.4", "/v1/api", false, Upgrade.SYNCHRONOUS, false, false),
    /** 6.5–6.9: asynchronous start on {@code /v1/api}, {@code check_upgrade_status} on {@code /v1/backend1} [V4, V5]. */
    V6_5("6.5–6.9", "/v1/api", false, Upgrade.CHECK_UPGRADE_STATUS, true, true),
    /** 7.0: as 6.5, with the API token and login on {@code /v2/api}; actions stay on {@code /v1/api} [C2, V5]. */
    V7_0("7.0", "/v1/api", true, Upgrade.CHECK_UPGRADE_STATUS, true, true),
    /** 7.1 and later 7.x: everything on {@code /v2/api}, {@code platform_upgrade_status} [C3, V7]. */
    V7_1("7.1–7.x", "/v2/api", true, Upgrade.PLATFORM_UPGRADE_STATUS, true, true),
    /** 8.x: reads as 7.1 [CH]; the upgrade API is unknown [CK], so upgrades are refused. */
    V8("8.x", "/v2/api", true, Upgrade.UNKNOWN, true, true);

    /** How an era upgrades. */
    enum Upgrade {
        USERCONNECT_RELEASE, SYNCHRONOUS, CHECK_UPGRADE_STATUS, PLATFORM_UPGRADE_STATUS, UNKNOWN
    }

    private final String versions;
    private final String actionPath;
    private final boolean tokenLogin;
    private final Upgrade upgrade;
    private final boolean gatewaysAndAudit;
    private final boolean controllerOnly;

    ControllerEra(String versions, String actionPath, boolean tokenLogin, Upgrade upgrade, boolean gatewaysAndAudit,
            boolean controllerOnly) {
        this.versions = versions;
        this.actionPath = actionPath;
        this.tokenLogin = tokenLogin;
        this.upgrade = upgrade;
        this.gatewaysAndAudit = gatewaysAndAudit;
        this.controllerOnly = controllerOnly;
    }

    /**
     * @param version a controller version
     * @return its era
     * @throws UnsupportedEraException for versions before 3.0, which no source describes
     */
    public static ControllerEra of(ControllerVersion version) {
        return find(version).orElseThrow(() -> new UnsupportedEraException(V3_0, "API", "version " + version
                + " is older than 3.0, the first release the reference describes"));
    }

    /** The era of {@code version}, empty before 3.0. */
    static Optional<ControllerEra> find(ControllerVersion v) {
        int major = v.major();
        int minor = v.minor();
        if (major < 3) {
            return Optional.empty();
        }
        if (major == 3 && minor <= 2) {
            return Optional.of(V3_0);
        }
        if (major < 6 || (major == 6 && minor < 5)) {
            return Optional.of(V3_3);
        }
        if (major == 6) {
            return Optional.of(V6_5);
        }
        if (major == 7) {
            return Optional.of(minor == 0 ? V7_0 : V7_1);
        }
        return Optional.of(V8);
    }

    /** @return the versions of this era, e.g. {@code "6.5–6.9"} */
    public String versions() {
        return versions;
    }

    /** @return whether a documented upgrade call exists (all eras but 8.x) */
    public boolean canUpgrade() {
        return upgrade != Upgrade.UNKNOWN;
    }

    /** @return whether the controller can upgrade without its gateways ({@code upgrade_platform}, 6.5 to 7.x) */
    public boolean canUpgradeControllerOnly() {
        return controllerOnly && canUpgrade();
    }

    /** @return whether gateways can be listed and upgraded one by one, and the IAM audit read (from 6.5) */
    public boolean canListGateways() {
        return gatewaysAndAudit;
    }

    /** @return whether the controller runs the upgrade in the background and is polled for progress (6.5 to 7.x) */
    public boolean isAsynchronous() {
        return upgrade == Upgrade.CHECK_UPGRADE_STATUS || upgrade == Upgrade.PLATFORM_UPGRADE_STATUS;
    }

    /** @return the endpoint of actions, {@code /v1/api} or {@code /v2/api} */
    public String actionPath() {
        return actionPath;
    }

    /** @return whether login goes through {@code get_api_token} on {@code /v2/api} (from 7.0) */
    public boolean tokenLogin() {
        return tokenLogin;
    }

    Upgrade upgrade() {
        return upgrade;
    }

    /**
     * The action and parameters that start an upgrade in this era, without {@code CID}: for the dry run and the
     * client alike.
     */
    Map<String, String> upgradeParams(ControllerVersion version, UpgradeScope scope) {
        java.util.LinkedHashMap<String, String> p = new java.util.LinkedHashMap<>();
        switch (upgrade) {
            // POST /v1/backend1 action=userconnect_release, CID: no version [V1].
            case USERCONNECT_RELEASE -> p.put("action", "userconnect_release");
            // GET /v1/api?CID&action=upgrade&version=X [V2, V3].
            case SYNCHRONOUS -> {
                p.put("action", "upgrade");
                p.put("version", version.toString());
            }
            case CHECK_UPGRADE_STATUS, PLATFORM_UPGRADE_STATUS -> {
                if (scope == UpgradeScope.CONTROLLER_ONLY) {
                    // upgrade_platform, gateway_list="", software_version [V3]; from 7.1 also version [V7].
                    p.put("action", "upgrade_platform");
                    p.put("gateway_list", "");
                    p.put("software_version", version.toString());
                    if (upgrade == Upgrade.PLATFORM_UPGRADE_STATUS) {
                        p.put("version", version.toString());
                    }
                } else {
                    p.put("action", "upgrade");
                    p.put("version", version.toString());
                }
                // async=true [V5, V7] (the caller=ui of V4 is not sent: see the class javadoc).
                p.put("async", "true");
            }
            case UNKNOWN -> throw new UnsupportedEraException(this, "upgrade", "the 8.x upgrade API is not public "
                    + "(the Terraform provider dropped upgrades in v8.0.0)");
        }
        return p;
    }

    /** The endpoint and method of the start: {@code POST /v1/backend1}, {@code GET /v1/api} or {@code POST <action path>}. */
    String upgradePath() {
        return upgrade == Upgrade.USERCONNECT_RELEASE ? "/v1/backend1" : actionPath;
    }

    /** @return whether the start is a GET (the synchronous era [V2]) */
    boolean upgradeIsGet() {
        return upgrade == Upgrade.SYNCHRONOUS;
    }

    /**
     * The backup parameters for {@code version}, without {@code CID} and {@code action}: up to 7.0
     * {@code account_name} and {@code multiple} [B0]; 7.1 {@code acct_name} and {@code multiple_bkup}, the rest
     * unchanged [B1]; from 7.2 {@code acct_name}, {@code region}, Azure {@code storage_name} and
     * {@code container_name}, the others {@code bucket_name} [B2]. {@code now=true} takes the backup at once [AZ].
     */
    static Map<String, String> backupParams(ControllerVersion version, BackupRequest r, boolean now) {
        java.util.LinkedHashMap<String, String> p = new java.util.LinkedHashMap<>();
        boolean upTo70 = version.major() < 7 || (version.major() == 7 && version.minor() == 0);
        boolean from72 = version.major() > 7 || (version.major() == 7 && version.minor() >= 2);
        p.put("cloud_type", String.valueOf(r.cloudType().code()));
        p.put(upTo70 ? "account_name" : "acct_name", r.accountName());
        boolean azure = r.cloudType() == CloudType.AZURE;
        if (!from72 || !azure) {
            r.bucketName().ifPresent(b -> p.put("bucket_name", b));
        }
        if (!from72 || azure) {
            r.storageName().ifPresent(s -> p.put("storage_name", s));
            r.containerName().ifPresent(c -> p.put("container_name", c));
        }
        if (from72) {
            p.put("region", r.region().orElse(""));
        } else {
            r.region().ifPresent(g -> p.put("region", g));
        }
        if (r.multipleBackups()) {
            p.put(upTo70 ? "multiple" : "multiple_bkup", "true");
        }
        if (now) {
            p.put("now", "true");
        }
        return p;
    }

    /** Every era, oldest first. */
    static List<ControllerEra> all() {
        return List.of(values());
    }
}
