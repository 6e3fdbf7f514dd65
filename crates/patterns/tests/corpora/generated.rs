//! Held-out cases of our own (issue 15, item 4): log statements in the style of well-known
//! open-source servers (sshd, nginx and Apache, PostgreSQL, the kernel and systemd, cron, Kafka
//! and ZooKeeper) rendered with varied, realistic values, each line labelled with the template it
//! came from. The eight Loghub systems are the only labelled logs here and the miner was tuned on
//! them; these statements were written without looking at the miner's misses, to check that
//! word-like variables (names, weekday and month names, dates written out) generalise. The
//! generator is seeded, so the corpus is the same on every run; nothing is read from outside the
//! repository.

use super::common::{LONG_MONTHS, LONG_WEEKDAYS, MONTHS, Rng, WEEKDAYS, ip, mine, port, time};

/// The floor of the grouping accuracy on the generated corpus; a little below the level
/// measured (see docs/benchmarks.md). Measured 2026-12-06: 0.7310 before any change for it,
/// 0.8340 once dates in words became variables, 0.9203 after issue 15's item 2; 2026-12-07:
/// 0.9607 after session 14's changes.
const MINIMUM_GA: f64 = 0.95;

/// Lines in the corpus.
const LINES: usize = 4000;

const USERS: &[&str] = &[
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "oscar",
    "peggy",
    "trent",
    "victor",
    "walter",
    "root",
    "admin",
    "deploy",
    "jenkins",
    "postgres",
    "ubuntu",
    "git",
    "backup",
    "nagios",
    "oracle",
    "test",
    "guest",
    "support",
    "www-data",
    "mysql",
    "ansible",
    "ec2-user",
    "centos",
    "pi",
    "ftpuser",
    "svc_build",
    "jdoe",
    "mkovacs",
    "lchen",
];
const HOSTS: &[&str] = &[
    "web-01.example.com",
    "db-primary",
    "cache",
    "api.internal",
    "mail.example.org",
    "bastion",
    "kafka-2.prod.local",
    "zk3",
    "build-agent",
    "reports.corp.example.net",
    "edge",
    "localhost",
    "ns1.example.com",
    "storage-east",
    "gateway",
];
const DATABASES: &[&str] = &[
    "orders",
    "billing",
    "analytics",
    "users",
    "inventory",
    "postgres",
    "template1",
    "crm",
    "audit",
    "shop",
];
const TABLES: &[&str] = &[
    "accounts",
    "invoices",
    "events",
    "sessions",
    "line_items",
    "products",
    "payments",
    "audit_log",
];
const APPS: &[&str] = &[
    "psql", "pgAdmin", "django", "rails", "metabase", "airflow", "pg_dump",
];
const UNITS: &[&str] = &[
    "nginx",
    "cron",
    "logrotate",
    "apt-daily",
    "man-db",
    "fstrim",
    "certbot",
    "docker",
    "sshd",
    "rsyslog",
    "snapd",
    "ufw",
];
const COMMANDS: &[&str] = &[
    "java",
    "postgres",
    "chrome",
    "node",
    "python3",
    "mysqld",
    "elasticsearch",
    "kafka",
    "php-fpm",
];
const DEVICES: &[&str] = &[
    "sda1",
    "sdb2",
    "nvme0n1p2",
    "vda1",
    "xvdf",
    "dm-0",
    "md127",
    "loop3",
];
const GROUPS: &[&str] = &[
    "payments-consumer",
    "audit",
    "search-indexer",
    "email-sender",
    "fraud-scoring",
    "analytics",
    "notifications",
    "ledger",
];
const TOPICS: &[&str] = &[
    "orders",
    "clicks",
    "payments",
    "audit-events",
    "logs",
    "metrics",
];
const JOBS: &[&str] = &[
    "nightly-backup",
    "reindex",
    "cleanup",
    "invoice-run",
    "sitemap",
    "vacuum",
    "digest-email",
    "rollup",
];
const AGENTS: &[&str] = &[
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
];
const PAGES: &[&str] = &[
    "/",
    "/index.html",
    "/login",
    "/api/v1/orders",
    "/static/app.css",
    "/favicon.ico",
    "/robots.txt",
    "/healthz",
    "/wp-login.php",
];

/// `Mon Sep 22 10:00:01 2025`, as ctime(3) writes it.
fn ctime(rng: &mut Rng) -> String {
    format!(
        "{} {} {} {} {}",
        rng.pick(WEEKDAYS),
        rng.pick(MONTHS),
        rng.range(1, 28),
        time(rng),
        rng.range(2019, 2026)
    )
}

fn duration(rng: &mut Rng) -> String {
    match rng.range(0, 2) {
        0 => format!("{}ms", rng.range(1, 999)),
        1 => format!("{}.{}s", rng.range(0, 59), rng.range(0, 9)),
        _ => format!("{}m{}s", rng.range(1, 59), rng.range(0, 59)),
    }
}

