//! A fourth corpus, written held out (see [`MINIMUM_GA`] for the one rule it prompted since):
//! the log statements of open-source application software, data
//! stores, brokers, delivery tools, userland daemons, network gear and home services that none of
//! `generated.rs`, `servers.rs` and `platforms.rs` covers and that is not one of the Loghub
//! systems — Spring Boot and HikariCP, Ruby on Rails, Node.js with Express (morgan) and PM2, Go's
//! net/http and gRPC-Go, a Go service logging through slog, ASP.NET Core and Entity Framework
//! Core, Laravel's queue worker, a mobile app framework's lifecycle and navigation events and a
//! fitness app's sensors (written generically), ClickHouse, InfluxDB, Memcached, NATS, Mosquitto,
//! the GitHub Actions runner, Argo CD, Terraform, logrotate, sudo, polkit, dpkg, dnf, auditd,
//! Cisco IOS, Junos, pfSense's filterlog, Jellyfin, a Minecraft server, Zigbee2MQTT, keepalived,
//! dnsmasq, OpenLDAP's slapd and ClamAV. Each statement is the message part of a line as that
//! software prints it (what is left once an ingest pipeline has split off the timestamp, level and
//! component header), written from what those programs print, before the miner was measured on
//! it, and not adjusted after seeing how the miner does: it is an independent check that the
//! miner generalises to messages it was never shaped on.
//!
//! Each statement is a format string with `{}` for its variables and the kind of value each one
//! takes; a line is the statement rendered with values drawn as real logs draw them: user, player,
//! pool, job, resource, package, interface and host names and state words from Zipf-like
//! distributions (a few common, a long tail), numbers, addresses, ids, durations and dates
//! uniformly. The ground truth is the statement a line came from, and its template is the format
//! string with `<*>` for each `{}`. The hard cases of real logs are there both ways, in the
//! proportion real logs have them: variables that are words (HTTP methods, connectivity, sync,
//! VRRP, dpkg and link states, `success` / `failed`, job results, user and class names) that must
//! not split a statement, and distinct statements that differ by a word or two (HikariCP's
//! `Starting...` / `Start completed.`, `server started` / `server stopped`, Laravel's `DONE` /
//! `FAIL`, `joined` / `left the game`, auditd's `SERVICE_START` / `SERVICE_STOP`, dnf's
//! `Upgraded` / `Installed`, Junos' `LINK_DOWN` / `LINK_UP`, polkit's `Registered` /
//! `Unregistered`, Jellyfin's `WS … request` / `closed`, Memcached's `get` / `connection closed.`)
//! that must not merge. Variables hold key=value pairs, paths, URLs with query strings, UUIDs,
//! hex ids, durations with units, sizes, dates written out, negative numbers, percentages, MAC
//! and IPv6 addresses; a few take values of different token counts (Rails' status text, the Go
//! TLS errors, Entity Framework's parameters, NATS' close reasons, the runner's job names, sudo's
//! commands, Junos commit comments, Jellyfin's task names, ClamAV's paths, a DHCP client's
//! missing host name), as real logs do. The generator is seeded: the corpus is the same on every
//! run.

use super::common::{
    MONTHS, Rng, Statement, WEEKDAYS, assert_one_kind_per_variable, check_statements, fixed, ip,
    ipv6, mac, port, time, uuid,
};

/// The floor of the grouping accuracy on this corpus, a little below the level measured.
/// Measured 2026-12-07, once, with the miner as committed at bc2141a (its last change to
/// `crates/patterns/src` being 5cef373) and before any change made for this corpus: GA 0.6285,
/// PA 0.4277 (279 patterns); the floor was that GA rounded down to two places, less 0.01. Then,
/// the same day, GA 0.6658, PA 0.4558 (277 patterns) with earlier patterns told apart only by
/// tokens that are variables joining the wider template — a rule prompted by this corpus' split
/// of dnsmasq's `query[<*>] <*>.com` from `query[<*>] <*>`, which moved no other corpus and no
/// Loghub figure; this corpus is no longer held out for that rule. Session 16 (2026-12-07):
/// GA 0.6710 with a leading word joining the pattern of a masked value of the same one-character
/// frame, 0.6857 with a quoted run of words one token, and 0.6913, PA 0.4738 (252 patterns) with
/// a key's quoted value one token too — rules prompted by the `clients` corpus, this one measured
/// after them. Session 18: GA 0.7875 once the values of one key (`tsm1_strategy=full` /
/// `level`) make a field from two values, a rule prompted by this corpus' largest loss (it is not
/// held out for it). Floor 0.77.
const MINIMUM_GA: f64 = 0.77;

/// Lines in the corpus.
const LINES: usize = 6000;

