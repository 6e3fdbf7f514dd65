//! The cost of parsing a scrape: a 1,000-series body shaped like node_exporter's (CPU, disk,
//! network and filesystem families, a summary, a histogram; HELP and TYPE for each family),
//! in the Prometheus text format and as OpenMetrics (with exemplars on some buckets).

use std::fmt::Write;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use telemetryhub_receivers::prom_text::{Entry, ExpositionFormat, parse_exposition};

/// The lines of one family: each sample line in the text format and in OpenMetrics.
type Lines = Vec<(String, String)>;

/// The body, its OpenMetrics twin and the number of samples in each.
fn bodies() -> (String, String, usize) {
    let mut text = String::new();
    let mut om = String::new();
    let samples = std::cell::Cell::new(0);
    let mut family = |name: &str, kind: &str, help: &str, series: &mut dyn FnMut(&mut Lines)| {
        let mut lines = Vec::new();
        series(&mut lines);
        for (out, kind) in [(&mut text, kind), (&mut om, kind)] {
            writeln!(out, "# HELP {name} {help}").unwrap();
            writeln!(out, "# TYPE {name} {kind}").unwrap();
        }
        for (text_line, om_line) in &lines {
            text.push_str(text_line);
            text.push('\n');
            om.push_str(om_line);
            om.push('\n');
        }
        samples.set(samples.get() + lines.len());
    };
    let same = |l: String| (l.clone(), l);
    family(
        "node_cpu_seconds_total",
        "counter",
        "Seconds the CPUs spent in each mode.",
        &mut |out| {
            for cpu in 0..16 {
                for mode in [
                    "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user",
                ] {
                    out.push(same(format!(
                        "node_cpu_seconds_total{{cpu=\"{cpu}\",mode=\"{mode}\"}} {}.{:02}",
                        1_234_567 + cpu * 1000 + mode.len() * 7,
                        cpu * 3 % 100
                    )));
                }
            }
        },
    );
    for metric in ["avail", "free", "size", "files", "files_free"] {
        let name = format!("node_filesystem_{metric}_bytes");
        family(&name, "gauge", "Filesystem space in bytes.", &mut |out| {
            for i in 0..24 {
                out.push(same(format!(
                    "{name}{{device=\"/dev/nvme0n1p{i}\",fstype=\"ext4\",mountpoint=\"/srv/data/{i}\"}} {:e}",
                    1.073741824e11 * (i + 1) as f64 / 7.0
                )));
            }
        });
    }
    for dir in ["receive", "transmit"] {
        for what in [
            "bytes",
            "packets",
            "errs",
            "drop",
            "fifo",
            "frame",
            "compressed",
            "multicast",
        ] {
            let name = format!("node_network_{dir}_{what}_total");
            family(&name, "counter", "Network device statistic.", &mut |out| {
                for dev in [
                    "eth0",
                    "eth1",
                    "lo",
                    "docker0",
                    "veth1a2b3c",
                    "veth4d5e6f",
                    "wlan0",
                    "br-5f2e",
                ] {
                    out.push(same(format!(
                        "{name}{{device=\"{dev}\"}} {}",
                        98_765_432 + dev.len() * 11
                    )));
                }
            });
        }
    }
    for what in [
        "reads_completed",
        "writes_completed",
        "read_bytes",
        "written_bytes",
        "io_time_seconds",
        "io_now",
    ] {
        let name = format!("node_disk_{what}_total");
        family(&name, "counter", "Disk statistic.", &mut |out| {
            for dev in 0..16 {
                out.push(same(format!(
                    "{name}{{device=\"sd{}\"}} {}",
                    (b'a' + dev) as char,
                    4_242_424 * dev as u64 + 17
                )));
            }
        });
    }
    family(
        "go_gc_duration_seconds",
        "summary",
        "A summary of the pause duration of garbage collection cycles.",
        &mut |out| {
            for q in ["0", "0.25", "0.5", "0.75", "1"] {
                out.push(same(format!(
                    "go_gc_duration_seconds{{quantile=\"{q}\"}} 4.9351e-05"
                )));
            }
            out.push(same("go_gc_duration_seconds_sum 0.023418709".into()));
            out.push(same("go_gc_duration_seconds_count 1337".into()));
        },
    );
    family(
        "http_request_duration_seconds",
        "histogram",
        "Request latency.",
        &mut |out| {
            for handler in [
                "/",
                "/metrics",
                "/api/v1/query",
                "/api/v1/query_range",
                "/api/v1/series",
                "/api/v1/labels",
                "/-/healthy",
                "/-/ready",
            ] {
                let mut count = 0;
                for le in [
                    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10",
                    "+Inf",
                ] {
                    count += handler.len() * 3;
                    let line = format!(
                        "http_request_duration_seconds_bucket{{handler=\"{handler}\",le=\"{le}\"}} {count}"
                    );
                    let om_line = if le == "1" {
                        format!(
                            "{line} # {{trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\"}} 0.67 1758362400.123"
                        )
                    } else {
                        line.clone()
                    };
                    out.push((line, om_line));
                }
                out.push(same(format!(
                    "http_request_duration_seconds_sum{{handler=\"{handler}\"}} 1234.5678"
                )));
                out.push(same(format!(
                    "http_request_duration_seconds_count{{handler=\"{handler}\"}} {count}"
                )));
            }
        },
    );
    let remaining = 1000 - samples.get();
    family(
        "node_hwmon_temp_celsius",
        "gauge",
        "Hardware monitor for temperature (input).",
        &mut |out| {
            for i in 0..remaining {
                out.push(same(format!(
                "node_hwmon_temp_celsius{{chip=\"platform_coretemp_{}\",sensor=\"temp{}\"}} {}.{}",
                i / 8,
                i % 8,
                40 + i % 30,
                i % 10
            )));
            }
        },
    );
    om.push_str("# EOF\n");
    (text, om, samples.get())
}

fn parse(c: &mut Criterion) {
    let (text, om, samples) = bodies();
    assert_eq!(samples, 1000);
    let mut group = c.benchmark_group("prom_text");
    for (name, body, format) in [
        ("text_1000_series", &text, ExpositionFormat::PrometheusText),
        (
            "openmetrics_1000_series",
            &om,
            ExpositionFormat::OpenMetrics,
        ),
    ] {
        let mut seen = 0;
        parse_exposition(body, format, |e| {
            seen += matches!(e, Entry::Sample(_)) as usize
        })
        .expect("the bench body parses");
        assert_eq!(seen, samples);
        eprintln!("{name}: {} bytes, {samples} samples", body.len());
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sum = 0.0;
                let result = parse_exposition(std::hint::black_box(body), format, |e| {
                    if let Entry::Sample(s) = e {
                        sum += s.value + s.labels.len() as f64;
                    }
                });
                std::hint::black_box((result.is_ok(), sum))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
