//! Reading a table: the rows a [`Scan`] selects, from the buffer and the parts together, as one
//! DataFusion frame, with the scan's filters pushed down to the Parquet reader.
//!
//! A scan knows the stored layout (labels as JSON text, encoded metric values); it knows nothing
//! of query languages. Ordering, aggregation and any filter a scan cannot express are the query
//! layer's (`telemetryhub-query`).
//!
//! Metrics parts with a series index (`series_index.rs`) are read only where a series the scan
//! may want has rows in its time range: the scan's tenant, column equalities, label matchers
//! and [`SeriesFilter`] are decided once per series of the index, and the reader is given those
//! series' row ranges, trimmed to the time range. The filters still run on every row read.
//!
//! Logs parts with a line index (`log_index.rs`) are read only in the blocks that overlap the
//! scan's time range, hold a stream of its tenant (and service or level, when it names them)
//! and whose trigram bloom holds every trigram of every needle of [`Scan::contains`].
//!
//! A scan may also return each row's [`WRITE_ORDER`], for readers that must choose among rows
//! of one series and timestamp (the later write wins): a part's rows share its sequence number
//! (`PartMeta::seq`), and buffered rows, newer than every part, count up from
//! [`BUFFER_WRITE_ORDER`] in the order they were inserted.

use std::ops::Not;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::{BinaryExpr, Like};
use datafusion::logical_expr::{Expr, Operator, cast, col, lit};
use datafusion::prelude::{DataFrame, SessionContext};
use telemetryhub_model::{LabelMatcher, MatchOp};

use crate::Result;
use crate::catalog::{ENCODED_VALUES_FORMAT, PartMeta};
use crate::log_index::{LineIndex, StoredLogStream};
use crate::parts_table::{PartRead, PartsTable};
use crate::schema::Table;
use crate::series_index::{IndexedSeries, PartIndex, merge_ranges};
use crate::value_codec;

/// The column of a row's write order (`UInt64`), returned by scans with
/// [`Scan::with_write_order`]: of two rows of one series and timestamp, the one with the larger
/// write order was written later. Rows of one part share it (a part holds one row per series and
/// timestamp, except parts written before that held).
pub const WRITE_ORDER: &str = "write_order";

/// The write order of the oldest buffered row; parts' are below it.
pub const BUFFER_WRITE_ORDER: u64 = 1 << 63;

/// A stored metrics series, as a [`SeriesFilter`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredSeries<'a> {
    /// The `service` column.
    pub service: &'a str,
    /// The `metric` column.
    pub metric: &'a str,
    /// The `labels` column: the labels' compact JSON text, keys sorted.
    pub labels: &'a str,
}

/// A stored metrics series, owned: what [`crate::DataStore::metric_series`] lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricSeries {
    /// The `service` column.
    pub service: String,
    /// The `metric` column.
    pub metric: String,
    /// The `labels` column (compact JSON, keys sorted).
    pub labels: String,
}

/// Decides once per stored metrics series whether a scan wants its rows (a reader's own test —
/// PromQL's matchers on the Prometheus label set — where the scan's filters cannot express it).
/// The store applies it where it knows series apart from rows (parts with a series index) and
/// may return rows of series it refuses elsewhere: a reader still checks each series.
#[derive(Clone)]
pub struct SeriesFilter(Arc<dyn Fn(&StoredSeries<'_>) -> bool + Send + Sync>);

impl SeriesFilter {
    /// A filter calling `wants` for each series.
    pub fn new(wants: impl Fn(&StoredSeries<'_>) -> bool + Send + Sync + 'static) -> SeriesFilter {
        SeriesFilter(Arc::new(wants))
    }

    /// Whether the rows of `series` are wanted.
    pub fn wants(&self, series: &StoredSeries<'_>) -> bool {
        (self.0)(series)
    }
}

impl std::fmt::Debug for SeriesFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SeriesFilter")
    }
}

/// Whose rows a scan reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantScope {
    /// One tenant's rows: what every request on behalf of a client reads.
    One(String),
    /// Every tenant's rows: only for background jobs that follow all data (anomaly scoring).
    All,
}