const USERS: &[&str] = &[
    "alice", "admin", "root", "jdoe", "deploy", "bob", "mgarcia", "ops", "carol", "svc-ci",
    "kpatel", "ansible", "lucia", "backup", "tnguyen", "dave", "netadmin", "ritam", "guest",
    "olga.s",
];
const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
const SPRING_APPS: &[&str] = &[
    "OrdersApplication",
    "GatewayApplication",
    "InventoryServiceApplication",
    "AuthServerApplication",
    "NotificationApplication",
    "BillingApplication",
    "ConfigServerApplication",
];
const APP_VERSIONS: &[&str] = &["1.4.2", "0.0.1-SNAPSHOT", "2.3.0", "3.1.7-RC1", "1.12.0"];
const JAVA_VERSIONS: &[&str] = &["17.0.9", "21.0.1", "17.0.2", "11.0.21", "21.0.3"];
const JARS: &[&str] = &[
    "app",
    "orders-service-1.4.2",
    "gateway",
    "inventory-service",
    "auth-server-2.3.0",
];
const SERVICE_USERS: &[&str] = &["root", "spring", "app", "appuser", "nobody"];
const HIKARI_POOLS: &[&str] = &[
    "HikariPool-1",
    "HikariPool-2",
    "OrdersDB",
    "ReportingPool",
    "HikariPool-3",
    "analytics-ro",
];
const RAILS_PATHS: &[&str] = &[
    "/",
    "/products?page=2",
    "/users/sign_in",
    "/api/v1/orders/1042",
    "/cart",
    "/products/blue-widget",
    "/search?q=red+shoes&sort=price_asc",
    "/admin",
    "/cable",
    "/orders/1042/invoice.pdf",
    "/users/auth/github/callback?code=9f2c1e&state=a81b7d",
];
const RAILS_CONTROLLERS: &[&str] = &[
    "ProductsController",
    "SessionsController",
    "Api::V1::OrdersController",
    "UsersController",
    "Admin::DashboardController",
    "CartsController",
    "Users::OmniauthCallbacksController",
    "Devise::SessionsController",
];
const RAILS_ACTIONS: &[&str] = &[
    "index", "show", "create", "update", "new", "destroy", "edit", "search",
];
const RAILS_FORMATS: &[&str] = &["HTML", "JSON", "TURBO_STREAM", "*/*", "JS", "XML"];
const RAILS_STATUSES: &[&str] = &[
    "200 OK",
    "422 Unprocessable Entity",
    "404 Not Found",
    "500 Internal Server Error",
    "401 Unauthorized",
    "204 No Content",
    "403 Forbidden",
    "406 Not Acceptable",
];
const REDIRECTS: &[&str] = &[
    "http://localhost:3000/users/sign_in",
    "https://shop.example.com/cart",
    "https://shop.example.com/orders/1042",
    "http://localhost:3000/",
    "https://shop.example.com/products?page=1",
    "https://github.com/login/oauth/authorize?client_id=Iv1.8a61f9b3a7aba766&state=c2f1",
];
const EXPRESS_URLS: &[&str] = &[
    "/api/users",
    "/api/products?category=shoes&page=3",
    "/health",
    "/api/orders/665f1c2e8b3a4d0012ab34cd",
    "/static/js/main.8f3a2c1d.js",
    "/socket.io/?EIO=4&transport=polling&t=OqK8x1a",
    "/login",
    "/favicon.ico",
    "/api/users/me",
];
const EXPRESS_STATUSES: &[&str] = &["200", "304", "404", "201", "500", "401", "302"];
const PM2_APPS: &[&str] = &[
    "api",
    "worker",
    "web",
    "scheduler",
    "next-app",
    "ws-gateway",
];
const PM2_MODES: &[&str] = &["fork", "cluster"];
const SIGNALS: &[&str] = &["SIGINT", "SIGTERM", "SIGKILL", "SIGABRT"];
const TLS_ERRORS: &[&str] = &[
    "EOF",
    "remote error: tls: bad certificate",
    "tls: first record does not look like a TLS handshake",
    "read tcp 10.0.4.7:443->10.0.9.21:50412: read: connection reset by peer",
    "tls: client offered only unsupported versions: [302 301]",
    "remote error: tls: unknown certificate authority",
    "acme/autocert: missing server name",
    "tls: no cipher suite supported by both client and server",
];
const GRPC_STATES: &[&str] = &[
    "READY",
    "CONNECTING",
    "IDLE",
    "TRANSIENT_FAILURE",
    "SHUTDOWN",
];
const LISTEN_ADDRS: &[&str] = &[
    ":8080",
    "0.0.0.0:9090",
    "[::]:8443",
    "127.0.0.1:6060",
    ":3000",
];
const HTTP_VERSIONS: &[&str] = &["1.1", "2"];
const ASPNET_URLS: &[&str] = &[
    "http://localhost:5000/api/orders?page=2&pageSize=20",
    "https://api.example.com/api/customers/42",
    "http://localhost:5000/healthz",
    "https://shop.example.com/cart/checkout",
    "http://orders-svc:8080/api/orders/7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "https://api.example.com/swagger/v1/swagger.json",
    "http://localhost:5000/",
];
const REQUEST_TYPES: &[&str] = &[
    "-",
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data;+boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
];
const RESPONSE_TYPES: &[&str] = &[
    "application/json;+charset=utf-8",
    "-",
    "text/html;+charset=utf-8",
    "application/problem+json;+charset=utf-8",
    "text/plain",
];
const STATUS_CODES: &[&str] = &["200", "204", "404", "400", "500", "401", "302", "201"];
const EF_PARAMETERS: &[&str] = &[
    "@__id_0='?' (DbType = Int32)",
    "",
    "@__p_0='?' (DbType = Int32), @__p_1='?' (DbType = Int32)",
    "@__email_0='?' (Size = 256)",
    "@p0='?' (DbType = DateTime2), @p1='?' (Size = 4000), @p2='?' (DbType = Guid)",
];
const LARAVEL_JOBS: &[&str] = &[
    "App\\Jobs\\SendInvoiceEmail",
    "App\\Jobs\\ProcessPodcast",
    "Illuminate\\Notifications\\SendQueuedNotifications",
    "App\\Jobs\\SyncInventory",
    "App\\Listeners\\SendWelcomeEmail",
    "Illuminate\\Queue\\CallQueuedClosure",
    "App\\Jobs\\GenerateSitemap",
];
const LIFECYCLE_STATES: &[&str] = &["resumed", "inactive", "paused", "hidden", "detached"];
const ROUTES: &[&str] = &[
    "/home",
    "/workout/details",
    "/settings",
    "/profile",
    "/history",
    "/onboarding",
    "/settings/notifications",
];
const LOCATION_PROVIDERS: &[&str] = &["fused", "gps", "network"];
const STEP_GOALS: &[&str] = &["10000", "8000", "6000", "12000", "5000"];
const SIZE_UNITS: &[&str] = &["KiB", "MiB", "B", "GiB"];
const COMPACTION_STRATEGIES: &[&str] = &["level", "full"];
const INFLUX_USERS: &[&str] = &["-", "telegraf", "admin", "grafana"];
const INFLUX_PATHS: &[&str] = &[
    "/write?db=telegraf&precision=ns",
    "/query?db=telegraf&epoch=ms&q=SELECT+mean%28%22usage_idle%22%29+FROM+%22cpu%22",
    "/ping",
    "/write?db=metrics&rp=autogen",
    "/query?q=SHOW+DATABASES",
];
const INFLUX_STATUSES: &[&str] = &["204", "200", "400", "401", "404"];
const INFLUX_AGENTS: &[&str] = &[
    "Telegraf/1.29.4 Go/1.21.6",
    "Grafana/10.2.3",
    "InfluxDBShell/1.8.10",
    "python-requests/2.31.0",
    "-",
];
const CACHE_KEYS: &[&str] = &[
    "user",
    "session",
    "product",
    "cart",
    "rate_limit:api",
    "feed:home",
];
const NATS_CLOSE_REASONS: &[&str] = &[
    "Client Closed",
    "Stale Connection",
    "Slow Consumer (Write Deadline)",
    "Read Error",
    "Authentication Timeout",
    "Server Shutdown",
];
const NATS_CLIENTS: &[&str] = &[
    "v1.31.0:go:orders-svc",
    "v2.19.1:node:web-frontend",
    "v2.6.0:python3:ingest",
    "v1.30.3:go",
    "v1.12.0:rust:telemetry-agent",
];
const WRITE_DEADLINES: &[&str] = &["10s", "2s", "5s"];
const MQTT_PORTS: &[&str] = &["1883", "8883", "9001"];
const MQTT_CLIENTS: &[&str] = &[
    "zigbee2mqtt",
    "homeassistant",
    "sensor-kitchen-01",
    "esp32-a4cf12",
    "mqtt-explorer-3f2a1b",
    "tasmota_8E1C4D",
    "shellyplus1pm-441793a1b2c4",
    "node-red",
];
const MQTT_USERS: &[&str] = &["iot", "homeassistant", "zigbee", "sensors", "admin"];
const RUNNER_JOBS: &[&str] = &[
    "build",
    "test (ubuntu-latest, 20.x)",
    "lint",
    "deploy",
    "test (windows-latest, 18.x)",
    "Analyze (javascript)",
    "publish-docker",
    "e2e / cypress",
];
const RUNNER_RESULTS: &[&str] = &["Succeeded", "Failed", "Canceled"];
const SYNC_STATUSES: &[&str] = &["Synced", "OutOfSync", "Unknown"];
const ARGO_APPS: &[&str] = &[
    "guestbook",
    "payments-api",
    "platform-ingress",
    "monitoring-stack",
    "cert-manager",
    "frontend",
];
const ARGO_NAMESPACES: &[&str] = &[
    "default",
    "payments",
    "monitoring",
    "ingress-nginx",
    "frontend",
];
const TF_RESOURCES: &[&str] = &[
    "aws_instance.web",
    "module.vpc.aws_subnet.private[0]",
    "aws_security_group.allow_tls",
    "aws_s3_bucket.logs",
    "google_compute_instance.vm",
    "azurerm_resource_group.rg",
    "kubernetes_deployment.app",
    "random_id.suffix",
    "module.eks.aws_iam_role.this[0]",
    "aws_route53_record.www[\"api\"]",
];
const LOG_FILES: &[&str] = &[
    "/var/log/syslog",
    "/var/log/nginx/access.log",
    "/var/log/auth.log",
    "/var/log/apt/history.log",
    "/var/log/mysql/error.log",
    "/var/log/ufw.log",
    "/var/log/dpkg.log",
];
const NO_ROTATION_REASONS: &[&str] = &[
    "log is empty",
    "log has been already rotated",
    "log has been rotated at 2024-3-5 6:25, which is less than day ago",
    "log does not exist",
];
const LOG_PATTERNS: &[&str] = &[
    "/var/log/nginx/*.log",
    "/var/log/syslog",
    "/var/log/apt/term.log",
    "/var/log/btmp",
    "/var/log/wtmp",
    "/var/log/unattended-upgrades/*.log",
];
const ROTATION_PERIODS: &[&str] = &["after 1 days", "weekly", "monthly", "1048576 bytes"];
const ROTATION_COUNTS: &[&str] = &["7", "14", "4", "12", "52", "1"];
const TTYS: &[&str] = &["pts/0", "pts/1", "pts/2", "unknown", "pts/3", "tty1"];
const WORKING_DIRS: &[&str] = &[
    "/home/alice",
    "/root",
    "/var/www/html",
    "/etc/nginx",
    "/opt/app",
    "/tmp",
];
const RUN_AS: &[&str] = &["root", "postgres", "www-data"];
const SUDO_COMMANDS: &[&str] = &[
    "/usr/bin/apt update",
    "/usr/bin/systemctl restart nginx",
    "/bin/bash",
    "/usr/bin/tail -f /var/log/syslog",
    "/usr/bin/docker ps -a",
    "/usr/sbin/reboot",
    "/usr/bin/vim /etc/hosts",
];
const AUTH_AGENTS: &[&str] = &[
    "/usr/bin/pkttyagent --notify-fd 5 --fallback",
    "/usr/bin/gnome-shell",
    "/usr/lib/polkit-1/polkit-agent-helper-1",
];
const LOCALES: &[&str] = &["en_US.UTF-8", "C.UTF-8", "de_DE.UTF-8", "en_GB.UTF-8"];
const DPKG_STATES: &[&str] = &[
    "installed",
    "unpacked",
    "half-configured",
    "half-installed",
    "triggers-pending",
    "config-files",
    "not-installed",
];
const DEB_PACKAGES: &[&str] = &[
    "libssl3",
    "openssl",
    "libc6",
    "linux-image-6.8.0-45-generic",
    "tzdata",
    "systemd",
    "curl",
    "python3.12",
    "man-db",
];
const DEB_ARCHES: &[&str] = &["amd64", "all", "arm64"];
const DEB_VERSIONS: &[&str] = &[
    "3.0.13-0ubuntu3.4",
    "2.39-0ubuntu8.3",
    "2024a-3ubuntu1.1",
    "255.4-1ubuntu8.4",
    "8.5.0-2ubuntu10.4",
    "6.8.0-45.45",
    "3.12.3-1ubuntu0.1",
];
const RPM_PACKAGES: &[&str] = &[
    "kernel-core-6.6.8-200.fc39.x86_64",
    "openssl-libs-1:3.1.1-4.fc39.x86_64",
    "nginx-1:1.24.0-1.fc39.x86_64",
    "python3-3.12.1-2.fc39.x86_64",
    "glibc-2.38-16.fc39.x86_64",
    "podman-5:4.9.3-1.fc39.x86_64",
    "vim-enhanced-2:9.1.016-1.fc39.x86_64",
];
const SYSTEMD_UNITS: &[&str] = &[
    "nginx",
    "sshd",
    "NetworkManager-dispatcher",
    "systemd-tmpfiles-clean",
    "dnf-makecache",
    "user@1000",
    "fwupd",
    "packagekit",
    "sysstat-collect",
];
const AUDIT_RESULTS: &[&str] = &["success", "failed"];
const AUIDS: &[&str] = &["1000", "4294967295", "1001", "1002"];
const GRANTORS: &[&str] = &["pam_unix", "?", "pam_usertype,pam_localuser,pam_unix"];
const AUTH_EXES: &[&str] = &[
    "/usr/bin/sudo",
    "/usr/sbin/sshd",
    "/usr/bin/su",
    "/usr/bin/login",
];
const TERMINALS: &[&str] = &["/dev/pts/0", "ssh", "/dev/pts/1", "?", "tty1"];
const CISCO_INTERFACES: &[&str] = &[
    "GigabitEthernet0/1",
    "GigabitEthernet1/0/24",
    "FastEthernet0/3",
    "TenGigabitEthernet1/1/1",
    "Vlan10",
    "Port-channel1",
    "Tunnel0",
    "Serial0/0/0",
];
const LINK_STATES: &[&str] = &["down", "up"];
const ACL_NAMES: &[&str] = &["101", "OUTSIDE-IN", "110", "MGMT-ACCESS", "199"];
const ACL_ACTIONS: &[&str] = &["denied", "permitted"];
const PROTOCOLS: &[&str] = &["tcp", "udp"];
const SERVICE_PORTS: &[&str] = &["22", "443", "23", "3389", "80", "445", "161", "8080"];
const JUNOS_INTERFACES: &[&str] = &[
    "ge-0/0/1",
    "xe-0/1/0",
    "ge-0/0/12",
    "et-0/0/48",
    "ge-1/0/3",
    "xe-0/0/2:1",
];
const ADMIN_STATUSES: &[&str] = &["up(1)", "down(2)"];
const COMMIT_OPERATIONS: &[&str] = &["commit", "commit synchronize", "commit confirmed"];
const COMMIT_COMMENTS: &[&str] = &[
    "none",
    "change vlan 20",
    "NET-1432 add BGP peer to transit-2",
    "rollback",
    "disable unused ports",
];
const PF_INTERFACES: &[&str] = &["igb0", "igb1", "em0", "vtnet0", "igb0.10", "ix0"];
const PF_ACTIONS: &[&str] = &["block", "pass"];
const DIRECTIONS: &[&str] = &["in", "out"];
const IP_FLAGS: &[&str] = &["DF", "none"];
const TCP_FLAGS: &[&str] = &["S", "SA", "A", "PA", "FA", "R", "RA"];
const TCP_OPTIONS: &[&str] = &[
    "mss;sackOK;TS;nop;wscale",
    "",
    "mss",
    "mss;nop;wscale;sackOK;TS",
];
const MEDIA_TASKS: &[&str] = &[
    "Scan Media Library",
    "Clean Transcode Directory",
    "Refresh People",
    "Extract Chapter Images",
    "Clean up collections and playlists",
    "Download missing subtitles",
    "Optimize database",
];
const PLAYERS: &[&str] = &[
    "Steve",
    "xX_Creeper_Xx",
    "Notch_Fan99",
    "alice",
    "BuilderBob",
    "redstone_guru",
    "Herobrine42",
    "diamond_digger",
    "Kat_the_Miner",
];
const ZIGBEE_DEVICES: &[&str] = &[
    "living_room_sensor",
    "0x00158d0004a1b2c3",
    "kitchen/motion",
    "hallway_door",
    "office_plug",
    "bedroom_temp",
    "garden/soil_moisture",
];
const VRRP_INSTANCES: &[&str] = &["VI_1", "VI_2", "VI_WEB", "VRRP_INTERNAL"];
const VRRP_STATES: &[&str] = &["MASTER", "BACKUP", "FAULT"];
const QUERY_TYPES: &[&str] = &["A", "AAAA", "HTTPS", "PTR", "SRV", "TXT"];
const QUERY_NAMES: &[&str] = &[
    "www.google.com",
    "api.github.com",
    "connectivity-check.ubuntu.com",
    "time.android.com",
    "example.com",
    "50.1.168.192.in-addr.arpa",
    "_ldap._tcp.dc._msdcs.corp.example.com",
    "graph.facebook.com",
    "ocsp.digicert.com",
];
const DHCP_INTERFACES: &[&str] = &["br0", "eth1", "lan", "wlan0", "br-guest"];
const DHCP_HOSTNAMES: &[&str] = &[
    "android-3f2a1c9b8e7d",
    "iPhone",
    "",
    "LAPTOP-ALICE",
    "esp32-a4cf12",
    "raspberrypi",
    "",
    "Galaxy-S23",
];
const LDAP_DNS: &[&str] = &[
    "cn=admin,dc=example,dc=com",
    "uid=alice,ou=people,dc=example,dc=com",
    "cn=readonly,dc=example,dc=com",
    "",
    "uid=svc-gitlab,ou=services,dc=example,dc=com",
    "uid=bob,ou=people,dc=example,dc=com",
];
const LDAP_BASES: &[&str] = &[
    "dc=example,dc=com",
    "ou=people,dc=example,dc=com",
    "ou=groups,dc=example,dc=com",
    "",
    "cn=Subschema",
];
const LDAP_FILTERS: &[&str] = &[
    "(uid=alice)",
    "(&(objectClass=posixAccount)(uid=bob))",
    "(objectClass=*)",
    "(|(mail=carol@example.com)(uid=carol))",
    "(&(objectClass=groupOfNames)(member=uid=alice,ou=people,dc=example,dc=com))",
    "(memberUid=jdoe)",
];
const LDAP_PORTS: &[&str] = &["389", "636"];
const SCAN_PATHS: &[&str] = &[
    "/home/alice/Downloads/eicar.com",
    "/var/www/html/uploads/shell.php",
    "/tmp/invoice 2024-03.zip",
    "/srv/mail/bob/new/1709631234.M123P456.mail:2,S",
    "/home/bob/Documents/Scan 12 March.pdf",
    "/var/lib/nextcloud/data/carol/files/setup.exe",
];
const SIGNATURES: &[&str] = &[
    "Win.Test.EICAR_HDB-1",
    "Php.Webshell.Generic-6789012-0",
    "Doc.Dropper.Agent-6419999-0",
    "Html.Phishing.Bank-1234",
    "PUA.Win.Packer.Upx-1",
];

