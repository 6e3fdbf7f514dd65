//! A sixth corpus, written held out: the log statements of open-source infrastructure software
//! that none of `generated.rs`, `servers.rs`, `platforms.rs`, `apps.rs` and `clients.rs` covers
//! and that is not one of the Loghub systems — telephony and voice (FreeSWITCH, Kamailio, the
//! Mumble server), storage and backup (MinIO, DRBD, mdadm with the kernel's md driver, multipathd,
//! rsyncd, Bacula), security and VPNs (Suricata, strongSwan's charon, wg-quick, CrowdSec,
//! FreeRADIUS, stunnel), mail filtering and delivery (OpenDKIM, SpamAssassin's spamd, Rspamd,
//! Postgrey, OpenSMTPD), virtualisation and clusters (QEMU, Proxmox VE's pvedaemon and vzdump,
//! corosync, Pacemaker), batch schedulers (Slurm's slurmctld, HTCondor), game servers (a Source
//! dedicated server running Team Fortress 2, Factorio), proxies and web servers (Varnish, Caddy,
//! lighttpd, Tinyproxy), time, routing and addressing (ntpd, FRR's bgpd and ospfd, BIRD, Kea,
//! Unbound) and power and service monitoring (NUT's upsmon, Monit): 39 programs, 110 statements.
//! Each statement is the message part of a line as that software prints it (what is left once an
//! ingest pipeline has split off the timestamp, level and component header; where the program
//! writes its own level or module into the message, as Kamailio and lighttpd do, it stays),
//! written from those programs' format strings before the miner was ever run on it. Everything
//! here — programs, statements, value kinds and their distributions, [`SEED`] and [`LINES`] — was
//! decided and written before any measurement, and is not to be adjusted after one: an
//! independent check that the miner generalises.
//!
//! Each statement is a format string with `{}` for its variables and the kind of value each one
//! takes; a line is the statement rendered with values drawn as real logs draw them: user, host,
//! resource, bucket, map, job, node, player, zone and interface names and state words from
//! Zipf-like distributions (a few common, a long tail), numbers, addresses, ids, sizes, durations
//! and dates uniformly. Fields that go together (a Suricata signature's id, revision, message,
//! classification and priority; an IKE message's exchange, direction and payloads; a state
//! change's old and new states; a quorum's size and members; an ntpd build's version and date)
//! are drawn together, and an address a line repeats (CrowdSec's banned address, Caddy's client
//! address) is the one drawn before it. The ground truth is the statement a line came from, and
//! its template is the format string with `<*>` for each `{}`. [`LINES`] lines (6,000) are drawn
//! from the statements with Zipf frequencies in a shuffled order from [`SEED`]: the corpus is the
//! same on every run.
//!
//! Words from a small closed set follow the source: a word the program substitutes through a
//! format argument is a variable however few values it takes, even where it reads like a
//! constant — FreeRADIUS' `Login OK` / `Login incorrect` (one `%s` of two words), rsyncd's `rsync
//! on` / `to`, spamd's `clean message` / `identified spam`, stunnel's `Connection closed` /
//! `reset`, corosync's `Members joined` / `left`, the Source engine's `say` / `say_team`,
//! wg-quick's `-4` / `-6`, Postgrey's actions and reasons, BIRD's `Received` / `Error`, ntpd's
//! event names (and the `0.0.0.0` it prints for the system peer, which never changes), DRBD's
//! `SyncSource` / `SyncTarget` and connection and disk states, strongSwan's `request` /
//! `response` and exchange types, mdadm's events and md's sync actions, FreeSWITCH's channel
//! states, hangup causes, SIP methods and gateway states, Pacemaker's operations and results,
//! Slurm's node states, HTCondor's states and activities, Factorio's and OSPF's states, vzdump's
//! guest types; a compile-time constant (Slurm's `__func__`) counts as written. A word written into
//! the format string is a constant, and where the program has two format strings differing by it
//! they are two statements, which must not merge: FreeSWITCH's `New Channel` / `Close Channel`
//! and `Ping succeeded` / `Ping failed`, strongSwan's `received packet` / `sending packet` and
//! `parsed` / `generating`, wg-quick's `ip address add` / `ip route add`, Suricata's `rule reload
//! starting` / `complete`, vzdump's `Starting` / `Finished Backup of VM`, Slurm's `WEXITSTATUS` /
//! `WTERMSIG`, the Source engine's `World triggered "Round_Start"` / `"Round_Setup_Begin"` /
//! `"Round_Setup_End"` (three, each one word from the others), Varnish's `Child (…) Started` /
//! `ended`, Caddy's `acquiring lock` / `releasing lock`, BIRD's `Reconfiguring` / `Reconfigured`
//! and NUT's `Communications with UPS … established` / `lost`; Factorio's `[JOIN] … joined` /
//! `[LEAVE] … left the game` differ by two words.
//!
//! The hard cases of real logs are there on purpose. Variables hold key=value lists (spamd's
//! result line, Slurm's jobs, Postgrey's and OpenSMTPD's lines), JSON (Caddy's fields, after a tab
//! as its console encoder writes them), quoted names and dates (`greylisted until "Tue, 05 Mar
//! 2024 10:16:12 GMT"`), bracketed and braced ids (`[U:1:84213377]`, `office-vpn{42}`, `05[IKE]`,
//! FreeSWITCH's `[uuid]`), hex pointers and ids, Proxmox's task ids (`UPID:pve1:0001A2B3:…:`),
//! Slurm node lists (`node[003-006]`), MAC addresses with colons and with dashes, IPv4 and IPv6
//! prefixes, durations written out (Bacula's `1 hour 3 mins 12 secs`, Go's `1m3.514207s`,
//! `00:01:23`), sizes and rates with units (`32.00 GiB`, `297.9 MiB/s`), weekday and month names
//! inside dates (ntpd's build date, Rspamd's HTTP date), signed numbers (ntpd's offsets, map
//! positions, spam scores). Most multi-word values keep one token count; eleven statements have
//! values of different token counts, as these programs print them, and no miner grouping by token
//! count can keep those together: a Suricata signature's message and classification (one
//! statement), strongSwan's payload lists (two), Team Fortress players' names (`Dr. Hax`) and
//! chat text (two), Bacula's elapsed time and termination (two), FRR's reasons a BGP session went
//! down, Postgrey's reasons (`early-retry (245s missing)`), corosync's quorum members and
//! Pacemaker's results (`not running`).

use std::cell::{Cell, RefCell};

use super::common::{
    MONTHS, Rng, Statement, WEEKDAYS, assert_one_kind_per_variable, assert_the_same_on_every_run,
    check_statements, fixed, ip, mac, port, time, uuid,
};

/// The floor of the grouping accuracy on this corpus, a little below the level measured (see
/// docs/benchmarks.md). The corpus was written held out; its first measurement, 2026-12-07 with
/// the miner as at session 17's end (`d701223`): GA 0.7420, PA 0.4485, 229 patterns; 0.7608
/// once families keep a constant token and patterns of variables alone take no other group.
const MINIMUM_GA: f64 = 0.75;

/// Lines in the corpus.
const LINES: usize = 6000;

