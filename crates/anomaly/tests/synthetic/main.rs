//! Held-out tests of the detector on synthetic corpora generated here from fixed seeds (issue
//! 15, item 4): series with known injected anomalies, scored by this crate's NAB scorer the way
//! `tests/nab.rs` scores the NAB corpus. `daily` is the first corpus (5-minute series of four
//! shapes, seven kinds); `varied` the second, written later and unlike it (cadences from a
//! minute to an hour, nine shapes, ten kinds, gaps and jitter); `field` the third, held out from
//! both (short series and long ones of two months, up to four anomalies a series, benign deploys,
//! weekly jobs, a daylight-saving change and recalibrations left unlabelled, seven shapes and
//! eight kinds after production and public monitoring data); `ops` the fourth, held out from all
//! three (operations metrics none of them has: queue depths, GC pauses, disks under log
//! rotation, cache hit ratios, throughput with nightly backups, electricity load, connection pools
//! and batch-job durations, with eight kinds of anomaly and benign deploys, weekly jobs,
//! configuration and retention changes left unlabelled); `mixed` the fifth, held out from all four
//! (product, service and plant metrics none of them has: error rates as ratios of small counts,
//! p99 latencies, active users, orders, a pump's and a heated room's on/off duty cycles, API
//! requests with bots polling on a timer and replication lag, with ten kinds of anomaly and benign
//! deploys, weekly jobs, holidays, promotions, setpoint, configuration and daylight-saving changes
//! left unlabelled); `signals` the sixth, held out from all five (signals from domains none of
//! them draws from, or not this way: advertising auctions' costs per click and per thousand
//! impressions, brand mentions, machines warming up after restarts, an office zone under a heat
//! pump, an instance of an autoscaling group, latency behind a load balancer, a shop's footfall,
//! payments and a building's net meter with solar, with ten kinds of anomaly — sensors stuck, at
//! zero or drifting before they fail, failures after a rise and misconfigured schedules among
//! them — and benign campaigns, viral posts, holidays, daylight-saving shifts, maintenance
//! restarts, deploys, scale-outs and early regime changes left unlabelled); `brief` the seventh,
//! held out from all six (short series only, 600 to 4,000 points, most 1,000–2,000, many windows
//! early, between the end of probation and point 750: a small ad account's spend, per-key API
//! usage with sparse bursts, a batch queue's waits, a database's checkpoint durations, a wind
//! turbine's power under its rated ceiling, a fleet's GPS fix counts, a payment gateway's decline
//! ratio and a greenhouse's humidity, with eight kinds of anomaly — spikes, bursts, level shifts,
//! outages, saturation at a ceiling, flatlines, variance changes and dips — and benign
//! daylight-saving shifts, holidays, deploys, restarts and planned maintenance left unlabelled);
//! `routine` the eighth, held out from all seven (series dominated by schedules and routines: a
//! CI queue's nightly builds, a mail queue's digests, a ward's discharge rounds, a school's
//! timetable and backups, a garage, a station's timetable, a cold store's defrosts and an
//! irrigation programme, with runs missed, mistimed or overrunning among nine kinds of anomaly and
//! benign daylight-saving shifts, holidays and half-terms, rescheduled jobs and migrations left
//! unlabelled); `sessions` the ninth, held out from all eight (series whose activity comes in
//! sessions with gaps between them: an exchange's volume in market hours only, a channel's
//! viewers under its broadcasts, a game server's players with maintenance reporting nothing, a
//! call centre's queue under its shifts, a CDN edge's release waves, a device's battery between
//! shifts and charges, a campus's Wi-Fi under term and lectures and a restaurant's tickets over
//! its services, with sessions missing, cut short or mistimed among nine kinds of anomaly and
//! benign daylight-saving shifts, holidays, half days, rescheduled sessions and planned
//! maintenance left unlabelled); `network` the tenth, held out from all nine (network and edge
//! telemetry as a Prometheus-style scraper sees it, scraped every 15 seconds to an hour: rates of
//! an interface's, a prober's, a host's and a resolver's counters through restarts and missed
//! scrapes, a BGP session's prefixes, a clock's offset, a credential's validity left, a
//! connection-tracking table and a VPN hub's tunnels, with links flapping, congestion, loss
//! bursts, floods, route leaks and withdrawals, drifts, jitter, stuck exporters and missed
//! renewals among ten kinds of anomaly and benign counter resets, planned maintenance, capacity
//! upgrades, traffic engineering, daylight-saving shifts and holidays left unlabelled); `cycles`
//! the eleventh, held out from all ten (series whose rhythm has periods the calendar does not
//! know, or knows only loosely: a tide gauge's springs and neaps, a satellite's orbits and eclipse
//! seasons, a batch reactor's cycles, a plant under a rotating roster, a bank's pay runs, a
//! generator's fuel deliveries, a free-running heart rhythm and a radio telescope's sidereal day,
//! with cycles skipped, phases slipping, periods and swings changing among ten kinds of anomaly and
//! benign daylight-saving shifts, bank holidays, calibrations, planned maintenance, recipe, roster
//! and other changes for good and top-ups left unlabelled); `environment` the twelfth, held out from
//! all eleven (utility networks and environmental sensors under weather: a water zone's inflow
//! whose night minimum shows leaks, a district-heating network's weather-compensated supply, a
//! river gauge under rain, an urban station's PM2.5, a pumping station's wet well, an anemometer,
//! a bridge's strain gauge and soil moisture under rain and irrigation, with leaks, pumps failing,
//! sensors no longer responding, a bearing's swing, trends, drifts, shifts, spikes, stuck sensors
//! and noise among ten kinds of anomaly and benign storms and floods, heat waves and cold snaps,
//! holidays with fireworks, daylight-saving shifts, planned maintenance, recalibrations and
//! irrigation schedules changed left unlabelled). Each prints its report and fails below its
//! floor.

mod brief;
mod common;
mod cycles;
mod daily;
mod environment;
mod field;
mod mixed;
mod network;
mod ops;
mod routine;
mod sessions;
mod signals;
mod varied;
