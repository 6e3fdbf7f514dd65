//! The scrape manager: one pool per job, each with its discovery tasks and a loop per target;
//! reloads that keep unchanged jobs running; and the snapshot the targets API shows.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use telemetryhub_model::Labels;
use telemetryhub_storage::DataStore;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::config::{ConfigError, ScrapeConfig, ScrapeSettings};
use crate::discovery::{Update, poll_http, watch_files};
use crate::http::{HttpClient, HttpSettings};
use crate::metrics::{RELOADS, TARGETS};
use crate::scrape_loop::{ScrapeLoop, Stop, TargetStatus};
use crate::target::{Outcome, Target, TargetGroup, populate};

/// Reads the scrape configuration afresh (at start and at every reload).
pub type ConfigLoader = Arc<dyn Fn() -> Result<ScrapeSettings, ConfigError> + Send + Sync>;

/// A target as the targets API shows it.
#[derive(Debug, Clone)]
pub struct ActiveTarget {
    /// Its job.
    pub pool: String,
    /// The tenant its data goes to.
    pub tenant: String,
    /// The target.
    pub target: Arc<Target>,
    /// Its last scrape.
    pub status: TargetStatus,
}

/// A target relabeling dropped.
#[derive(Debug, Clone)]
pub struct DroppedTarget {
    /// Its job.
    pub pool: String,
    /// The tenant its data would go to.
    pub tenant: String,
    /// Its labels before relabeling.
    pub discovered_labels: Labels,
}

/// Every pool's targets at one moment.
#[derive(Debug, Clone, Default)]
pub struct TargetsSnapshot {
    /// Targets being scraped, by job then labels.
    pub active: Vec<ActiveTarget>,
    /// Targets relabeling dropped.
    pub dropped: Vec<DroppedTarget>,
}

/// One running target.
struct RunningTarget {
    target: Arc<Target>,
    status: Arc<Mutex<TargetStatus>>,
    stop: oneshot::Sender<Stop>,
    task: JoinHandle<()>,
}

/// A pool's targets, shared by its sync task and the targets API.
#[derive(Default)]
struct PoolTargets {
    active: BTreeMap<u64, RunningTarget>,
    dropped: Vec<Labels>,
}

/// One job.
struct Pool {
    config: Arc<ScrapeConfig>,
    targets: Arc<Mutex<PoolTargets>>,
    /// Discovery tasks and the sync task; aborted when the pool stops.
    tasks: Vec<JoinHandle<()>>,
}

/// Runs the scrape pools of a configuration and reloads it on demand.
pub struct ScrapeManager {
    store: Arc<dyn DataStore>,
    loader: ConfigLoader,
    pools: tokio::sync::Mutex<BTreeMap<String, Pool>>,
}

impl ScrapeManager {
    /// A manager that will read its configuration with `loader` and write into `store`.
    /// Nothing runs until [`ScrapeManager::reload`].
    pub fn new(store: Arc<dyn DataStore>, loader: ConfigLoader) -> ScrapeManager {
        ScrapeManager {
            store,
            loader,
            pools: tokio::sync::Mutex::new(BTreeMap::new()),
        }
    }

    /// Reads the configuration and applies it: new jobs start, removed jobs stop (their series
    /// end with staleness markers), changed jobs restart, unchanged ones keep running. A bad
    /// configuration changes nothing and is returned.
    pub async fn reload(&self) -> Result<(), ConfigError> {
        let settings = match (self.loader)() {
            Ok(settings) => settings,
            Err(error) => {
                RELOADS.with_label_values(&["error"]).inc();
                tracing::error!(%error, "scrape configuration refused; keeping the running one");
                return Err(error);
            }
        };
        for key in &settings.ignored {
            if key.other_section {
                tracing::info!(key = %key.path, "not a scrape setting; ignored");
            } else {
                tracing::warn!(key = %key.path, "not supported by TelemetryHub's scraper; ignored");
            }
        }
        let mut pools = self.pools.lock().await;
        let mut wanted: BTreeMap<String, Arc<ScrapeConfig>> = settings
            .scrape_configs
            .into_iter()
            .map(|config| (config.job_name.clone(), Arc::new(config)))
            .collect();
        let names: Vec<String> = pools.keys().cloned().collect();
        for name in names {
            let unchanged = wanted
                .get(&name)
                .is_some_and(|config| config.fingerprint == pools[&name].config.fingerprint);
            if unchanged {
                wanted.remove(&name);
            } else if let Some(pool) = pools.remove(&name) {
                stop_pool(&name, pool, Stop::Gone).await;
            }
        }
        for (name, config) in wanted {
            match self.start_pool(config) {
                Ok(pool) => {
                    pools.insert(name, pool);
                }
                Err(message) => {
                    tracing::error!(job = %name, error = %message, "cannot start a scrape job");
                }
            }
        }
        RELOADS.with_label_values(&["ok"]).inc();
        tracing::info!(jobs = pools.len(), "scrape configuration loaded");
        Ok(())
    }

