//! SQL over one tenant's telemetry and state, with DataFusion: the tables `metrics`, `logs`,
//! `spans`, `exemplars`, `anomalies` and `patterns` (`sql/tables.rs`), read-only, with a row
//! limit, a time limit and a memory limit, answered as JSON, CSV or an Arrow IPC stream
//! (`sql/encode.rs`).
//!
//! Isolation: the session's only catalog holds one schema, the caller's tables, each of which
//! reads through a scan scoped to the caller's tenant. There is no other catalog, no
//! `CREATE`, `INSERT`, `COPY` or `SET` (DataFusion's [`SQLOptions`] refuse DDL, DML and
//! statements), no URL tables (never enabled) and no table function that reads files (the
//! defaults are `generate_series` and `range`). `information_schema` is on: it shows these
//! tables only. `EXPLAIN ANALYZE` and `EXPLAIN VERBOSE` are refused: their row counts include
//! the rows of other tenants a scan reads from shared parts before filtering them out.
//!
//! Limits: the plan is wrapped in `LIMIT limit + 1`, so sorts become top-k and scans stop
//! early; the answer is written while batches stream in and stops at `limit` rows, or once the
//! body reaches the memory limit, flagged as truncated. Sorts, joins and aggregations may hold
//! at most the memory limit (DataFusion's memory pool, no spilling to disk); past it the query
//! fails. The whole query — planning, reading, writing the answer — runs under the time limit.

mod encode;
mod tables;

use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::catalog::{
    CatalogProvider, CatalogProviderList, MemoryCatalogProvider, MemoryCatalogProviderList,
};
use datafusion::error::DataFusionError;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::context::SQLOptions;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;
use telemetryhub_storage::{DataStore, StateStore, StorageError};

pub use encode::SqlFormat;
pub use tables::{SqlColumnDoc, SqlTableDoc, TABLE_NAMES, table_docs};

use crate::metrics::SQL_SECONDS;
use crate::{QueryError, Result};

/// The catalog and schema every table name resolves in.
const CATALOG: &str = "telemetryhub";
const SCHEMA: &str = "public";

/// Rows are written in slices of at most this many, so the answer's size is checked often.
const WRITE_SLICE_ROWS: usize = 1024;

/// One SQL query on behalf of a tenant, with its limits (the server has checked them against
/// its maxima).
#[derive(Debug, Clone)]
pub struct SqlRequest {
    /// Whose data the tables hold.
    pub tenant: String,
    /// The SQL text: one query.
    pub query: String,
    /// How the answer is written.
    pub format: SqlFormat,
    /// The most rows answered; more are cut off and the answer flagged as truncated.
    pub limit: usize,
    /// The longest the query may take, answer included.
    pub timeout: Duration,
    /// The most memory the query's operators may hold, and the largest answer body (past it
    /// the answer is truncated), in bytes.
    pub max_memory_bytes: usize,
}

/// The answer to a SQL query.
#[derive(Debug, Clone)]
pub struct SqlAnswer {
    /// The body, in the asked format.
    pub body: Vec<u8>,
    /// Its format.
    pub format: SqlFormat,
    /// Rows in the body.
    pub rows: usize,
    /// Whether rows were left out (the row limit or the size limit was reached).
    pub truncated: bool,
}

/// Runs one SQL query over the tenant's tables; see the module's description.
pub(crate) async fn run(
    data: Arc<dyn DataStore>,
    state: Arc<dyn StateStore>,
    request: &SqlRequest,
) -> Result<SqlAnswer> {
    let started = Instant::now();
    let result = match tokio::time::timeout(request.timeout, execute(data, state, request)).await {
        Ok(result) => result,
        Err(_) => Err(QueryError::Timeout(request.timeout)),
    };
    let outcome = match &result {
        Ok(answer) if answer.truncated => "truncated",
        Ok(_) => "ok",
        Err(QueryError::Timeout(_)) => "timeout",
        Err(QueryError::InvalidSql(_) | QueryError::MemoryExhausted(_)) => "invalid",
        Err(_) => "error",
    };
    SQL_SECONDS
        .with_label_values(&[outcome])
        .observe(started.elapsed().as_secs_f64());
    result
}