/// The kind of value a `{}` of a statement takes.
#[derive(Clone, Copy)]
enum V {
    /// A number in the range.
    Num(u64, u64),
    /// A word of the list, Zipf-distributed over its order.
    Zipf(&'static [&'static str]),
    /// An IPv4 address.
    Ip,
    /// An IPv4 address or, less often, an IPv6 one.
    IpAny,
    /// A peer as Go prints one: `address:port`, IPv6 addresses in brackets.
    Peer,
    /// An ephemeral port.
    Port,
    /// This many lowercase hex digits.
    Hex(usize),
    /// This many letters and digits.
    Alnum(usize),
    /// A UUID.
    Uuid,
    /// A decimal with an integer part in the range and this many places (`12.345`).
    Fixed(u64, u64, usize),
    /// A signed decimal below the bound with this many places (`-122.084051`).
    Signed(u64, usize),
    /// A coordinate as Java prints a double (`-132.49817380521495`, `64.0`); signed or not.
    Coordinate(bool),
    /// A date and time with a space (`2024-03-05 10:11:12`).
    SpacedStamp,
    /// A date in the common log format (`05/Mar/2024:10:11:12 +0000`).
    ClfStamp,
    /// A date as `ctime` writes it (`Tue Mar  5 10:11:12 2024`).
    Ctime,
    /// A run of dots padding a column (`.........`).
    Dots,
    /// A duration as Laravel's worker writes it (`15.98ms`, `1,234.56ms`).
    LaravelMs,
    /// A duration as Terraform writes it (`32s`, `1m4s`).
    TfDuration,
    /// Elapsed time as Terraform reports it while waiting (`10s`, `1m20s`).
    TfElapsed,
    /// A cloud resource id (`i-0a1b2c3d4e5f67890`, `rg-prod-westeurope`).
    TfId,
    /// A content length, or `-` when there is none.
    Length,
    /// A MAC address.
    Mac,
    /// An audit record's time stamp and serial (`1709633472.123:4567`).
    AuditStamp,
    /// An address, or `?` when there is none.
    AddressOrUnknown,
    /// A cache key (`session:8812`).
    CacheKey,
    /// A Zigbee device's state as Zigbee2MQTT publishes it (one JSON object, no spaces).
    ZigbeePayload,
    /// A packet count as Cisco IOS writes it (`1 packet`, `12 packets`).
    Packets,
    /// A DNS answer as dnsmasq writes it (an address, `<CNAME>`, `NXDOMAIN`, `NODATA`).
    DnsAnswer,
}