    /// Stops every loop without staleness markers (the server is shutting down).
    pub async fn shutdown(&self) {
        let mut pools = self.pools.lock().await;
        for (name, pool) in std::mem::take(&mut *pools) {
            stop_pool(&name, pool, Stop::Shutdown).await;
        }
    }

    /// The jobs whose data goes to `tenant`, in name order (pools without targets too).
    pub async fn pools(&self, tenant: &str) -> Vec<String> {
        let pools = self.pools.lock().await;
        pools
            .iter()
            .filter(|(_, pool)| pool.config.tenant == tenant)
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Every pool's targets now.
    pub async fn targets(&self) -> TargetsSnapshot {
        let pools = self.pools.lock().await;
        let mut snapshot = TargetsSnapshot::default();
        for (name, pool) in pools.iter() {
            let targets = pool.targets.lock().unwrap_or_else(|p| p.into_inner());
            for running in targets.active.values() {
                snapshot.active.push(ActiveTarget {
                    pool: name.clone(),
                    tenant: pool.config.tenant.clone(),
                    target: running.target.clone(),
                    status: running
                        .status
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .clone(),
                });
            }
            snapshot
                .dropped
                .extend(targets.dropped.iter().map(|labels| DroppedTarget {
                    pool: name.clone(),
                    tenant: pool.config.tenant.clone(),
                    discovered_labels: labels.clone(),
                }));
        }
        snapshot
    }

    /// Starts a job: its discovery providers and the task that keeps its loops in line with
    /// what they discover.
    fn start_pool(&self, config: Arc<ScrapeConfig>) -> Result<Pool, String> {
        let client = HttpClient::new(
            &HttpSettings {
                basic_auth: config.basic_auth.clone(),
                authorization: config.authorization.clone(),
                tls_config: config.tls_config.clone(),
            },
            config.scrape_timeout,
        )?;
        let targets = Arc::new(Mutex::new(PoolTargets::default()));
        let (updates, received) = mpsc::channel::<Update>(16);
        let mut providers: Vec<Vec<TargetGroup>> = Vec::new();
        for group in &config.static_configs {
            providers.push(vec![TargetGroup {
                targets: group.targets.clone(),
                labels: group.labels.clone(),
                source: format!("{}/static", config.job_name),
            }]);
        }
        let mut tasks = Vec::new();
        for file_sd in &config.file_sd_configs {
            let index = providers.len();
            providers.push(Vec::new());
            tasks.push(tokio::spawn(watch_files(
                index,
                file_sd.clone(),
                updates.clone(),
            )));
        }
        for http_sd in &config.http_sd_configs {
            let index = providers.len();
            providers.push(Vec::new());
            tasks.push(tokio::spawn(poll_http(
                index,
                http_sd.clone(),
                updates.clone(),
            )));
        }
        drop(updates);
        let sync = PoolSync {
            config: config.clone(),
            client,
            store: self.store.clone(),
            targets: targets.clone(),
            providers,
            forced_error: Arc::default(),
        };
        tasks.push(tokio::spawn(sync.run(received)));
        Ok(Pool {
            config,
            targets,
            tasks,
        })
    }
}

/// Stops a pool's discovery and its loops.
async fn stop_pool(name: &str, pool: Pool, reason: Stop) {
    for task in &pool.tasks {
        task.abort();
    }
    let running = {
        let mut targets = pool.targets.lock().unwrap_or_else(|p| p.into_inner());
        std::mem::take(&mut targets.active)
    };
    let mut tasks = Vec::new();
    for (_, target) in running {
        let _ = target.stop.send(reason);
        tasks.push(target.task);
    }
    for task in tasks {
        let _ = task.await;
    }
    for state in ["active", "dropped"] {
        let _ = TARGETS.remove_label_values(&[name, state]);
    }
}

/// A pool's sync task: keeps the running loops equal to what discovery says.
struct PoolSync {
    config: Arc<ScrapeConfig>,
    client: HttpClient,
    store: Arc<dyn DataStore>,
    targets: Arc<Mutex<PoolTargets>>,
    /// Each provider's latest groups (static ones first, filled from the start).
    providers: Vec<Vec<TargetGroup>>,
    /// The error every scrape of the pool fails with while it is over `target_limit`.
    forced_error: Arc<Mutex<Option<String>>>,
}

impl PoolSync {
    async fn run(mut self, mut updates: mpsc::Receiver<Update>) {
        self.sync();
        while let Some((provider, groups)) = updates.recv().await {
            if let Some(slot) = self.providers.get_mut(provider) {
                *slot = groups;
            }
            // Coalesce a burst of updates (several files changed at once) into one sync.
            while let Ok((provider, groups)) = updates.try_recv() {
                if let Some(slot) = self.providers.get_mut(provider) {
                    *slot = groups;
                }
            }
            self.sync();
        }
    }

