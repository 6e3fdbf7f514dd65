//! The tables a SQL session sees: one schema holding `metrics`, `logs`, `spans`, `exemplars`,
//! `metrics_hourly`, `anomalies` and `patterns`, every one of them already restricted to one
//! tenant.
//!
//! The telemetry tables read the store through [`DataStore::scan`] with
//! [`TenantScope::One`]: the tenant filter is the store's, applied while reading, so nothing a
//! query says can widen it. Their `tenant` column is not shown (every row would carry the
//! caller's tenant). Filters DataFusion pushes down are applied to the scan's frame (and reach
//! the Parquet reader), and bounds on `ts` (`hour` for `metrics_hourly`) become the scan's time range, which skips whole
//! parts; DataFusion applies every filter again above the scan (`Inexact`), so a bound this
//! module does not understand costs speed, never correctness.
//!
//! `anomalies` and `patterns` come from the [`StateStore`], filtered to the tenant in Rust and
//! read only when a query scans them.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, TimestampNanosecondArray,
    UInt64Array,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::catalog::{SchemaProvider, Session, TableProvider};
use datafusion::common::{DataFusionError, ScalarValue};
use datafusion::datasource::MemTable;
use datafusion::execution::SessionState;
use datafusion::logical_expr::utils::split_conjunction;
use datafusion::logical_expr::{
    BinaryExpr, Expr, Operator, TableProviderFilterPushDown, TableType, cast, col,
};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::empty::EmptyExec;
use datafusion::prelude::SessionContext;
use telemetryhub_model::{AnomalyQuery, PatternFeedback, PatternSummary};
use telemetryhub_storage::{DataStore, Scan, StateStore, Table, TenantScope};

/// The telemetry tables, in the order they are listed.
const SCAN_TABLES: [Table; 5] = [
    Table::Metrics,
    Table::Logs,
    Table::Spans,
    Table::Exemplars,
    Table::MetricsHourly,
];

/// The names of every table, in the order they are listed.
pub const TABLE_NAMES: [&str; 7] = [
    "metrics",
    "logs",
    "spans",
    "exemplars",
    "anomalies",
    "patterns",
    "metrics_hourly",
];

/// A table as the documentation describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlTableDoc {
    /// The table's name.
    pub name: &'static str,
    /// What a row is.
    pub description: &'static str,
    /// Its columns, in order.
    pub columns: Vec<SqlColumnDoc>,
}

/// A column as the documentation describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlColumnDoc {
    /// The column's name.
    pub name: String,
    /// Its SQL-facing type (`TEXT`, `TIMESTAMP`, `DOUBLE`, …), with `NULL` when it may be null.
    pub sql_type: String,
    /// What it holds.
    pub description: &'static str,
}

/// Every table with its columns: built from the schemas the session uses, so the documentation
/// cannot drift from them (a test checks every column has a description).
pub fn table_docs() -> Vec<SqlTableDoc> {
    TABLE_NAMES
        .iter()
        .filter_map(|name| {
            let schema = table_schema(name)?;
            Some(SqlTableDoc {
                name,
                description: table_description(name),
                columns: schema
                    .fields()
                    .iter()
                    .map(|field| SqlColumnDoc {
                        name: field.name().clone(),
                        sql_type: sql_type(field),
                        description: column_description(name, field.name()),
                    })
                    .collect(),
            })
        })
        .collect()
}

fn sql_type(field: &Field) -> String {
    let base = match field.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "TEXT",
        DataType::Timestamp(..) => "TIMESTAMP (ns, UTC)",
        DataType::Float64 => "DOUBLE",
        DataType::Int64 => "BIGINT",
        DataType::UInt64 => "BIGINT UNSIGNED",
        DataType::Boolean => "BOOLEAN",
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => "BINARY",
        _ => "OTHER",
    };
    if field.is_nullable() {
        format!("{base} NULL")
    } else {
        base.to_string()
    }
}