/// FreeSWITCH extensions on the internal profile.
const EXTENSIONS: &[&str] = &[
    "1001", "1002", "1000", "1010", "1003", "2001", "1005", "1020",
];
/// SIP domains of the internal profile.
const SIP_DOMAINS: &[&str] = &[
    "pbx.example.com",
    "192.168.1.10",
    "voip.corp.example.org",
    "10.0.0.5",
];
/// Country and area prefixes of external numbers.
const DIAL_PREFIXES: &[&str] = &["4930", "4989", "4420", "1212", "3314", "4940"];
/// SIP trunks of the external profile.
const SIP_TRUNKS: &[&str] = &[
    "sip.provider.example",
    "trunk1.voip.example.net",
    "203.0.113.10",
    "sipgate.example.de",
];
/// Channel states a FreeSWITCH channel is closed in.
const CLOSE_STATES: &[&str] = &["CS_DESTROY", "CS_REPORTING"];
/// Channel states a FreeSWITCH channel hangs up in.
const HANGUP_STATES: &[&str] = &[
    "CS_EXECUTE",
    "CS_CONSUME_MEDIA",
    "CS_EXCHANGE_MEDIA",
    "CS_ROUTING",
    "CS_SOFT_EXECUTE",
    "CS_HIBERNATE",
];
/// Q.850 hangup causes, as FreeSWITCH names them.
const HANGUP_CAUSES: &[&str] = &[
    "NORMAL_CLEARING",
    "ORIGINATOR_CANCEL",
    "NO_ANSWER",
    "USER_BUSY",
    "CALL_REJECTED",
    "NO_USER_RESPONSE",
    "UNALLOCATED_NUMBER",
    "RECOVERY_ON_TIMER_EXPIRE",
    "NORMAL_TEMPORARY_FAILURE",
    "INCOMPATIBLE_DESTINATION",
];
/// SIP methods that fail authentication.
const SIP_METHODS: &[&str] = &["REGISTER", "INVITE"];
/// FreeSWITCH's sofia profiles.
const SOFIA_PROFILES: &[&str] = &["internal", "external"];
/// User parts that fail SIP authentication (scanners try the short ones).
const SIP_AUTH_USERS: &[&str] = &[
    "1001", "100", "admin", "1000", "2000", "test", "101", "1234",
];
/// FreeSWITCH gateways.
const GATEWAYS: &[&str] = &["provider1", "sipgate", "twilio-trunk", "backup-trunk"];
/// SIP status codes of successful pings.
const PING_OK_CODES: &[&str] = &["200", "405", "404"];
/// SIP status codes of failed pings.
const PING_FAILED_CODES: &[&str] = &["408", "503", "403", "500"];
/// The fewest and the most successful pings that bring a gateway up, as configured.
const PING_MINIMA: &[&str] = &["1", "2"];
/// See [`PING_MINIMA`].
const PING_MAXIMA: &[&str] = &["3", "5", "2"];
/// A gateway's state.
const UP_DOWN: &[&str] = &["UP", "DOWN"];
/// Kamailio source lines (they move between releases).
const TCP_MAIN_LINES: &[&str] = &["4767", "4723"];
/// See [`TCP_MAIN_LINES`].
const PIKE_LINES: &[&str] = &["143", "170"];
/// SIP ports.
const SIP_PORTS: &[&str] = &["5061", "5060", "5080", "443"];
/// Mumble virtual server ids.
const MUMBLE_SERVERS: &[&str] = &["1", "2"];
/// Mumble user names.
const MUMBLE_USERS: &[&str] = &[
    "SuperUser",
    "alice",
    "Bob_the_Builder",
    "xXsniperXx",
    "kpatel",
    "mgarcia",
    "Tarn",
    "greyfox",
];
/// Mumble user ids (`-1` for an unregistered user).
const MUMBLE_USER_IDS: &[&str] = &["-1", "3", "12", "1", "27", "8"];
/// Why a Mumble connection closed: Qt's error text and code.
const MUMBLE_CLOSES: &[&[&str]] = &[
    &["The remote host closed the connection", "1"],
    &["The TLS/SSL connection has been closed", "13"],
];
/// MinIO API calls.
const MINIO_APIS: &[&str] = &[
    "PutObject",
    "GetObject",
    "DeleteObject",
    "HeadObject",
    "PutObjectPart",
    "CompleteMultipartUpload",
    "CopyObject",
];
/// MinIO buckets.
const BUCKETS: &[&str] = &[
    "backups",
    "loki-chunks",
    "photos",
    "velero",
    "gitlab-artifacts",
    "thanos",
    "media",
];
/// MinIO object names.
const OBJECTS: &[&str] = &[
    "2024/03/IMG_2041.jpg",
    "fake/1a2b3c4d5e6f7a8b/18e1a2b3c4d:18e1a2b3c4e:9f3e2a1b",
    "restic/data/4f/4f1c2e9a7b3d5f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071",
    "backups/velero-daily-20240305020012.tar.gz",
    "01HQ3Z5XK2M8N4P6R7S9T0V1W2/chunks/000001",
    "artifacts/2024_03_05/12345/job.log",
];
/// MinIO errors: text and Go type.
const MINIO_ERRORS: &[&[&str]] = &[
    &["drive not found", "*errors.errorString"],
    &["file not found", "*errors.errorString"],
    &["file access denied", "*errors.errorString"],
    &["volume not found", "*errors.errorString"],
    &["operation timed out", "cmd.OperationTimedOut"],
];
/// DRBD resources.
const DRBD_RESOURCES: &[&str] = &["r0", "r1", "data", "vm-101-disk-0", "pgdata"];
/// DRBD peers.
const DRBD_PEERS: &[&str] = &["node2", "pve2", "storage-b", "node1"];
/// DRBD volume numbers.
const DRBD_VOLUMES: &[&str] = &["0", "1"];
/// DRBD connection state changes: old and new.
const DRBD_CONN_CHANGES: &[&[&str]] = &[
    &["Connecting", "Connected"],
    &["Unconnected", "Connecting"],
    &["Connected", "NetworkFailure"],
    &["NetworkFailure", "Unconnected"],
    &["Connected", "Disconnecting"],
    &["Disconnecting", "StandAlone"],
    &["StandAlone", "Unconnected"],
];
/// DRBD disk state changes: old and new.
const DRBD_DISK_CHANGES: &[&[&str]] = &[
    &["Attaching", "Negotiating"],
    &["Negotiating", "UpToDate"],
    &["Inconsistent", "UpToDate"],
    &["UpToDate", "Outdated"],
    &["Outdated", "Inconsistent"],
    &["Diskless", "Attaching"],
    &["UpToDate", "Failed"],
    &["Failed", "Diskless"],
    &["UpToDate", "Detaching"],
    &["Detaching", "Diskless"],
];
/// The roles a DRBD node resyncs in.
const SYNC_ROLES: &[&str] = &["SyncSource", "SyncTarget"];
/// mdadm's events on an array.
const MD_EVENTS: &[&str] = &[
    "DegradedArray",
    "RebuildStarted",
    "RebuildFinished",
    "NewArray",
    "SparesMissing",
    "Rebuild20",
    "Rebuild40",
    "Rebuild60",
    "Rebuild80",
    "DeviceDisappeared",
    "TestMessage",
];
/// mdadm's events on a component of an array.
const MD_COMPONENT_EVENTS: &[&str] = &["Fail", "SpareActive", "FailSpare", "MoveSpare"];
/// md arrays, as mdadm names them.
const MD_DEVICES: &[&str] = &[
    "/dev/md0",
    "/dev/md/0",
    "/dev/md127",
    "/dev/md1",
    "/dev/md/data",
    "/dev/md/root",
];
/// Components of md arrays.
const MD_COMPONENTS: &[&str] = &[
    "/dev/sdb1",
    "/dev/sdc1",
    "/dev/sda2",
    "/dev/nvme1n1p2",
    "/dev/sdd",
];
/// md's sync actions.
const MD_ACTIONS: &[&str] = &[
    "data-check",
    "resync",
    "recovery",
    "reshape",
    "requested-resync",
];
/// md arrays, as the kernel names them.
const MD_ARRAYS: &[&str] = &["md0", "md127", "md1", "md2"];
/// multipath maps: aliases and WWIDs.
const MPATH_MAPS: &[&str] = &[
    "mpatha",
    "mpathb",
    "3600508b400105e210000900000490000",
    "mpathc",
    "360014380056d5e2a0000a00000230000",
    "oradata01",
];
/// Paths of multipath maps, as major:minor.
const PATH_DEV_TS: &[&str] = &["8:32", "8:48", "65:16", "8:64", "65:0", "8:80"];
/// rsyncd's directions (`on` when the client reads, `to` when it writes).
const RSYNC_DIRECTIONS: &[&str] = &["on", "to"];
/// rsyncd module paths.
const RSYNC_MODULES: &[&str] = &[
    "backup/",
    "photos/2024/",
    "mirror/debian/dists/bookworm/",
    "www/",
    "home/alice/",
];
/// rsync clients' host names (`UNKNOWN` without reverse DNS).
const RSYNC_HOSTS: &[&str] = &[
    "UNKNOWN",
    "backup01.example.com",
    "nas.lan",
    "laptop-17.corp.example.com",
    "mirror-sync.example.org",
];
/// Bacula job names.
const BACULA_JOBS: &[&str] = &[
    "BackupClient1",
    "BackupCatalog",
    "nas-fd-home",
    "web01-daily",
    "db01-full",
    "mail-incremental",
];
/// How a Bacula job ended.
const BACULA_TERMINATIONS: &[&str] = &[
    "Backup OK",
    "Backup OK -- with warnings",
    "*** Backup Error ***",
    "Backup Canceled",
];
/// Suricata's packet processing threads.
const SURICATA_WORKERS: &[&str] = &["4", "2", "8", "16", "6"];
/// Suricata's management threads.
const SURICATA_MANAGERS: &[&str] = &["4", "3", "5"];
/// Rule files Suricata loads.
const RULE_FILES: &[&str] = &["1", "2", "3", "12"];
/// Rules that fail to load.
const FAILED_RULES: &[&str] = &["0", "1", "2", "5"];
/// Suricata signatures: id, revision, message, classification and priority.
const SIGNATURES: &[&[&str]] = &[
    &[
        "2210045",
        "2",
        "SURICATA STREAM Packet with invalid ack",
        "Generic Protocol Command Decode",
        "3",
    ],
    &[
        "2013028",
        "7",
        "ET POLICY curl User-Agent Outbound",
        "Attempted Information Leak",
        "2",
    ],
    &[
        "2001219",
        "20",
        "ET SCAN Potential SSH Scan",
        "Attempted Information Leak",
        "2",
    ],
    &[
        "2402000",
        "7012",
        "ET DROP Dshield Block Listed Source group 1",
        "Misc Attack",
        "2",
    ],
    &[
        "2027865",
        "4",
        "ET INFO Observed DNS Query to .cloud TLD",
        "Potentially Bad Traffic",
        "2",
    ],
    &[
        "2221010",
        "1",
        "SURICATA HTTP unable to match response to request",
        "Generic Protocol Command Decode",
        "3",
    ],
    &[
        "2100498",
        "7",
        "GPL ATTACK_RESPONSE id check returned root",
        "Potentially Bad Traffic",
        "2",
    ],
];
/// Transport protocols of alerts.
const TRANSPORTS: &[&str] = &["TCP", "UDP"];
/// Destination ports of alerts.
const SERVICE_PORTS: &[&str] = &["80", "443", "22", "53", "445", "3389", "8080"];
/// strongSwan connection names.
const CONNECTIONS: &[&str] = &[
    "home",
    "rw",
    "office-vpn",
    "site-to-site",
    "roadwarrior-eap",
    "aws-vpc-1",
];
/// Local traffic selectors.
const LOCAL_SELECTORS: &[&str] = &[
    "10.1.0.0/16",
    "0.0.0.0/0",
    "192.168.10.0/24",
    "172.31.0.0/16",
];
/// Remote traffic selectors.
const REMOTE_SELECTORS: &[&str] = &[
    "10.3.0.2/32",
    "10.2.0.0/16",
    "192.168.20.0/24",
    "10.10.10.5/32",
];
/// IKE ports.
const IKE_PORTS: &[&str] = &["4500", "500"];
/// IKE messages: exchange, direction and payloads.
const IKE_MESSAGES: &[&[&str]] = &[
    &["INFORMATIONAL", "request", "D"],
    &[
        "IKE_SA_INIT",
        "request",
        "SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP)",
    ],
    &[
        "IKE_SA_INIT",
        "response",
        "SA KE No N(NATD_S_IP) N(NATD_D_IP) CERTREQ N(FRAG_SUP) N(HASH_ALG) N(CHDLESS_SUP) N(MULT_AUTH)",
    ],
    &[
        "IKE_AUTH",
        "request",
        "IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MOBIKE_SUP) N(NO_ADD_ADDR) N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP)",
    ],
    &[
        "IKE_AUTH",
        "response",
        "IDr AUTH SA TSi TSr N(AUTH_LFT) N(MOBIKE_SUP) N(ADD_4_ADDR)",
    ],
    &["IKE_AUTH", "response", "EAP/REQ/ID"],
    &["CREATE_CHILD_SA", "request", "N(REKEY_SA) SA No KE TSi TSr"],
    &["CREATE_CHILD_SA", "response", "SA No KE TSi TSr"],
];
/// WireGuard interfaces.
const WG_IFACES: &[&str] = &["wg0", "wg1", "wg-home", "mullvad-se4", "wg0-office"];
/// wg-quick's interface addresses: the `ip` family flag and the address.
const WG_ADDRESSES: &[&[&str]] = &[
    &["-4", "10.8.0.2/24"],
    &["-4", "10.66.66.1/24"],
    &["-6", "fd42:42:42::2/64"],
    &["-4", "10.64.12.7/32"],
    &["-6", "fc00:bbbb:bbbb:bb01::1:c06/128"],
];
/// wg-quick's routes: the `ip` family flag and the prefix.
const WG_ROUTES: &[&[&str]] = &[
    &["-4", "10.8.0.0/24"],
    &["-4", "192.168.50.0/24"],
    &["-6", "fd42:42:42::/64"],
    &["-4", "10.0.0.0/8"],
    &["-4", "172.16.16.0/24"],
];
/// CrowdSec scenarios.
const SCENARIOS: &[&str] = &[
    "crowdsecurity/ssh-bf",
    "crowdsecurity/http-probing",
    "crowdsecurity/ssh-slow-bf",
    "crowdsecurity/http-crawl-non_statics",
    "crowdsecurity/http-bad-user-agent",
    "crowdsecurity/nginx-req-limit-exceeded",
    "crowdsecurity/CVE-2021-41773",
    "LePresidente/http-generic-401-bf",
];
/// CrowdSec machine ids.
const MACHINE_IDS: &[&str] = &[
    "8f1c2a9e4b7d4e1fa3c6b2d9e0f17a5cXk3mQ9vT2bR7nL4w",
    "localhost",
    "4d9e7f2a0c8b4e6d9a1f3c5e7b2d8a0fPq8Zt1Vn6Ye3Rm5K",
    "web01",
];
/// Country codes of attackers.
const COUNTRIES: &[&str] = &["CN", "US", "RU", "NL", "DE", "VN", "BR", "IN"];
/// Autonomous systems of attackers.
const ASNS: &[&str] = &[
    "4134", "14061", "16276", "4837", "9009", "45090", "24940", "396982",
];
/// How long CrowdSec bans for.
const BAN_DURATIONS: &[&str] = &["4h", "24h", "168h", "1h", "12h"];
/// FreeRADIUS' verdicts.
const RADIUS_VERDICTS: &[&str] = &["Login OK", "Login incorrect"];
/// RADIUS user names.
const RADIUS_USERS: &[&str] = &[
    "alice",
    "bob@corp.example.com",
    "host/laptop-17.corp.example.com",
    "kpatel",
    "anonymous",
    "guest",
    "carol@eduroam.example.org",
    "0013a2b4c5d6",
];
/// RADIUS clients.
const RADIUS_CLIENTS: &[&str] = &[
    "wlc-01",
    "unifi-controller",
    "nas1",
    "ap-floor2",
    "localhost",
    "vpn-gw",
];
/// NAS ports.
const RADIUS_PORTS: &[&str] = &["0", "1", "12", "49153", "5", "13"];
/// stunnel services.
const STUNNEL_SERVICES: &[&str] = &["https", "imaps", "redis-tls", "pop3s", "smtps", "openvpn"];
/// How a stunnel connection ended.
const STUNNEL_ENDINGS: &[&str] = &["closed", "reset"];
/// DKIM selectors.
const DKIM_SELECTORS: &[&str] = &["mail", "default", "s1", "2024a", "dkim"];
/// Mail domains.
const MAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "corp.example.net",
    "lists.example.io",
    "shop.example.de",
];
/// Mail servers, as reverse DNS names them.
const MAIL_HOSTS: &[&str] = &[
    "mail.example.org",
    "mx1.example.net",
    "o1.email.example.com",
    "smtp-out.example.io",
    "unknown",
];
/// spamd's verdicts.
const SPAMD_VERDICTS: &[&str] = &["clean message", "identified spam"];
/// Spam score thresholds.
const REQUIRED_SCORES: &[&str] = &["5.0", "6.0", "4.0", "5.5"];
/// Users spamd checks mail for.
const SPAMD_USERS: &[&str] = &["debian-spamd", "amavis", "alice", "vmail", "spamd"];
/// Their uids.
const SPAMD_UIDS: &[&str] = &["109", "110", "1000", "5000", "113"];
/// spamd's spam flags.
const SPAM_FLAGS: &[&str] = &[".", "Y"];
/// Tests a message hit.
const SPAM_TESTS: &[&str] = &[
    "BAYES_00,DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS",
    "BAYES_99,BAYES_999,HTML_MESSAGE,RDNS_NONE,URIBL_BLOCKED",
    "ALL_TRUSTED,BAYES_50,MISSING_MID",
    "none",
    "DKIM_INVALID,FREEMAIL_FROM,HTML_IMAGE_ONLY_16,SPF_SOFTFAIL",
];
/// Hosts that connect to spamd.
const SPAMD_HOSTS: &[&str] = &["localhost", "ip6-localhost"];
/// Their addresses.
const SPAMD_ADDRESSES: &[&str] = &["127.0.0.1", "::1"];
/// spamd's autolearn results.
const AUTOLEARN: &[&str] = &["no", "ham", "spam", "disabled", "unavailable"];
/// Rspamd's greylist module's source lines.
const GREYLIST_LINES: &[&str] = &["433", "462"];
/// Postgrey's actions and reasons.
const POSTGREY_VERDICTS: &[&[&str]] = &[
    &["greylist", "new"],
    &["greylist", "early-retry (245s missing)"],
    &["pass", "client whitelist"],
    &["pass", "client AWL"],
    &["greylist", "early-retry (31s missing)"],
    &["pass", "recipient whitelist"],
];
/// Postgrey's action when a triplet is found.
const PASS: &[&str] = &["pass"];
/// Postgrey's reason when a triplet is found.
const TRIPLET_FOUND: &[&str] = &["triplet found"];
/// Envelope senders.
const SENDERS: &[&str] = &[
    "bounces+12345-abcd@em.example.com",
    "noreply@example.org",
    "alice@example.net",
    "newsletter@lists.example.io",
    "SRS0=AbCd=KQ=example.com=bob@forwarder.example.de",
];
/// Envelope recipients.
const RECIPIENTS: &[&str] = &[
    "alice@example.com",
    "postmaster@example.com",
    "bob@example.com",
    "info@shop.example.de",
    "kpatel@corp.example.net",
];
/// Why an OpenSMTPD session ended.
const SMTPD_ENDINGS: &[&str] = &["quit", "disconnect", "io-error", "protocol-error"];
/// Signals that stop QEMU.
const QEMU_SIGNALS: &[&str] = &["15", "2", "1"];
/// Programs that stop QEMU.
const QEMU_KILLERS: &[&str] = &["/usr/sbin/libvirtd", "/usr/sbin/virtqemud"];
/// CPU features a host lacks: QEMU's name and its bit.
const CPU_FEATURES: &[&[&str]] = &[
    &["CPUID[eax=80000001h,ecx=00h].ECX.svm", "2"],
    &["CPUID[eax=07h,ecx=00h].EBX.hle", "4"],
    &["CPUID[eax=07h,ecx=00h].EBX.rtm", "11"],
    &["CPUID[eax=01h,ecx=00h].ECX.vmx", "5"],
    &["CPUID[eax=80000008h,ecx=00h].EBX.amd-ssbd", "24"],
    &["CPUID[eax=07h,ecx=00h].EDX.arch-capabilities", "29"],
];
/// Proxmox VE users.
const PVE_USERS: &[&str] = &[
    "root@pam",
    "admin@pve",
    "terraform@pve!provider",
    "alice@ldap",
];
/// Proxmox VE nodes.
const PVE_NODES: &[&str] = &["pve1", "pve2", "pve3", "pve"];
/// Proxmox VE task types and the ids they act on.
const PVE_TASKS: &[&[&str]] = &[
    &["qmstart", "101"],
    &["vncproxy", "100"],
    &["vzdump", "101"],
    &["qmshutdown", "102"],
    &["aptupdate", ""],
    &["qmigrate", "105"],
    &["vzstart", "200"],
    &["qmsnapshot", "101"],
];
/// Proxmox VE guest ids.
const VMIDS: &[&str] = &["100", "101", "102", "105", "110", "200", "201", "9000"];
/// Proxmox VE guest types.
const GUEST_TYPES: &[&str] = &["qemu", "lxc"];
/// Size units of Proxmox' transfers.
const PVE_UNITS: &[&str] = &["GiB", "MiB", "TiB"];
/// corosync's membership changes.
const MEMBERSHIP_CHANGES: &[&str] = &[
    "joined: 2",
    "left: 2",
    "joined: 3",
    "left: 3",
    "joined: 1",
    "left: 4",
];
/// corosync's quorum: its size and its members.
const QUORUM_MEMBERS: &[&[&str]] = &[
    &["3", "1 2 3"],
    &["2", "1 2"],
    &["2", "1 3"],
    &["4", "1 2 3 4"],
    &["1", "1"],
    &["2", "2 3"],
];
/// Pacemaker's resource operations.
const PCMK_OPERATIONS: &[&str] = &["monitor", "start", "stop", "probe", "promote", "demote"];
/// Pacemaker resources.
const PCMK_RESOURCES: &[&str] = &[
    "vip",
    "p_nginx",
    "drbd_r0",
    "fence-node2",
    "pgsql",
    "fs_data",
    "haproxy-clone",
];
/// Cluster nodes.
const CLUSTER_NODES: &[&str] = &["node1", "node2", "node3", "pve1", "pve2"];
/// Results of resource operations.
const PCMK_RESULTS: &[&str] = &[
    "ok",
    "not running",
    "error",
    "promoted",
    "Timed Out",
    "not installed",
];
/// The controller's state transitions: old and new.
const CRMD_TRANSITIONS: &[&[&str]] = &[
    &["S_IDLE", "S_POLICY_ENGINE"],
    &["S_POLICY_ENGINE", "S_TRANSITION_ENGINE"],
    &["S_TRANSITION_ENGINE", "S_IDLE"],
    &["S_ELECTION", "S_INTEGRATION"],
    &["S_INTEGRATION", "S_FINALIZE_JOIN"],
    &["S_FINALIZE_JOIN", "S_IDLE"],
    &["S_NOT_DC", "S_PENDING"],
];
/// Prefixes of Slurm node names.
const SLURM_PREFIXES: &[&str] = &["node", "cn", "gpu", "bigmem"];
/// CPUs a Slurm job gets.
const SLURM_CPUS: &[&str] = &["1", "4", "8", "16", "32", "2", "64", "128"];
/// Slurm partitions.
const PARTITIONS: &[&str] = &["compute", "gpu", "debug", "long", "bigmem", "interactive"];
/// Exit codes of Slurm jobs.
const EXIT_CODES: &[&str] = &["0", "1", "2", "137", "127", "255"];
/// Signals that end Slurm jobs.
const TERM_SIGNALS: &[&str] = &["9", "15", "6", "11", "2"];
/// States a Slurm node is set to.
const NODE_STATES: &[&str] = &["DRAINING", "DOWN", "IDLE", "DRAINED", "FUTURE", "MIXED"];
/// HTCondor state and activity changes: old state and activity, new state and activity.
const CONDOR_CHANGES: &[&[&str]] = &[
    &["Claimed", "Idle", "Claimed", "Busy"],
    &["Claimed", "Busy", "Claimed", "Idle"],
    &["Unclaimed", "Idle", "Claimed", "Idle"],
    &["Claimed", "Idle", "Preempting", "Vacating"],
    &["Preempting", "Vacating", "Owner", "Idle"],
    &["Owner", "Idle", "Unclaimed", "Idle"],
    &["Claimed", "Busy", "Preempting", "Killing"],
    &["Unclaimed", "Idle", "Matched", "Idle"],
    &["Matched", "Idle", "Claimed", "Idle"],
];
/// Proc numbers of HTCondor jobs (most clusters hold one).
const CONDOR_PROCS: &[&str] = &["0", "1", "2", "3", "4", "5"];
/// HTCondor's shadow exit codes.
const SHADOW_EXITS: &[&str] = &["100", "115", "107", "108", "112", "4", "102"];
/// Team Fortress 2 players, some names with spaces.
const PLAYERS: &[&str] = &[
    "xXSn1perXx",
    "Pyro Main",
    "medic!",
    "kpatel",
    "[TF2C] Sully",
    "Dr. Hax",
    "beepboop",
    "alice",
    "Mr. Pootis",
    "Soldier",
];
/// Teams a player kills or dies on.
const PLAYING_TEAMS: &[&str] = &["Red", "Blue"];
/// Teams a player chats on.
const CHAT_TEAMS: &[&str] = &["Red", "Blue", "Spectator", "Unassigned"];
/// Team Fortress 2 weapons.
const WEAPONS: &[&str] = &[
    "scattergun",
    "tf_projectile_rocket",
    "sniperrifle",
    "minigun",
    "knife",
    "tf_projectile_pipe_remote",
    "flamethrower",
    "world",
    "shotgun_soldier",
    "obj_sentrygun3",
];
/// The Source engine's chat commands.
const SAY_COMMANDS: &[&str] = &["say", "say_team"];
/// What players say.
const CHAT_LINES: &[&str] = &[
    "gg",
    "nice shot",
    "rtv",
    "medic!",
    "where is the medic",
    "lol",
    "!rank",
    "need a dispenser here",
    "gg wp",
    "nominate ctf_2fort",
];
/// Factorio players.
const FACTORIO_PLAYERS: &[&str] = &[
    "alice",
    "Klonan",
    "bob_the_builder",
    "kpatel",
    "Xterminator",
    "Nilaus",
    "trainfan42",
];
/// Factorio source lines.
const FACTORIO_LINES: &[&str] = &["923", "941"];
/// Factorio's server state changes: old and new.
const FACTORIO_STATES: &[&[&str]] = &[
    &["InGame", "InGameSavingMap"],
    &["InGameSavingMap", "InGame"],
    &["Ready", "PreparedToHostGame"],
    &["PreparedToHostGame", "CreatingGame"],
    &["CreatingGame", "InGame"],
    &["InGame", "DisconnectScheduled"],
    &["DisconnectScheduled", "Disconnected"],
];
/// Addresses Varnish's CLI is reached on.
const LOOPBACKS: &[&str] = &["127.0.0.1", "::1"];
/// Varnish's CLI port.
const VARNISH_CLI_PORTS: &[&str] = &["6082"];
/// Varnish CLI commands.
const VARNISH_COMMANDS: &[&str] = &[
    "ping",
    "vcl.list",
    "status",
    "backend.list",
    "panic.show",
    "param.show",
];
/// Domains Caddy serves.
const CADDY_DOMAINS: &[&str] = &[
    "example.com",
    "www.example.com",
    "cloud.example.org",
    "grafana.example.net",
    "git.example.io",
    "*.example.dev",
];
/// Caddy's upstreams.
const UPSTREAM_HOSTS: &[&str] = &["127.0.0.1", "10.0.0.12", "app", "172.17.0.3"];
/// Their ports.
const UPSTREAM_PORTS: &[&str] = &["8080", "3000", "9000", "8000"];
/// HTTP versions, as Caddy writes them.
const HTTP_PROTOS: &[&str] = &["HTTP/2.0", "HTTP/1.1", "HTTP/3.0"];
/// HTTP methods.
const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "DELETE"];
/// Request URIs.
const URIS: &[&str] = &[
    "/",
    "/api/v1/health",
    "/login?next=%2Fdashboard",
    "/static/js/app.js",
    "/favicon.ico",
    "/.env",
];
/// Caddy's reverse proxy source lines.
const REVERSE_PROXY_LINES: &[&str] = &["1299", "1267", "1332"];
/// lighttpd source lines.
const SERVER_C_LINES: &[&str] = &["1588", "1939", "1720"];
/// lighttpd versions.
const LIGHTTPD_VERSIONS: &[&str] = &[
    "lighttpd/1.4.73",
    "lighttpd/1.4.69",
    "lighttpd/1.4.76",
    "lighttpd/1.4.59",
];
/// lighttpd's gateway source lines.
const GW_BACKEND_LINES: &[&str] = &["315", "249"];
/// Why lighttpd cannot reach a FastCGI backend.
const SOCKET_ERRORS: &[&str] = &["Connection refused", "Permission denied"];
/// FastCGI sockets.
const FASTCGI_SOCKETS: &[&str] = &[
    "/run/php/php8.2-fpm.sock",
    "/var/run/lighttpd/php.socket-0",
    "/run/lighttpd/sockets/app.sock",
];
/// Requests through Tinyproxy: method and URL.
const PROXY_REQUESTS: &[&[&str]] = &[
    &["CONNECT", "www.google.com:443"],
    &[
        "GET",
        "http://deb.debian.org/debian/dists/bookworm/InRelease",
    ],
    &["CONNECT", "api.github.com:443"],
    &["GET", "http://detectportal.firefox.com/canonical.html"],
    &["POST", "http://ocsp.digicert.com/"],
    &["CONNECT", "registry-1.docker.io:443"],
];
/// HTTP versions, as a request line writes them.
const HTTP_VERSIONS: &[&str] = &["HTTP/1.1", "HTTP/1.0"];
/// ntpd builds: version and build date.
const NTP_BUILDS: &[&[&str]] = &[
    &["4.2.8p15@1.3728-o", "Wed Sep 23 11:46:38 UTC 2020"],
    &["4.2.8p17@1.4004-o", "Fri Jun  2 17:52:01 UTC 2023"],
    &["4.2.8p12@1.3728-o", "Tue Aug 14 10:21:37 UTC 2018"],
    &["4.2.8p15@1.3728-o", "Thu Jan 19 09:12:44 UTC 2023"],
];
/// ntpd's association events.
const ASSOC_EVENTS: &[&str] = &["mobilize", "demobilize"];
/// ntpd's peer events.
const PEER_EVENTS: &[&str] = &[
    "reachable",
    "sys_peer",
    "unreachable",
    "clock_sync",
    "restart",
];
/// The address ntpd prints for system events.
const SYSTEM_PEER: &[&str] = &["0.0.0.0"];
/// ntpd's clock events with an offset.
const CLOCK_EVENTS: &[&str] = &["clock_step", "spike_detect"];
/// BGP neighbour descriptions (`Unknown` without one).
const BGP_DESCRIPTIONS: &[&str] = &["Unknown", "spine1", "isp-a", "leaf2", "rr1"];
/// VRFs.
const VRFS: &[&str] = &["default", "mgmt", "blue"];
/// Why a BGP session went down.
const BGP_DOWN_REASONS: &[&str] = &[
    "Peer closed the session",
    "BGP Notification received",
    "BGP Notification send",
    "Interface down",
    "Admin. shutdown",
    "No AFI/SAFI activated for peer",
];
/// OSPF interfaces.
const OSPF_IFACES: &[&str] = &["eth1", "eth0", "ens19", "vlan100", "wg0"];
/// OSPF neighbour state changes: old state, new state and event.
const OSPF_CHANGES: &[&[&str]] = &[
    &["Loading", "Full", "LoadingDone"],
    &["Full", "Deleted", "InactivityTimer"],
    &["ExStart", "Exchange", "NegotiationDone"],
    &["Exchange", "Loading", "ExchangeDone"],
    &["Init", "2-Way", "TwoWayReceived"],
    &["Full", "Down", "KillNbr"],
    &["Exchange", "Full", "ExchangeDone"],
];
/// BIRD protocols.
const BIRD_PROTOCOLS: &[&str] = &[
    "bgp_isp1",
    "ospf1",
    "kernel1",
    "device1",
    "static_v4",
    "bgp6_ixp",
    "ibgp_rr1",
];
/// BIRD's protocol states.
const BIRD_STATES: &[&str] = &["up", "start", "feed", "stop", "down", "flush"];
/// BIRD's BGP protocols.
const BIRD_BGP_PROTOCOLS: &[&str] = &[
    "bgp_isp1",
    "upstream2",
    "ibgp_rr1",
    "peer_as64512",
    "bgp6_ixp",
];
/// Whether BIRD received a notification or sent one for an error.
const BIRD_NOTICE_KINDS: &[&str] = &["Received", "Error"];
/// BGP notifications, as BIRD names them.
const BIRD_NOTIFICATIONS: &[&str] = &[
    "Administrative shutdown",
    "Administrative reset",
    "Peer de-configured",
    "Connection rejected",
];
/// Kea lease lifetimes in seconds.
const LEASE_LIFETIMES: &[&str] = &["3600", "86400", "7200", "4000", "600"];
/// Names Unbound resolves.
const QNAMES: &[&str] = &[
    "www.google.com.",
    "api.github.com.",
    "1.0.168.192.in-addr.arpa.",
    "time.cloudflare.com.",
    "connectivity-check.ubuntu.com.",
    "_ldap._tcp.dc._msdcs.corp.example.com.",
    "example.com.",
    "wpad.lan.",
];
/// DNS query types.
const QTYPES: &[&str] = &["A", "AAAA", "HTTPS", "PTR", "SRV", "TXT", "MX"];
/// UPSes, as upsmon names them.
const UPS_NAMES: &[&str] = &[
    "ups@localhost",
    "apc1500@nas",
    "eaton5e@192.168.1.5",
    "cyberpower@localhost",
    "ups@pve1",
];
/// Services Monit watches.
const MONIT_SERVICES: &[&str] = &[
    "nginx",
    "postgresql",
    "sshd",
    "php-fpm",
    "redis",
    "docker",
    "mysqld",
    "fail2ban",
];
/// Filesystems Monit watches.
const MONIT_FILESYSTEMS: &[&str] = &["rootfs", "datafs", "var", "home", "backup_disk", "boot"];
/// Monit's space usage limits.
const SPACE_LIMITS: &[&str] = &["80.0", "90.0", "85.0", "95.0"];