async fn execute(
    data: Arc<dyn DataStore>,
    state: Arc<dyn StateStore>,
    request: &SqlRequest,
) -> Result<SqlAnswer> {
    let ctx = session(data, state, &request.tenant, request.max_memory_bytes)?;
    let options = SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false);
    let mut frame = ctx
        .sql_with_options(&request.query, options)
        .await
        .map_err(classify)?;
    // EXPLAIN ANALYZE counts the rows each operator saw, and EXPLAIN VERBOSE shows the parts'
    // row counts; a scan reads parts shared by all tenants before its tenant filter, so either
    // would tell how much others store.
    let counts_rows = match frame.logical_plan() {
        LogicalPlan::Analyze(_) => true,
        LogicalPlan::Explain(explain) => explain.verbose,
        _ => false,
    };
    if counts_rows {
        return Err(QueryError::InvalidSql(
            "EXPLAIN ANALYZE and EXPLAIN VERBOSE are not available (their figures count rows \
             of other tenants); EXPLAIN shows the plan"
                .into(),
        ));
    }
    // One row past the limit tells a complete answer from a cut one. EXPLAIN and DESCRIBE
    // must stay at the root of their plans, and answer a few rows anyway.
    if !matches!(
        frame.logical_plan(),
        LogicalPlan::Explain(_) | LogicalPlan::DescribeTable(_)
    ) {
        frame = frame
            .limit(0, Some(request.limit.saturating_add(1)))
            .map_err(classify)?;
    }
    let mut stream = frame.execute_stream().await.map_err(classify)?;
    let format = request.format;
    let encode_error = |e: datafusion::arrow::error::ArrowError| {
        QueryError::InvalidSql(format!("the answer cannot be written as {format:?}: {e}"))
    };
    let mut writer = encode::BodyWriter::new(format, &stream.schema()).map_err(encode_error)?;
    let mut rows = 0;
    let mut truncated = false;
    'batches: while let Some(batch) = stream.next().await {
        let batch = batch.map_err(classify)?;
        let mut offset = 0;
        while offset < batch.num_rows() {
            if rows >= request.limit || writer.len() >= request.max_memory_bytes {
                truncated = true;
                break 'batches;
            }
            let length = (batch.num_rows() - offset)
                .min(WRITE_SLICE_ROWS)
                .min(request.limit - rows);
            writer
                .write(&batch.slice(offset, length))
                .map_err(encode_error)?;
            rows += length;
            offset += length;
        }
    }
    // Dropping the stream stops whatever DataFusion still runs for it.
    drop(stream);
    Ok(SqlAnswer {
        body: writer.finish(truncated).map_err(encode_error)?,
        format,
        rows,
        truncated,
    })
}

/// A session whose only tables are the tenant's, with the memory limit and no spilling.
fn session(
    data: Arc<dyn DataStore>,
    state: Arc<dyn StateStore>,
    tenant: &str,
    max_memory_bytes: usize,
) -> Result<SessionContext> {
    let mut config = SessionConfig::new()
        .with_target_partitions(2)
        .with_information_schema(true)
        .with_create_default_catalog_and_schema(false)
        .with_default_catalog_and_schema(CATALOG, SCHEMA);
    let options = config.options_mut();
    options.execution.parquet.pushdown_filters = true;
    options.execution.parquet.reorder_filters = true;
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_limit(max_memory_bytes, 1.0)
        .with_disk_manager_builder(
            DiskManagerBuilder::default().with_mode(DiskManagerMode::Disabled),
        )
        .build_arc()?;
    let catalog = MemoryCatalogProvider::new();
    catalog.register_schema(
        SCHEMA,
        Arc::new(tables::TenantTables::new(tenant.to_string(), data, state)),
    )?;
    let catalogs = MemoryCatalogProviderList::new();
    catalogs.register_catalog(CATALOG.to_string(), Arc::new(catalog));
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_runtime_env(runtime)
        .with_catalog_list(Arc::new(catalogs))
        .with_default_features()
        .build();
    Ok(SessionContext::new_with_state(state))
}