fn table_description(name: &str) -> &'static str {
    match name {
        "metrics" => "One row per metric sample.",
        "logs" => "One row per log line.",
        "spans" => "One row per trace span; `ts` is its start.",
        "exemplars" => "One row per exemplar: a sample of a series annotated with a trace.",
        "metrics_hourly" => {
            "One row per metric series and hour: exact count, sum, min and max of its finite \
             samples, quantiles within 1 % relative error, kept longer than raw samples \
             (`--rollup-retention`). Merge hours with sum(count), sum(sum), min(min), max(max); \
             quantiles of several hours need the sketches merged (`/query/metrics` does)."
        }
        "anomalies" => "One row per detected anomaly of a metric series.",
        "patterns" => {
            "One row per log pattern (join `logs` on `pattern_id`; a merged pattern names the \
             one it merged into in `merged_into`)."
        }
        _ => "",
    }
}

fn column_description(table: &str, column: &str) -> &'static str {
    match (table, column) {
        (_, "service") => "The service that sent it.",
        ("metrics" | "exemplars" | "anomalies" | "metrics_hourly", "metric") => {
            "The metric's name."
        }
        ("metrics" | "exemplars" | "anomalies" | "metrics_hourly", "labels") => {
            "The series' labels as compact JSON with sorted keys, e.g. `{\"host\":\"a\"}`."
        }
        ("metrics", "ts") => "The sample's time.",
        ("metrics", "value") => {
            "The sample's value (NaN, ±Inf and Prometheus' staleness marker kept as written)."
        }
        ("metrics_hourly", "hour") => "The hour's start; the row covers [hour, hour + 1 h).",
        ("metrics_hourly", "count") => "Finite samples in the hour (NaN and ±Inf left out).",
        ("metrics_hourly", "sum") => "Their sum.",
        ("metrics_hourly", "min") => "The smallest.",
        ("metrics_hourly", "max") => "The largest.",
        ("metrics_hourly", "p50") => {
            "The median, within 1 % of the sample of rank floor(0.5 * (count - 1))."
        }
        ("metrics_hourly", "p95") => "The 95th percentile, within 1 % (as p50).",
        ("metrics_hourly", "p99") => "The 99th percentile, within 1 % (as p50).",
        ("metrics_hourly", "sketch") => {
            "The DDSketch (relative accuracy 1 %) with count, sum, min and max: version byte, \
             figures, Datadog's binary sketch format, CRC-32; what merges hours exactly."
        }
        ("logs", "level") => "TRACE, DEBUG, INFO, WARN, ERROR or FATAL.",
        ("logs", "message") => "The log line.",
        ("logs", "ts") => "The line's time.",
        ("logs", "context") => "Structured fields of the line, as JSON.",
        ("logs" | "spans" | "exemplars", "trace_id") => "Trace id, 32 lowercase hex digits.",
        ("logs" | "spans", "span_id") => "Span id, 16 lowercase hex digits.",
        ("logs", "pattern_id") => "The line's log pattern (see the patterns table).",
        ("logs", "labels") => {
            "The labels of the line's stream (JSON, sorted keys), as pushed to Loki or from OTLP resource attributes; null for native API lines, whose stream is service_name and level."
        }
        ("spans", "parent_span_id") => "The parent span's id; null for a root span.",
        ("spans", "name") => "The operation's name.",
        ("spans", "kind") => "unspecified, internal, server, client, producer or consumer.",
        ("spans", "ts") => "When the span started.",
        ("spans", "duration_ns") => "How long it took, in nanoseconds.",
        ("spans", "status") => "unset, ok or error.",
        ("spans", "status_message") => "The status' message.",
        ("spans", "attributes") => "The span's attributes, as JSON.",
        ("spans", "events") => "The span's events, as JSON.",
        ("spans", "links") => "The span's links, as JSON.",
        ("exemplars", "exemplar_labels") => "The exemplar's own labels, as JSON.",
        ("exemplars", "ts") => "The exemplar's time.",
        ("exemplars", "value") => "The exemplar's value.",
        ("anomalies", "id") => "The anomaly's id (`GET /anomalies/{id}`).",
        ("anomalies", "window_start") => "The first anomalous point.",
        ("anomalies", "window_end") => "The last anomalous point.",
        ("anomalies", "score") => "Anomaly score in [0, 1].",
        ("anomalies", "threshold") => "The series' threshold when it was scored.",
        ("anomalies", "value") => "The most anomalous value.",
        ("anomalies", "expected_low") => "Lower edge of the expected band.",
        ("anomalies", "expected_high") => "Upper edge of the expected band.",
        ("anomalies", "detector") => "Which detector flagged it.",
        ("anomalies", "model_version") => "The detector model's version.",
        ("anomalies", "ts") => "When it was recorded.",
        ("anomalies", "feedback") => "true_positive or false_positive once someone said so.",
        ("patterns", "pattern_id") => "The pattern's id (logs.pattern_id).",
        ("patterns", "template") => "The template, variables written `<*>`.",
        ("patterns", "merged_into") => "The pattern this one was merged into, if any.",
        ("patterns", "first_seen") => "When its first line arrived.",
        ("patterns", "version") => "Grows with every change of the pattern.",
        ("patterns", "samples") => "Up to five example lines, as a JSON array.",
        ("patterns", "name") => "A name given by feedback.",
        ("patterns", "note") => "A note given by feedback.",
        ("patterns", "muted") => "Hidden from default pattern lists.",
        ("patterns", "important") => "Flagged as important.",
        ("patterns", "summary") => "Its one-line summary, once written.",
        ("patterns", "summary_source") => "llm or rule.",
        _ => "",
    }
}