fn path(rng: &mut Rng) -> String {
    let dirs = ["var/www", "srv/data", "home/deploy", "opt/app", "tmp"];
    let files = ["report", "index", "upload", "cache", "session", "image"];
    let exts = ["html", "csv", "png", "json", "tmp"];
    format!(
        "/{}/{}_{}.{}",
        dirs[rng.range(0, 4) as usize],
        files[rng.range(0, 5) as usize],
        rng.range(1, 9999),
        exts[rng.range(0, 4) as usize]
    )
}

/// Renders a line of template `id`.
fn render(id: usize, rng: &mut Rng) -> String {
    let user = rng.pick(USERS);
    let host = rng.pick(HOSTS);
    let address = ip(rng);
    let port = port(rng);
    match id {
        0 => format!(
            "Accepted publickey for {user} from {address} port {port} ssh2: RSA SHA256:{:x}",
            rng.next()
        ),
        1 => format!("Failed password for invalid user {user} from {address} port {port} ssh2"),
        2 => format!(
            "pam_unix(sshd:session): session opened for user {user}(uid={}) by (uid=0)",
            rng.range(0, 5000)
        ),
        3 => format!("Received disconnect from {address} port {port}:11: disconnected by user"),
        4 => format!(
            "Connection closed by authenticating user {user} {address} port {port} [preauth]"
        ),
        5 => format!("Invalid user {user} from {address} port {port}"),
        6 => format!("Last login: {} from {address}", ctime(rng)),
        7 => format!(
            "{address} - - [{:02}/{}/{}:{} +0000] \"GET {} HTTP/1.1\" {} {} \"-\" \"{}\"",
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.range(2019, 2026),
            time(rng),
            rng.pick(PAGES),
            rng.pick(&["200", "301", "304", "404", "500"]),
            rng.range(0, 90000),
            rng.pick(AGENTS)
        ),
        8 => format!(
            "{}#{}: *{} open() \"{}\" failed (2: No such file or directory), client: {address}, server: {host}",
            rng.range(100, 9999),
            rng.range(0, 8),
            rng.range(1, 999_999),
            path(rng)
        ),
        9 => format!("[client {address}] File does not exist: {}", path(rng)),
        10 => format!(
            "connection authorized: user={user} database={} application_name={}",
            rng.pick(DATABASES),
            rng.pick(APPS)
        ),
        11 => format!(
            "duration: {}.{:03} ms statement: SELECT * FROM {} WHERE id = {}",
            rng.range(0, 5000),
            rng.range(0, 999),
            rng.pick(TABLES),
            rng.range(1, 1_000_000)
        ),
        12 => format!(
            "database system was shut down at {}-{:02}-{:02} {} UTC",
            rng.range(2019, 2026),
            rng.range(1, 12),
            rng.range(1, 28),
            time(rng)
        ),
        13 => format!(
            "Out of memory: Killed process {} ({}) total-vm:{}kB, anon-rss:{}kB, file-rss:0kB",
            rng.range(100, 99999),
            rng.pick(COMMANDS),
            rng.range(10_000, 9_999_999),
            rng.range(1000, 999_999)
        ),
        14 => format!(
            "EXT4-fs ({}): mounted filesystem with ordered data mode. Opts: (null)",
            rng.pick(DEVICES)
        ),
        15 => format!("{}.service: Succeeded.", rng.pick(UNITS)),
        16 => format!("New session {} of user {user}.", rng.range(1, 9999)),
        17 => format!("Removed session {}.", rng.range(1, 9999)),
        18 => format!("({user}) CMD (/usr/local/bin/{}.sh)", rng.pick(JOBS)),
        19 => format!("pam_unix(cron:session): session closed for user {user}"),
        20 => format!(
            "[GroupCoordinator {}]: Preparing to rebalance group {} in state PreparingRebalance with old generation {}",
            rng.range(0, 5),
            rng.pick(GROUPS),
            rng.range(1, 500)
        ),
        21 => format!(
            "[Log partition={}-{}, dir=/var/lib/kafka/data] Rolled new log segment at offset {} in {} ms.",
            rng.pick(TOPICS),
            rng.range(0, 11),
            rng.range(0, 99_999_999),
            rng.range(0, 200)
        ),
        22 => format!("Accepted socket connection from /{address}:{port}"),
        23 => format!(
            "Established session 0x{:x} with negotiated timeout {} for client /{address}:{port}",
            rng.next() >> 8,
            rng.range(4000, 40000)
        ),
        24 => format!(
            "Closed socket connection for client /{address}:{port} which had sessionid 0x{:x}",
            rng.next() >> 8
        ),
        25 => format!(
            "Scheduled {} to run on {}, {} {} {} {} GMT",
            rng.pick(JOBS),
            rng.pick(WEEKDAYS),
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.range(2019, 2026),
            time(rng)
        ),
        26 => format!(
            "certificate for {host} expires on {} {} {} {} GMT",
            rng.pick(MONTHS),
            rng.range(1, 28),
            time(rng),
            rng.range(2019, 2026)
        ),
        27 => format!(
            "Backup of {} finished at {}, took {}",
            rng.pick(DATABASES),
            ctime(rng),
            duration(rng)
        ),
        28 => format!("User {user} logged in"),
        29 => format!("User {user} logged out"),
        30 => format!(
            "Monthly report for {} {} generated by {user}",
            rng.pick(LONG_MONTHS),
            rng.range(2019, 2026)
        ),
        31 => format!(
            "Maintenance window opens {} {} {} at {}",
            rng.pick(LONG_WEEKDAYS),
            rng.range(1, 28),
            rng.pick(LONG_MONTHS),
            time(rng)
        ),
        32 => format!("Connection to {host} timed out after {}", duration(rng)),
        33 => format!(
            "Rotating log file {} (next rotation {} {} {})",
            path(rng),
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.range(2019, 2026)
        ),
        34 => format!("Server startup in [{}] milliseconds", rng.range(300, 90000)),
        35 => format!(
            "Deleted {} expired sessions of {user} older than {} days",
            rng.range(0, 500),
            rng.range(1, 90)
        ),
        36 => format!("Disconnected from invalid user {user} {address} port {port} [preauth]"),
        _ => format!(
            "Unit {}.service entered failed state on {host}",
            rng.pick(UNITS)
        ),
    }
}