    /// Starts loops for new targets and stops those of targets gone (with staleness markers).
    fn sync(&mut self) {
        let job = &self.config.job_name;
        let mut wanted: BTreeMap<u64, Target> = BTreeMap::new();
        let mut dropped = Vec::new();
        for group in self.providers.iter().flatten() {
            for address in &group.targets {
                match populate(&self.config, group, address) {
                    Ok(Outcome::Active(target)) => {
                        wanted.insert(target.key, target);
                    }
                    Ok(Outcome::Dropped { discovered_labels }) => dropped.push(discovered_labels),
                    Err(error) => {
                        tracing::warn!(%job, %address, %error, "target dropped: cannot be scraped")
                    }
                }
            }
        }
        // Over the limit, Prometheus keeps the targets but fails every scrape of the pool
        // (`up` 0 with the reason), so the excess is visible where people look.
        let limit = self.config.target_limit;
        let over_limit = (limit > 0 && wanted.len() > limit).then(|| {
            format!(
                "target_limit exceeded (number of targets: {}, limit: {limit})",
                wanted.len()
            )
        });
        if let Some(message) = &over_limit {
            tracing::error!(%job, "{message}; no target of the job is scraped");
        }
        *self.forced_error.lock().unwrap_or_else(|p| p.into_inner()) = over_limit;
        let mut targets = self.targets.lock().unwrap_or_else(|p| p.into_inner());
        let gone: Vec<u64> = targets
            .active
            .keys()
            .filter(|key| !wanted.contains_key(key))
            .copied()
            .collect();
        for key in gone {
            if let Some(running) = targets.active.remove(&key) {
                let _ = running.stop.send(Stop::Gone);
            }
        }
        for (key, target) in wanted {
            if targets.active.contains_key(&key) {
                continue;
            }
            let target = Arc::new(target);
            let status = Arc::new(Mutex::new(TargetStatus::default()));
            let (stop, stopped) = oneshot::channel();
            let scrape_loop = ScrapeLoop::new(
                target.clone(),
                self.config.clone(),
                self.client.clone(),
                self.store.clone(),
                status.clone(),
                self.forced_error.clone(),
            );
            let task = tokio::spawn(scrape_loop.run(stopped));
            targets.active.insert(
                key,
                RunningTarget {
                    target,
                    status,
                    stop,
                    task,
                },
            );
        }
        targets.dropped = dropped;
        TARGETS
            .with_label_values(&[job, "active"])
            .set(targets.active.len() as i64);
        TARGETS
            .with_label_values(&[job, "dropped"])
            .set(targets.dropped.len() as i64);
    }
}