/// A value of `kind`.
fn value(kind: V, rng: &mut Rng) -> String {
    match kind {
        V::Num(low, high) => rng.range(low, high).to_string(),
        V::Zipf(items) => rng.zipf(items).to_string(),
        V::Ip => ip(rng),
        V::IpAny => match rng.range(0, 3) {
            0 => ipv6(rng),
            _ => ip(rng),
        },
        V::Peer => match rng.range(0, 3) {
            0 => format!("[{}]:{}", ipv6(rng), port(rng)),
            _ => format!("{}:{}", ip(rng), port(rng)),
        },
        V::Port => port(rng).to_string(),
        V::Hex(digits) => rng.hex(digits),
        V::Alnum(length) => rng.alphanumeric(length),
        V::Uuid => uuid(rng),
        V::Fixed(low, high, places) => fixed(rng, low, high, places),
        V::Signed(bound, places) => format!(
            "{}{}.{:0places$}",
            rng.pick(&["", "-"]),
            rng.range(0, bound - 1),
            rng.range(0, 10u64.pow(places as u32) - 1)
        ),
        V::Coordinate(signed) => {
            let sign = if signed { rng.pick(&["", "-"]) } else { "" };
            let whole = if signed {
                rng.range(0, 3000)
            } else {
                rng.range(55, 120)
            };
            let fraction = match rng.range(0, 3) {
                0 => rng.pick(&["0", "5"]).to_string(),
                _ => {
                    let digits = rng.range(12, 15) as usize;
                    let fraction = rng.range(1, 10u64.pow(digits as u32) - 1);
                    format!("{fraction:0digits$}")
                        .trim_end_matches('0')
                        .to_string()
                }
            };
            format!("{sign}{whole}.{fraction}")
        }
        V::SpacedStamp => format!(
            "{}-{:02}-{:02} {}",
            rng.range(2022, 2026),
            rng.range(1, 12),
            rng.range(1, 28),
            time(rng)
        ),
        V::ClfStamp => format!(
            "{:02}/{}/{}:{} +0000",
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.range(2022, 2026),
            time(rng)
        ),
        V::Ctime => format!(
            "{} {} {:>2} {} {}",
            rng.pick(WEEKDAYS),
            rng.pick(MONTHS),
            rng.range(1, 28),
            time(rng),
            rng.range(2022, 2026)
        ),
        V::Dots => ".".repeat(rng.range(3, 70) as usize),
        V::LaravelMs => {
            let whole = rng.range(0, 4000);
            let cents = rng.range(0, 99);
            match whole {
                0..=999 => format!("{whole}.{cents:02}ms"),
                _ => format!("{},{:03}.{cents:02}ms", whole / 1000, whole % 1000),
            }
        }
        V::TfDuration => match rng.range(0, 400) {
            seconds @ 0..=59 => format!("{seconds}s"),
            seconds => format!("{}m{}s", seconds / 60, seconds % 60),
        },
        V::TfElapsed => match rng.range(1, 40) * 10 {
            seconds @ 0..=59 => format!("{seconds}s"),
            seconds => format!("{}m{}s", seconds / 60, seconds % 60),
        },
        V::TfId => match rng.range(0, 5) {
            0 => format!("i-0{}", rng.hex(16)),
            1 => format!("sg-0{}", rng.hex(16)),
            2 => format!("subnet-0{}", rng.hex(16)),
            3 => rng
                .zipf(&[
                    "rg-prod-westeurope",
                    "logs-archive-7f3a",
                    "default/app",
                    "projects/acme-prod/zones/europe-west1-b/instances/vm-1",
                ])
                .to_string(),
            _ => rng.range(1_000_000_000, 9_999_999_999).to_string(),
        },
        V::Length => match rng.range(0, 2) {
            0 => "-".to_string(),
            _ => rng.range(0, 90_000).to_string(),
        },
        V::Mac => mac(rng),
        V::AuditStamp => format!(
            "{}.{:03}:{}",
            rng.range(1_700_000_000, 1_760_000_000),
            rng.range(0, 999),
            rng.range(100, 999_999)
        ),
        V::AddressOrUnknown => match rng.range(0, 2) {
            0 => "?".to_string(),
            _ => ip(rng),
        },
        V::CacheKey => format!("{}:{}", rng.zipf(CACHE_KEYS), rng.range(1, 99_999)),
        V::ZigbeePayload => {
            let quality = rng.range(0, 255);
            match rng.range(0, 3) {
                0 => format!(
                    "{{\"battery\":{},\"humidity\":{}.{},\"linkquality\":{quality},\"temperature\":{}.{},\"voltage\":{}}}",
                    rng.range(1, 100),
                    rng.range(20, 90),
                    rng.range(0, 9),
                    rng.range(12, 30),
                    rng.range(0, 9),
                    rng.range(2700, 3100)
                ),
                1 => format!(
                    "{{\"battery\":{},\"illuminance\":{},\"linkquality\":{quality},\"occupancy\":{}}}",
                    rng.range(1, 100),
                    rng.range(0, 900),
                    rng.pick(&["true", "false"])
                ),
                2 => format!(
                    "{{\"current\":{}.{:02},\"energy\":{}.{:02},\"linkquality\":{quality},\"power\":{},\"state\":\"{}\",\"voltage\":{}}}",
                    rng.range(0, 9),
                    rng.range(0, 99),
                    rng.range(0, 900),
                    rng.range(0, 99),
                    rng.range(0, 2500),
                    rng.pick(&["ON", "OFF"]),
                    rng.range(220, 240)
                ),
                _ => format!(
                    "{{\"battery\":{},\"contact\":{},\"linkquality\":{quality}}}",
                    rng.range(1, 100),
                    rng.pick(&["true", "false"])
                ),
            }
        }
        V::Packets => match rng.range(0, 1) {
            0 => "1 packet".to_string(),
            _ => format!("{} packets", rng.range(2, 60)),
        },
        V::DnsAnswer => match rng.range(0, 9) {
            0..=4 => ip(rng),
            5 => ipv6(rng),
            6 => "<CNAME>".to_string(),
            7 => "NXDOMAIN".to_string(),
            _ => "NODATA".to_string(),
        },
    }
}