/// The kind of value a `{}` of a statement takes.
#[derive(Clone, Copy)]
enum V {
    /// A number in the range.
    Num(u64, u64),
    /// A signed number in the range.
    Signed(i64, i64),
    /// A number in the range, zero-padded to two digits (`05`).
    Padded(u64, u64),
    /// A word of the list, Zipf-distributed over its order.
    Zipf(&'static [&'static str]),
    /// A column of a table's row: column 0 draws the row (Zipf-distributed over the table's
    /// order) and the later columns of the statement take the same row.
    Row(&'static [&'static [&'static str]], usize),
    /// An IPv4 address.
    Ip,
    /// The IPv4 address the statement's last `Ip` drew.
    SameIp,
    /// An ephemeral port.
    Port,
    /// This many lowercase hex digits.
    Hex(usize),
    /// This many uppercase hex digits (a Postfix queue id, a MinIO request id).
    UpperHex(usize),
    /// A MAC address, lowercase with colons.
    Mac,
    /// A MAC address, uppercase with dashes, as RADIUS' Calling-Station-Id writes it.
    DashedMac,
    /// A decimal with an integer part in the range and this many places (`12.345`).
    Fixed(u64, u64, usize),
    /// A time of day (`10:11:12`).
    Time,
    /// A random UUID.
    Uuid,
    /// A heap pointer (`0x7f3a2c0d1e20`).
    Pointer,
    /// A FreeSWITCH channel name (`sofia/internal/1001@pbx.example.com`).
    Channel,
    /// A date as MinIO writes it (`03/05/2024`).
    SlashDate,
    /// A Bacula job name (`BackupClient1.2024-03-05_23.05.00_03`).
    BaculaJob,
    /// A duration as Bacula writes it (`1 hour 3 mins 12 secs`).
    BaculaElapsed,
    /// A duration as Go's `time.Duration` writes it (`41.527ms`, `1m3.514207s`).
    GoDuration,
    /// A time as Go's `time.Time` writes it (`2024-03-05 10:11:12.123456789 +0000 UTC`).
    GoTime,
    /// A spam score with one place, maybe negative (`-1.9`).
    SpamScore,
    /// A Message-ID without its angle brackets (`CAF3a2b…@mail.example.com`).
    MessageId,
    /// A date as HTTP writes it (`Tue, 05 Mar 2024 10:16:12 GMT`).
    HttpDate,
    /// A Proxmox VE task id (`UPID:pve1:0001A2B3:0C4D5E6F:65E6F1A2:qmstart:101:root@pam:`).
    Upid,
    /// A duration as vzdump writes it (`00:01:23`).
    ClockDuration,
    /// A size as Proxmox writes it (`32.00 GiB`).
    PveSize,
    /// A rate as Proxmox writes it (`297.9 MiB/s`).
    PveRate,
    /// A corosync ring sequence number, in hex (`5f`).
    RingSequence,
    /// A Slurm job id.
    JobId,
    /// A Slurm node (`node017`).
    SlurmNode,
    /// A Slurm node list (`node017`, `node[003-006]`, `gpu[01,03]`).
    SlurmNodeList,
    /// An HTCondor slot (`slot1`, `slot1_12`).
    CondorSlot,
    /// A Steam id as the Source engine writes it (`[U:1:84213377]`, or `BOT`).
    SteamId,
    /// An offset as ntpd writes it (`+0.531201`).
    NtpOffset,
    /// A DHCP client id as Kea writes it (`01:aa:bb:cc:dd:ee:ff`).
    ClientId,
    /// A DHCP transaction id as Kea writes it (`0x5f3a2b1c`).
    TransactionId,
    /// A Caddy error id (nine lowercase letters and digits).
    ErrorId,
}

thread_local! {
    /// The row the last `Row(_, 0)` drew.
    static ROW: Cell<usize> = const { Cell::new(0) };
    /// The address the last `Ip` drew.
    static LAST_IP: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A date, `yyyy-mm-dd`.
fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(2022, 2026),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

/// A duration as Bacula's `edit_utime` writes it: days, hours, minutes and seconds, each unit
/// only when it is not zero, singular for one.
fn bacula_elapsed(rng: &mut Rng) -> String {
    let seconds = match rng.range(0, 3) {
        0 => rng.range(1, 59),
        1 => rng.range(60, 3599),
        2 => rng.range(3600, 86_399),
        _ => rng.range(86_400, 3 * 86_400),
    };
    let units = [
        (seconds / 86_400, "day"),
        (seconds / 3600 % 24, "hour"),
        (seconds / 60 % 60, "min"),
        (seconds % 60, "sec"),
    ];
    units
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| format!("{count} {unit}{}", if *count == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Slurm node list: one node, a range, a set, or a range and a node.
fn slurm_node_list(rng: &mut Rng) -> String {
    let prefix = rng.zipf(SLURM_PREFIXES);
    let first = rng.range(1, 120);
    match rng.range(0, 3) {
        0 => format!("{prefix}{first:03}"),
        1 => format!("{prefix}[{first:03}-{:03}]", first + rng.range(1, 15)),
        2 => format!("{prefix}[{first:02},{:02}]", first + rng.range(1, 9)),
        _ => format!(
            "{prefix}[{first:03}-{:03},{:03}]",
            first + rng.range(1, 7),
            first + rng.range(10, 40)
        ),
    }
}

/// A value of `kind`.
fn value(kind: V, rng: &mut Rng) -> String {
    match kind {
        V::Num(low, high) => rng.range(low, high).to_string(),
        V::Signed(low, high) => (low + rng.range(0, (high - low) as u64) as i64).to_string(),
        V::Padded(low, high) => format!("{:02}", rng.range(low, high)),
        V::Zipf(items) => rng.zipf(items).to_string(),
        V::Row(table, column) => {
            if column == 0 {
                ROW.set(rng.zipf_index(table.len()));
            }
            table[ROW.get()][column].to_string()
        }
        V::Ip => {
            let address = ip(rng);
            LAST_IP.replace(address.clone());
            address
        }
        V::SameIp => LAST_IP.with_borrow(String::clone),
        V::Port => port(rng).to_string(),
        V::Hex(digits) => rng.hex(digits),
        V::UpperHex(digits) => rng.hex(digits).to_uppercase(),
        V::Mac => mac(rng),
        V::DashedMac => mac(rng).to_uppercase().replace(':', "-"),
        V::Fixed(low, high, places) => fixed(rng, low, high, places),
        V::Time => time(rng),
        V::Uuid => uuid(rng),
        V::Pointer => format!("0x7f{}", rng.hex(10)),
        V::Channel => match rng.zipf_index(3) {
            0 => format!(
                "sofia/internal/{}@{}",
                rng.zipf(EXTENSIONS),
                rng.zipf(SIP_DOMAINS)
            ),
            1 => format!(
                "sofia/external/+{}{:07}@{}",
                rng.zipf(DIAL_PREFIXES),
                rng.range(0, 9_999_999),
                rng.zipf(SIP_TRUNKS)
            ),
            _ => format!("loopback/{}-a", rng.zipf(EXTENSIONS)),
        },
        V::SlashDate => format!(
            "{:02}/{:02}/{}",
            rng.range(1, 12),
            rng.range(1, 28),
            rng.range(2022, 2026)
        ),
        V::BaculaJob => format!(
            "{}.{}_{:02}.{:02}.{:02}_{:02}",
            rng.zipf(BACULA_JOBS),
            date(rng),
            rng.range(0, 23),
            rng.range(0, 59),
            rng.range(0, 59),
            rng.range(1, 40)
        ),
        V::BaculaElapsed => bacula_elapsed(rng),
        V::GoDuration => match rng.range(0, 2) {
            0 => format!("{}.{:03}ms", rng.range(1, 999), rng.range(0, 999)),
            1 => format!("{}.{:09}s", rng.range(1, 59), rng.range(0, 999_999_999)),
            _ => format!(
                "{}m{}.{:06}s",
                rng.range(1, 9),
                rng.range(0, 59),
                rng.range(0, 999_999)
            ),
        },
        V::GoTime => format!(
            "{} {}.{:09} +0000 UTC",
            date(rng),
            time(rng),
            rng.range(0, 999_999_999)
        ),
        V::SpamScore => {
            // Tenths from -5.0 to 29.9, written with one place and no `-0.0`.
            let tenths = rng.range(0, 349) as i64 - 50;
            let sign = if tenths < 0 { "-" } else { "" };
            format!("{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
        }
        V::MessageId => match rng.range(0, 2) {
            0 => format!(
                "{}.{}@{}",
                rng.range(1_700_000_000, 1_799_999_999),
                rng.hex(8),
                rng.zipf(MAIL_DOMAINS)
            ),
            1 => format!("CA{}@mail.gmail.com", rng.alphanumeric(30)),
            _ => format!("{}@{}", uuid(rng), rng.zipf(MAIL_DOMAINS)),
        },
        V::HttpDate => format!(
            "{}, {:02} {} {} {} GMT",
            rng.pick(WEEKDAYS),
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.range(2022, 2026),
            time(rng)
        ),
        V::Upid => {
            let task = PVE_TASKS[rng.zipf_index(PVE_TASKS.len())];
            format!(
                "UPID:{}:{:08X}:{:08X}:{:08X}:{}:{}:{}:",
                rng.zipf(PVE_NODES),
                rng.range(1000, 4_000_000),
                rng.range(0x10_0000, 0xFFF_FFFF),
                rng.range(0x6500_0000, 0x6A00_0000),
                task[0],
                task[1],
                rng.zipf(PVE_USERS)
            )
        }
        V::ClockDuration => format!(
            "{:02}:{:02}:{:02}",
            [0, 1, 2, 5][rng.zipf_index(4)],
            rng.range(0, 59),
            rng.range(0, 59)
        ),
        V::PveSize => format!("{} {}", fixed(rng, 1, 999, 2), rng.zipf(PVE_UNITS)),
        V::PveRate => format!("{} MiB/s", fixed(rng, 10, 1900, 1)),
        V::RingSequence => format!("{:x}", rng.range(1, 0xfff)),
        V::JobId => rng.range(1_200_000, 9_999_999).to_string(),
        V::SlurmNode => format!("{}{:03}", rng.zipf(SLURM_PREFIXES), rng.range(1, 120)),
        V::SlurmNodeList => slurm_node_list(rng),
        V::CondorSlot => match rng.range(0, 2) {
            0 => "slot1".to_string(),
            _ => format!("slot1_{}", rng.range(1, 64)),
        },
        V::SteamId => match rng.range(0, 7) {
            0 => "BOT".to_string(),
            _ => format!("[U:1:{}]", rng.range(10_000_000, 1_999_999_999)),
        },
        V::NtpOffset => format!("{}{}", rng.pick(&["+", "-"]), fixed(rng, 0, 3, 6)),
        V::ClientId => format!("01:{}", mac(rng)),
        V::TransactionId => format!("0x{}", rng.hex(8)),
        V::ErrorId => (0..9)
            .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.range(0, 35) as usize]))
            .collect(),
    }
}

use V::*;

/// The statements: a format string with `{}` for each variable, and the variables' kinds.
const STATEMENTS: &[Statement<V>] = &[
    // FreeSWITCH.
    ("New Channel {} [{}]", &[Channel, Uuid]),
    ("Close Channel {} [{}]", &[Channel, Zipf(CLOSE_STATES)]),
    (
        "Hangup {} [{}] [{}]",
        &[Channel, Zipf(HANGUP_STATES), Zipf(HANGUP_CAUSES)],
    ),
    (
        "SIP auth failure ({}) on sofia profile '{}' for [{}@{}] from ip {}",
        &[
            Zipf(SIP_METHODS),
            Zipf(SOFIA_PROFILES),
            Zipf(SIP_AUTH_USERS),
            Zipf(SIP_DOMAINS),
            Ip,
        ],
    ),
    (
        "Ping succeeded {} with code {} - count {}/{}/{}, state {}",
        &[
            Zipf(GATEWAYS),
            Zipf(PING_OK_CODES),
            Zipf(PING_MINIMA),
            Num(0, 3),
            Zipf(PING_MAXIMA),
            Zipf(UP_DOWN),
        ],
    ),
    (
        "Ping failed {} with code {} - count {}/{}/{}, state {}",
        &[
            Zipf(GATEWAYS),
            Zipf(PING_FAILED_CODES),
            Zipf(PING_MINIMA),
            Num(0, 3),
            Zipf(PING_MAXIMA),
            Zipf(UP_DOWN),
        ],
    ),
    // Kamailio.
    (
        "ERROR: <core> [core/tcp_main.c:{}]: tcpconn_main_timeout(): connect {}:{} failed (timeout)",
        &[Zipf(TCP_MAIN_LINES), Ip, Zipf(SIP_PORTS)],
    ),
    (
        "ALERT: pike [pike_funcs.c:{}]: pike_check_req(): PIKE - BLOCKing ip {}, node={}",
        &[Zipf(PIKE_LINES), Ip, Pointer],
    ),
    // The Mumble server.
    (
        "{} => <{}:{}({})> Authenticated",
        &[
            Zipf(MUMBLE_SERVERS),
            Num(1, 400),
            Zipf(MUMBLE_USERS),
            Zipf(MUMBLE_USER_IDS),
        ],
    ),
    (
        "{} => <{}:{}({})> Connection closed: {} [{}]",
        &[
            Zipf(MUMBLE_SERVERS),
            Num(1, 400),
            Zipf(MUMBLE_USERS),
            Zipf(MUMBLE_USER_IDS),
            Row(MUMBLE_CLOSES, 0),
            Row(MUMBLE_CLOSES, 1),
        ],
    ),
    // MinIO.
    (
        "API: {}(bucket={}, object={})",
        &[Zipf(MINIO_APIS), Zipf(BUCKETS), Zipf(OBJECTS)],
    ),
    ("Time: {} UTC {}", &[Time, SlashDate]),
    (
        "Error: {} ({})",
        &[Row(MINIO_ERRORS, 0), Row(MINIO_ERRORS, 1)],
    ),
    // DRBD.
    (
        "drbd {} {}: conn( {} -> {} )",
        &[
            Zipf(DRBD_RESOURCES),
            Zipf(DRBD_PEERS),
            Row(DRBD_CONN_CHANGES, 0),
            Row(DRBD_CONN_CHANGES, 1),
        ],
    ),
    (
        "drbd {}/{} drbd{}: disk( {} -> {} )",
        &[
            Zipf(DRBD_RESOURCES),
            Zipf(DRBD_VOLUMES),
            Num(0, 9),
            Row(DRBD_DISK_CHANGES, 0),
            Row(DRBD_DISK_CHANGES, 1),
        ],
    ),
    (
        "drbd {}/{} drbd{} {}: Began resync as {} (will sync {} KB [{} bits set]).",
        &[
            Zipf(DRBD_RESOURCES),
            Zipf(DRBD_VOLUMES),
            Num(0, 9),
            Zipf(DRBD_PEERS),
            Zipf(SYNC_ROLES),
            Num(4, 104_857_600),
            Num(1, 26_214_400),
        ],
    ),
    // mdadm and the kernel's md driver.
    (
        "{} event detected on md device {}",
        &[Zipf(MD_EVENTS), Zipf(MD_DEVICES)],
    ),
    (
        "{} event detected on md device {}, component device {}",
        &[
            Zipf(MD_COMPONENT_EVENTS),
            Zipf(MD_DEVICES),
            Zipf(MD_COMPONENTS),
        ],
    ),
    (
        "md: {} of RAID array {}",
        &[Zipf(MD_ACTIONS), Zipf(MD_ARRAYS)],
    ),
    // multipathd.
    (
        "{}: remaining active paths: {}",
        &[Zipf(MPATH_MAPS), Num(0, 4)],
    ),
    (
        "checker failed path {} in map {}",
        &[Zipf(PATH_DEV_TS), Zipf(MPATH_MAPS)],
    ),
    ("{}: reinstated", &[Zipf(PATH_DEV_TS)]),
    // rsyncd.
    (
        "rsync {} {} from {} ({})",
        &[
            Zipf(RSYNC_DIRECTIONS),
            Zipf(RSYNC_MODULES),
            Zipf(RSYNC_HOSTS),
            Ip,
        ],
    ),
    (
        "sent {} bytes  received {} bytes  total size {}",
        &[
            Num(20, 90_000_000),
            Num(20, 900_000),
            Num(1000, 900_000_000_000),
        ],
    ),
    // Bacula.
    (
        "Start Backup JobId {}, Job={}",
        &[Num(1000, 99_999), BaculaJob],
    ),
    ("  Elapsed time:           {}", &[BaculaElapsed]),
    ("  Termination:            {}", &[Zipf(BACULA_TERMINATIONS)]),
    // Suricata.
    (
        "all {} packet processing threads, {} management threads initialized, engine started.",
        &[Zipf(SURICATA_WORKERS), Zipf(SURICATA_MANAGERS)],
    ),
    (
        "{} rule files processed. {} rules successfully loaded, {} rules failed",
        &[Zipf(RULE_FILES), Num(28_000, 46_000), Zipf(FAILED_RULES)],
    ),
    (
        "[**] [1:{}:{}] {} [**] [Classification: {}] [Priority: {}] {{}} {}:{} -> {}:{}",
        &[
            Row(SIGNATURES, 0),
            Row(SIGNATURES, 1),
            Row(SIGNATURES, 2),
            Row(SIGNATURES, 3),
            Row(SIGNATURES, 4),
            Zipf(TRANSPORTS),
            Ip,
            Port,
            Ip,
            Zipf(SERVICE_PORTS),
        ],
    ),
    ("rule reload starting", &[]),
    ("rule reload complete", &[]),
    // strongSwan's charon.
    (
        "{}[IKE] CHILD_SA {}{{}} established with SPIs {}_i {}_o and TS {} === {}",
        &[
            Padded(1, 16),
            Zipf(CONNECTIONS),
            Num(1, 999),
            Hex(8),
            Hex(8),
            Zipf(LOCAL_SELECTORS),
            Zipf(REMOTE_SELECTORS),
        ],
    ),
    (
        "{}[NET] received packet: from {}[{}] to {}[{}] ({} bytes)",
        &[
            Padded(1, 16),
            Ip,
            Zipf(IKE_PORTS),
            Ip,
            Zipf(IKE_PORTS),
            Num(76, 1500),
        ],
    ),
    (
        "{}[NET] sending packet: from {}[{}] to {}[{}] ({} bytes)",
        &[
            Padded(1, 16),
            Ip,
            Zipf(IKE_PORTS),
            Ip,
            Zipf(IKE_PORTS),
            Num(76, 1500),
        ],
    ),
    (
        "{}[ENC] parsed {} {} {} [ {} ]",
        &[
            Padded(1, 16),
            Row(IKE_MESSAGES, 0),
            Row(IKE_MESSAGES, 1),
            Num(0, 30),
            Row(IKE_MESSAGES, 2),
        ],
    ),
    (
        "{}[ENC] generating {} {} {} [ {} ]",
        &[
            Padded(1, 16),
            Row(IKE_MESSAGES, 0),
            Row(IKE_MESSAGES, 1),
            Num(0, 30),
            Row(IKE_MESSAGES, 2),
        ],
    ),
    // wg-quick.
    ("[#] ip link add {} type wireguard", &[Zipf(WG_IFACES)]),
    (
        "[#] ip {} address add {} dev {}",
        &[Row(WG_ADDRESSES, 0), Row(WG_ADDRESSES, 1), Zipf(WG_IFACES)],
    ),
    (
        "[#] ip {} route add {} dev {}",
        &[Row(WG_ROUTES, 0), Row(WG_ROUTES, 1), Zipf(WG_IFACES)],
    ),
    ("[#] ip link delete dev {}", &[Zipf(WG_IFACES)]),
    // CrowdSec.
    (
        "Ip {} performed '{}' ({} events over {}) at {}",
        &[Ip, Zipf(SCENARIOS), Num(5, 60), GoDuration, GoTime],
    ),
    (
        "({}/crowdsec) {} by ip {} ({}/{}) : {} ban on Ip {}",
        &[
            Zipf(MACHINE_IDS),
            Zipf(SCENARIOS),
            Ip,
            Zipf(COUNTRIES),
            Zipf(ASNS),
            Zipf(BAN_DURATIONS),
            SameIp,
        ],
    ),
    // FreeRADIUS.
    (
        "{}: [{}] (from client {} port {} cli {})",
        &[
            Zipf(RADIUS_VERDICTS),
            Zipf(RADIUS_USERS),
            Zipf(RADIUS_CLIENTS),
            Zipf(RADIUS_PORTS),
            DashedMac,
        ],
    ),
    // stunnel.
    (
        "Service [{}] accepted connection from {}:{}",
        &[Zipf(STUNNEL_SERVICES), Ip, Port],
    ),
    (
        "Connection {}: {} byte(s) sent to TLS, {} byte(s) sent to socket",
        &[Zipf(STUNNEL_ENDINGS), Num(0, 9_000_000), Num(0, 900_000)],
    ),
    // OpenDKIM.
    (
        "{}: DKIM-Signature field added (s={}, d={})",
        &[UpperHex(10), Zipf(DKIM_SELECTORS), Zipf(MAIL_DOMAINS)],
    ),
    (
        "{}: {} [{}] not internal",
        &[UpperHex(10), Zipf(MAIL_HOSTS), Ip],
    ),
    // SpamAssassin's spamd.
    (
        "spamd: {} ({}/{}) for {}:{} in {} seconds, {} bytes.",
        &[
            Zipf(SPAMD_VERDICTS),
            SpamScore,
            Zipf(REQUIRED_SCORES),
            Zipf(SPAMD_USERS),
            Zipf(SPAMD_UIDS),
            Fixed(0, 9, 1),
            Num(600, 250_000),
        ],
    ),
    (
        "spamd: result: {} {} - {} scantime={},size={},user={},uid={},required_score={},rhost={},raddr={},rport={},mid=<{}>,autolearn={},autolearn_force=no",
        &[
            Zipf(SPAM_FLAGS),
            Signed(-5, 30),
            Zipf(SPAM_TESTS),
            Fixed(0, 9, 1),
            Num(600, 250_000),
            Zipf(SPAMD_USERS),
            Zipf(SPAMD_UIDS),
            Zipf(REQUIRED_SCORES),
            Zipf(SPAMD_HOSTS),
            Zipf(SPAMD_ADDRESSES),
            Port,
            MessageId,
            Zipf(AUTOLEARN),
        ],
    ),
    // Rspamd.
    (
        "<{}>; lua; greylist.lua:{}: greylisted until \"{}\", new record",
        &[Hex(6), Zipf(GREYLIST_LINES), HttpDate],
    ),
    // Postgrey.
    (
        "action={}, reason={}, client_name={}, client_address={}, sender={}, recipient={}",
        &[
            Row(POSTGREY_VERDICTS, 0),
            Row(POSTGREY_VERDICTS, 1),
            Zipf(MAIL_HOSTS),
            Ip,
            Zipf(SENDERS),
            Zipf(RECIPIENTS),
        ],
    ),
    (
        "action={}, reason={}, delay={}, client_name={}, client_address={}, sender={}, recipient={}",
        &[
            Zipf(PASS),
            Zipf(TRIPLET_FOUND),
            Num(300, 7200),
            Zipf(MAIL_HOSTS),
            Ip,
            Zipf(SENDERS),
            Zipf(RECIPIENTS),
        ],
    ),
    // OpenSMTPD.
    (
        "{} smtp connected address={} host={}",
        &[Hex(16), Ip, Zipf(MAIL_HOSTS)],
    ),
    (
        "{} smtp disconnected reason={}",
        &[Hex(16), Zipf(SMTPD_ENDINGS)],
    ),
    // QEMU.
    (
        "qemu-system-x86_64: terminating on signal {} from pid {} ({})",
        &[Zipf(QEMU_SIGNALS), Num(800, 4_000_000), Zipf(QEMU_KILLERS)],
    ),
    (
        "qemu-system-x86_64: warning: host doesn't support requested feature: {} [bit {}]",
        &[Row(CPU_FEATURES, 0), Row(CPU_FEATURES, 1)],
    ),
    // Proxmox VE: pvedaemon and vzdump.
    ("<{}> starting task {}", &[Zipf(PVE_USERS), Upid]),
    (
        "INFO: Starting Backup of VM {} ({})",
        &[Zipf(VMIDS), Zipf(GUEST_TYPES)],
    ),
    (
        "INFO: Finished Backup of VM {} ({})",
        &[Zipf(VMIDS), ClockDuration],
    ),
    (
        "INFO: transferred {} in {} seconds ({})",
        &[PveSize, Num(3, 7200), PveRate],
    ),
    // corosync.
    (
        "[TOTEM ] A new membership ({}.{}) was formed. Members {}",
        &[Num(1, 4), RingSequence, Zipf(MEMBERSHIP_CHANGES)],
    ),
    (
        "[QUORUM] Members[{}]: {}",
        &[Row(QUORUM_MEMBERS, 0), Row(QUORUM_MEMBERS, 1)],
    ),
    // Pacemaker.
    (
        "Result of {} operation for {} on {}: {}",
        &[
            Zipf(PCMK_OPERATIONS),
            Zipf(PCMK_RESOURCES),
            Zipf(CLUSTER_NODES),
            Zipf(PCMK_RESULTS),
        ],
    ),
    (
        "State transition {} -> {}",
        &[Row(CRMD_TRANSITIONS, 0), Row(CRMD_TRANSITIONS, 1)],
    ),
    // Slurm's slurmctld.
    (
        "_slurm_rpc_submit_batch_job: JobId={} InitPrio={} usec={}",
        &[JobId, Num(1000, 99_999), Num(100, 90_000)],
    ),
    (
        "sched: Allocate JobId={} NodeList={} #CPUs={} Partition={}",
        &[JobId, SlurmNodeList, Zipf(SLURM_CPUS), Zipf(PARTITIONS)],
    ),
    (
        "_job_complete: JobId={} WEXITSTATUS {}",
        &[JobId, Zipf(EXIT_CODES)],
    ),
    (
        "_job_complete: JobId={} WTERMSIG {}",
        &[JobId, Zipf(TERM_SIGNALS)],
    ),
    (
        "update_node: node {} state set to {}",
        &[SlurmNode, Zipf(NODE_STATES)],
    ),
    // HTCondor.
    (
        "{}: Changing state and activity: {}/{} -> {}/{}",
        &[
            CondorSlot,
            Row(CONDOR_CHANGES, 0),
            Row(CONDOR_CHANGES, 1),
            Row(CONDOR_CHANGES, 2),
            Row(CONDOR_CHANGES, 3),
        ],
    ),
    (
        "Shadow pid {} for job {}.{} exited with status {}",
        &[
            Num(1000, 4_000_000),
            Num(10_000, 999_999),
            Zipf(CONDOR_PROCS),
            Zipf(SHADOW_EXITS),
        ],
    ),
    // A Source dedicated server running Team Fortress 2.
    (
        "\"{}<{}><{}><{}>\" killed \"{}<{}><{}><{}>\" with \"{}\" (attacker_position \"{} {} {}\") (victim_position \"{} {} {}\")",
        &[
            Zipf(PLAYERS),
            Num(2, 300),
            SteamId,
            Zipf(PLAYING_TEAMS),
            Zipf(PLAYERS),
            Num(2, 300),
            SteamId,
            Zipf(PLAYING_TEAMS),
            Zipf(WEAPONS),
            Signed(-4000, 4000),
            Signed(-4000, 4000),
            Signed(-600, 900),
            Signed(-4000, 4000),
            Signed(-4000, 4000),
            Signed(-600, 900),
        ],
    ),
    (
        "\"{}<{}><{}><{}>\" {} \"{}\"",
        &[
            Zipf(PLAYERS),
            Num(2, 300),
            SteamId,
            Zipf(CHAT_TEAMS),
            Zipf(SAY_COMMANDS),
            Zipf(CHAT_LINES),
        ],
    ),
    ("World triggered \"Round_Start\"", &[]),
    ("World triggered \"Round_Setup_Begin\"", &[]),
    ("World triggered \"Round_Setup_End\"", &[]),
    // Factorio.
    ("[JOIN] {} joined the game", &[Zipf(FACTORIO_PLAYERS)]),
    ("[LEAVE] {} left the game", &[Zipf(FACTORIO_PLAYERS)]),
    (
        "Info ServerMultiplayerManager.cpp:{}: updateTick({}) changing state from({}) to({})",
        &[
            Zipf(FACTORIO_LINES),
            Num(1000, 90_000_000),
            Row(FACTORIO_STATES, 0),
            Row(FACTORIO_STATES, 1),
        ],
    ),
    // Varnish.
    ("Child ({}) Started", &[Num(400, 4_000_000)]),
    ("Child ({}) ended", &[Num(400, 4_000_000)]),
    (
        "CLI telnet {} {} {} {} Rd {}",
        &[
            Zipf(LOOPBACKS),
            Port,
            Zipf(LOOPBACKS),
            Zipf(VARNISH_CLI_PORTS),
            Zipf(VARNISH_COMMANDS),
        ],
    ),
    // Caddy, through its console encoder.
    (
        "tls.obtain\tacquiring lock\t{\"identifier\": \"{}\"}",
        &[Zipf(CADDY_DOMAINS)],
    ),
    (
        "tls.obtain\treleasing lock\t{\"identifier\": \"{}\"}",
        &[Zipf(CADDY_DOMAINS)],
    ),
    (
        "http.log.error\tdial tcp {}:{}: connect: connection refused\t{\"request\": {\"remote_ip\": \"{}\", \"remote_port\": \"{}\", \"client_ip\": \"{}\", \"proto\": \"{}\", \"method\": \"{}\", \"host\": \"{}\", \"uri\": \"{}\"}, \"duration\": {}, \"status\": 502, \"err_id\": \"{}\", \"err_trace\": \"reverseproxy.statusError (reverseproxy.go:{})\"}",
        &[
            Zipf(UPSTREAM_HOSTS),
            Zipf(UPSTREAM_PORTS),
            Ip,
            Port,
            SameIp,
            Zipf(HTTP_PROTOS),
            Zipf(METHODS),
            Zipf(CADDY_DOMAINS),
            Zipf(URIS),
            Fixed(0, 0, 9),
            ErrorId,
            Zipf(REVERSE_PROXY_LINES),
        ],
    ),
    // lighttpd.
    (
        "(server.c.{}) server started ({})",
        &[Zipf(SERVER_C_LINES), Zipf(LIGHTTPD_VERSIONS)],
    ),
    (
        "(gw_backend.c.{}) establishing connection failed: {} socket: unix:{}",
        &[
            Zipf(GW_BACKEND_LINES),
            Zipf(SOCKET_ERRORS),
            Zipf(FASTCGI_SOCKETS),
        ],
    ),
    // Tinyproxy.
    ("Connect (file descriptor {}): {}", &[Num(5, 400), Ip]),
    (
        "Request (file descriptor {}): {} {} {}",
        &[
            Num(5, 400),
            Row(PROXY_REQUESTS, 0),
            Row(PROXY_REQUESTS, 1),
            Zipf(HTTP_VERSIONS),
        ],
    ),
    // ntpd.
    (
        "ntpd {} {} (1): Starting",
        &[Row(NTP_BUILDS, 0), Row(NTP_BUILDS, 1)],
    ),
    (
        "{} {} {} {} assoc {}",
        &[Ip, Hex(4), Hex(2), Zipf(ASSOC_EVENTS), Num(10_000, 65_535)],
    ),
    ("{} {} {} {}", &[Ip, Hex(4), Hex(2), Zipf(PEER_EVENTS)]),
    (
        "{} {} {} {} {} s",
        &[
            Zipf(SYSTEM_PEER),
            Hex(4),
            Hex(2),
            Zipf(CLOCK_EVENTS),
            NtpOffset,
        ],
    ),
    // FRR: bgpd and ospfd.
    (
        "%ADJCHANGE: neighbor {}({}) in vrf {} Up",
        &[Ip, Zipf(BGP_DESCRIPTIONS), Zipf(VRFS)],
    ),
    (
        "%ADJCHANGE: neighbor {}({}) in vrf {} Down {}",
        &[
            Ip,
            Zipf(BGP_DESCRIPTIONS),
            Zipf(VRFS),
            Zipf(BGP_DOWN_REASONS),
        ],
    ),
    (
        "AdjChg: Nbr {}({}) on {}:{}: {} -> {} ({})",
        &[
            Ip,
            Zipf(VRFS),
            Zipf(OSPF_IFACES),
            Ip,
            Row(OSPF_CHANGES, 0),
            Row(OSPF_CHANGES, 1),
            Row(OSPF_CHANGES, 2),
        ],
    ),
    // BIRD.
    (
        "{}: State changed to {}",
        &[Zipf(BIRD_PROTOCOLS), Zipf(BIRD_STATES)],
    ),
    (
        "{}: {}: {}",
        &[
            Zipf(BIRD_BGP_PROTOCOLS),
            Zipf(BIRD_NOTICE_KINDS),
            Zipf(BIRD_NOTIFICATIONS),
        ],
    ),
    ("Reconfiguring", &[]),
    ("Reconfigured", &[]),
    // Kea's DHCPv4 server.
    (
        "DHCP4_LEASE_ALLOC [hwtype=1 {}], cid=[{}], tid={}: lease {} has been allocated for {} seconds",
        &[Mac, ClientId, TransactionId, Ip, Zipf(LEASE_LIFETIMES)],
    ),
    (
        "DHCP4_LEASE_ADVERT [hwtype=1 {}], cid=[{}], tid={}: lease {} will be advertised",
        &[Mac, ClientId, TransactionId, Ip],
    ),
    // Unbound.
    ("info: {} {} {} IN", &[Ip, Zipf(QNAMES), Zipf(QTYPES)]),
    ("info: resolving {} {} IN", &[Zipf(QNAMES), Zipf(QTYPES)]),
    // NUT's upsmon.
    ("UPS {} on battery", &[Zipf(UPS_NAMES)]),
    ("Communications with UPS {} established", &[Zipf(UPS_NAMES)]),
    ("Communications with UPS {} lost", &[Zipf(UPS_NAMES)]),
    // Monit.
    ("'{}' process is not running", &[Zipf(MONIT_SERVICES)]),
    (
        "'{}' space usage {}% matches resource limit [space usage > {}%]",
        &[
            Zipf(MONIT_FILESYSTEMS),
            Fixed(80, 99, 1),
            Zipf(SPACE_LIMITS),
        ],
    ),
];

/// The seed the corpus is generated from.
const SEED: u64 = 0x1a5f_0b5e_2026_1209;

/// Every statement has one kind for each of its variables.
#[test]
fn statements_have_one_kind_per_variable() {
    assert_one_kind_per_variable(STATEMENTS);
}

/// A statement reads a column of a table's row only after drawing that row, with no other row
/// drawn between, and repeats an address only after drawing one.
#[test]
fn statements_draw_each_row_before_reading_it() {
    for (format, kinds) in STATEMENTS {
        let mut drawn: Option<&[&[&str]]> = None;
        let mut address_drawn = false;
        for kind in *kinds {
            match *kind {
                Row(table, 0) => drawn = Some(table),
                Row(table, _) => assert!(drawn == Some(table), "{format}"),
                Ip => address_drawn = true,
                SameIp => assert!(address_drawn, "{format}"),
                _ => {}
            }
        }
    }
}

/// The corpus is the same on every run (rendered twice from its seed, not mined).
#[test]
fn infra_corpus_is_the_same_on_every_run() {
    assert_the_same_on_every_run(STATEMENTS, SEED, LINES, value);
}

/// Mines the corpus with the default settings and fails if its grouping accuracy falls below
/// [`MINIMUM_GA`].
#[test]
fn infra_corpus_accuracy_with_default_settings() {
    check_statements("infra corpus", STATEMENTS, SEED, LINES, value, MINIMUM_GA);
}
