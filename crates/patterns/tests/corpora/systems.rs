//! An eighth corpus, written held out: the log statements of open-source systems software that none
//! of `generated.rs`, `servers.rs`, `platforms.rs`, `apps.rs`, `clients.rs`, `infra.rs` and
//! `stacks.rs` covers and that is not one of the Loghub systems — mail and directory services
//! (Sendmail, Cyrus IMAP, the 389 Directory Server, MIT Kerberos' KDC), package managers and
//! provisioning (APT, unattended-upgrades, pacman, Alpine's apk, the Nix daemon, cloud-init, the
//! Puppet agent), system logging and monitoring (rsyslog, syslog-ng, collectd, Icinga 2, the Wazuh
//! agent), desktop and hardware services (rtkit-daemon, ModemManager, dbus-daemon), HPC (OpenPBS'
//! server, Lustre, Open MPI), storage on the network and volumes (open-iscsi's iscsid, NFS'
//! rpc.mountd, LVM's dmeventd), small network services (ISC dhcpd, tftpd-hpa, xinetd, Pure-FTPd,
//! coturn, Open vSwitch), a container runtime (CRI-O), a job runner (anacron), home automation
//! (openHAB's event log) and a game server (Luanti, formerly Minetest): 35 programs, 118
//! statements. Each statement is the message part of a line as that software prints it (what is
//! left once an ingest pipeline has split off the timestamp, level and component header; where the
//! program writes its own level, tag or key=value fields into the message, as ModemManager,
//! Pure-FTPd, Wazuh, Lustre and CRI-O do, they stay), written from those programs' format strings
//! before the miner was ever run on it. Everything here — programs, statements, value kinds and
//! their distributions, [`SEED`] and [`LINES`] — was decided and written before any measurement,
//! and is not to be adjusted after one: an independent check that the miner generalises.
//!
//! Each statement is a format string with `{}` for its variables and the kind of value each one
//! takes; a line is the statement rendered with values drawn as real logs draw them: user, host,
//! principal, package, repository, module, plugin, service, export, volume, target, node, queue,
//! bridge, pod, item and player names and state words from Zipf-like distributions (a few common, a
//! long tail), numbers, addresses, ids, sizes, durations and dates uniformly. Fields that go
//! together (a package's name and versions, a D-Bus service and its unit, a modem's old and new
//! states, a signal's name and number, an NFS path and its export, a Pure-FTPd user and the file
//! they moved, a pod's namespace, name and container, an openHAB item and the states its type
//! takes, a KDC failure's status and text, a Sendmail rejection's ruleset, argument and reply) are
//! drawn together; a value a line repeats (a PBS job's submitter as its owner, a Lustre target in
//! its client's name, Pure-FTPd's client address) is the one drawn before it. The ground truth is
//! the statement a line came from, and its template is the format string with `<*>` for each `{}`.
//! [`LINES`] lines (6,000) are drawn from the statements with Zipf frequencies in a shuffled order
//! from [`SEED`]: the corpus is the same on every run.
//!
//! Words from a small closed set follow the source: a word the program substitutes through a format
//! argument is a variable however few values it takes, even where it reads like a constant — ISC
//! dhcpd's `DHCPOFFER` / `DHCPACK` (one `%s`), tftpd-hpa's `RRQ` / `WRQ`, the KDC's `ISSUE` in a
//! TGS line and its failure statuses, Sendmail's protocol, daemon name, class, mailer and `verify=`
//! words, Cyrus' login mechanisms and `new` / `reused` TLS sessions, 389's bind methods, protocol
//! version and close codes, ModemManager's states, Icinga's notification types, coturn's STUN
//! methods, collectd's protocol and send status, Wazuh's transport, rtkit's nice levels and
//! priorities, cloud-init's stages and module frequencies, anacron's version, Pure-FTPd's `?` for a
//! client not yet logged in, openHAB's states and commands. A word written into the format string
//! is a constant, and where the program has two format strings differing by it they are two
//! statements, which must not merge (fourteen pairs, each differing by a word or a short phrase):
//! the KDC's `AS_REQ` / `TGS_REQ`, APT's `Hit:` / `Ign:`, pacman's `[ALPM] installed` / `removed`,
//! apk's `Installing` / `Purging`, syslog-ng's `Syslog connection accepted;` / `closed;` and
//! `starting up;` / `shutting down;`, rpc.mountd's `authenticated mount request` / `unmount
//! request`, dmeventd's `Thin pool … data is now` / `metadata is now` and `Monitoring RAID device`
//! / `No longer monitoring RAID device`, Pure-FTPd's `uploaded` / `downloaded`, Open vSwitch's
//! `added interface` / `deleted interface`, CRI-O's `Created container` / `Removed container` (its
//! RPC's name differs with it), anacron's `Job … started` / `terminated`, and openHAB's `Item '…'
//! changed from` / `Thing '…' changed from`; Wazuh's `(6008): … scan started.` / `(6009): … scan
//! ended.` differ by a word and the code written with it, Open MPI's `Signal:` / `Signal code:`,
//! iscsid's `is operational now` / `is shutdown.` and rtkit's `high priority at nice level` / `RT
//! at priority` by a few.
//!
//! The hard cases of real logs are there on purpose. Variables sit in key=value lists (Sendmail's
//! envelopes and deliveries, 389's access log, OpenPBS' accounting fields, CRI-O's logfmt), quoted
//! values with spaces (389's bind DNs and attribute lists, dbus' command lines, Icinga's service
//! names), brackets, braces and angle brackets (the KDC's `{rep=…, tkt=…, ses=…}`, coturn's `realm
//! <…>`, Cyrus' `SESSIONID=<…>`, Open MPI's `[cn042:12345]`, rsyslog's `[v8.2112.0 try …]`), words
//! glued to numbers and punctuation (`Hit:3`, `Connection1:0`, `[modem0]`, `duration=3(sec)`, `[119
//! kB]`), ids (Sendmail queue ids, Nix store hashes, 64-digit container ids, UUIDs, 18-digit TURN
//! sessions, kernel pointers), IPv4-mapped IPv6 addresses, MAC addresses, sizes with units (`23.5
//! MB`, `1,353 kB`, `21.5 °C`), durations written out (APT's `1min 12s`, Sendmail's `1+02:03:04`,
//! PBS' `01:23:45`), dates with weekday and month names (cloud-init's `Tue, 05 Mar 2024 10:11:12
//! +0000`), signed numbers (Luanti's coordinates, Lustre's return codes) and percentages. Many
//! statements have values of different token counts, as these programs print them, and no miner
//! grouping by token count can keep those together: Sendmail's delivery status and rejection
//! replies (two statements), 389's bind DNs and attribute lists (two), the KDC's requested
//! encryption types (three) and failure texts, APT's item descriptions and elapsed times (two),
//! unattended-upgrades' origins and package lists (two), pacman's commands, cloud-init's
//! datasources, dbus' command lines and failure texts (two), collectd's errors, Icinga's service
//! names (two), Open MPI's signal names and codes (three), iscsid's errors, coturn's error texts
//! and close reasons (two), ModemManager's connection steps, Pure-FTPd's paths (two), openHAB's
//! states and thing statuses (two) and Luanti's player lists (two).

use std::cell::{Cell, RefCell};

use super::common::{
    MONTHS, Rng, Statement, WEEKDAYS, assert_one_kind_per_variable, assert_the_same_on_every_run,
    check_statements, fixed, ip, mac, port, time, uuid,
};

/// The floor of the grouping accuracy on this corpus, a little below the level measured (see
/// docs/benchmarks.md). The corpus was written held out; its first measurement, 2026-12-07 with
/// the miner at `bc4a764` (as at session 18's end): GA 0.8220, PA 0.4998, 243 patterns.
const MINIMUM_GA: f64 = 0.81;

/// Lines in the corpus.
const LINES: usize = 6000;