fn ts_type() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

/// A stored table's schema without its `tenant` column, as documented.
fn without_tenant(table: Table) -> SchemaRef {
    let fields: Vec<Field> = table
        .schema()
        .fields()
        .iter()
        .filter(|f| f.name() != "tenant")
        .map(|f| f.as_ref().clone())
        .collect();
    Arc::new(Schema::new(fields))
}

/// The schema a scan table declares to DataFusion: [`without_tenant`] with every column
/// nullable. DataFusion refuses a plan whose input is nullable where the declared schema is
/// not, and a scan's columns may come out nullable even where no null is stored (the value
/// of encoded metrics parts is computed by a function); declaring them nullable is always
/// satisfied.
fn declared(table: Table) -> SchemaRef {
    let fields: Vec<Field> = without_tenant(table)
        .fields()
        .iter()
        .map(|f| f.as_ref().clone().with_nullable(true))
        .collect();
    Arc::new(Schema::new(fields))
}

static ANOMALIES_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("service", DataType::Utf8, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("labels", DataType::Utf8, false),
        Field::new("window_start", ts_type(), false),
        Field::new("window_end", ts_type(), false),
        Field::new("score", DataType::Float64, false),
        Field::new("threshold", DataType::Float64, false),
        Field::new("value", DataType::Float64, false),
        Field::new("expected_low", DataType::Float64, false),
        Field::new("expected_high", DataType::Float64, false),
        Field::new("detector", DataType::Utf8, false),
        Field::new("model_version", DataType::Utf8, false),
        Field::new("ts", ts_type(), false),
        Field::new("feedback", DataType::Utf8, true),
    ]))
});

static PATTERNS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("pattern_id", DataType::UInt64, false),
        Field::new("template", DataType::Utf8, false),
        Field::new("merged_into", DataType::UInt64, true),
        Field::new("first_seen", ts_type(), false),
        Field::new("version", DataType::UInt64, false),
        Field::new("samples", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, true),
        Field::new("note", DataType::Utf8, true),
        Field::new("muted", DataType::Boolean, false),
        Field::new("important", DataType::Boolean, false),
        Field::new("summary", DataType::Utf8, true),
        Field::new("summary_source", DataType::Utf8, true),
    ]))
});

