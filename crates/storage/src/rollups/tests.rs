//! Tests of `rollups`: the quantile guarantee over stored and merged rollup rows, and the
//! buffer's rollup keeping the last write of a timestamp.

use proptest::prelude::*;
use telemetryhub_model::rollup::{HOUR_NS, RELATIVE_ACCURACY};

use datafusion::arrow::array::{Float64Array, UInt64Array};

use super::*;

/// Rollup rows of one series and hour, one per group of `groups` (as several flushes write).
fn stored_rows(groups: &[Vec<f64>]) -> Vec<RecordBatch> {
    groups
        .iter()
        .filter_map(|values| {
            let mut rollup = HourlyRollup::new();
            for v in values {
                rollup.add(*v);
            }
            let mut rows = HourlyRows::new();
            rows.push(["t", "api", "m", "{}"], 7 * HOUR_NS, &rollup);
            rows.finish().unwrap()
        })
        .collect()
}

proptest! {
    /// However an hour's samples were split among flushes, the merged row counts, sums and
    /// bounds them exactly and its p50, p95 and p99 are within 1 % of the value of rank
    /// `floor(q * (n - 1))` — the guarantee read back from stored bytes.
    #[test]
    fn merged_stored_rows_keep_the_quantile_guarantee(
        groups in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![1e-3f64..1e6, -1e4f64..-1e-2, (0i32..50).prop_map(f64::from)],
                0..60,
            ),
            1..6,
        ),
    ) {
        let mut all: Vec<f64> = groups.iter().flatten().copied().collect();
        prop_assume!(!all.is_empty());
        all.sort_by(f64::total_cmp);
        let merged = merge_hours(&stored_rows(&groups)).unwrap().unwrap();
        prop_assert_eq!(merged.num_rows(), 1);
        let count = column::<UInt64Array>(&merged, "count").unwrap().value(0);
        prop_assert_eq!(count, all.len() as u64);
        let figure = |name| column::<Float64Array>(&merged, name).unwrap().value(0);
        let sum: f64 = all.iter().sum();
        prop_assert!((figure("sum") - sum).abs() <= 1e-9 * all.iter().map(|v| v.abs()).sum::<f64>());
        prop_assert_eq!(figure("min"), all[0]);
        prop_assert_eq!(figure("max"), all[all.len() - 1]);
        for (q, name) in [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")] {
            let exact = all[(q * (all.len() as f64 - 1.0)) as usize];
            let estimate = figure(name);
            prop_assert!(
                (estimate - exact).abs() <= RELATIVE_ACCURACY * exact.abs() * (1.0 + 1e-12),
                "{} = {} for {}", name, estimate, exact
            );
        }
    }
}

#[test]
fn the_buffers_rollup_keeps_the_last_write_of_a_timestamp() {
    use datafusion::arrow::array::StringArray;
    let schema = Arc::new(datafusion::arrow::datatypes::Schema::new(vec![
        datafusion::arrow::datatypes::Field::new(
            "tenant",
            datafusion::arrow::datatypes::DataType::Utf8,
            false,
        ),
        datafusion::arrow::datatypes::Field::new(
            "service",
            datafusion::arrow::datatypes::DataType::Utf8,
            false,
        ),
        datafusion::arrow::datatypes::Field::new(
            "metric",
            datafusion::arrow::datatypes::DataType::Utf8,
            false,
        ),
        datafusion::arrow::datatypes::Field::new(
            "labels",
            datafusion::arrow::datatypes::DataType::Utf8,
            false,
        ),
        Table::Metrics
            .schema()
            .field_with_name("ts")
            .unwrap()
            .clone(),
        datafusion::arrow::datatypes::Field::new(
            "value",
            datafusion::arrow::datatypes::DataType::Float64,
            false,
        ),
        datafusion::arrow::datatypes::Field::new(
            crate::WRITE_ORDER,
            datafusion::arrow::datatypes::DataType::UInt64,
            false,
        ),
    ]));
    let strings = |v: &str| Arc::new(StringArray::from(vec![v; 4])) as ArrayRef;
    // Two writes of ts 0 (the later, order 9, wins), one of ts 1 and one NaN in the next hour.
    let batch = RecordBatch::try_new(
        schema,
        vec![
            strings("t"),
            strings("api"),
            strings("m"),
            strings("{}"),
            Arc::new(TimestampNanosecondArray::from(vec![0, 1, 0, HOUR_NS]).with_timezone("UTC")),
            Arc::new(Float64Array::from(vec![5.0, 2.0, 4.0, f64::NAN])),
            Arc::new(UInt64Array::from(vec![3, 4, 9, 10])),
        ],
    )
    .unwrap();
    let rows = roll_up_rows(&[batch]).unwrap().unwrap();
    assert_eq!(rows.num_rows(), 1, "the hour of only NaN has no row");
    assert_eq!(column::<UInt64Array>(&rows, "count").unwrap().value(0), 2);
    assert_eq!(column::<Float64Array>(&rows, "sum").unwrap().value(0), 6.0);
    assert_eq!(column::<Float64Array>(&rows, "max").unwrap().value(0), 4.0);
}