/// Mail senders and recipients.
const MAILBOXES: &[&str] = &[
    "alice@example.com",
    "noreply@github.com",
    "bob@example.org",
    "billing@shop.example.net",
    "root@web01.example.com",
    "newsletter@lists.example.io",
];
/// Sendmail's protocols.
const SM_PROTOCOLS: &[&str] = &["ESMTPS", "ESMTP", "SMTP", "ESMTPSA"];
/// Sendmail's daemon names.
const SM_DAEMONS: &[&str] = &["MTA", "MTA-v6", "MSA"];
/// Sendmail's message classes.
const SM_CLASSES: &[&str] = &["0", "-60", "-30"];
/// Hosts Sendmail receives from.
const SM_CLIENTS: &[&str] = &[
    "mail-wr1-f54.google.com",
    "mx.partner.example.net",
    "o1.email.example.io",
    "web01.example.com",
    "relay.isp.example.de",
];
/// Sendmail's mailers.
const SM_MAILERS: &[&str] = &["esmtp", "local", "relay", "smtp"];
/// Hosts Sendmail delivers to, with the trailing dot of an MX name.
const SM_RELAYS: &[&str] = &[
    "gmail-smtp-in.l.google.com.",
    "mx1.example.net.",
    "example-com.mail.protection.outlook.com.",
    "mx.partner.example.net.",
    "aspmx.l.google.com.",
];
/// Sendmail's delivery results: DSN and status.
const SM_RESULTS: &[&[&str]] = &[
    &["2.0.0", "Sent (Ok: queued as 4TqXyZ1abcz3)"],
    &["2.0.0", "Sent (OK 1709630000 a1si123456qkb.12 - gsmtp)"],
    &[
        "2.0.0",
        "Sent (<20240305101112.ABC123@example.com> Queued mail for delivery)",
    ],
    &["4.0.0", "Deferred: Connection refused by mx1.example.net."],
    &["5.1.1", "User unknown"],
    &[
        "4.4.1",
        "Deferred: Connection timed out with mx.partner.example.net.",
    ],
];
/// TLS versions, ciphers and bits, as Sendmail and Cyrus print them.
const TLS_SESSIONS: &[&[&str]] = &[
    &["TLSv1.3", "TLS_AES_256_GCM_SHA384", "256", "256"],
    &["TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "256", "256"],
    &["TLSv1.3", "TLS_AES_128_GCM_SHA256", "128", "128"],
    &["TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "128", "128"],
    &["TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", "256", "256"],
];
/// Sendmail's certificate verification results.
const SM_VERIFY: &[&str] = &["OK", "FAIL", "NO", "NONE"];
/// Sendmail's rejections: ruleset, argument and reply.
const SM_REJECTIONS: &[&[&str]] = &[
    &[
        "check_rcpt",
        "<bob@gmail.com>",
        "550 5.7.1 <bob@gmail.com>... Relaying denied",
    ],
    &[
        "check_mail",
        "<promo@bad.example>",
        "553 5.1.8 <promo@bad.example>... Domain of sender address promo@bad.example does not exist",
    ],
    &[
        "check_rcpt",
        "<info@example.com>",
        "550 5.7.1 <info@example.com>... Relaying denied. IP name lookup failed [203.0.113.9]",
    ],
    &[
        "check_relay",
        "dsl-187-12.dyn.example.net",
        "550 5.7.1 Rejected: 203.0.113.77 listed at zen.spamhaus.org",
    ],
];
/// Mail server host names.
const MAIL_HOSTS: &[&str] = &[
    "localhost",
    "webmail.example.com",
    "mail.example.com",
    "laptop-alice.lan",
    "unknown",
];
/// Mail and directory users.
const USERS: &[&str] = &[
    "alice",
    "bob",
    "carol",
    "svc-backup",
    "dave",
    "erin",
    "admin",
];
/// Cyrus' login mechanisms.
const CYRUS_MECHS: &[&str] = &[
    "plaintext+TLS",
    "PLAIN+TLS",
    "plaintext",
    "LOGIN+TLS",
    "XOAUTH2+TLS",
];
/// Whether a TLS session is new or resumed.
const TLS_REUSE: &[&str] = &["new", "reused"];
/// Cyrus mailboxes.
const CYRUS_MAILBOXES: &[&str] = &[
    "user.alice",
    "user.bob",
    "example.com!user.carol",
    "user.alice.Spam",
    "shared.support",
];
/// 389 bind DNs.
const BIND_DNS: &[&str] = &[
    "uid=alice,ou=People,dc=example,dc=com",
    "cn=Directory Manager",
    "",
    "uid=sssd-bind,ou=Services,dc=example,dc=com",
    "cn=Replication Manager,cn=config",
];
/// 389 bind methods.
const BIND_METHODS: &[&str] = &["128", "sasl"];
/// The LDAP protocol version (the server prints the one the client asked for).
const LDAP_VERSIONS: &[&str] = &["3"];
/// 389 search bases.
const SEARCH_BASES: &[&str] = &[
    "dc=example,dc=com",
    "ou=People,dc=example,dc=com",
    "cn=config",
    "",
    "ou=Groups,dc=example,dc=com",
];
/// LDAP search scopes.
const SCOPES: &[&str] = &["2", "0", "1"];
/// LDAP search filters.
const FILTERS: &[&str] = &[
    "(uid=alice)",
    "(objectClass=*)",
    "(&(objectClass=posixAccount)(uid=bob))",
    "(|(cn=carol*)(mail=carol*))",
    "(memberUid=dave)",
];
/// Attributes a search asks for, as 389 quotes them.
const SEARCH_ATTRS: &[&str] = &[
    "ALL",
    "\"cn mail uid\"",
    "\"memberOf\"",
    "\"1.1\"",
    "\"uid uidNumber gidNumber homeDirectory loginShell\"",
];
/// LDAP result codes.
const LDAP_ERRORS: &[&str] = &["0", "49", "32", "50", "4"];
/// LDAP response tags.
const LDAP_TAGS: &[&str] = &["101", "97", "103", "120", "105"];
/// Why 389 closed a connection.
const CLOSE_CODES: &[&str] = &["U1", "B1", "T1", "T2", "B4"];
/// Encryption types a Kerberos client asks for, as the KDC lists them.
const REQUESTED_ETYPES: &[&str] = &[
    "4 etypes {aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17), aes256-cts-hmac-sha384-192(20), aes128-cts-hmac-sha256-128(19)}",
    "2 etypes {aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17)}",
    "8 etypes {aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17), aes256-cts-hmac-sha384-192(20), aes128-cts-hmac-sha256-128(19), DEPRECATED:des3-cbc-sha1(16), DEPRECATED:arcfour-hmac(23), camellia256-cts-cmac(26), camellia128-cts-cmac(25)}",
    "1 etypes {aes256-cts-hmac-sha1-96(18)}",
];
/// The encryption types a KDC issued with.
const ISSUED_ETYPES: &[&str] = &[
    "etypes {rep=aes256-cts-hmac-sha1-96(18), tkt=aes256-cts-hmac-sha1-96(18), ses=aes256-cts-hmac-sha1-96(18)}",
    "etypes {rep=aes256-cts-hmac-sha384-192(20), tkt=aes256-cts-hmac-sha1-96(18), ses=aes256-cts-hmac-sha384-192(20)}",
    "etypes {rep=aes128-cts-hmac-sha1-96(17), tkt=aes256-cts-hmac-sha1-96(18), ses=aes128-cts-hmac-sha1-96(17)}",
];
/// Kerberos client principals.
const CLIENT_PRINCIPALS: &[&str] = &[
    "alice@EXAMPLE.COM",
    "host/web01.example.com@EXAMPLE.COM",
    "bob@EXAMPLE.COM",
    "svc-backup@EXAMPLE.COM",
    "nfs/fs01.example.com@EXAMPLE.COM",
];
/// The services an AS request is for.
const AS_SERVICES: &[&str] = &[
    "krbtgt/EXAMPLE.COM@EXAMPLE.COM",
    "kadmin/changepw@EXAMPLE.COM",
];
/// The statuses of a TGS request the KDC issued a ticket for.
const ISSUED: &[&str] = &["ISSUE"];
/// The services a TGS request is for.
const TGS_SERVICES: &[&str] = &[
    "HTTP/web01.example.com@EXAMPLE.COM",
    "ldap/ipa01.example.com@EXAMPLE.COM",
    "nfs/fs01.example.com@EXAMPLE.COM",
    "host/db01.example.com@EXAMPLE.COM",
    "cifs/files.example.com@EXAMPLE.COM",
];
/// A failed AS request's status and text.
const KDC_FAILURES: &[&[&str]] = &[
    &["NEEDED_PREAUTH", "Additional pre-authentication required"],
    &["PREAUTH_FAILED", "Preauthentication failed"],
    &["CLIENT_NOT_FOUND", "Client not found in Kerberos database"],
    &["LOCKED_OUT", "Client's credentials have been revoked"],
];
/// APT's release files, as its progress lines describe them.
const APT_RELEASES: &[&str] = &[
    "http://archive.ubuntu.com/ubuntu jammy InRelease",
    "http://security.ubuntu.com/ubuntu jammy-security InRelease",
    "http://archive.ubuntu.com/ubuntu jammy-updates InRelease",
    "https://download.docker.com/linux/ubuntu jammy InRelease",
    "http://deb.debian.org/debian bookworm InRelease",
    "https://packages.microsoft.com/repos/code stable InRelease",
];
/// What APT fetches: release files, indexes and packages.
const APT_ITEMS: &[&str] = &[
    "http://archive.ubuntu.com/ubuntu jammy-updates InRelease",
    "http://archive.ubuntu.com/ubuntu jammy-updates/main amd64 Packages",
    "http://security.ubuntu.com/ubuntu jammy-security/main amd64 libssl3 amd64 3.0.2-0ubuntu1.15",
    "http://archive.ubuntu.com/ubuntu jammy-updates/main amd64 c-n-f Metadata",
    "http://deb.debian.org/debian bookworm/main amd64 curl amd64 7.88.1-10+deb12u5",
    "https://download.docker.com/linux/ubuntu jammy/stable amd64 Packages",
];
/// unattended-upgrades' allowed origins.
const ORIGINS: &[&str] = &[
    "o=Ubuntu,a=jammy, o=Ubuntu,a=jammy-security, o=UbuntuESMApps,a=jammy-apps-security, o=UbuntuESM,a=jammy-infra-security",
    "origin=Debian,codename=bookworm,label=Debian-Security, origin=Debian,codename=bookworm-security,label=Debian-Security",
    "o=Ubuntu,a=focal-security",
];
/// Packages unattended-upgrades upgrades together.
const UPGRADE_SETS: &[&str] = &[
    "libssl3 openssl",
    "tzdata",
    "linux-image-6.5.0-25-generic linux-modules-6.5.0-25-generic linux-headers-6.5.0-25-generic",
    "curl libcurl4",
    "libc-bin libc6 locales",
    "firefox",
];
/// pacman's upgrades: package, old and new version.
const PACMAN_UPGRADES: &[&[&str]] = &[
    &["linux", "6.7.6.arch1-1", "6.7.9.arch1-1"],
    &["systemd", "255.3-1", "255.4-1"],
    &["firefox", "123.0-1", "123.0.1-1"],
    &["mesa", "1:24.0.1-1", "1:24.0.2-1"],
    &["python", "3.11.7-1", "3.11.8-1"],
    &["glibc", "2.39-1", "2.39-2"],
];
/// Packages pacman installs and removes, with their versions.
const PACMAN_PACKAGES: &[&[&str]] = &[
    &["neovim", "0.9.5-3"],
    &["docker", "1:25.0.3-1"],
    &["htop", "3.3.0-1"],
    &["yay", "12.3.1-1"],
    &["ttf-dejavu", "2.37+18+g9b5d1b2f-6"],
    &["base-devel", "1-1"],
];
/// Commands pacman logs.
const PACMAN_COMMANDS: &[&str] = &[
    "pacman -Syu",
    "pacman -S --needed base-devel git",
    "pacman -Rns firefox-developer-edition",
    "pacman -S docker",
    "pacman --sync --refresh --sysupgrade --noconfirm",
];
/// Packages apk installs and purges, with their versions.
const APK_PACKAGES: &[&[&str]] = &[
    &["musl", "1.2.4-r2"],
    &["ca-certificates", "20240226-r0"],
    &["busybox", "1.36.1-r15"],
    &["libcurl", "8.5.0-r0"],
    &["openssl", "3.1.4-r5"],
    &["python3", "3.11.8-r0"],
    &["git", "2.43.0-r0"],
];
/// What a Nix store path names.
const NIX_NAMES: &[&str] = &[
    "hello-2.12.1",
    "glibc-2.38-44",
    "source",
    "python3-3.11.8",
    "nixos-system-nixos-24.05.20240305.b8697e5",
    "openssl-3.0.13",
];
/// Where Nix copies store paths from.
const NIX_SUBSTITUTERS: &[&str] = &[
    "https://cache.nixos.org",
    "https://nix-community.cachix.org",
    "ssh://builder@10.0.0.9",
];
/// cloud-init versions.
const CLOUD_INIT_VERSIONS: &[&str] = &[
    "23.4.4-0ubuntu0~22.04.1",
    "24.1.3-0ubuntu1~22.04.1",
    "22.2-0ubuntu1~20.04.3",
    "23.1.4",
];
/// cloud-init's stages.
const CLOUD_INIT_STAGES: &[&str] = &["init-local", "init", "modules:config", "modules:final"];
/// cloud-init's datasources, as it prints them.
const DATASOURCES: &[&str] = &[
    "DataSourceEc2Local",
    "DataSourceNoCloud [seed=/dev/sr0][dsmode=net]",
    "DataSourceOpenStackLocal [net,ver=2]",
    "DataSourceGCELocal",
    "DataSourceAzure [seed=/dev/sr0]",
];
/// cloud-init modules: name and Python module.
const CLOUD_INIT_MODULES: &[&[&str]] = &[
    &[
        "ssh",
        "<module 'cloudinit.config.cc_ssh' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_ssh.py'>",
    ],
    &[
        "set_hostname",
        "<module 'cloudinit.config.cc_set_hostname' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_set_hostname.py'>",
    ],
    &[
        "write_files",
        "<module 'cloudinit.config.cc_write_files' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_write_files.py'>",
    ],
    &[
        "package_update_upgrade_install",
        "<module 'cloudinit.config.cc_package_update_upgrade_install' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_package_update_upgrade_install.py'>",
    ],
    &[
        "runcmd",
        "<module 'cloudinit.config.cc_runcmd' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_runcmd.py'>",
    ],
];
/// How often cloud-init runs a module.
const FREQUENCIES: &[&str] = &["once-per-instance", "always", "once"];
/// Puppet environments.
const PUPPET_ENVIRONMENTS: &[&str] = &["production", "staging", "development", "feature_ntp"];
/// Resources Puppet changes: path below `/Stage[main]/`, old and new value.
const PUPPET_CHANGES: &[&[&str]] = &[
    &["Nginx::Service/Service[nginx]", "stopped", "running"],
    &["Profile::Base/Package[htop]", "purged", "present"],
    &[
        "Profile::Webserver/Package[nginx]",
        "1.18.0-6ubuntu14.4",
        "1.18.0-6ubuntu14.5",
    ],
    &["Profile::Docker/Service[docker]", "stopped", "running"],
    &["Ntp::Service/Service[ntp]", "running", "stopped"],
];
/// rsyslog versions.
const RSYSLOG_VERSIONS: &[&str] = &["8.2112.0", "8.2102.0-117.el9", "8.2302.0", "8.2006.0"];
/// The signals rsyslog exits on.
const EXIT_SIGNALS: &[&str] = &["15", "2"];
/// rsyslog actions and their modules.
const RSYSLOG_ACTIONS: &[&[&str]] = &[
    &["action-1-builtin:omfwd", "builtin:omfwd"],
    &["action-8-builtin:omfwd", "builtin:omfwd"],
    &["action-3-omelasticsearch", "omelasticsearch"],
    &["action-2-omkafka", "omkafka"],
    &["action-5-builtin:omfile", "builtin:omfile"],
];
/// The message number rsyslog points to for a suspended action.
const SUSPENDED_CODES: &[&str] = &["2007"];
/// The message number rsyslog points to for a resumed action.
const RESUMED_CODES: &[&str] = &["2359"];
/// syslog-ng versions.
const SYSLOG_NG_VERSIONS: &[&str] = &["3.38.1", "4.5.0", "3.35.1", "4.1.1"];
/// Ports syslog-ng listens on.
const SYSLOG_PORTS: &[&str] = &["514", "601", "6514"];
/// collectd plugins.
const COLLECTD_PLUGINS: &[&str] = &[
    "cpu",
    "memory",
    "interface",
    "load",
    "df",
    "disk",
    "write_graphite",
    "syslog",
    "network",
];
/// Graphite hosts collectd writes to.
const GRAPHITE_HOSTS: &[&str] = &["graphite", "10.0.0.40", "carbon.example.com"];
/// Graphite ports.
const GRAPHITE_PORTS: &[&str] = &["2003", "2004"];
/// Transport protocols.
const TRANSPORTS: &[&str] = &["tcp", "udp"];
/// What a failed send returns.
const SEND_STATUSES: &[&str] = &["-1"];
/// Why a send failed, as `strerror` writes it.
const SEND_ERRORS: &[&str] = &[
    "Connection refused",
    "Broken pipe",
    "Connection reset by peer",
    "No route to host",
];
/// collectd plugins whose reads fail.
const FAILING_PLUGINS: &[&str] = &["snmp", "mysql", "nginx", "ping", "apache"];
/// How long collectd suspends a failing read (doubling each time).
const SUSPENSIONS: &[&str] = &["20.000", "40.000", "80.000", "160.000", "320.000"];
/// Icinga endpoints.
const ICINGA_ENDPOINTS: &[&str] = &[
    "agent01.example.com",
    "satellite-eu.example.com",
    "web02.example.com",
    "db01.example.com",
];
/// Icinga notification types.
const NOTIFICATION_TYPES: &[&str] = &[
    "Problem",
    "Recovery",
    "Acknowledgement",
    "DowntimeStart",
    "Custom",
];
/// Icinga notifications: name, checkable and command.
const ICINGA_NOTIFICATIONS: &[&[&str]] = &[
    &[
        "web01!http!mail-service-notification",
        "web01!http",
        "mail-service-notification",
    ],
    &[
        "db01!disk /var!mail-service-notification",
        "db01!disk /var",
        "mail-service-notification",
    ],
    &[
        "router1!mail-host-notification",
        "router1",
        "mail-host-notification",
    ],
    &[
        "web02!ping4!sms-notification",
        "web02!ping4",
        "sms-notification",
    ],
];
/// Icinga users.
const ICINGA_USERS: &[&str] = &["icingaadmin", "oncall", "alice", "netops"];
/// Wazuh's manager ports.
const WAZUH_PORTS: &[&str] = &["1514"];
/// Files Wazuh's log collector reads.
const WAZUH_FILES: &[&str] = &[
    "/var/log/auth.log",
    "/var/log/syslog",
    "/var/ossec/logs/active-responses.log",
    "/var/log/dpkg.log",
    "/var/log/nginx/access.log",
];
/// Programs rtkit raises.
const RTKIT_PROGRAMS: &[&str] = &[
    "/usr/bin/pipewire",
    "/usr/bin/wireplumber",
    "/usr/bin/pipewire-pulse",
    "/usr/bin/pulseaudio",
    "/usr/lib/firefox/firefox",
];
/// Desktop users' ids.
const DESKTOP_UIDS: &[&str] = &["1000", "1001", "120"];
/// Nice levels rtkit grants.
const NICE_LEVELS: &[&str] = &["-11", "-15"];
/// Real-time priorities rtkit grants.
const RT_PRIORITIES: &[&str] = &["20", "5", "10"];
/// ModemManager's modem states: old and new.
const MODEM_STATES: &[&[&str]] = &[
    &["enabling", "enabled"],
    &["disabled", "enabling"],
    &["enabled", "searching"],
    &["searching", "registered"],
    &["registered", "connecting"],
    &["connecting", "connected"],
    &["connected", "disconnecting"],
    &["disconnecting", "registered"],
];
/// ModemManager's 3GPP registration states: old and new.
const REGISTRATION_STATES: &[&[&str]] = &[
    &["searching", "home"],
    &["unknown", "searching"],
    &["idle", "home"],
    &["home", "searching"],
    &["searching", "roaming"],
    &["searching", "denied"],
];
/// ModemManager's simple connect steps: number and name.
const CONNECT_STEPS: &[&[&str]] = &[
    &["1", "init"],
    &["2", "enable"],
    &["3", "wait to get fully enabled"],
    &["4", "register"],
    &["5", "wait to get packet service state attached"],
    &["6", "bearer"],
    &["7", "connect"],
    &["8", "all done"],
];
/// The number of simple connect steps.
const CONNECT_STEP_COUNTS: &[&str] = &["8"];
/// D-Bus services activated through systemd, and their units.
const DBUS_SERVICES: &[&[&str]] = &[
    &[
        "org.freedesktop.hostname1",
        "dbus-org.freedesktop.hostname1.service",
    ],
    &[
        "org.freedesktop.nm_dispatcher",
        "dbus-org.freedesktop.nm-dispatcher.service",
    ],
    &[
        "org.freedesktop.timedate1",
        "dbus-org.freedesktop.timedate1.service",
    ],
    &["org.freedesktop.PackageKit", "packagekit.service"],
    &["org.freedesktop.fwupd", "fwupd.service"],
    &[
        "org.freedesktop.locale1",
        "dbus-org.freedesktop.locale1.service",
    ],
];
/// Users' ids D-Bus names.
const DBUS_UIDS: &[&str] = &["0", "1000", "118"];
/// Command lines D-Bus names, as it reads them (arguments joined with trailing spaces).
const DBUS_COMMANDS: &[&str] = &[
    "/usr/sbin/NetworkManager --no-daemon ",
    "hostnamectl ",
    "/usr/libexec/gsd-datetime ",
    "/usr/bin/gnome-software --gapplication-service ",
    "/usr/libexec/packagekitd ",
];
/// Security labels D-Bus prints.
const DBUS_LABELS: &[&str] = &[
    "unconfined",
    "system_u:system_r:NetworkManager_t:s0",
    "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023",
];
/// Services D-Bus activated.
const ACTIVATED_SERVICES: &[&str] = &[
    "org.freedesktop.hostname1",
    "org.freedesktop.nm_dispatcher",
    "org.freedesktop.PackageKit",
    "org.freedesktop.timedate1",
    "org.freedesktop.fwupd",
    "org.freedesktop.UDisks2",
];
/// Units systemd failed to activate, and why.
const ACTIVATION_FAILURES: &[&[&str]] = &[
    &[
        "dbus-org.freedesktop.resolve1.service",
        "Unit dbus-org.freedesktop.resolve1.service not found.",
    ],
    &[
        "dbus-org.bluez.service",
        "Unit dbus-org.bluez.service is masked.",
    ],
    &[
        "dbus-org.freedesktop.home1.service",
        "Refusing activation, D-Bus is shutting down.",
    ],
];
/// OpenPBS servers.
const PBS_SERVERS: &[&str] = &["pbs01", "hpc-head", "pbsserver"];
/// PBS submitters: user and host.
const PBS_SUBMITTERS: &[&[&str]] = &[
    &["alice", "login1"],
    &["bob", "login2"],
    &["carol", "login1"],
    &["mdsim", "dtn01"],
    &["dave", "login2"],
];
/// PBS job names.
const PBS_JOB_NAMES: &[&str] = &[
    "STDIN",
    "run.sh",
    "train_resnet",
    "cp2k_md",
    "wrf_d01",
    "array.pbs",
];
/// PBS queues.
const PBS_QUEUES: &[&str] = &["workq", "gpu", "long", "debug", "bigmem"];
/// Lustre MDTs and OSTs.
const LUSTRE_TARGETS: &[&str] = &[
    "scratch-MDT0000",
    "scratch-OST0003",
    "home-MDT0000",
    "scratch-OST001a",
    "project-OST0007",
];
/// Lustre OSTs, as a client's name and a connection name each.
const LUSTRE_OSTS: &[&[&str]] = &[
    &["scratch-OST0003"],
    &["scratch-OST001a"],
    &["home-OST0000"],
    &["project-OST0007"],
    &["scratch-OST0011"],
];
/// Lustre networks.
const LNETS: &[&str] = &["o2ib", "tcp", "o2ib1"];
/// Lustre RPCs.
const LUSTRE_OPERATIONS: &[&str] = &["ost_connect", "obd_ping", "ost_statfs", "ost_write"];
/// Lustre's return codes.
const LUSTRE_RCS: &[&str] = &["-16", "-107", "-110", "-19", "-5"];
/// Signals a process receives: name and number, as Open MPI's handler prints them.
const SIGNALS: &[&[&str]] = &[
    &["Segmentation fault", "11"],
    &["Bus error", "7"],
    &["Aborted", "6"],
    &["Floating point exception", "8"],
    &["Illegal instruction", "4"],
];
/// Signal codes: name and number.
const SIGNAL_CODES: &[&[&str]] = &[
    &["Address not mapped", "1"],
    &["Invalid permissions", "2"],
    &["Integer divide-by-zero", "1"],
    &["Non-existant physical address", "2"],
];
/// Signals a rank exits on: number and name, as mpirun prints them.
const RANK_SIGNALS: &[&[&str]] = &[
    &["9", "Killed"],
    &["11", "Segmentation fault"],
    &["6", "Aborted"],
    &["15", "Terminated"],
];
/// iSCSI targets.
const IQNS: &[&str] = &[
    "iqn.2003-01.org.linux-iscsi.storage01.x8664:sn.3f2a1b0c4d5e",
    "iqn.2004-04.com.qnap:ts-451:iscsi.data.c0ffee",
    "iqn.2010-10.org.openstack:volume-7d9f8c6b-5d2a-4e1f-9b3c-0a1b2c3d4e5f",
    "iqn.1992-08.com.netapp:sn.4082367740",
];
/// iSCSI portal ports.
const ISCSI_PORTS: &[&str] = &["3260"];
/// iSCSI interfaces.
const ISCSI_IFACES: &[&str] = &["default", "iser", "bnx2i.00:10:18:a1:b2:c3"];
/// iSCSI connection errors: code and text.
const ISCSI_ERRORS: &[&[&str]] = &[
    &["1020", "ISCSI_ERR_TCP_CONN_CLOSE: TCP connection closed"],
    &["1011", "ISCSI_ERR_CONN_FAILED: iSCSI connection failed"],
    &["1022", "ISCSI_ERR_NOP_TIMEDOUT: A NOP has timed out"],
];
/// iSCSI connection states.
const ISCSI_STATES: &[&str] = &["3", "1"];
/// NFS paths asked for and the exports they fall under.
const NFS_EXPORTS: &[&[&str]] = &[
    &["/srv/nfs/home", "/srv/nfs/home"],
    &["/srv/nfs/home/alice", "/srv/nfs/home"],
    &["/export/scratch", "/export/scratch"],
    &["/export/data/projects", "/export/data"],
    &["/var/lib/libvirt/images", "/var/lib/libvirt/images"],
];
/// RAID logical volumes dmeventd monitors.
const RAID_VOLUMES: &[&str] = &[
    "vg0-lv_data",
    "vg_raid-lv_home",
    "data-mirror",
    "vg0-lv_root",
];
/// Thin pools dmeventd monitors.
const THIN_POOLS: &[&str] = &[
    "vg0-thinpool-tpool",
    "pve-data-tpool",
    "vg_docker-pool-tpool",
];
/// Hosts that ask for addresses.
const DHCP_HOSTS: &[&str] = &[
    "laptop-alice",
    "android-3f2a1b0c4d5e6f70",
    "iPhone",
    "printer-2nd-floor",
    "DESKTOP-7H2K9QL",
    "raspberrypi",
];
/// Where dhcpd hears requests: an interface or a relay.
const DHCP_VIAS: &[&str] = &["eth0", "10.20.0.1", "ens192", "vlan20", "10.30.0.1"];
/// The replies dhcpd logs one way.
const DHCP_REPLIES: &[&str] = &["DHCPACK", "DHCPOFFER"];
/// TFTP requests.
const TFTP_OPCODES: &[&str] = &["RRQ", "WRQ"];
/// Files TFTP serves.
const TFTP_FILES: &[&str] = &[
    "pxelinux.0",
    "grubx64.efi",
    "pxelinux.cfg/01-00-50-56-a1-b2-c3",
    "undionly.kpxe",
    "ipxe.efi",
    "config/sw-core-01.cfg",
];
/// Services xinetd starts.
const XINETD_SERVICES: &[&str] = &["tftp", "rsync", "check_mk", "nrpe", "auth"];
/// Exit statuses.
const EXIT_STATUSES: &[&str] = &["0", "1", "255"];
/// The account Pure-FTPd names before a client logs in.
const NOT_LOGGED_IN: &[&str] = &["?"];
/// Pure-FTPd users and files they move.
const FTP_TRANSFERS: &[&[&str]] = &[
    &["alice", "/home/alice//reports/q1.pdf"],
    &["backup", "/srv/ftp/backup//db-20240305.sql.gz"],
    &["www", "/var/www//html/index.php"],
    &["scanner", "/srv/scans//scan_0042.pdf"],
    &["bob", "/home/bob//My Documents/cv.docx"],
];
/// Pure-FTPd users.
const FTP_USERS: &[&str] = &["alice", "backup", "www", "scanner", "bob"];
/// TURN realms.
const TURN_REALMS: &[&str] = &["example.org", "turn.example.com", "meet.example.net"];
/// TURN users (time-limited REST credentials and long-term ones).
const TURN_USERS: &[&str] = &[
    "1709633472:alice",
    "1709640011:meet-7f3a",
    "bob",
    "1709629944:guest",
    "webrtc",
];
/// STUN methods.
const STUN_METHODS: &[&str] = &[
    "REFRESH",
    "ALLOCATE",
    "CREATE_PERMISSION",
    "CHANNEL_BIND",
    "BINDING",
];
/// TURN errors: code and reason.
const TURN_ERRORS: &[&[&str]] = &[
    &["401", "Unauthorized"],
    &["438", "Stale nonce"],
    &["437", "Allocation mismatch"],
    &["403", "Forbidden IP"],
    &["486", "Allocation Quota Reached"],
];
/// The origins of TURN sessions (none for most).
const TURN_ORIGINS: &[&str] = &["", "https://meet.example.org"];
/// Why a TURN session closed.
const TURN_CLOSE_REASONS: &[&str] = &[
    "allocation timeout",
    "TCP connection closed by client (callback)",
    "Connection timeout",
    "TLS/TCP socket buffer operation error (callback)",
];
/// Open vSwitch bridges.
const OVS_BRIDGES: &[&str] = &["br-int", "br-ex", "br0", "br-tun"];
/// Open vSwitch interfaces.
const OVS_INTERFACES: &[&str] = &[
    "tap3f2a1b0c-4d",
    "vnet12",
    "patch-tun",
    "veth1a2b3c4",
    "qvo7d9f8c6b-5d",
    "vxlan-0a000005",
];
/// OpenFlow controllers.
const OVS_CONTROLLERS: &[&str] = &[
    "tcp:127.0.0.1:6653",
    "unix#3",
    "tcp:10.0.0.5:6653",
    "unix#12",
];
/// Kubernetes pods: namespace, name and container.
const PODS: &[&[&str]] = &[
    &["default", "nginx-7d9f8c6b5d-x2kq4", "nginx"],
    &["kube-system", "coredns-5d78c9869d-abcde", "coredns"],
    &["monitoring", "node-exporter-8kq2z", "node-exporter"],
    &["prod", "api-6c4b9d7f8-9zq2m", "api"],
    &["kube-system", "kube-proxy-4gtpk", "kube-proxy"],
];
/// Container images.
const IMAGES: &[&str] = &[
    "registry.k8s.io/pause:3.9",
    "docker.io/library/nginx:1.25",
    "quay.io/prometheus/node-exporter:v1.7.0",
    "registry.k8s.io/coredns/coredns:v1.11.1",
    "ghcr.io/acme/api:2024.03.1",
];
/// anacron versions.
const ANACRON_VERSIONS: &[&str] = &["2.3"];
/// anacron jobs.
const ANACRON_JOBS: &[&str] = &["cron.daily", "cron.weekly", "cron.monthly"];
/// openHAB items and their types.
const OH_ITEMS: &[&[&str]] = &[
    &["LivingRoom_Light", "Switch"],
    &["Kitchen_Temperature", "Temperature"],
    &["FrontDoor_Contact", "Contact"],
    &["Hallway_Dimmer", "Dimmer"],
    &["Washer_Power", "Power"],
    &["Bedroom_Shutter", "Rollershutter"],
    &["Garden_Pump", "Switch"],
];
/// openHAB items that take commands, and their types.
const OH_CONTROLS: &[&[&str]] = &[
    &["LivingRoom_Light", "Switch"],
    &["Hallway_Dimmer", "Dimmer"],
    &["Bedroom_Shutter", "Rollershutter"],
    &["Kitchen_Sonos", "Player"],
    &["Garden_Pump", "Switch"],
];
/// openHAB things: uid, old and new status.
const OH_THINGS: &[&[&str]] = &[
    &[
        "zwave:device:512:node5",
        "ONLINE",
        "OFFLINE (COMMUNICATION_ERROR): Node is not communicating with controller",
    ],
    &["mqtt:topic:mosquitto:sensor1", "UNKNOWN", "ONLINE"],
    &[
        "hue:0210:bridge1:lamp3",
        "ONLINE",
        "OFFLINE: Hue bridge reports light as not reachable.",
    ],
    &["astro:sun:local", "INITIALIZING", "ONLINE"],
    &["network:pingdevice:phone", "ONLINE", "OFFLINE"],
];
/// Luanti players.
const PLAYERS: &[&str] = &[
    "alice",
    "Steve",
    "xXminer42Xx",
    "builder_bob",
    "Kat",
    "singleplayer",
    "n00b",
];
/// Luanti nodes.
const NODES: &[&str] = &[
    "default:stone",
    "default:dirt_with_grass",
    "default:tree",
    "default:sand",
    "default:stone_with_coal",
    "mcl_core:stone",
];

/// The kind of value a `{}` of a statement takes.
#[derive(Clone, Copy)]
enum V {
    /// A number in the range.
    Num(u64, u64),
    /// A signed number in the range.
    Signed(i64, i64),
    /// A word of the list, Zipf-distributed over its order.
    Zipf(&'static [&'static str]),
    /// A column of a table's row: column 0 draws the row (Zipf-distributed over the table's
    /// order) and the later columns of the statement take the same row.
    Row(&'static [&'static [&'static str]], usize),
    /// A column of the row the statement last drew from the table, again.
    Again(&'static [&'static [&'static str]], usize),
    /// An IPv4 address.
    Ip,
    /// The IPv4 address the statement's last `Ip` drew.
    SameIp,
    /// An IPv4-mapped IPv6 address (`::ffff:10.0.0.5`).
    MappedIp,
    /// An ephemeral port.
    Port,
    /// This many lowercase hex digits.
    Hex(usize),
    /// A decimal with an integer part in the range and this many places (`12.345`).
    Fixed(u64, u64, usize),
    /// A random UUID.
    Uuid,
    /// A MAC address, lowercase with colons.
    Mac,
    /// A time 389 measures, in seconds with nine places (`0.000231583`).
    LdapSeconds,
    /// A Unix time in seconds.
    UnixTime,
    /// A date, `yyyy-mm-dd`.
    Date,
    /// A duration as `hh:mm:ss` (PBS' times).
    Clock,
    /// A Sendmail queue id (`42T9Bx3q012345`).
    SendmailQid,
    /// A Message-ID without its angle brackets.
    MessageId,
    /// A delay as Sendmail writes it (`00:00:01`, `1+02:03:04`).
    SendmailDelay,
    /// A Cyrus session id (`cyrus-12345-1709630000-1-1234567890123456789`).
    CyrusSession,
    /// A size as APT's `SizeToStr` writes it, before the `B` the format adds (`940 `, `16.1 k`,
    /// `1,353 k`, `23.5 M`).
    AptSize,
    /// A duration as APT's `TimeToStr` writes it (`2s`, `1min 12s`, `1h 2min 3s`).
    AptTime,
    /// A date as cloud-init writes it (`Tue, 05 Mar 2024 10:11:12 +0000`).
    CloudInitDate,
    /// A Nix store path, with this suffix (`/nix/store/…-hello-2.12.1.drv`).
    NixPath(&'static str),
    /// A D-Bus unique name (`:1.42`).
    DbusSender,
    /// A kernel address as Lustre names a client by it (`ffff8d2a4c7e1000`).
    KernelAddress,
    /// An HPC compute node (`cn042`).
    HpcNode,
    /// A faulting address as Open MPI prints it (`0x10`, `0x7f3a2c0d1e20`, `(nil)`).
    FaultAddress,
    /// A coturn session id, eighteen digits (`001000000000000042`).
    TurnSession,
    /// The state of the openHAB item last drawn from the table, as its type writes it.
    OhState(&'static [&'static [&'static str]]),
    /// A state of the openHAB item last drawn from the table other than its last `OhState`.
    OhNewState(&'static [&'static [&'static str]]),
    /// A command to the openHAB item last drawn from the table, as its type takes it.
    OhCommand(&'static [&'static [&'static str]]),
    /// The players on a Luanti server, one to six names.
    PlayerList,
}

thread_local! {
    /// The row the last `Row(_, 0)` drew.
    static ROW: Cell<usize> = const { Cell::new(0) };
    /// The address the last `Ip` drew.
    static LAST_IP: RefCell<String> = const { RefCell::new(String::new()) };
    /// The state the last `OhState` drew.
    static LAST_STATE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Nix's base-32 digits, as store paths use them.
const NIX_BASE32: &[u8] = b"0123456789abcdfghijklmnpqrsvwxyz";

/// A date, `yyyy-mm-dd`.
fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(2022, 2026),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

/// A number with thousands separators (`1,353`), as APT's `%'.0f` writes it in most locales.
fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A state of an openHAB item of `kind`.
fn oh_state(kind: &str, rng: &mut Rng) -> String {
    match kind {
        "Switch" => rng.pick(&["ON", "OFF"]).to_string(),
        "Contact" => rng.pick(&["OPEN", "CLOSED"]).to_string(),
        "Temperature" => format!("{}.{} °C", rng.range(15, 28), rng.range(0, 9)),
        "Power" => format!("{}.{} W", rng.range(0, 2500), rng.range(0, 9)),
        _ => rng.range(0, 100).to_string(),
    }
}

/// A command to an openHAB item of `kind`.
fn oh_command(kind: &str, rng: &mut Rng) -> String {
    match kind {
        "Switch" => rng.pick(&["ON", "OFF"]).to_string(),
        "Rollershutter" => rng.pick(&["UP", "DOWN", "STOP"]).to_string(),
        "Player" => rng.pick(&["PLAY", "PAUSE", "NEXT"]).to_string(),
        _ => rng.range(0, 100).to_string(),
    }
}

/// A value of `kind`.
fn value(kind: V, rng: &mut Rng) -> String {
    match kind {
        V::Num(low, high) => rng.range(low, high).to_string(),
        V::Signed(low, high) => (low + rng.range(0, (high - low) as u64) as i64).to_string(),
        V::Zipf(items) => rng.zipf(items).to_string(),
        V::Row(table, column) => {
            if column == 0 {
                ROW.set(rng.zipf_index(table.len()));
            }
            table[ROW.get()][column].to_string()
        }
        V::Again(table, column) => table[ROW.get()][column].to_string(),
        V::Ip => {
            let address = ip(rng);
            LAST_IP.replace(address.clone());
            address
        }
        V::SameIp => LAST_IP.with_borrow(String::clone),
        V::MappedIp => format!("::ffff:{}", ip(rng)),
        V::Port => port(rng).to_string(),
        V::Hex(digits) => rng.hex(digits),
        V::Fixed(low, high, places) => fixed(rng, low, high, places),
        V::Uuid => uuid(rng),
        V::Mac => mac(rng),
        V::LdapSeconds => format!("0.{:09}", rng.range(10_000, 9_999_999)),
        V::UnixTime => rng.range(1_700_000_000, 1_720_000_000).to_string(),
        V::Date => date(rng),
        V::Clock => format!(
            "{:02}:{:02}:{:02}",
            rng.range(0, 72),
            rng.range(0, 59),
            rng.range(0, 59)
        ),
        V::SendmailQid => format!("{}{:06}", rng.alphanumeric(8), rng.range(0, 999_999)),
        V::MessageId => match rng.range(0, 2) {
            0 => format!(
                "{}.{}@{}",
                rng.range(1_700_000_000, 1_799_999_999),
                rng.hex(8),
                rng.pick(&["example.com", "mail.example.org", "lists.example.io"])
            ),
            1 => format!("CA{}@mail.gmail.com", rng.alphanumeric(30)),
            _ => format!("{}@example.com", uuid(rng)),
        },
        V::SendmailDelay => match rng.range(0, 9) {
            0 => format!(
                "{}+{:02}:{:02}:{:02}",
                rng.range(1, 4),
                rng.range(0, 23),
                rng.range(0, 59),
                rng.range(0, 59)
            ),
            1 | 2 => format!(
                "{:02}:{:02}:{:02}",
                rng.range(0, 23),
                rng.range(0, 59),
                rng.range(0, 59)
            ),
            _ => format!("00:00:{:02}", rng.range(0, 9)),
        },
        V::CyrusSession => format!(
            "cyrus-{}-{}-{}-{}",
            rng.range(1_000, 4_000_000),
            rng.range(1_700_000_000, 1_720_000_000),
            rng.range(1, 9),
            rng.range(1_000_000_000_000_000_000, 9_999_999_999_999_999_999)
        ),
        V::AptSize => match rng.range(0, 3) {
            0 => format!("{} ", rng.range(100, 999)),
            1 => format!("{}.{} k", rng.range(10, 99), rng.range(0, 9)),
            2 => format!("{} k", grouped(rng.range(100, 9_999))),
            _ => format!("{}.{} M", rng.range(10, 99), rng.range(0, 9)),
        },
        V::AptTime => match rng.range(0, 9) {
            0..=5 => format!("{}s", rng.range(0, 59)),
            6..=8 => format!("{}min {}s", rng.range(1, 59), rng.range(0, 59)),
            _ => format!(
                "{}h {}min {}s",
                rng.range(1, 3),
                rng.range(0, 59),
                rng.range(0, 59)
            ),
        },
        V::CloudInitDate => format!(
            "{}, {:02} {} {} {} +0000",
            rng.pick(WEEKDAYS),
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.range(2022, 2026),
            time(rng)
        ),
        V::NixPath(suffix) => {
            let hash: String = (0..32)
                .map(|_| char::from(NIX_BASE32[rng.range(0, 31) as usize]))
                .collect();
            format!("/nix/store/{hash}-{}{suffix}", rng.zipf(NIX_NAMES))
        }
        V::DbusSender => format!(":1.{}", rng.range(1, 9_000)),
        V::KernelAddress => format!("ffff{:x}{}", rng.range(8, 14), rng.hex(11)),
        V::HpcNode => format!("cn{:03}", rng.range(1, 512)),
        V::FaultAddress => match rng.range(0, 3) {
            0 => "(nil)".to_string(),
            1 => format!("0x{:x}", rng.range(1, 0xfff)),
            _ => format!("0x7f{}", rng.hex(10)),
        },
        V::TurnSession => format!("00{}{:015}", rng.range(1, 4), rng.range(1, 9_999_999)),
        V::OhState(table) => {
            let state = oh_state(table[ROW.get()][1], rng);
            LAST_STATE.replace(state.clone());
            state
        }
        V::OhNewState(table) => loop {
            let state = oh_state(table[ROW.get()][1], rng);
            if LAST_STATE.with_borrow(|last| *last != state) {
                break state;
            }
        },
        V::OhCommand(table) => oh_command(table[ROW.get()][1], rng),
        V::PlayerList => {
            let count = rng.range(1, 6) as usize;
            let mut players: Vec<&str> = Vec::new();
            while players.len() < count {
                let player = rng.zipf(PLAYERS);
                if !players.contains(&player) {
                    players.push(player);
                }
            }
            players.join(" ")
        }
    }
}

use V::*;

/// The statements: a format string with `{}` for each variable, and the variables' kinds.
const STATEMENTS: &[Statement<V>] = &[
    // Sendmail.
    (
        "{}: from=<{}>, size={}, class={}, nrcpts={}, msgid=<{}>, proto={}, daemon={}, relay={} [{}]",
        &[
            SendmailQid,
            Zipf(MAILBOXES),
            Num(300, 9_000_000),
            Zipf(SM_CLASSES),
            Num(1, 12),
            MessageId,
            Zipf(SM_PROTOCOLS),
            Zipf(SM_DAEMONS),
            Zipf(SM_CLIENTS),
            Ip,
        ],
    ),
    (
        "{}: to=<{}>, delay={}, xdelay={}, mailer={}, pri={}, relay={} [{}], dsn={}, stat={}",
        &[
            SendmailQid,
            Zipf(MAILBOXES),
            SendmailDelay,
            SendmailDelay,
            Zipf(SM_MAILERS),
            Num(30_000, 900_000),
            Zipf(SM_RELAYS),
            Ip,
            Row(SM_RESULTS, 0),
            Row(SM_RESULTS, 1),
        ],
    ),
    (
        "STARTTLS=client, relay={}, version={}, verify={}, cipher={}, bits={}/{}",
        &[
            Zipf(SM_RELAYS),
            Row(TLS_SESSIONS, 0),
            Zipf(SM_VERIFY),
            Again(TLS_SESSIONS, 1),
            Again(TLS_SESSIONS, 2),
            Again(TLS_SESSIONS, 3),
        ],
    ),
    (
        "{}: ruleset={}, arg1={}, relay={} [{}], reject={}",
        &[
            SendmailQid,
            Row(SM_REJECTIONS, 0),
            Row(SM_REJECTIONS, 1),
            Zipf(SM_CLIENTS),
            Ip,
            Again(SM_REJECTIONS, 2),
        ],
    ),
    // Cyrus IMAP.
    (
        "login: {} [{}] {} {} User logged in SESSIONID=<{}>",
        &[
            Zipf(MAIL_HOSTS),
            Ip,
            Zipf(USERS),
            Zipf(CYRUS_MECHS),
            CyrusSession,
        ],
    ),
    (
        "starttls: {} with cipher {} ({}/{} bits {}) no authentication",
        &[
            Row(TLS_SESSIONS, 0),
            Row(TLS_SESSIONS, 1),
            Row(TLS_SESSIONS, 2),
            Row(TLS_SESSIONS, 3),
            Zipf(TLS_REUSE),
        ],
    ),
    (
        "Delivered: <{}> to mailbox: {}",
        &[MessageId, Zipf(CYRUS_MAILBOXES)],
    ),
    // The 389 Directory Server.
    (
        "conn={} op={} BIND dn=\"{}\" method={} version={}",
        &[
            Num(1, 900_000),
            Num(0, 40),
            Zipf(BIND_DNS),
            Zipf(BIND_METHODS),
            Zipf(LDAP_VERSIONS),
        ],
    ),
    (
        "conn={} op={} SRCH base=\"{}\" scope={} filter=\"{}\" attrs={}",
        &[
            Num(1, 900_000),
            Num(0, 40),
            Zipf(SEARCH_BASES),
            Zipf(SCOPES),
            Zipf(FILTERS),
            Zipf(SEARCH_ATTRS),
        ],
    ),
    (
        "conn={} op={} RESULT err={} tag={} nentries={} wtime={} optime={} etime={}",
        &[
            Num(1, 900_000),
            Num(0, 40),
            Zipf(LDAP_ERRORS),
            Zipf(LDAP_TAGS),
            Num(0, 400),
            LdapSeconds,
            LdapSeconds,
            LdapSeconds,
        ],
    ),
    (
        "conn={} op={} fd={} closed - {}",
        &[
            Num(1, 900_000),
            Num(0, 40),
            Num(64, 4_000),
            Zipf(CLOSE_CODES),
        ],
    ),
    // MIT Kerberos' KDC.
    (
        "AS_REQ ({}) {}: ISSUE: authtime {}, {}, {} for {}",
        &[
            Zipf(REQUESTED_ETYPES),
            Ip,
            UnixTime,
            Zipf(ISSUED_ETYPES),
            Zipf(CLIENT_PRINCIPALS),
            Zipf(AS_SERVICES),
        ],
    ),
    (
        "TGS_REQ ({}) {}: {}: authtime {}, {}, {} for {}",
        &[
            Zipf(REQUESTED_ETYPES),
            Ip,
            Zipf(ISSUED),
            UnixTime,
            Zipf(ISSUED_ETYPES),
            Zipf(CLIENT_PRINCIPALS),
            Zipf(TGS_SERVICES),
        ],
    ),
    (
        "AS_REQ ({}) {}: {}: {} for {}, {}",
        &[
            Zipf(REQUESTED_ETYPES),
            Ip,
            Row(KDC_FAILURES, 0),
            Zipf(CLIENT_PRINCIPALS),
            Zipf(AS_SERVICES),
            Again(KDC_FAILURES, 1),
        ],
    ),
    // APT.
    ("Hit:{} {}", &[Num(1, 12), Zipf(APT_RELEASES)]),
    ("Ign:{} {}", &[Num(1, 12), Zipf(APT_RELEASES)]),
    ("Get:{} {} [{}B]", &[Num(1, 400), Zipf(APT_ITEMS), AptSize]),
    ("Fetched {}B in {} ({}B/s)", &[AptSize, AptTime, AptSize]),
    // unattended-upgrades.
    ("Allowed origins are: {}", &[Zipf(ORIGINS)]),
    ("Packages that will be upgraded: {}", &[Zipf(UPGRADE_SETS)]),
    ("All upgrades installed", &[]),
    // pacman.
    (
        "[ALPM] upgraded {} ({} -> {})",
        &[
            Row(PACMAN_UPGRADES, 0),
            Row(PACMAN_UPGRADES, 1),
            Row(PACMAN_UPGRADES, 2),
        ],
    ),
    (
        "[ALPM] installed {} ({})",
        &[Row(PACMAN_PACKAGES, 0), Row(PACMAN_PACKAGES, 1)],
    ),
    (
        "[ALPM] removed {} ({})",
        &[Row(PACMAN_PACKAGES, 0), Row(PACMAN_PACKAGES, 1)],
    ),
    ("[PACMAN] Running '{}'", &[Zipf(PACMAN_COMMANDS)]),
    // Alpine's apk.
    (
        "({}/{}) Installing {} ({})",
        &[
            Num(1, 9),
            Num(9, 60),
            Row(APK_PACKAGES, 0),
            Row(APK_PACKAGES, 1),
        ],
    ),
    (
        "({}/{}) Purging {} ({})",
        &[
            Num(1, 9),
            Num(9, 60),
            Row(APK_PACKAGES, 0),
            Row(APK_PACKAGES, 1),
        ],
    ),
    ("OK: {} MiB in {} packages", &[Num(4, 900), Num(12, 400)]),
    // The Nix daemon.
    ("building '{}'...", &[NixPath(".drv")]),
    (
        "copying path '{}' from '{}'...",
        &[NixPath(""), Zipf(NIX_SUBSTITUTERS)],
    ),
    (
        "these {} paths will be fetched ({} MiB download, {} MiB unpacked):",
        &[Num(1, 400), Fixed(0, 900, 2), Fixed(0, 4_000, 2)],
    ),
    // cloud-init.
    (
        "Cloud-init v. {} running '{}' at {}. Up {} seconds.",
        &[
            Zipf(CLOUD_INIT_VERSIONS),
            Zipf(CLOUD_INIT_STAGES),
            CloudInitDate,
            Fixed(2, 90, 2),
        ],
    ),
    (
        "Cloud-init v. {} finished at {}. Datasource {}.  Up {} seconds",
        &[
            Zipf(CLOUD_INIT_VERSIONS),
            CloudInitDate,
            Zipf(DATASOURCES),
            Fixed(5, 300, 2),
        ],
    ),
    (
        "Running module {} ({}) with frequency {}",
        &[
            Row(CLOUD_INIT_MODULES, 0),
            Row(CLOUD_INIT_MODULES, 1),
            Zipf(FREQUENCIES),
        ],
    ),
    // The Puppet agent.
    (
        "Using configured environment '{}'",
        &[Zipf(PUPPET_ENVIRONMENTS)],
    ),
    ("Applying configuration version '{}'", &[UnixTime]),
    ("Applied catalog in {} seconds", &[Fixed(0, 300, 2)]),
    (
        "/Stage[main]/{}/ensure: ensure changed '{}' to '{}'",
        &[
            Row(PUPPET_CHANGES, 0),
            Row(PUPPET_CHANGES, 1),
            Row(PUPPET_CHANGES, 2),
        ],
    ),
    // rsyslog.
    (
        "[origin software=\"rsyslogd\" swVersion=\"{}\" x-pid=\"{}\" x-info=\"https://www.rsyslog.com\"] start",
        &[Zipf(RSYSLOG_VERSIONS), Num(300, 4_000_000)],
    ),
    (
        "[origin software=\"rsyslogd\" swVersion=\"{}\" x-pid=\"{}\" x-info=\"https://www.rsyslog.com\"] exiting on signal {}.",
        &[
            Zipf(RSYSLOG_VERSIONS),
            Num(300, 4_000_000),
            Zipf(EXIT_SIGNALS),
        ],
    ),
    (
        "action '{}' suspended (module '{}'), retry {}. There should be messages before this one giving the reason for suspension. [v{} try https://www.rsyslog.com/e/{} ]",
        &[
            Row(RSYSLOG_ACTIONS, 0),
            Row(RSYSLOG_ACTIONS, 1),
            Num(0, 3),
            Zipf(RSYSLOG_VERSIONS),
            Zipf(SUSPENDED_CODES),
        ],
    ),
    (
        "action '{}' resumed (module '{}') [v{} try https://www.rsyslog.com/e/{} ]",
        &[
            Row(RSYSLOG_ACTIONS, 0),
            Row(RSYSLOG_ACTIONS, 1),
            Zipf(RSYSLOG_VERSIONS),
            Zipf(RESUMED_CODES),
        ],
    ),
    // syslog-ng.
    (
        "Syslog connection accepted; fd='{}', client='AF_INET({}:{})', local='AF_INET(0.0.0.0:{})'",
        &[Num(10, 400), Ip, Port, Zipf(SYSLOG_PORTS)],
    ),
    (
        "Syslog connection closed; fd='{}', client='AF_INET({}:{})', local='AF_INET(0.0.0.0:{})'",
        &[Num(10, 400), Ip, Port, Zipf(SYSLOG_PORTS)],
    ),
    (
        "syslog-ng starting up; version='{}'",
        &[Zipf(SYSLOG_NG_VERSIONS)],
    ),
    (
        "syslog-ng shutting down; version='{}'",
        &[Zipf(SYSLOG_NG_VERSIONS)],
    ),
    // collectd.
    (
        "plugin_load: plugin \"{}\" successfully loaded.",
        &[Zipf(COLLECTD_PLUGINS)],
    ),
    (
        "write_graphite plugin: send to {}:{} ({}) failed with status {} ({})",
        &[
            Zipf(GRAPHITE_HOSTS),
            Zipf(GRAPHITE_PORTS),
            Zipf(TRANSPORTS),
            Zipf(SEND_STATUSES),
            Zipf(SEND_ERRORS),
        ],
    ),
    (
        "read-function of plugin `{}' failed. Will suspend it for {} seconds.",
        &[Zipf(FAILING_PLUGINS), Zipf(SUSPENSIONS)],
    ),
    // Icinga 2.
    (
        "New client connection for identity '{}' from [{}]:{}",
        &[Zipf(ICINGA_ENDPOINTS), Ip, Port],
    ),
    (
        "Sending '{}' notification '{}' for user '{}'",
        &[
            Zipf(NOTIFICATION_TYPES),
            Row(ICINGA_NOTIFICATIONS, 0),
            Zipf(ICINGA_USERS),
        ],
    ),
    (
        "Completed sending '{}' notification '{}' for checkable '{}' and user '{}' using command '{}'.",
        &[
            Zipf(NOTIFICATION_TYPES),
            Row(ICINGA_NOTIFICATIONS, 0),
            Row(ICINGA_NOTIFICATIONS, 1),
            Zipf(ICINGA_USERS),
            Row(ICINGA_NOTIFICATIONS, 2),
        ],
    ),
    // The Wazuh agent.
    (
        "(4102): Connected to the server ([{}]:{}/{}).",
        &[Ip, Zipf(WAZUH_PORTS), Zipf(TRANSPORTS)],
    ),
    ("(6008): File integrity monitoring scan started.", &[]),
    ("(6009): File integrity monitoring scan ended.", &[]),
    ("(1950): Analyzing file: '{}'.", &[Zipf(WAZUH_FILES)]),
    // rtkit-daemon.
    (
        "Successfully made thread {} of process {} ({}) owned by '{}' high priority at nice level {}.",
        &[
            Num(300, 4_000_000),
            Num(300, 4_000_000),
            Zipf(RTKIT_PROGRAMS),
            Zipf(DESKTOP_UIDS),
            Zipf(NICE_LEVELS),
        ],
    ),
    (
        "Successfully made thread {} of process {} ({}) owned by '{}' RT at priority {}.",
        &[
            Num(300, 4_000_000),
            Num(300, 4_000_000),
            Zipf(RTKIT_PROGRAMS),
            Zipf(DESKTOP_UIDS),
            Zipf(RT_PRIORITIES),
        ],
    ),
    (
        "Supervising {} threads of {} processes of {} users.",
        &[Num(0, 40), Num(0, 12), Num(0, 3)],
    ),
    // ModemManager.
    (
        "<info>  [modem{}] state changed ({} -> {})",
        &[Num(0, 3), Row(MODEM_STATES, 0), Row(MODEM_STATES, 1)],
    ),
    (
        "<info>  [modem{}] 3GPP registration state changed ({} -> {})",
        &[
            Num(0, 3),
            Row(REGISTRATION_STATES, 0),
            Row(REGISTRATION_STATES, 1),
        ],
    ),
    (
        "<info>  [modem{}] simple connect state ({}/{}): {}",
        &[
            Num(0, 3),
            Row(CONNECT_STEPS, 0),
            Zipf(CONNECT_STEP_COUNTS),
            Row(CONNECT_STEPS, 1),
        ],
    ),
    // dbus-daemon.
    (
        "[system] Activating via systemd: service name='{}' unit='{}' requested by '{}' (uid={} pid={} comm=\"{}\" label=\"{}\")",
        &[
            Row(DBUS_SERVICES, 0),
            Row(DBUS_SERVICES, 1),
            DbusSender,
            Zipf(DBUS_UIDS),
            Num(300, 4_000_000),
            Zipf(DBUS_COMMANDS),
            Zipf(DBUS_LABELS),
        ],
    ),
    (
        "[system] Successfully activated service '{}'",
        &[Zipf(ACTIVATED_SERVICES)],
    ),
    (
        "[system] Activation via systemd failed for unit '{}': {}",
        &[Row(ACTIVATION_FAILURES, 0), Row(ACTIVATION_FAILURES, 1)],
    ),
    // OpenPBS' server.
    (
        "Job;{}.{};Job Queued at request of {}@{}, owner = {}@{}, job name = {}, queue = {}",
        &[
            Num(1_000, 900_000),
            Zipf(PBS_SERVERS),
            Row(PBS_SUBMITTERS, 0),
            Row(PBS_SUBMITTERS, 1),
            Again(PBS_SUBMITTERS, 0),
            Again(PBS_SUBMITTERS, 1),
            Zipf(PBS_JOB_NAMES),
            Zipf(PBS_QUEUES),
        ],
    ),
    (
        "Job;{}.{};Job Run at request of Scheduler@{} on exec_vnode ({}:ncpus={})",
        &[
            Num(1_000, 900_000),
            Zipf(PBS_SERVERS),
            Zipf(PBS_SERVERS),
            HpcNode,
            Num(1, 128),
        ],
    ),
    (
        "Job;{}.{};Exit_status={} resources_used.cpupercent={} resources_used.cput={} resources_used.mem={}kb resources_used.ncpus={} resources_used.vmem={}kb resources_used.walltime={}",
        &[
            Num(1_000, 900_000),
            Zipf(PBS_SERVERS),
            Zipf(&["0", "1", "271", "-11", "265"]),
            Num(0, 12_800),
            Clock,
            Num(1_000, 500_000_000),
            Num(1, 128),
            Num(1_000, 900_000_000),
            Clock,
        ],
    ),
    // Lustre.
    (
        "Lustre: {}: Client {} (at {}@{}) reconnecting",
        &[Zipf(LUSTRE_TARGETS), Uuid, Ip, Zipf(LNETS)],
    ),
    (
        "Lustre: {}-osc-{}: Connection to {} (at {}@{}) was lost; in progress operations using this service will wait for recovery to complete",
        &[
            Row(LUSTRE_OSTS, 0),
            KernelAddress,
            Again(LUSTRE_OSTS, 0),
            Ip,
            Zipf(LNETS),
        ],
    ),
    (
        "Lustre: {}-osc-{}: Connection restored to {} (at {}@{})",
        &[
            Row(LUSTRE_OSTS, 0),
            KernelAddress,
            Again(LUSTRE_OSTS, 0),
            Ip,
            Zipf(LNETS),
        ],
    ),
    (
        "LustreError: 11-0: {}-osc-{}: operation {} to node {}@{} failed: rc = {}",
        &[
            Row(LUSTRE_OSTS, 0),
            KernelAddress,
            Zipf(LUSTRE_OPERATIONS),
            Ip,
            Zipf(LNETS),
            Zipf(LUSTRE_RCS),
        ],
    ),
    // Open MPI.
    (
        "[{}:{}] *** Process received signal ***",
        &[HpcNode, Num(300, 4_000_000)],
    ),
    (
        "[{}:{}] Signal: {} ({})",
        &[
            HpcNode,
            Num(300, 4_000_000),
            Row(SIGNALS, 0),
            Row(SIGNALS, 1),
        ],
    ),
    (
        "[{}:{}] Signal code: {} ({})",
        &[
            HpcNode,
            Num(300, 4_000_000),
            Row(SIGNAL_CODES, 0),
            Row(SIGNAL_CODES, 1),
        ],
    ),
    (
        "[{}:{}] Failing at address: {}",
        &[HpcNode, Num(300, 4_000_000), FaultAddress],
    ),
    (
        "mpirun noticed that process rank {} with PID {} on node {} exited on signal {} ({}).",
        &[
            Num(0, 1_023),
            Num(300, 4_000_000),
            HpcNode,
            Row(RANK_SIGNALS, 0),
            Row(RANK_SIGNALS, 1),
        ],
    ),
    // open-iscsi's iscsid.
    (
        "Connection{}:{} to [target: {}, portal: {},{}] through [iface: {}] is operational now",
        &[
            Num(1, 40),
            Num(0, 1),
            Zipf(IQNS),
            Ip,
            Zipf(ISCSI_PORTS),
            Zipf(ISCSI_IFACES),
        ],
    ),
    (
        "Connection{}:{} to [target: {}, portal: {},{}] through [iface: {}] is shutdown.",
        &[
            Num(1, 40),
            Num(0, 1),
            Zipf(IQNS),
            Ip,
            Zipf(ISCSI_PORTS),
            Zipf(ISCSI_IFACES),
        ],
    ),
    (
        "Kernel reported iSCSI connection {}:{} error ({} - {}) state ({})",
        &[
            Num(1, 40),
            Num(0, 1),
            Row(ISCSI_ERRORS, 0),
            Row(ISCSI_ERRORS, 1),
            Zipf(ISCSI_STATES),
        ],
    ),
    // NFS' rpc.mountd.
    (
        "authenticated mount request from {}:{} for {} ({})",
        &[
            Ip,
            Num(600, 1_023),
            Row(NFS_EXPORTS, 0),
            Row(NFS_EXPORTS, 1),
        ],
    ),
    (
        "authenticated unmount request from {}:{} for {} ({})",
        &[
            Ip,
            Num(600, 1_023),
            Row(NFS_EXPORTS, 0),
            Row(NFS_EXPORTS, 1),
        ],
    ),
    (
        "refused mount request from {} for {} ({}): unmatched host",
        &[Ip, Row(NFS_EXPORTS, 0), Row(NFS_EXPORTS, 1)],
    ),
    // LVM's dmeventd.
    (
        "Monitoring RAID device {} for events.",
        &[Zipf(RAID_VOLUMES)],
    ),
    (
        "No longer monitoring RAID device {} for events.",
        &[Zipf(RAID_VOLUMES)],
    ),
    (
        "WARNING: Thin pool {} data is now {}% full.",
        &[Zipf(THIN_POOLS), Fixed(80, 99, 2)],
    ),
    (
        "WARNING: Thin pool {} metadata is now {}% full.",
        &[Zipf(THIN_POOLS), Fixed(80, 99, 2)],
    ),
    // ISC dhcpd.
    (
        "DHCPDISCOVER from {} ({}) via {}",
        &[Mac, Zipf(DHCP_HOSTS), Zipf(DHCP_VIAS)],
    ),
    (
        "{} on {} to {} ({}) via {}",
        &[
            Zipf(DHCP_REPLIES),
            Ip,
            Mac,
            Zipf(DHCP_HOSTS),
            Zipf(DHCP_VIAS),
        ],
    ),
    (
        "DHCPREQUEST for {} ({}) from {} ({}) via {}",
        &[Ip, Ip, Mac, Zipf(DHCP_HOSTS), Zipf(DHCP_VIAS)],
    ),
    ("Wrote {} leases to leases file.", &[Num(0, 9_000)]),
    // tftpd-hpa.
    (
        "{} from {} filename {}",
        &[Zipf(TFTP_OPCODES), Ip, Zipf(TFTP_FILES)],
    ),
    ("tftp: client does not accept options", &[]),
    // xinetd.
    (
        "START: {} pid={} from={}",
        &[Zipf(XINETD_SERVICES), Num(300, 4_000_000), MappedIp],
    ),
    (
        "EXIT: {} status={} pid={} duration={}(sec)",
        &[
            Zipf(XINETD_SERVICES),
            Zipf(EXIT_STATUSES),
            Num(300, 4_000_000),
            Num(0, 900),
        ],
    ),
    // Pure-FTPd.
    (
        "({}@{}) [INFO] New connection from {}",
        &[Zipf(NOT_LOGGED_IN), Ip, SameIp],
    ),
    (
        "({}@{}) [INFO] {} is now logged in",
        &[Zipf(NOT_LOGGED_IN), Ip, Zipf(FTP_USERS)],
    ),
    (
        "({}@{}) [NOTICE] {} uploaded  ({} bytes, {}KB/sec)",
        &[
            Row(FTP_TRANSFERS, 0),
            Ip,
            Row(FTP_TRANSFERS, 1),
            Num(10, 900_000_000),
            Fixed(0, 90_000, 2),
        ],
    ),
    (
        "({}@{}) [NOTICE] {} downloaded  ({} bytes, {}KB/sec)",
        &[
            Row(FTP_TRANSFERS, 0),
            Ip,
            Row(FTP_TRANSFERS, 1),
            Num(10, 900_000_000),
            Fixed(0, 90_000, 2),
        ],
    ),
    // coturn.
    (
        "session {}: realm <{}> user <{}>: incoming packet {} processed, success",
        &[
            TurnSession,
            Zipf(TURN_REALMS),
            Zipf(TURN_USERS),
            Zipf(STUN_METHODS),
        ],
    ),
    (
        "session {}: realm <{}> user <{}>: incoming packet {} processed, error {}: {}",
        &[
            TurnSession,
            Zipf(TURN_REALMS),
            Zipf(TURN_USERS),
            Zipf(STUN_METHODS),
            Row(TURN_ERRORS, 0),
            Row(TURN_ERRORS, 1),
        ],
    ),
    (
        "session {}: closed (2nd stage), user <{}> realm <{}> origin <{}> local {}:{} remote {}:{}, reason: {}",
        &[
            TurnSession,
            Zipf(TURN_USERS),
            Zipf(TURN_REALMS),
            Zipf(TURN_ORIGINS),
            Ip,
            Zipf(&["3478", "5349", "443"]),
            Ip,
            Port,
            Zipf(TURN_CLOSE_REASONS),
        ],
    ),
    // Open vSwitch.
    (
        "bridge {}: added interface {} on port {}",
        &[Zipf(OVS_BRIDGES), Zipf(OVS_INTERFACES), Num(1, 400)],
    ),
    (
        "bridge {}: deleted interface {} on port {}",
        &[Zipf(OVS_BRIDGES), Zipf(OVS_INTERFACES), Num(1, 400)],
    ),
    (
        "{}<->{}: connected",
        &[Zipf(OVS_BRIDGES), Zipf(OVS_CONTROLLERS)],
    ),
    // CRI-O.
    (
        "msg=\"Created container {}: {}/{}/{}\" id={} name=/runtime.v1.RuntimeService/CreateContainer",
        &[Hex(64), Row(PODS, 0), Row(PODS, 1), Row(PODS, 2), Uuid],
    ),
    (
        "msg=\"Removed container {}: {}/{}/{}\" id={} name=/runtime.v1.RuntimeService/RemoveContainer",
        &[Hex(64), Row(PODS, 0), Row(PODS, 1), Row(PODS, 2), Uuid],
    ),
    (
        "msg=\"Checking image status: {}\" id={} name=/runtime.v1.ImageService/ImageStatus",
        &[Zipf(IMAGES), Uuid],
    ),
    // anacron.
    ("Anacron {} started on {}", &[Zipf(ANACRON_VERSIONS), Date]),
    (
        "Will run job `{}' in {} min.",
        &[Zipf(ANACRON_JOBS), Num(1, 45)],
    ),
    ("Job `{}' started", &[Zipf(ANACRON_JOBS)]),
    ("Job `{}' terminated", &[Zipf(ANACRON_JOBS)]),
    // openHAB's event log.
    (
        "Item '{}' changed from {} to {}",
        &[Row(OH_ITEMS, 0), OhState(OH_ITEMS), OhNewState(OH_ITEMS)],
    ),
    (
        "Item '{}' received command {}",
        &[Row(OH_CONTROLS, 0), OhCommand(OH_CONTROLS)],
    ),
    (
        "Thing '{}' changed from {} to {}",
        &[Row(OH_THINGS, 0), Row(OH_THINGS, 1), Row(OH_THINGS, 2)],
    ),
    // Luanti.
    (
        "{} [{}] joins game. List of players: {}",
        &[Zipf(PLAYERS), Ip, PlayerList],
    ),
    (
        "{} leaves game. List of players: {}",
        &[Zipf(PLAYERS), PlayerList],
    ),
    (
        "{} digs {} at ({},{},{})",
        &[
            Zipf(PLAYERS),
            Zipf(NODES),
            Signed(-3_000, 3_000),
            Signed(-60, 120),
            Signed(-3_000, 3_000),
        ],
    ),
];

/// The seed the corpus is generated from.
const SEED: u64 = 0x5157_e305_2026_1210;

/// Every statement has one kind for each of its variables.
#[test]
fn statements_have_one_kind_per_variable() {
    assert_one_kind_per_variable(STATEMENTS);
}

/// A statement reads a column of a table's row, again or for the first time, or an openHAB
/// item's state or command, only after drawing that row, with no other row drawn between; it
/// repeats an address only after drawing one, and draws an item's new state only after its old.
#[test]
fn statements_draw_each_row_before_reading_it() {
    for (format, kinds) in STATEMENTS {
        let mut drawn: Option<&[&[&str]]> = None;
        let mut address_drawn = false;
        let mut state_drawn = false;
        for kind in *kinds {
            let read = match *kind {
                Row(table, 0) => {
                    drawn = Some(table);
                    continue;
                }
                OhState(table) => {
                    state_drawn = true;
                    table
                }
                OhNewState(table) => {
                    assert!(state_drawn, "{format}");
                    table
                }
                Row(table, _) | Again(table, _) | OhCommand(table) => table,
                Ip => {
                    address_drawn = true;
                    continue;
                }
                SameIp => {
                    assert!(address_drawn, "{format}");
                    continue;
                }
                _ => continue,
            };
            assert!(drawn == Some(read), "{format}");
        }
    }
}

/// The corpus is the same on every run (rendered twice from its seed, not mined).
#[test]
fn systems_corpus_is_the_same_on_every_run() {
    assert_the_same_on_every_run(STATEMENTS, SEED, LINES, value);
}

/// Mines the corpus with the default settings and fails if its grouping accuracy falls below
/// [`MINIMUM_GA`].
#[test]
fn systems_corpus_accuracy_with_default_settings() {
    check_statements("systems corpus", STATEMENTS, SEED, LINES, value, MINIMUM_GA);
}
