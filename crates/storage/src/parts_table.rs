//! Parts as one DataFusion table: each part read by DataFusion's Parquet source (so the scan's
//! filters are still pushed into the reader: statistics, page index, row filters), optionally
//! only some of its rows — those its series index selected for a scan (`series_index.rs`),
//! given to the reader as a `ParquetRowSelection`, so pages without a selected row are neither
//! read nor decoded.
//!
//! `SessionContext::read_parquet` lists files itself and cannot carry a selection per file;
//! this table is the same reader with the files given.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::datasource::TableType;
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::PartitionedFile;
use datafusion::datasource::object_store::ObjectStoreUrl;
use datafusion::datasource::physical_plan::parquet::ParquetRowSelection;
use datafusion::datasource::physical_plan::{FileGroup, FileScanConfigBuilder};
use datafusion::datasource::table_schema::TableSchema;
use datafusion::error::Result as DfResult;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::parquet::arrow::arrow_reader::RowSelection;
use datafusion::physical_plan::ExecutionPlan;

use crate::series_index::RowRanges;

/// One part to read: its absolute path, size in bytes, and — when not all of it — the row
/// ranges to read of its `rows` rows.
pub(crate) struct PartRead {
    pub path: String,
    pub bytes: u64,
    pub rows: u64,
    pub ranges: Option<RowRanges>,
}

/// Parts read as one table of `schema` (the parts' schema, or one their columns cast to).
#[derive(Debug)]
pub(crate) struct PartsTable {
    schema: SchemaRef,
    files: Vec<PartitionedFile>,
}

impl PartsTable {
    pub(crate) fn new(schema: SchemaRef, parts: Vec<PartRead>) -> PartsTable {
        let files = parts
            .into_iter()
            .map(|part| {
                let file = PartitionedFile::new(part.path, part.bytes);
                match part.ranges {
                    Some(ranges) => {
                        let selection = RowSelection::from_consecutive_ranges(
                            ranges.iter().map(|r| r.start as usize..r.end as usize),
                            part.rows as usize,
                        );
                        file.with_extension(ParquetRowSelection::new(selection))
                    }
                    None => file,
                }
            })
            .collect();
        PartsTable { schema, files }
    }
}

#[async_trait]
impl TableProvider for PartsTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> DfResult<Vec<TableProviderFilterPushDown>> {
        // As a listing table: the filters also stay above the scan.
        Ok(vec![TableProviderFilterPushDown::Inexact; filters.len()])
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        // The session's Parquet options (filter push-down), as `read_parquet` takes them.
        let format = ParquetFormat::default().with_options(state.table_options().parquet.clone());
        let source = format.file_source(TableSchema::from(self.schema.clone()));
        let partitions = state
            .config()
            .target_partitions()
            .clamp(1, self.files.len().max(1));
        let mut groups: Vec<Vec<PartitionedFile>> = vec![Vec::new(); partitions];
        for (at, file) in self.files.iter().enumerate() {
            groups[at % partitions].push(file.clone());
        }
        let config = FileScanConfigBuilder::new(ObjectStoreUrl::local_filesystem(), source)
            .with_file_groups(groups.into_iter().map(FileGroup::new).collect())
            .with_projection_indices(projection.cloned())?
            .with_limit(limit)
            .build();
        format.create_physical_plan(state, config).await
    }
}