/// Templates in the corpus.
const TEMPLATES: usize = 38;

/// The true template of each statement of [`render`], for PA: `<*>` for each variable, and for
/// each token of a date or time written with spaces, as the Loghub ground truth writes them.
pub(crate) const TRUE_TEMPLATES: [&str; TEMPLATES] = [
    "Accepted publickey for <*> from <*> port <*> ssh2: RSA SHA256:<*>",
    "Failed password for invalid user <*> from <*> port <*> ssh2",
    "pam_unix(sshd:session): session opened for user <*>(uid=<*>) by (uid=0)",
    "Received disconnect from <*> port <*>:11: disconnected by user",
    "Connection closed by authenticating user <*> <*> port <*> [preauth]",
    "Invalid user <*> from <*> port <*>",
    "Last login: <*> <*> <*> <*> <*> from <*>",
    "<*> - - [<*>/<*>/<*>:<*> +0000] \"GET <*> HTTP/1.1\" <*> <*> \"-\" \"<*>\"",
    "<*>#<*>: *<*> open() \"<*>\" failed (2: No such file or directory), client: <*>, server: <*>",
    "[client <*>] File does not exist: <*>",
    "connection authorized: user=<*> database=<*> application_name=<*>",
    "duration: <*> ms statement: SELECT * FROM <*> WHERE id = <*>",
    "database system was shut down at <*> <*> UTC",
    "Out of memory: Killed process <*> (<*>) total-vm:<*>kB, anon-rss:<*>kB, file-rss:0kB",
    "EXT4-fs (<*>): mounted filesystem with ordered data mode. Opts: (null)",
    "<*>.service: Succeeded.",
    "New session <*> of user <*>.",
    "Removed session <*>.",
    "(<*>) CMD (/usr/local/bin/<*>.sh)",
    "pam_unix(cron:session): session closed for user <*>",
    "[GroupCoordinator <*>]: Preparing to rebalance group <*> in state PreparingRebalance with old generation <*>",
    "[Log partition=<*>-<*>, dir=/var/lib/kafka/data] Rolled new log segment at offset <*> in <*> ms.",
    "Accepted socket connection from /<*>:<*>",
    "Established session <*> with negotiated timeout <*> for client /<*>:<*>",
    "Closed socket connection for client /<*>:<*> which had sessionid <*>",
    "Scheduled <*> to run on <*>, <*> <*> <*> <*> GMT",
    "certificate for <*> expires on <*> <*> <*> <*> GMT",
    "Backup of <*> finished at <*> <*> <*> <*> <*>, took <*>",
    "User <*> logged in",
    "User <*> logged out",
    "Monthly report for <*> <*> generated by <*>",
    "Maintenance window opens <*> <*> <*> at <*>",
    "Connection to <*> timed out after <*>",
    "Rotating log file <*> (next rotation <*> <*> <*>)",
    "Server startup in [<*>] milliseconds",
    "Deleted <*> expired sessions of <*> older than <*> days",
    "Disconnected from invalid user <*> <*> port <*> [preauth]",
    "Unit <*>.service entered failed state on <*>",
];

/// The labelled corpus: a template chosen with skewed frequencies (a few common events, a long
/// tail of rare ones, as in real logs), then rendered.
pub(crate) fn corpus() -> Vec<(usize, String)> {
    let mut rng = Rng(0x7e1e_6e7a_2026_1206);
    (0..LINES)
        .map(|_| {
            // Cubing a uniform draw favours low numbers: the commonest template is about thirty
            // times as common as the rarest.
            let u = rng.range(0, 9999) as f64 / 10_000.0;
            let id = ((u * u * u) * TEMPLATES as f64) as usize;
            // The order of templates by frequency should not follow the listing order above.
            let id = (id * 17 + 5) % TEMPLATES;
            (id, render(id, &mut rng))
        })
        .collect()
}

#[test]
fn generated_corpus_accuracy_with_default_settings() {
    let (ga, _) = mine("generated corpus", &corpus(), TEMPLATES, |id| {
        TRUE_TEMPLATES[id].to_string()
    });
    assert!(ga >= MINIMUM_GA, "GA {ga:.4} fell below {MINIMUM_GA}");
}