/// The schema SQL sees for a table name.
fn table_schema(name: &str) -> Option<SchemaRef> {
    match name {
        "anomalies" => Some(ANOMALIES_SCHEMA.clone()),
        "patterns" => Some(PATTERNS_SCHEMA.clone()),
        other => SCAN_TABLES
            .into_iter()
            .find(|t| t.name() == other)
            .map(without_tenant),
    }
}

/// The one schema of a SQL session: the tables of one tenant.
pub(crate) struct TenantTables {
    tenant: String,
    data: Arc<dyn DataStore>,
    state: Arc<dyn StateStore>,
}

impl TenantTables {
    pub(crate) fn new(
        tenant: String,
        data: Arc<dyn DataStore>,
        state: Arc<dyn StateStore>,
    ) -> TenantTables {
        TenantTables {
            tenant,
            data,
            state,
        }
    }
}

impl fmt::Debug for TenantTables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantTables")
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl SchemaProvider for TenantTables {
    fn table_names(&self) -> Vec<String> {
        TABLE_NAMES.iter().map(|n| n.to_string()).collect()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>, DataFusionError> {
        // An unknown name is not an error here: table functions (`generate_series`) are
        // looked up as tables first. The planner's "not found" is completed in `sql.rs`.
        let Some(schema) = table_schema(name) else {
            return Ok(None);
        };
        let tenant = self.tenant.clone();
        let provider: Arc<dyn TableProvider> = match name {
            "anomalies" => Arc::new(StateTable {
                kind: StateKind::Anomalies,
                tenant,
                state: self.state.clone(),
                schema,
            }),
            "patterns" => Arc::new(StateTable {
                kind: StateKind::Patterns,
                tenant,
                state: self.state.clone(),
                schema,
            }),
            _ => {
                let Some(table) = Table::from_name(name) else {
                    return Ok(None);
                };
                Arc::new(ScanTable {
                    table,
                    tenant,
                    data: self.data.clone(),
                    schema: declared(table),
                })
            }
        };
        Ok(Some(provider))
    }

    fn table_exist(&self, name: &str) -> bool {
        TABLE_NAMES.contains(&name)
    }
}

/// A telemetry table of one tenant, read through the store's scans.
struct ScanTable {
    table: Table,
    tenant: String,
    data: Arc<dyn DataStore>,
    schema: SchemaRef,
}

impl fmt::Debug for ScanTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScanTable")
            .field("table", &self.table)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl TableProvider for ScanTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> datafusion::common::Result<Vec<TableProviderFilterPushDown>> {
        Ok(vec![TableProviderFilterPushDown::Inexact; filters.len()])
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let projected = match projection {
            Some(indices) => Arc::new(self.schema.project(indices)?),
            None => self.schema.clone(),
        };
        let (since_ns, until_ns) = time_bounds(filters, self.table.time_column());
        if since_ns >= until_ns {
            return Ok(Arc::new(EmptyExec::new(projected)));
        }
        let scan = Scan::new(
            self.table,
            TenantScope::One(self.tenant.clone()),
            since_ns,
            until_ns,
        );
        // The scan's frame is planned in the query's own session (its settings and memory
        // pool); a session other than DataFusion's own cannot occur here, but a fresh one
        // would do as well.
        let ctx = match state.as_any().downcast_ref::<SessionState>() {
            Some(state) => SessionContext::new_with_state(state.clone()),
            None => SessionContext::new(),
        };
        let frame = self.data.scan(&ctx, &scan).await.map_err(external)?;
        let Some(mut frame) = frame else {
            return Ok(Arc::new(EmptyExec::new(projected)));
        };
        for filter in filters {
            // A filter the frame cannot take (DataFusion re-applies each anyway) is skipped.
            if let Ok(filtered) = frame.clone().filter(filter.clone()) {
                frame = filtered;
            }
        }
        // Exactly the projected columns, in order and of the declared types: the plan above
        // refers to them by position.
        let columns: Vec<Expr> = projected
            .fields()
            .iter()
            .map(|f| cast(col(f.name()), f.data_type().clone()).alias(f.name()))
            .collect();
        frame = frame.select(columns)?;
        if let Some(limit) = limit {
            frame = frame.limit(0, Some(limit))?;
        }
        frame.create_physical_plan().await
    }
}