/// What to read from one table: a tenant scope, a time range and filters the store applies
/// while reading (so Parquet statistics and row filters can skip data).
#[derive(Debug, Clone)]
pub struct Scan {
    /// The table.
    pub table: Table,
    /// Whose rows.
    pub tenants: TenantScope,
    /// Rows with `since_ns <= ts`.
    pub since_ns: i64,
    /// Rows with `ts < until_ns`.
    pub until_ns: i64,
    /// Columns that must equal a value (`service`, `metric`, `level`, …).
    pub equal: Vec<(&'static str, String)>,
    /// Columns that must equal one of several values.
    pub one_of: Vec<(&'static str, Vec<String>)>,
    /// Columns that must match a SQL `LIKE` pattern (`%` any text, `_` any character, `\`
    /// escapes).
    pub like: Vec<(&'static str, String)>,
    /// Label matchers on the `labels` column (metrics and exemplars).
    pub labels: Vec<LabelMatcher>,
    /// Substrings the `message` column must contain, case-sensitive (logs: the plain `|=` line
    /// filters of a query). Parts with a line index skip blocks without them.
    pub contains: Vec<String>,
    /// Regexes the `message` column must match somewhere (the `regex` crate's syntax,
    /// unanchored; logs: the `|~` line filters of a query).
    pub matches: Vec<String>,
    /// The reader's own test of metrics series (see [`SeriesFilter`]).
    pub series_filter: Option<SeriesFilter>,
    /// The columns to return, in this order; every column of the table when `None`.
    pub columns: Option<Vec<&'static str>>,
    /// Whether to return [`WRITE_ORDER`] after the columns. Reads every part on its own, so
    /// only for readers that need it.
    pub write_order: bool,
    /// Whether the metrics table's series columns (`tenant`, `service`, `metric`, `labels`)
    /// come back dictionary-encoded (`Dictionary(Int32, Utf8)`), as the buffer holds them and
    /// flushes write them: no string is copied per row, and a reader can group rows by
    /// dictionary key.
    pub dictionary_series: bool,
}

impl Scan {
    /// Every row of `table` of `tenants` with `since_ns <= ts < until_ns`.
    pub fn new(table: Table, tenants: TenantScope, since_ns: i64, until_ns: i64) -> Scan {
        Scan {
            table,
            tenants,
            since_ns,
            until_ns,
            equal: Vec::new(),
            one_of: Vec::new(),
            like: Vec::new(),
            labels: Vec::new(),
            contains: Vec::new(),
            matches: Vec::new(),
            series_filter: None,
            columns: None,
            write_order: false,
            dictionary_series: false,
        }
    }

    /// Returns the metrics table's series columns dictionary-encoded (see
    /// [`Scan::dictionary_series`]).
    pub fn with_dictionary_series(mut self) -> Scan {
        self.dictionary_series = self.table == Table::Metrics;
        self
    }

    /// Also returns each row's [`WRITE_ORDER`], after the other columns.
    pub fn with_write_order(mut self) -> Scan {
        self.write_order = true;
        self
    }

    /// Keeps rows whose `column` equals `value` when a value is given.
    pub fn equal(mut self, column: &'static str, value: Option<impl Into<String>>) -> Scan {
        if let Some(value) = value {
            self.equal.push((column, value.into()));
        }
        self
    }

    /// Keeps rows whose `column` equals one of `values` (an equality when there is one).
    pub fn one_of(mut self, column: &'static str, values: Vec<String>) -> Scan {
        match values.as_slice() {
            [only] => self.equal.push((column, only.clone())),
            _ => self.one_of.push((column, values)),
        }
        self
    }

    /// Keeps rows whose `column` matches the `LIKE` pattern `pattern`.
    pub fn like(mut self, column: &'static str, pattern: impl Into<String>) -> Scan {
        self.like.push((column, pattern.into()));
        self
    }

    /// Keeps rows whose `message` contains `needle` (case-sensitive; logs).
    pub fn contains(mut self, needle: impl Into<String>) -> Scan {
        self.contains.push(needle.into());
        self
    }

    /// Keeps rows whose `message` matches the regex `regex` somewhere (logs).
    pub fn matches(mut self, regex: impl Into<String>) -> Scan {
        self.matches.push(regex.into());
        self
    }

    /// Keeps rows whose labels match every matcher.
    pub fn labels(mut self, matchers: &[LabelMatcher]) -> Scan {
        self.labels.extend_from_slice(matchers);
        self
    }

    /// Leaves out, where the store can, rows of metrics series that `filter` refuses.
    pub fn series_filter(mut self, filter: SeriesFilter) -> Scan {
        self.series_filter = Some(filter);
        self
    }

    /// Returns only these columns.
    pub fn columns(mut self, columns: &[&'static str]) -> Scan {
        self.columns = Some(columns.to_vec());
        self
    }

    /// The scan's filters as one predicate.
    fn predicate(&self) -> Expr {
        let mut filter = time_range(self.table.time_column(), self.since_ns, self.until_ns);
        if let TenantScope::One(tenant) = &self.tenants {
            filter = col("tenant").eq(lit(tenant.clone())).and(filter);
        }
        for (column, value) in &self.equal {
            filter = filter.and(col(*column).eq(lit(value.clone())));
        }
        for (column, values) in &self.one_of {
            let values: Vec<Expr> = values.iter().map(|v| lit(v.clone())).collect();
            filter = filter.and(col(*column).in_list(values, false));
        }
        for (column, pattern) in &self.like {
            filter = filter.and(like(col(*column), pattern.clone(), false));
        }
        for matcher in &self.labels {
            filter = filter.and(label_predicate(matcher));
        }
        for needle in &self.contains {
            filter = filter.and(contains_text(col("message"), needle));
        }
        for regex in &self.matches {
            // Arrow's regex kernels compile the pattern with the `regex` crate, as LogQL's
            // pipeline does: the same lines match.
            filter = filter.and(Expr::BinaryExpr(BinaryExpr::new(
                Box::new(col("message")),
                Operator::RegexMatch,
                Box::new(lit(regex.clone())),
            )));
        }
        filter
    }

    /// Whether rows of the logs stream `stream` may pass this scan's filters: its tenant and
    /// the equalities on `service`, `level` and `labels`, decided as [`Scan::predicate`]
    /// decides them for each row (other filters are not looked at).
    pub(crate) fn may_want_stream(&self, stream: &StoredLogStream) -> bool {
        if let TenantScope::One(tenant) = &self.tenants
            && stream.tenant != *tenant
        {
            return false;
        }
        let value_of = |column: &str| -> Option<Option<&str>> {
            match column {
                "tenant" => Some(Some(&stream.tenant)),
                "service" => Some(Some(&stream.service)),
                "level" => Some(Some(&stream.level)),
                "labels" => Some(stream.labels.as_deref()),
                _ => None,
            }
        };
        for (column, value) in &self.equal {
            if value_of(column).is_some_and(|v| v != Some(value.as_str())) {
                return false;
            }
        }
        for (column, values) in &self.one_of {
            if value_of(column).is_some_and(|v| !values.iter().any(|w| Some(w.as_str()) == v)) {
                return false;
            }
        }
        true
    }

    /// The blocks of a logs part's line index this scan may want rows of: those overlapping
    /// its time range, holding a stream it may want and possibly every needle.
    pub(crate) fn wanted_blocks<'a>(
        &'a self,
        index: &'a LineIndex,
    ) -> impl Iterator<Item = &'a crate::log_index::Block> + 'a {
        let wanted: Vec<bool> = index
            .streams
            .iter()
            .map(|s| self.may_want_stream(s))
            .collect();
        index.blocks.iter().filter(move |block| {
            block.max_ts >= self.since_ns
                && block.min_ts < self.until_ns
                && block.streams.iter().any(|s| wanted[*s as usize])
                && block.may_contain_all(&self.contains)
        })
    }

    /// What to read of a logs part with line index `index` and `rows` rows: nothing, all of
    /// it, or the row ranges of [`Scan::wanted_blocks`].
    pub(crate) fn line_part_rows(&self, index: &LineIndex, rows: u64) -> PartSelection {
        selection_of(
            merge_ranges(self.wanted_blocks(index).map(|b| b.range()).collect()),
            rows,
        )
    }

    /// The test of whether rows of a metrics series may pass this scan's filters: its tenant,
    /// the equalities on series columns, the label matchers and the series filter, decided as
    /// [`Scan::predicate`] decides them for each row (other columns' filters are not looked at).
    /// Built once per scan: the label matchers' texts are made here, not per series.
    pub(crate) fn series_test(&self) -> SeriesTest<'_> {
        SeriesTest {
            scan: self,
            labels: self.labels.iter().map(LabelText::new).collect(),
        }
    }

    /// Whether this scan filters only on the metrics series columns
    /// ([`crate::series_rows::KEY_COLUMNS`]) and time: no pattern, substring or regex filter,
    /// whose rows only a row filter could pick. Such a scan is decided once per series.
    pub(crate) fn filters_only_series_and_time(&self) -> bool {
        let series_column = |column: &&str| crate::series_rows::KEY_COLUMNS.contains(column);
        self.like.is_empty()
            && self.contains.is_empty()
            && self.matches.is_empty()
            && self.equal.iter().all(|(c, _)| series_column(c))
            && self.one_of.iter().all(|(c, _)| series_column(c))
    }

    /// The metric names this scan is limited to, if an equality names them.
    pub(crate) fn metric_names(&self) -> Option<&[String]> {
        if let Some((_, value)) = self.equal.iter().find(|(column, _)| *column == "metric") {
            return Some(std::slice::from_ref(value));
        }
        self.one_of
            .iter()
            .find(|(column, _)| *column == "metric")
            .map(|(_, values)| values.as_slice())
    }

    /// What to read of a part with series index `index` and `rows` rows: nothing, all of it,
    /// or the row ranges of the series this scan may want, trimmed to its time range.
    pub(crate) fn part_rows(&self, index: &PartIndex, rows: u64) -> PartSelection {
        let test = self.series_test();
        let ranges: Vec<_> = index
            .candidates(self.metric_names())
            .filter(|series| test.wants(series))
            .map(|series| series.rows_in(self.since_ns, self.until_ns))
            .collect();
        selection_of(merge_ranges(ranges), rows)
    }
}

/// What to read of a part of `rows` rows given the (merged) row ranges wanted.
fn selection_of(ranges: crate::series_index::RowRanges, rows: u64) -> PartSelection {
    match ranges.as_slice() {
        [] => PartSelection::Nothing,
        [only] if only.start == 0 && only.end >= rows => PartSelection::Everything,
        _ => PartSelection::Rows(ranges),
    }
}

impl Scan {
    /// Adds to `found` the series of `index` this scan wants that certainly have a row in its
    /// time range (a mark or the last row in it), without reading rows. Returns false when
    /// some wanted series may have a row in range that only reading can tell (the range falls
    /// between two of its marks), or when the scan filters on more than series and time: then
    /// the part is to be read by rows.
    pub(crate) fn series_from_index(
        &self,
        index: &PartIndex,
        found: &mut std::collections::HashSet<MetricSeries>,
    ) -> bool {
        if !self.filters_only_series_and_time() {
            return false;
        }
        let mut complete = true;
        let test = self.series_test();
        for series in index.candidates(self.metric_names()) {
            if !test.wants(series) || series.rows_in(self.since_ns, self.until_ns).is_empty() {
                continue;
            }
            let first_mark_in = series.marks.partition_point(|ts| *ts < self.since_ns);
            let certain = series
                .marks
                .get(first_mark_in)
                .is_some_and(|ts| *ts < self.until_ns)
                || (self.since_ns..self.until_ns).contains(&series.max_ts);
            if certain {
                found.insert(MetricSeries {
                    service: series.service.clone(),
                    metric: series.metric.clone(),
                    labels: series.labels.clone(),
                });
            } else {
                complete = false;
            }
        }
        complete
    }
}

/// `scan` returning only the series columns, dictionary-encoded (what [`distinct_series`]
/// reads).
pub(crate) fn series_columns(scan: &Scan) -> Scan {
    scan.clone()
        .columns(&["service", "metric", "labels"])
        .with_dictionary_series()
}

/// Adds the distinct series of `frame` (a [`series_columns`] scan) to `found`, streaming: each
/// batch's distinct dictionary keys are looked at once, so no string is copied per row.
pub(crate) async fn distinct_series(
    frame: DataFrame,
    found: &mut std::collections::HashSet<MetricSeries>,
) -> Result<()> {
    use datafusion::arrow::array::{Array, AsArray, StringArray};
    use datafusion::arrow::datatypes::Int32Type;
    use futures::StreamExt;

    let mut stream = frame.execute_stream().await?;
    while let Some(batch) = stream.next().await {
        let batch = batch?;
        let mut columns = Vec::with_capacity(3);
        for name in ["service", "metric", "labels"] {
            let column = crate::schema::column::<
                datafusion::arrow::array::DictionaryArray<Int32Type>,
            >(&batch, name)?;
            let values: &StringArray = column.values().as_string();
            columns.push((column.keys().values().as_ref(), values));
        }
        let mut keys: std::collections::HashSet<(i32, i32, i32)> = std::collections::HashSet::new();
        let mut previous = None;
        for row in 0..batch.num_rows() {
            let key = (columns[0].0[row], columns[1].0[row], columns[2].0[row]);
            if previous == Some(key) || !keys.insert(key) {
                previous = Some(key);
                continue;
            }
            previous = Some(key);
            let text = |column: usize, key: i32| -> Result<String> {
                let values = columns[column].1;
                usize::try_from(key)
                    .ok()
                    .filter(|at| *at < values.len())
                    .map(|at| values.value(at).to_string())
                    .ok_or_else(|| {
                        crate::StorageError::Encoding(format!("dictionary key {key} out of range"))
                    })
            };
            found.insert(MetricSeries {
                service: text(0, key.0)?,
                metric: text(1, key.1)?,
                labels: text(2, key.2)?,
            });
        }
    }
    Ok(())
}

/// `scan` returning only the stream columns (what [`distinct_streams`] reads).
pub(crate) fn stream_columns(scan: &Scan) -> Scan {
    scan.clone()
        .columns(&["tenant", "labels", "service", "level"])
}

/// Adds the distinct streams of `frame` (a [`stream_columns`] scan) to `found`.
pub(crate) async fn distinct_streams(
    frame: DataFrame,
    found: &mut std::collections::HashSet<StoredLogStream>,
) -> Result<()> {
    use datafusion::arrow::array::{Array, StringArray};
    use futures::StreamExt;

    let columns = ["tenant", "labels", "service", "level"];
    let frame = frame.aggregate(columns.iter().map(|c| col(*c)).collect(), vec![])?;
    let mut stream = frame.execute_stream().await?;
    while let Some(batch) = stream.next().await {
        let batch = batch?;
        let text = |name: &str| crate::schema::column::<StringArray>(&batch, name);
        let (tenant, labels, service, level) = (
            text("tenant")?,
            text("labels")?,
            text("service")?,
            text("level")?,
        );
        for row in 0..batch.num_rows() {
            found.insert(StoredLogStream {
                tenant: tenant.value(row).to_string(),
                labels: (!labels.is_null(row)).then(|| labels.value(row).to_string()),
                service: service.value(row).to_string(),
                level: level.value(row).to_string(),
            });
        }
    }
    Ok(())
}

/// What a scan reads of one part.
#[derive(Debug, PartialEq)]
pub(crate) enum PartSelection {
    Nothing,
    Everything,
    Rows(crate::series_index::RowRanges),
}

/// The index of a part: a metrics part's series index or a logs part's line index.
#[derive(Debug, Clone)]
pub(crate) enum SkipIndex {
    Series(Arc<PartIndex>),
    Lines(Arc<LineIndex>),
}

impl SkipIndex {
    /// The series index, if this is one.
    pub(crate) fn series(&self) -> Option<&PartIndex> {
        match self {
            SkipIndex::Series(index) => Some(index),
            SkipIndex::Lines(_) => None,
        }
    }
}

/// One part a scan may read.
pub(crate) struct PartSource {
    /// Absolute path.
    pub path: String,
    /// Its write order (`PartMeta::write_seq`).
    pub seq: u64,
    pub bytes: u64,
    pub rows: u64,
    /// Its index, when it has one that could be read.
    pub index: Option<SkipIndex>,
    /// The rows to read when a caller decided them itself (instead of the index's choice).
    pub only: Option<crate::series_index::RowRanges>,
}

/// The inputs of one scan, taken at one moment: buffered rows and part files.
pub(crate) struct Sources {
    /// Buffered rows, in the order they were inserted.
    pub buffered: Vec<RecordBatch>,
    /// Parts in the table's schema.
    pub parts: Vec<PartSource>,
    /// Metrics parts with encoded values (`value_codec`).
    pub encoded_parts: Vec<PartSource>,
}

impl Sources {
    /// The buffered rows and the parts of `table` that overlap `since..until`, each with its
    /// series index as `index_of` finds it.
    pub(crate) fn new(
        table: Table,
        buffered: Vec<RecordBatch>,
        parts: &[PartMeta],
        data_dir: &Path,
        (since, until): (i64, i64),
        index_of: impl Fn(&PartMeta) -> Option<SkipIndex>,
    ) -> Sources {
        let mut sources = Sources {
            buffered,
            parts: Vec::new(),
            encoded_parts: Vec::new(),
        };
        for part in parts.iter().filter(|p| p.may_hold(table, since, until)) {
            let source = PartSource {
                path: data_dir.join(&part.path).to_string_lossy().into_owned(),
                seq: part.write_seq(),
                bytes: part.bytes,
                rows: part.rows,
                index: index_of(part),
                only: None,
            };
            if part.format == ENCODED_VALUES_FORMAT {
                sources.encoded_parts.push(source);
            } else {
                sources.parts.push(source);
            }
        }
        sources
    }
}

/// The rows `scan` selects from `sources`, or `None` when there is nothing to read. Encoded parts
/// are read through `decode_value`, so every input has the table's schema (and, when the scan
/// asks for it, [`WRITE_ORDER`]).
pub(crate) async fn frame(
    ctx: &SessionContext,
    scan: &Scan,
    sources: Sources,
) -> Result<Option<DataFrame>> {
    let dictionaries = scan.dictionary_series && scan.table == Table::Metrics;
    let schema = if dictionaries {
        crate::series_rows::BUFFERED_METRICS_SCHEMA.clone()
    } else {
        scan.table.schema()
    };
    let order = scan.write_order;
    let mut inputs: Vec<DataFrame> = Vec::new();
    if let Some(first) = sources.buffered.first() {
        let needs_cast = first.schema().fields() != schema.fields();
        let buffered = if order {
            with_buffer_order(sources.buffered)?
        } else {
            sources.buffered
        };
        let buffered = ctx.read_batches(buffered)?;
        inputs.push(if needs_cast || order {
            // Buffered metrics carry the series columns as dictionaries (`series_rows`); the
            // union with parts needs the table's plain strings, unless the scan asks for
            // dictionaries (then the cast changes nothing).
            let mut columns: Vec<Expr> = schema
                .fields()
                .iter()
                .map(|field| cast(col(field.name()), field.data_type().clone()).alias(field.name()))
                .collect();
            if order {
                columns.push(col(WRITE_ORDER));
            }
            buffered.select(columns)?
        } else {
            buffered
        });
    }
    let parts = selected_parts(scan, sources.parts);
    if !parts.is_empty() {
        let columns: Vec<Expr> = schema.fields().iter().map(|f| col(f.name())).collect();
        inputs.extend(read_parts(ctx, parts, schema.clone(), columns, order)?);
    }
    let encoded_parts = selected_parts(scan, sources.encoded_parts);
    if !encoded_parts.is_empty() {
        let encoded_schema = if dictionaries {
            value_codec::ENCODED_DICTIONARY_SCHEMA.clone()
        } else {
            value_codec::ENCODED_METRICS_SCHEMA.clone()
        };
        let columns: Vec<Expr> = schema
            .fields()
            .iter()
            .map(|field| match field.name().as_str() {
                "value" => value_codec::DECODE_VALUE
                    .call(vec![col(value_codec::MANTISSA), col(value_codec::SCALE)])
                    .alias("value"),
                name => col(name),
            })
            .collect();
        inputs.extend(read_parts(
            ctx,
            encoded_parts,
            encoded_schema,
            columns,
            order,
        )?);
    }
    let predicate = scan.predicate();
    let mut inputs = inputs.into_iter();
    let Some(mut frame) = inputs.next() else {
        return Ok(None);
    };
    for input in inputs {
        frame = frame.union(input)?;
    }
    frame = frame.filter(predicate)?;
    if let Some(columns) = &scan.columns {
        let mut columns = columns.clone();
        if order {
            columns.push(WRITE_ORDER);
        }
        frame = frame.select_columns(&columns)?;
    }
    Ok(Some(frame))
}

/// Buffered batches (all of one schema) with their rows' write order appended, counting up from
/// [`BUFFER_WRITE_ORDER`] in the order given.
fn with_buffer_order(batches: Vec<RecordBatch>) -> Result<Vec<RecordBatch>> {
    let Some(first) = batches.first() else {
        return Ok(batches);
    };
    let mut fields: Vec<Field> = first
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields.push(Field::new(WRITE_ORDER, DataType::UInt64, false));
    let schema = Arc::new(Schema::new(fields));
    let mut next = BUFFER_WRITE_ORDER;
    let mut out = Vec::with_capacity(batches.len());
    for batch in batches {
        let rows = batch.num_rows() as u64;
        let order: ArrayRef = Arc::new(UInt64Array::from_iter_values(next..next + rows));
        next += rows;
        let mut columns = batch.columns().to_vec();
        columns.push(order);
        out.push(RecordBatch::try_new(schema.clone(), columns)?);
    }
    Ok(out)
}

/// The parts `scan` reads, each with its write order and what to read of it: parts with a
/// series index only where a series the scan may want has rows in its time range (none at all
/// when no series does), others whole.
fn selected_parts(scan: &Scan, parts: Vec<PartSource>) -> Vec<(PartRead, u64)> {
    let mut selected = Vec::with_capacity(parts.len());
    for part in parts {
        let selection = match (&part.only, &part.index) {
            (Some(only), _) => selection_of(only.clone(), part.rows),
            (None, Some(SkipIndex::Series(index))) => scan.part_rows(index, part.rows),
            (None, Some(SkipIndex::Lines(index))) => scan.line_part_rows(index, part.rows),
            (None, None) => PartSelection::Everything,
        };
        let ranges = match selection {
            PartSelection::Nothing => continue,
            PartSelection::Everything => None,
            PartSelection::Rows(ranges) => Some(ranges),
        };
        selected.push((
            PartRead {
                path: part.path,
                bytes: part.bytes,
                rows: part.rows,
                ranges,
            },
            part.seq,
        ));
    }
    selected
}

/// Frames reading `parts` (stored in `schema`) as `columns`: one frame over all of them, or —
/// with `order` — one per part, each with its write order as a constant [`WRITE_ORDER`] column.
fn read_parts(
    ctx: &SessionContext,
    parts: Vec<(PartRead, u64)>,
    schema: SchemaRef,
    columns: Vec<Expr>,
    order: bool,
) -> Result<Vec<DataFrame>> {
    if !order {
        let parts: Vec<PartRead> = parts.into_iter().map(|(part, _)| part).collect();
        let table = PartsTable::new(schema, parts);
        return Ok(vec![ctx.read_table(Arc::new(table))?.select(columns)?]);
    }
    let mut frames = Vec::with_capacity(parts.len());
    for (part, seq) in parts {
        let mut columns = columns.clone();
        columns.push(lit(seq).alias(WRITE_ORDER));
        let table = PartsTable::new(schema.clone(), vec![part]);
        frames.push(ctx.read_table(Arc::new(table))?.select(columns)?);
    }
    Ok(frames)
}

/// A timestamp literal of the tables' `ts` type.
pub fn ts_lit(ns: i64) -> Expr {
    lit(ScalarValue::TimestampNanosecond(
        Some(ns),
        Some("UTC".into()),
    ))
}

fn time_range(column: &str, since: i64, until: i64) -> Expr {
    col(column)
        .gt_eq(ts_lit(since))
        .and(col(column).lt(ts_lit(until)))
}

/// Escapes LIKE wildcards so `text` matches literally (escape character `\`).
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn like(expr: Expr, pattern: String, negated: bool) -> Expr {
    Expr::Like(Like::new(
        negated,
        Box::new(expr),
        Box::new(lit(pattern)),
        Some('\\'),
        false,
    ))
}

/// A predicate: `expr` contains `text` literally (case-sensitive).
pub fn contains_text(expr: Expr, text: &str) -> Expr {
    like(expr, format!("%{}%", like_literal(text)), false)
}

/// Whether a stored metrics series may pass a scan's filters (see [`Scan::series_test`]).
pub(crate) struct SeriesTest<'a> {
    scan: &'a Scan,
    labels: Vec<LabelText>,
}

impl SeriesTest<'_> {
    /// Whether rows of the indexed series `series` may pass the scan's filters.
    pub(crate) fn wants(&self, series: &IndexedSeries) -> bool {
        self.wants_key([
            &series.tenant,
            &series.service,
            &series.metric,
            &series.labels,
        ])
    }

