//! The miner's held-out corpora (issue 15, item 4), one test binary: log statements of software
//! the Loghub benchmark does not cover, generated with their ground truth, each with a floor of
//! its own (docs/benchmarks.md, "Generalisation: word-like variables"). `generated` was written
//! first (session 6), `servers` second (session 10) and `platforms` third (session 14), each
//! before any change to the miner was measured on it; `apps` (application frameworks, data
//! stores, brokers, delivery tools, userland daemons, network gear) fourth, in session 15;
//! `clients` (client-side, desktop, embedded and home software) fifth, written before the miner
//! was first measured on it; `infra` (telephony, storage, security, mail filtering,
//! virtualisation, schedulers, game servers, proxies, routing and power software) sixth, written
//! held out, its floor set from the first measurement; `stacks` (distributed databases, data and
//! machine-learning tooling, build and delivery, the observability stack, meshes, language
//! runtimes and browser automation) seventh, written held out the same way; `systems` (mail and
//! directory services, package managers and provisioning, system logging and monitoring, desktop
//! and hardware services, HPC, network storage and volumes, small network services, a container
//! runtime, home automation and a game server) eighth, written held out the same way.

mod apps;
mod clients;
mod common;
mod generated;
mod infra;
mod platforms;
mod servers;
mod stacks;
mod systems;