/// The time range the bounds on `time` (the table's time column) among `filters` allow, as
/// `since <= time < until`: every row the filters keep lies in it (bounds this does not
/// recognise widen it, never narrow it).
pub(crate) fn time_bounds(filters: &[Expr], time: &str) -> (i64, i64) {
    let mut since = i64::MIN;
    let mut until = i64::MAX;
    for filter in filters {
        for conjunct in split_conjunction(filter) {
            let Expr::BinaryExpr(BinaryExpr { left, op, right }) = conjunct else {
                continue;
            };
            let (op, value) = match (left.as_ref(), right.as_ref()) {
                (Expr::Column(c), Expr::Literal(v, _)) if c.name == time => (*op, v),
                (Expr::Literal(v, _), Expr::Column(c)) if c.name == time => {
                    let Some(swapped) = op.swap() else { continue };
                    (swapped, v)
                }
                _ => continue,
            };
            let Some(ns) = timestamp_ns(value) else {
                continue;
            };
            match op {
                Operator::Eq => {
                    since = since.max(ns);
                    until = until.min(ns.saturating_add(1));
                }
                Operator::Gt => since = since.max(ns.saturating_add(1)),
                Operator::GtEq => since = since.max(ns),
                Operator::Lt => until = until.min(ns),
                Operator::LtEq => until = until.min(ns.saturating_add(1)),
                _ => {}
            }
        }
    }
    (since, until)
}

/// A timestamp literal in nanoseconds since the epoch (whatever its time zone: the value is
/// UTC-based). Saturates at the ends of `i64`, which only widens the bounds.
fn timestamp_ns(value: &ScalarValue) -> Option<i64> {
    match value {
        ScalarValue::TimestampNanosecond(Some(v), _) => Some(*v),
        ScalarValue::TimestampMicrosecond(Some(v), _) => Some(v.saturating_mul(1_000)),
        ScalarValue::TimestampMillisecond(Some(v), _) => Some(v.saturating_mul(1_000_000)),
        ScalarValue::TimestampSecond(Some(v), _) => Some(v.saturating_mul(1_000_000_000)),
        _ => None,
    }
}

/// A store error inside DataFusion, to be told apart again when the query fails.
fn external(error: telemetryhub_storage::StorageError) -> DataFusionError {
    DataFusionError::External(Box::new(error))
}

#[derive(Debug, Clone, Copy)]
enum StateKind {
    Anomalies,
    Patterns,
}

/// `anomalies` or `patterns` of one tenant, read from the state store when scanned.
struct StateTable {
    kind: StateKind,
    tenant: String,
    state: Arc<dyn StateStore>,
    schema: SchemaRef,
}

impl fmt::Debug for StateTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateTable")
            .field("kind", &self.kind)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl TableProvider for StateTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let batch = match self.kind {
            StateKind::Anomalies => self.anomalies().await?,
            StateKind::Patterns => self.patterns().await?,
        };
        let table = MemTable::try_new(self.schema.clone(), vec![vec![batch]])?;
        table.scan(state, projection, filters, limit).await
    }
}