    /// Whether rows of the series with key `[tenant, service, metric, labels]` may pass the
    /// scan's filters.
    pub(crate) fn wants_key(&self, [tenant, service, metric, labels]: [&str; 4]) -> bool {
        let scan = self.scan;
        if let TenantScope::One(wanted) = &scan.tenants
            && tenant != wanted
        {
            return false;
        }
        let value_of = |column: &str| -> Option<&str> {
            match column {
                "tenant" => Some(tenant),
                "service" => Some(service),
                "metric" => Some(metric),
                "labels" => Some(labels),
                _ => None,
            }
        };
        for (column, value) in &scan.equal {
            if value_of(column).is_some_and(|v| v != value) {
                return false;
            }
        }
        for (column, values) in &scan.one_of {
            if value_of(column).is_some_and(|v| !values.iter().any(|w| w == v)) {
                return false;
            }
        }
        if !self.labels.iter().all(|matcher| matcher.matches(labels)) {
            return false;
        }
        scan.series_filter.as_ref().is_none_or(|filter| {
            filter.wants(&StoredSeries {
                service,
                metric,
                labels,
            })
        })
    }
}

/// A label matcher as the texts it looks for in labels' JSON text: what [`label_predicate`]
/// decides for a row, decided in Rust for a series.
struct LabelText {
    /// `"key":"value",`
    pair_then_comma: String,
    /// `"key":"value"}`
    pair_then_brace: String,
    /// `"key":`, for a matcher of the empty value (an absent label equals it).
    key_colon: Option<String>,
    negated: bool,
}