use V::*;

/// The statements: a format string with `{}` for each variable, and the variables' kinds.
const STATEMENTS: &[Statement<V>] = &[
    // Spring Boot.
    (
        "Starting {} v{} using Java {} with PID {} (/app/{}.jar started by {} in /app)",
        &[
            Zipf(SPRING_APPS),
            Zipf(APP_VERSIONS),
            Zipf(JAVA_VERSIONS),
            Num(1, 99999),
            Zipf(JARS),
            Zipf(SERVICE_USERS),
        ],
    ),
    (
        "Started {} in {} seconds (process running for {})",
        &[Zipf(SPRING_APPS), Fixed(1, 40, 3), Fixed(1, 45, 3)],
    ),
    // HikariCP.
    ("{} - Starting...", &[Zipf(HIKARI_POOLS)]),
    ("{} - Start completed.", &[Zipf(HIKARI_POOLS)]),
    ("{} - Shutdown initiated...", &[Zipf(HIKARI_POOLS)]),
    ("{} - Shutdown completed.", &[Zipf(HIKARI_POOLS)]),
    // Ruby on Rails.
    (
        "Started {} \"{}\" for {} at {} +0000",
        &[Zipf(HTTP_METHODS), Zipf(RAILS_PATHS), Ip, SpacedStamp],
    ),
    (
        "Processing by {}#{} as {}",
        &[
            Zipf(RAILS_CONTROLLERS),
            Zipf(RAILS_ACTIONS),
            Zipf(RAILS_FORMATS),
        ],
    ),
    (
        "Completed {} in {}ms (Views: {}ms | ActiveRecord: {}ms | Allocations: {})",
        &[
            Zipf(RAILS_STATUSES),
            Num(1, 4000),
            Fixed(0, 900, 1),
            Fixed(0, 400, 1),
            Num(100, 900_000),
        ],
    ),
    ("Redirected to {}", &[Zipf(REDIRECTS)]),
    // Node.js: Express (morgan's dev format) and PM2.
    (
        "{} {} {} {} ms - {}",
        &[
            Zipf(HTTP_METHODS),
            Zipf(EXPRESS_URLS),
            Zipf(EXPRESS_STATUSES),
            Fixed(0, 900, 3),
            Length,
        ],
    ),
    (
        "App [{}:{}] starting in -{} mode-",
        &[Zipf(PM2_APPS), Num(0, 7), Zipf(PM2_MODES)],
    ),
    ("App [{}:{}] online", &[Zipf(PM2_APPS), Num(0, 7)]),
    (
        "App [{}:{}] exited with code [{}] via signal [{}]",
        &[Zipf(PM2_APPS), Num(0, 7), Num(0, 2), Zipf(SIGNALS)],
    ),
    // Go: net/http, gRPC-Go and a service logging through slog.
    (
        "http: TLS handshake error from {}: {}",
        &[Peer, Zipf(TLS_ERRORS)],
    ),
    (
        "[core] [Channel #{} SubChannel #{}] Subchannel Connectivity change to {}",
        &[Num(1, 40), Num(2, 80), Zipf(GRPC_STATES)],
    ),
    (
        "[core] [Channel #{}] Channel Connectivity change to {}",
        &[Num(1, 40), Zipf(GRPC_STATES)],
    ),
    ("msg=\"server started\" addr={}", &[Zipf(LISTEN_ADDRS)]),
    ("msg=\"server stopped\" addr={}", &[Zipf(LISTEN_ADDRS)]),
    // ASP.NET Core and Entity Framework Core.
    (
        "Request starting HTTP/{} {} {} {} {}",
        &[
            Zipf(HTTP_VERSIONS),
            Zipf(HTTP_METHODS),
            Zipf(ASPNET_URLS),
            Zipf(REQUEST_TYPES),
            Length,
        ],
    ),
    (
        "Request finished HTTP/{} {} {} {} {} - {} {} {} {}ms",
        &[
            Zipf(HTTP_VERSIONS),
            Zipf(HTTP_METHODS),
            Zipf(ASPNET_URLS),
            Zipf(REQUEST_TYPES),
            Length,
            Zipf(STATUS_CODES),
            Length,
            Zipf(RESPONSE_TYPES),
            Fixed(0, 2000, 4),
        ],
    ),
    (
        "Executed DbCommand ({}ms) [Parameters=[{}], CommandType='Text', CommandTimeout='30']",
        &[Num(0, 900), Zipf(EF_PARAMETERS)],
    ),
    // Laravel's queue worker (after its timestamp column).
    ("{} {} RUNNING", &[Zipf(LARAVEL_JOBS), Dots]),
    ("{} {} {} DONE", &[Zipf(LARAVEL_JOBS), Dots, LaravelMs]),
    ("{} {} {} FAIL", &[Zipf(LARAVEL_JOBS), Dots, LaravelMs]),
    // A mobile app: the framework's lifecycle and navigation, a fitness feature's sensors.
    (
        "App lifecycle changed: {} -> {}",
        &[Zipf(LIFECYCLE_STATES), Zipf(LIFECYCLE_STATES)],
    ),
    (
        "Route pushed: {} (previous: {})",
        &[Zipf(ROUTES), Zipf(ROUTES)],
    ),
    (
        "Route popped: {} (previous: {})",
        &[Zipf(ROUTES), Zipf(ROUTES)],
    ),
    (
        "StepCounter: sensor total={} baseline={} steps today={}",
        &[Num(1000, 900_000), Num(1000, 900_000), Num(0, 30000)],
    ),
    (
        "Location fix: lat={} lon={} accuracy={}m provider={}",
        &[
            Signed(90, 6),
            Signed(180, 6),
            Fixed(1, 80, 1),
            Zipf(LOCATION_PROVIDERS),
        ],
    ),
    (
        "Daily goal {}% reached: {} of {} steps",
        &[Num(10, 150), Num(0, 30000), Zipf(STEP_GOALS)],
    ),
    // ClickHouse.
    (
        "Read {} rows, {} {} in {} sec., {} rows/sec., {} {}/sec.",
        &[
            Num(1, 90_000_000),
            Fixed(1, 999, 2),
            Zipf(SIZE_UNITS),
            Fixed(0, 9, 6),
            Num(1, 900_000_000),
            Fixed(1, 999, 2),
            Zipf(SIZE_UNITS),
        ],
    ),
    (
        "Peak memory usage (for query): {} {}.",
        &[Fixed(1, 999, 2), Zipf(SIZE_UNITS)],
    ),
    (
        "Selected {}/{} parts by partition key, {} parts by primary key, {}/{} marks by primary key, {} marks to read from {} ranges",
        &[
            Num(1, 60),
            Num(1, 60),
            Num(1, 60),
            Num(1, 9000),
            Num(1, 9000),
            Num(1, 9000),
            Num(1, 200),
        ],
    ),
    // InfluxDB.
    (
        "msg=\"TSM compaction (end)\" log_id={} engine=tsm1 tsm1_strategy={} tsm1_level={} trace_id={} op_name=tsm1_compact_group op_event=end op_elapsed={}ms",
        &[
            Alnum(11),
            Zipf(COMPACTION_STRATEGIES),
            Num(1, 4),
            Alnum(11),
            Fixed(1, 90000, 3),
        ],
    ),
    (
        "[httpd] {} - {} [{}] \"{} {} HTTP/1.1\" {} {} \"-\" \"{}\" {} {}",
        &[
            Ip,
            Zipf(INFLUX_USERS),
            ClfStamp,
            Zipf(&["POST", "GET"]),
            Zipf(INFLUX_PATHS),
            Zipf(INFLUX_STATUSES),
            Num(0, 90000),
            Zipf(INFLUX_AGENTS),
            Uuid,
            Num(100, 9_000_000),
        ],
    ),
    // Memcached (-vv).
    (
        "<{} new auto-negotiating client connection",
        &[Num(20, 300)],
    ),
    ("<{} get {}", &[Num(20, 300), CacheKey]),
    ("<{} connection closed.", &[Num(20, 300)]),
    // NATS.
    (
        "{} - cid:{} - Client connection created",
        &[Peer, Num(1, 90000)],
    ),
    (
        "{} - cid:{} - Client connection closed: {}",
        &[Peer, Num(1, 90000), Zipf(NATS_CLOSE_REASONS)],
    ),
    (
        "{} - cid:{} - \"{}\" - Slow Consumer Detected: WriteDeadline of {} exceeded with {} chunks of {} total bytes.",
        &[
            Peer,
            Num(1, 90000),
            Zipf(NATS_CLIENTS),
            Zipf(WRITE_DEADLINES),
            Num(1, 400),
            Num(1000, 90_000_000),
        ],
    ),
    // Mosquitto.
    (
        "New connection from {}:{} on port {}.",
        &[Ip, Port, Zipf(MQTT_PORTS)],
    ),
    (
        "New client connected from {}:{} as {} (p{}, c{}, k{}, u'{}').",
        &[
            Ip,
            Port,
            Zipf(MQTT_CLIENTS),
            Zipf(&["2", "5"]),
            Zipf(&["1", "0"]),
            Zipf(&["60", "30", "15", "120"]),
            Zipf(MQTT_USERS),
        ],
    ),
    ("Client {} disconnected.", &[Zipf(MQTT_CLIENTS)]),
    ("Client {} closed its connection.", &[Zipf(MQTT_CLIENTS)]),
    // GitHub Actions runner.
    ("Running job: {}", &[Zipf(RUNNER_JOBS)]),
    (
        "Job {} completed with result: {}",
        &[Zipf(RUNNER_JOBS), Zipf(RUNNER_RESULTS)],
    ),
    // Argo CD.
    (
        "msg=\"Updated sync status: {} -> {}\" application=argocd/{} dest-namespace={} dest-server=https://kubernetes.default.svc fields.level=1 reason=ResourceUpdated type=Normal",
        &[
            Zipf(SYNC_STATUSES),
            Zipf(SYNC_STATUSES),
            Zipf(ARGO_APPS),
            Zipf(ARGO_NAMESPACES),
        ],
    ),
    (
        "msg=\"Initiated automated sync to '{}'\" application=argocd/{} dest-namespace={} dest-server=https://kubernetes.default.svc reason=OperationStarted type=Normal",
        &[Hex(40), Zipf(ARGO_APPS), Zipf(ARGO_NAMESPACES)],
    ),
    // Terraform.
    ("{}: Creating...", &[Zipf(TF_RESOURCES)]),
    (
        "{}: Still creating... [{} elapsed]",
        &[Zipf(TF_RESOURCES), TfElapsed],
    ),
    (
        "{}: Creation complete after {} [id={}]",
        &[Zipf(TF_RESOURCES), TfDuration, TfId],
    ),
    ("{}: Destroying... [id={}]", &[Zipf(TF_RESOURCES), TfId]),
    (
        "{}: Destruction complete after {}",
        &[Zipf(TF_RESOURCES), TfDuration],
    ),
    (
        "Apply complete! Resources: {} added, {} changed, {} destroyed.",
        &[Num(0, 40), Num(0, 20), Num(0, 20)],
    ),
    // logrotate.
    (
        "rotating pattern: {}  {} ({} rotations)",
        &[
            Zipf(LOG_PATTERNS),
            Zipf(ROTATION_PERIODS),
            Zipf(ROTATION_COUNTS),
        ],
    ),
    ("considering log {}", &[Zipf(LOG_FILES)]),
    (
        "log does not need rotating ({})",
        &[Zipf(NO_ROTATION_REASONS)],
    ),
    // sudo.
    (
        "{} : TTY={} ; PWD={} ; USER={} ; COMMAND={}",
        &[
            Zipf(USERS),
            Zipf(TTYS),
            Zipf(WORKING_DIRS),
            Zipf(RUN_AS),
            Zipf(SUDO_COMMANDS),
        ],
    ),
    (
        "{} : {} incorrect password attempts ; TTY={} ; PWD={} ; USER=root ; COMMAND={}",
        &[
            Zipf(USERS),
            Num(1, 3),
            Zipf(TTYS),
            Zipf(WORKING_DIRS),
            Zipf(SUDO_COMMANDS),
        ],
    ),
    // polkit.
    (
        "Registered Authentication Agent for unix-process:{}:{} (system bus name :1.{} [{}], object path /org/freedesktop/PolicyKit1/AuthenticationAgent, locale {})",
        &[
            Num(300, 99999),
            Num(1000, 9_999_999),
            Num(10, 9999),
            Zipf(AUTH_AGENTS),
            Zipf(LOCALES),
        ],
    ),
    (
        "Unregistered Authentication Agent for unix-process:{}:{} (system bus name :1.{}, object path /org/freedesktop/PolicyKit1/AuthenticationAgent, locale {}) (disconnected from bus)",
        &[
            Num(300, 99999),
            Num(1000, 9_999_999),
            Num(10, 9999),
            Zipf(LOCALES),
        ],
    ),
    // dpkg.
    (
        "status {} {}:{} {}",
        &[
            Zipf(DPKG_STATES),
            Zipf(DEB_PACKAGES),
            Zipf(DEB_ARCHES),
            Zipf(DEB_VERSIONS),
        ],
    ),
    (
        "upgrade {}:{} {} {}",
        &[
            Zipf(DEB_PACKAGES),
            Zipf(DEB_ARCHES),
            Zipf(DEB_VERSIONS),
            Zipf(DEB_VERSIONS),
        ],
    ),
    // dnf.
    ("Upgraded: {}", &[Zipf(RPM_PACKAGES)]),
    ("Installed: {}", &[Zipf(RPM_PACKAGES)]),
    // auditd.
    (
        "type=SERVICE_START msg=audit({}): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg='unit={} comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res={}'",
        &[AuditStamp, Zipf(SYSTEMD_UNITS), Zipf(AUDIT_RESULTS)],
    ),
    (
        "type=SERVICE_STOP msg=audit({}): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg='unit={} comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res={}'",
        &[AuditStamp, Zipf(SYSTEMD_UNITS), Zipf(AUDIT_RESULTS)],
    ),
    (
        "type=USER_AUTH msg=audit({}): pid={} uid=0 auid={} ses={} subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors={} acct=\"{}\" exe=\"{}\" hostname={} addr={} terminal={} res={}'",
        &[
            AuditStamp,
            Num(300, 99999),
            Zipf(AUIDS),
            Num(1, 900),
            Zipf(GRANTORS),
            Zipf(USERS),
            Zipf(AUTH_EXES),
            AddressOrUnknown,
            AddressOrUnknown,
            Zipf(TERMINALS),
            Zipf(AUDIT_RESULTS),
        ],
    ),
    // Cisco IOS.
    (
        "%LINK-3-UPDOWN: Interface {}, changed state to {}",
        &[Zipf(CISCO_INTERFACES), Zipf(LINK_STATES)],
    ),
    (
        "%LINEPROTO-5-UPDOWN: Line protocol on Interface {}, changed state to {}",
        &[Zipf(CISCO_INTERFACES), Zipf(LINK_STATES)],
    ),
    (
        "%SYS-5-CONFIG_I: Configured from console by {} on vty{} ({})",
        &[Zipf(USERS), Num(0, 4), Ip],
    ),
    (
        "%SEC-6-IPACCESSLOGP: list {} {} {} {}({}) -> {}({}), {}",
        &[
            Zipf(ACL_NAMES),
            Zipf(ACL_ACTIONS),
            Zipf(PROTOCOLS),
            Ip,
            Port,
            Ip,
            Zipf(SERVICE_PORTS),
            Packets,
        ],
    ),
    // Junos.
    (
        "SNMP_TRAP_LINK_DOWN: ifIndex {}, ifAdminStatus {}, ifOperStatus down(2), ifName {}",
        &[Num(500, 900), Zipf(ADMIN_STATUSES), Zipf(JUNOS_INTERFACES)],
    ),
    (
        "SNMP_TRAP_LINK_UP: ifIndex {}, ifAdminStatus up(1), ifOperStatus up(1), ifName {}",
        &[Num(500, 900), Zipf(JUNOS_INTERFACES)],
    ),
    (
        "UI_COMMIT: User '{}' requested '{}' operation (comment: {})",
        &[Zipf(USERS), Zipf(COMMIT_OPERATIONS), Zipf(COMMIT_COMMENTS)],
    ),
    // pfSense's filterlog (an IPv4 TCP entry).
    (
        "{},,,{},{},match,{},{},4,0x0,,{},{},0,{},6,tcp,{},{},{},{},{},{},{},{},,{},,{}",
        &[
            Num(1, 120),
            Num(1_000_000_000, 1_770_009_999),
            Zipf(PF_INTERFACES),
            Zipf(PF_ACTIONS),
            Zipf(DIRECTIONS),
            Num(30, 128),
            Num(0, 65535),
            Zipf(IP_FLAGS),
            Num(40, 1500),
            Ip,
            Ip,
            Port,
            Zipf(SERVICE_PORTS),
            Num(0, 1460),
            Zipf(TCP_FLAGS),
            Num(0, 4_294_967_295),
            Num(0, 65535),
            Zipf(TCP_OPTIONS),
        ],
    ),
    // Jellyfin.
    (
        "Authentication request for \"{}\" has succeeded.",
        &[Zipf(USERS)],
    ),
    (
        "Authentication request for \"{}\" has been denied (IP: \"{}\").",
        &[Zipf(USERS), IpAny],
    ),
    ("WS \"{}\" request", &[IpAny]),
    ("WS \"{}\" closed", &[IpAny]),
    (
        "\"{}\" Completed after {} minute(s) and {} seconds",
        &[Zipf(MEDIA_TASKS), Num(0, 90), Num(0, 59)],
    ),
    // A Minecraft server.
    ("{} joined the game", &[Zipf(PLAYERS)]),
    ("{} left the game", &[Zipf(PLAYERS)]),
    (
        "{}[/{}:{}] logged in with entity id {} at ({}, {}, {})",
        &[
            Zipf(PLAYERS),
            Ip,
            Port,
            Num(1, 900_000),
            Coordinate(true),
            Coordinate(false),
            Coordinate(true),
        ],
    ),
    (
        "Can't keep up! Is the server overloaded? Running {}ms or {} ticks behind",
        &[Num(2000, 60000), Num(40, 1200)],
    ),
    (
        "{} lost connection: {}",
        &[
            Zipf(PLAYERS),
            Zipf(&[
                "Disconnected",
                "Timed out",
                "Internal Exception: java.io.IOException: Connection reset by peer",
                "Kicked by an operator",
            ]),
        ],
    ),
    // Zigbee2MQTT.
    (
        "MQTT publish: topic 'zigbee2mqtt/{}', payload '{}'",
        &[Zipf(ZIGBEE_DEVICES), ZigbeePayload],
    ),
    // keepalived.
    (
        "({}) Entering {} STATE",
        &[Zipf(VRRP_INSTANCES), Zipf(VRRP_STATES)],
    ),
    // dnsmasq.
    (
        "query[{}] {} from {}",
        &[Zipf(QUERY_TYPES), Zipf(QUERY_NAMES), IpAny],
    ),
    ("forwarded {} to {}", &[Zipf(QUERY_NAMES), IpAny]),
    ("reply {} is {}", &[Zipf(QUERY_NAMES), DnsAnswer]),
    (
        "DHCPACK({}) {} {} {}",
        &[Zipf(DHCP_INTERFACES), Ip, Mac, Zipf(DHCP_HOSTNAMES)],
    ),
    // OpenLDAP's slapd.
    (
        "conn={} fd={} ACCEPT from IP={}:{} (IP=0.0.0.0:{})",
        &[Num(1000, 99999), Num(12, 200), Ip, Port, Zipf(LDAP_PORTS)],
    ),
    (
        "conn={} op={} BIND dn=\"{}\" method=128",
        &[Num(1000, 99999), Num(0, 12), Zipf(LDAP_DNS)],
    ),
    (
        "conn={} op={} SRCH base=\"{}\" scope={} deref=0 filter=\"{}\"",
        &[
            Num(1000, 99999),
            Num(0, 12),
            Zipf(LDAP_BASES),
            Zipf(&["2", "0", "1"]),
            Zipf(LDAP_FILTERS),
        ],
    ),
    ("conn={} fd={} closed", &[Num(1000, 99999), Num(12, 200)]),
    // ClamAV.
    ("{}: {} FOUND", &[Zipf(SCAN_PATHS), Zipf(SIGNATURES)]),
    ("ClamAV update process started at {}", &[Ctime]),
];

/// The seed the corpus is generated from.
const SEED: u64 = 0x4a99_5c0e_2026_1207;

#[test]
fn statements_have_one_kind_per_variable() {
    assert_one_kind_per_variable(STATEMENTS);
}

#[test]
fn app_corpus_accuracy_with_default_settings() {
    check_statements("app corpus", STATEMENTS, SEED, LINES, value, MINIMUM_GA);
}