/// What a DataFusion error means for the caller: the query's fault (400 with DataFusion's
/// message), the memory limit, the store's (its own class), or ours.
fn classify(error: DataFusionError) -> QueryError {
    let message = error.to_string();
    match error {
        DataFusionError::Diagnostic(_, inner) => classify(*inner),
        DataFusionError::Context(context, inner) => match classify(*inner) {
            QueryError::InvalidSql(inner) => QueryError::InvalidSql(format!("{context}: {inner}")),
            other => other,
        },
        // The planner's words for an unknown table, completed with the tables there are.
        DataFusionError::Plan(text) if text.starts_with("table '") && text.ends_with("not found") => {
            QueryError::InvalidSql(format!("{message}; the tables are {}", TABLE_NAMES.join(", ")))
        }
        DataFusionError::Shared(shared) => match Arc::try_unwrap(shared) {
            Ok(inner) => classify(inner),
            Err(shared) => classify_by_root(&shared, message),
        },
        DataFusionError::Collection(errors) => match errors.into_iter().next() {
            Some(first) => classify(first),
            None => QueryError::Execution(message),
        },
        DataFusionError::External(inner) => match inner.downcast::<StorageError>() {
            Ok(storage) => QueryError::Storage(*storage),
            Err(inner) => match inner.downcast::<DataFusionError>() {
                Ok(nested) => classify(*nested),
                Err(_) => QueryError::Execution(message),
            },
        },
        DataFusionError::ArrowError(arrow, _) => {
            use datafusion::arrow::error::ArrowError;
            match *arrow {
                ArrowError::ExternalError(inner) => match inner.downcast::<DataFusionError>() {
                    Ok(nested) => classify(*nested),
                    Err(inner) => match inner.downcast::<StorageError>() {
                        Ok(storage) => QueryError::Storage(*storage),
                        Err(_) => QueryError::Execution(message),
                    },
                },
                arrow if computed_wrongly(&arrow) => QueryError::InvalidSql(message),
                _ => QueryError::Execution(message),
            }
        }
        DataFusionError::SQL(..)
        | DataFusionError::Plan(_)
        | DataFusionError::SchemaError(..)
        | DataFusionError::NotImplemented(_)
        | DataFusionError::Configuration(_)
        // DataFusion reports what a query computes wrongly (a bad regex, an unparsable
        // timestamp) as execution errors; its own faults are `Internal`.
        | DataFusionError::Execution(_) => QueryError::InvalidSql(message),
        DataFusionError::ResourcesExhausted(_) => QueryError::MemoryExhausted(message),
        _ => QueryError::Execution(message),
    }
}

/// [`classify`] of an error shared by several streams (so not ours to take apart), by its root
/// cause; a store error inside it counts as ours.
fn classify_by_root(error: &DataFusionError, message: String) -> QueryError {
    match error.find_root() {
        DataFusionError::ResourcesExhausted(_) => QueryError::MemoryExhausted(message),
        DataFusionError::SQL(..)
        | DataFusionError::Plan(_)
        | DataFusionError::SchemaError(..)
        | DataFusionError::NotImplemented(_)
        | DataFusionError::Configuration(_)
        | DataFusionError::Execution(_) => QueryError::InvalidSql(message),
        DataFusionError::ArrowError(arrow, _) if computed_wrongly(arrow) => {
            QueryError::InvalidSql(message)
        }
        _ => QueryError::Execution(message),
    }
}

/// Whether an Arrow error is the query's doing: a value it computes cannot be computed.
fn computed_wrongly(error: &datafusion::arrow::error::ArrowError) -> bool {
    use datafusion::arrow::error::ArrowError;
    matches!(
        error,
        ArrowError::CastError(_)
            | ArrowError::ParseError(_)
            | ArrowError::ComputeError(_)
            | ArrowError::DivideByZero
            | ArrowError::ArithmeticOverflow(_)
            | ArrowError::InvalidArgumentError(_)
            | ArrowError::NotYetImplemented(_)
            | ArrowError::SchemaError(_)
    )
}

#[cfg(test)]
mod tests;