impl LabelText {
    fn new(matcher: &LabelMatcher) -> LabelText {
        let key = serde_json::to_string(&matcher.name).unwrap_or_default();
        let value = serde_json::to_string(&matcher.value).unwrap_or_default();
        LabelText {
            pair_then_comma: format!("{key}:{value},"),
            pair_then_brace: format!("{key}:{value}}}"),
            key_colon: matcher.value.is_empty().then(|| format!("{key}:")),
            negated: matcher.op == MatchOp::NotEqual,
        }
    }

    fn matches(&self, labels: &str) -> bool {
        let has_pair =
            labels.contains(&self.pair_then_comma) || labels.ends_with(&self.pair_then_brace);
        let equal = match &self.key_colon {
            Some(key_colon) => has_pair || !labels.contains(key_colon.as_str()),
            None => has_pair,
        };
        equal != self.negated
    }
}

/// A label matcher as a predicate on the labels' JSON text.
///
/// The stored JSON is compact with sorted keys, and keys and values are JSON-escaped, so
/// `"k":"v"` followed by `,` or `}` occurs in the text exactly when the label `k` has value `v`
/// (a quote inside a value is escaped and cannot end a key or value early).
fn label_predicate(matcher: &LabelMatcher) -> Expr {
    let key = serde_json::to_string(&matcher.name).unwrap_or_default();
    let value = serde_json::to_string(&matcher.value).unwrap_or_default();
    let pair = like_literal(&format!("{key}:{value}"));
    let has_pair = like(col("labels"), format!("%{pair},%"), false).or(like(
        col("labels"),
        format!("%{pair}}}"),
        false,
    ));
    // An absent label equals the empty string, as in PromQL.
    let equal = if matcher.value.is_empty() {
        let any_value_for_key = like(col("labels"), format!("%{}:%", like_literal(&key)), false);
        has_pair.or(any_value_for_key.not())
    } else {
        has_pair
    };
    match matcher.op {
        MatchOp::Equal => equal,
        MatchOp::NotEqual => equal.not(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(like_literal(r"50%_a\b"), r"50\%\_a\\b");
    }
}