impl StateTable {
    async fn anomalies(&self) -> datafusion::common::Result<RecordBatch> {
        let anomalies = self
            .state
            .query_anomalies(&AnomalyQuery {
                tenant: self.tenant.clone(),
                service: None,
                metric: None,
                since_ns: i64::MIN,
                until_ns: i64::MAX,
                min_score: f64::NEG_INFINITY,
                limit: usize::MAX,
            })
            .await
            .map_err(external)?;
        let strings = |f: &dyn Fn(&telemetryhub_model::Anomaly) -> String| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(anomalies.iter().map(f)))
        };
        let floats = |f: &dyn Fn(&telemetryhub_model::Anomaly) -> f64| -> ArrayRef {
            Arc::new(Float64Array::from_iter_values(anomalies.iter().map(f)))
        };
        let times = |f: &dyn Fn(&telemetryhub_model::Anomaly) -> i64| -> ArrayRef {
            Arc::new(
                TimestampNanosecondArray::from_iter_values(anomalies.iter().map(f))
                    .with_timezone("UTC"),
            )
        };
        let columns: Vec<ArrayRef> = vec![
            strings(&|a| a.id.clone()),
            strings(&|a| a.service.clone()),
            strings(&|a| a.metric.clone()),
            strings(&|a| serde_json::to_string(&a.labels).unwrap_or_else(|_| "{}".into())),
            times(&|a| a.window_start_ns),
            times(&|a| a.window_end_ns),
            floats(&|a| a.score),
            floats(&|a| a.threshold),
            floats(&|a| a.value),
            floats(&|a| a.expected_low),
            floats(&|a| a.expected_high),
            strings(&|a| a.detector.clone()),
            strings(&|a| a.model_version.clone()),
            times(&|a| a.ts_ns),
            Arc::new(StringArray::from_iter(
                anomalies.iter().map(|a| a.feedback.clone()),
            )),
        ];
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }

    async fn patterns(&self) -> datafusion::common::Result<RecordBatch> {
        let mut patterns = self.state.load_patterns().await.map_err(external)?;
        patterns.retain(|p| p.tenant == self.tenant);
        patterns.sort_by_key(|p| p.id);
        let feedback: HashMap<u64, PatternFeedback> = self
            .state
            .pattern_feedback(&self.tenant)
            .await
            .map_err(external)?
            .into_iter()
            .collect();
        let summaries: HashMap<u64, PatternSummary> = self
            .state
            .pattern_summaries(&self.tenant)
            .await
            .map_err(external)?
            .into_iter()
            .map(|s| (s.pattern_id, s))
            .collect();
        let feedback_of = |id: u64| feedback.get(&id);
        let columns: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from_iter_values(patterns.iter().map(|p| p.id))),
            Arc::new(StringArray::from_iter_values(
                patterns.iter().map(|p| p.template.as_str()),
            )),
            Arc::new(UInt64Array::from_iter(
                patterns.iter().map(|p| p.merged_into),
            )),
            Arc::new(
                TimestampNanosecondArray::from_iter_values(
                    patterns.iter().map(|p| p.first_seen_ns),
                )
                .with_timezone("UTC"),
            ),
            Arc::new(UInt64Array::from_iter_values(
                patterns.iter().map(|p| p.version),
            )),
            Arc::new(StringArray::from_iter_values(patterns.iter().map(|p| {
                serde_json::to_string(&p.samples).unwrap_or_else(|_| "[]".into())
            }))),
            Arc::new(StringArray::from_iter(
                patterns
                    .iter()
                    .map(|p| feedback_of(p.id).and_then(|f| f.name.clone())),
            )),
            Arc::new(StringArray::from_iter(
                patterns
                    .iter()
                    .map(|p| feedback_of(p.id).and_then(|f| f.note.clone())),
            )),
            Arc::new(BooleanArray::from_iter(
                patterns
                    .iter()
                    .map(|p| Some(feedback_of(p.id).is_some_and(|f| f.muted))),
            )),
            Arc::new(BooleanArray::from_iter(
                patterns
                    .iter()
                    .map(|p| Some(feedback_of(p.id).is_some_and(|f| f.important))),
            )),
            Arc::new(StringArray::from_iter(
                patterns
                    .iter()
                    .map(|p| summaries.get(&p.id).map(|s| s.text.clone())),
            )),
            Arc::new(StringArray::from_iter(
                patterns
                    .iter()
                    .map(|p| summaries.get(&p.id).map(|s| s.source.clone())),
            )),
        ];
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }
}
