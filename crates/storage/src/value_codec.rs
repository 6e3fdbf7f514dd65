//! How metric values are stored in parts: as a decimal mantissa and scale, not as float bits.
//!
//! Most metric values are decimals with few digits (counters, gauges rounded by their
//! exporters), yet their float bits look random below the first few: byte-stream-split + ZSTD
//! keeps about 4 bytes of a random-walk gauge. Written as `value = mantissa / 10^scale`, one
//! scale per series run, consecutive mantissas of a series differ by small integers, which
//! Parquet's delta encoding packs into a few bits (measured: 3.7 → 1.2 bytes per point for the
//! benchmark's mixed counters and gauges, `docs/benchmarks.md`). This is the idea of
//! VictoriaMetrics' decimal conversion, done per part.
//!
//! Exactness: a value is encoded with a scale only if decoding gives back the same bits;
//! otherwise (too many digits, `-0.0`, huge magnitudes, NaN with its payload — Prometheus'
//! staleness marker is one — and ±Inf) its mantissa holds the raw `f64` bits and
//! its scale is [`RAW`]. Decoding is the same division the encoder checked, so every stored value
//! reads back bit for bit.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, Float64Array, Int8Array, Int64Array, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::cast::{as_int8_array, as_int64_array};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF, Volatility, create_udf};

use crate::schema::{Table, column, column_as};
use crate::{Result, StorageError};

/// The mantissa column of encoded parts.
pub(crate) const MANTISSA: &str = "value_mantissa";
/// The scale column of encoded parts.
pub(crate) const SCALE: &str = "value_scale";
/// The scale of a value stored as its raw `f64` bits.
pub(crate) const RAW: i8 = -1;
/// The largest decimal scale tried.
const MAX_SCALE: usize = 9;
/// Mantissas stay below 2^53 so that they convert to `f64` exactly.
const MAX_MANTISSA: f64 = 9_007_199_254_740_992.0;
const POW10: [f64; MAX_SCALE + 1] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// The value of a stored mantissa and scale.
pub(crate) fn decode(mantissa: i64, scale: i8) -> f64 {
    match usize::try_from(scale).ok().and_then(|s| POW10.get(s)) {
        Some(power) => mantissa as f64 / power,
        None => f64::from_bits(mantissa as u64),
    }
}

/// Appends the values of `mantissas` stored at one `scale` to `out` ([`decode`] of each; one
/// loop without a branch per value, which the compiler vectorises).
pub(crate) fn decode_run(mantissas: &[i64], scale: i8, out: &mut Vec<f64>) {
    match usize::try_from(scale).ok().and_then(|s| POW10.get(s)) {
        Some(&power) => out.extend(mantissas.iter().map(|&m| m as f64 / power)),
        None => out.extend(mantissas.iter().map(|&m| f64::from_bits(m as u64))),
    }
}

/// The mantissa of `value` at `scale`, if it decodes back to exactly `value`.
fn mantissa_at(value: f64, scale: usize) -> Option<i64> {
    let scaled = (value * POW10[scale]).round();
    // Also false for the NaN an infinite value scales to.
    let fits = scaled.abs() < MAX_MANTISSA;
    if !fits {
        return None;
    }
    let mantissa = scaled as i64;
    (decode(mantissa, scale as i8).to_bits() == value.to_bits()).then_some(mantissa)
}

/// The smallest scale at which `value` is exact, if any.
fn smallest_scale(value: f64) -> Option<usize> {
    (0..=MAX_SCALE).find(|scale| mantissa_at(value, *scale).is_some())
}

/// Encodes values; `runs` are the `[start, end)` row ranges of one series each. A run gets the
/// largest of its values' smallest exact scales, so its mantissas share one unit.
pub(crate) fn encode(values: &[f64], runs: &[(usize, usize)]) -> (Vec<i64>, Vec<i8>) {
    let mut mantissas = Vec::with_capacity(values.len());
    let mut scales = Vec::with_capacity(values.len());
    for (start, end) in runs {
        let run = &values[*start..*end];
        let scale = run.iter().filter_map(|v| smallest_scale(*v)).max();
        for value in run {
            match scale.and_then(|s| mantissa_at(*value, s).map(|m| (m, s))) {
                Some((mantissa, scale)) => {
                    mantissas.push(mantissa);
                    scales.push(scale as i8);
                }
                None => {
                    mantissas.push(value.to_bits() as i64);
                    scales.push(RAW);
                }
            }
        }
    }
    (mantissas, scales)
}

/// The schema of encoded metrics parts: the metrics schema with `value` replaced by
/// `value_mantissa` and `value_scale`.
pub(crate) static ENCODED_METRICS_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut fields: Vec<Field> = Table::Metrics
        .schema()
        .fields()
        .iter()
        .filter(|f| f.name() != "value")
        .map(|f| f.as_ref().clone())
        .collect();
    fields.push(Field::new(MANTISSA, DataType::Int64, false));
    fields.push(Field::new(SCALE, DataType::Int8, false));
    Arc::new(Schema::new(fields))
});

/// [`ENCODED_METRICS_SCHEMA`] with the series columns dictionary-encoded, as flushes from the
/// buffer write it (the Parquet data is the same; only the Arrow type recorded in the file
/// differs, and readers ask for plain strings).
pub(crate) static ENCODED_DICTIONARY_SCHEMA: LazyLock<SchemaRef> =
    LazyLock::new(|| with_dictionary_series(&ENCODED_METRICS_SCHEMA));

/// The metrics schema with the series columns as dictionaries, as compaction holds its inputs.
static METRICS_DICTIONARY_SCHEMA: LazyLock<SchemaRef> =
    LazyLock::new(|| with_dictionary_series(&Table::Metrics.schema()));

/// `schema` with its series columns ([`crate::series_rows::KEY_COLUMNS`]) as dictionaries.
fn with_dictionary_series(schema: &Schema) -> SchemaRef {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|field| {
            if crate::series_rows::KEY_COLUMNS.contains(&field.name().as_str()) {
                Field::new(field.name(), crate::series_rows::dictionary_type(), false)
            } else {
                field.as_ref().clone()
            }
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// Row ranges of consecutive rows with the same tenant, service, metric and labels.
fn series_runs(batch: &RecordBatch) -> Result<Vec<(usize, usize)>> {
    let keys = crate::series_rows::KEY_COLUMNS
        .iter()
        .map(|name| crate::schema::str_column(batch, name))
        .collect::<Result<Vec<_>>>()?;
    let mut runs = Vec::new();
    let mut start = 0;
    for row in 1..batch.num_rows() {
        if keys.iter().any(|k| k.value(row) != k.value(row - 1)) {
            runs.push((start, row));
            start = row;
        }
    }
    if batch.num_rows() > 0 {
        runs.push((start, batch.num_rows()));
    }
    Ok(runs)
}

/// A sorted metrics batch in the encoded schema.
pub(crate) fn encode_metrics(batch: &RecordBatch) -> Result<RecordBatch> {
    let values = column::<Float64Array>(batch, "value")?;
    let (mantissas, scales) = encode(values.values(), &series_runs(batch)?);
    let mantissas: ArrayRef = Arc::new(Int64Array::from(mantissas));
    let scales: ArrayRef = Arc::new(Int8Array::from(scales));
    // Series columns stay as they come: dictionaries (compaction) or plain strings.
    let schema = match batch.column_by_name("labels").map(|c| c.data_type()) {
        Some(DataType::Dictionary(..)) => ENCODED_DICTIONARY_SCHEMA.clone(),
        _ => ENCODED_METRICS_SCHEMA.clone(),
    };
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(7);
    for field in schema.fields() {
        match field.name().as_str() {
            MANTISSA => columns.push(mantissas.clone()),
            SCALE => columns.push(scales.clone()),
            name => columns.push(
                batch
                    .column_by_name(name)
                    .cloned()
                    .ok_or_else(|| StorageError::Encoding(format!("column {name} is missing")))?,
            ),
        }
    }
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// A metrics batch of a part (encoded or not) in the metrics schema with the series columns as
/// dictionaries ([`crate::series_rows::dictionary_type`]), for compaction: its memory stays
/// near the part's size instead of one string per row.
pub(crate) fn metrics_with_dictionaries(batch: &RecordBatch) -> Result<RecordBatch> {
    let schema = METRICS_DICTIONARY_SCHEMA.clone();
    let values: Option<ArrayRef> = if is_encoded(batch) {
        Some(Arc::new(decode_arrays(
            column::<Int64Array>(batch, MANTISSA)?,
            column::<Int8Array>(batch, SCALE)?,
        )))
    } else {
        None
    };
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for field in schema.fields() {
        match (field.name().as_str(), &values) {
            ("value", Some(values)) => columns.push(values.clone()),
            _ => columns.push(column_as(batch, field)?),
        }
    }
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// An encoded metrics batch back in the metrics schema.
pub(crate) fn decode_metrics(batch: &RecordBatch) -> Result<RecordBatch> {
    let values: ArrayRef = Arc::new(decode_arrays(
        column::<Int64Array>(batch, MANTISSA)?,
        column::<Int8Array>(batch, SCALE)?,
    ));
    let schema = Table::Metrics.schema();
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for field in schema.fields() {
        match field.name().as_str() {
            "value" => columns.push(values.clone()),
            // Parts written from the buffer hold the series columns as dictionaries.
            _ => columns.push(column_as(batch, field)?),
        }
    }
    Ok(RecordBatch::try_new(schema, columns)?)
}

fn decode_arrays(mantissas: &Int64Array, scales: &Int8Array) -> Float64Array {
    mantissas
        .values()
        .iter()
        .zip(scales.values().iter())
        .map(|(mantissa, scale)| decode(*mantissa, *scale))
        .collect::<Vec<f64>>()
        .into()
}

/// `decode_value(value_mantissa, value_scale)`: the scalar function queries use to read
/// encoded parts as plain values.
pub(crate) static DECODE_VALUE: LazyLock<ScalarUDF> = LazyLock::new(|| {
    create_udf(
        "decode_value",
        vec![DataType::Int64, DataType::Int8],
        DataType::Float64,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let [mantissas, scales] = arrays.as_slice() else {
                return Err(datafusion::error::DataFusionError::Internal(
                    "decode_value takes two arguments".into(),
                ));
            };
            let decoded = decode_arrays(as_int64_array(mantissas)?, as_int8_array(scales)?);
            Ok(ColumnarValue::Array(Arc::new(decoded) as ArrayRef))
        }),
    )
});

/// Whether a batch read from a part is in the encoded schema.
pub(crate) fn is_encoded(batch: &RecordBatch) -> bool {
    batch.column_by_name(MANTISSA).is_some() && batch.column_by_name("value").is_none()
}

#[cfg(test)]
mod tests {
    use proptest::strategy::Strategy;

    use super::*;

    fn round_trip(values: &[f64], runs: &[(usize, usize)]) -> (Vec<i64>, Vec<i8>) {
        let (mantissas, scales) = encode(values, runs);
        for (i, value) in values.iter().enumerate() {
            assert_eq!(
                decode(mantissas[i], scales[i]).to_bits(),
                value.to_bits(),
                "value {value} at {i}"
            );
        }
        // Runs of one scale decode alike through decode_run.
        let mut start = 0;
        while start < values.len() {
            let end = (start..values.len())
                .find(|&i| scales[i] != scales[start])
                .unwrap_or(values.len());
            let mut decoded = Vec::new();
            decode_run(&mantissas[start..end], scales[start], &mut decoded);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&decoded), bits(&values[start..end]));
            start = end;
        }
        (mantissas, scales)
    }

    #[test]
    fn decimals_share_a_scale_and_the_rest_stay_raw() {
        let values = [523.417, 523.5, 524.0, 0.1 + 0.2, -0.0, 1e300, 7.0, 8.0];
        let (mantissas, scales) = round_trip(&values, &[(0, 3), (3, 6), (6, 8)]);
        assert_eq!(&mantissas[..3], &[523_417, 523_500, 524_000]);
        assert_eq!(&scales[..3], &[3, 3, 3]);
        assert_eq!(scales[3], RAW, "0.30000000000000004 has 17 digits");
        assert_eq!(scales[4], RAW, "-0.0 keeps its sign bit");
        assert_eq!(&mantissas[6..], &[7, 8]);
        assert_eq!(&scales[6..], &[0, 0]);
    }

    proptest::proptest! {
        /// Every finite value reads back bit for bit, whatever its run.
        #[test]
        fn any_finite_value_round_trips(
            values in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
                    (-1_000_000_000i64..1_000_000_000, 0u32..7).prop_map(|(m, s)| m as f64 / 10f64.powi(s as i32)),
                ],
                1..50,
            ),
            split in 0usize..50,
        ) {
            let split = split.min(values.len());
            let runs = [(0, split), (split, values.len())];
            round_trip(&values, &runs);
        }

        /// Every `f64` reads back bit for bit: NaNs with any payload and sign (Prometheus'
        /// staleness marker among them) and ±Inf stay raw, beside decimals of their run.
        #[test]
        fn any_value_round_trips_even_nan_payloads(
            values in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::num::u64::ANY.prop_map(f64::from_bits),
                    proptest::prop_oneof![
                        proptest::strategy::Just(telemetryhub_model::STALE_NAN_BITS),
                        proptest::strategy::Just(f64::INFINITY.to_bits()),
                        proptest::strategy::Just(f64::NEG_INFINITY.to_bits()),
                        (0u64..(1 << 52)).prop_map(|payload| 0x7ff0_0000_0000_0000 | payload.max(1)),
                        (0u64..(1 << 52)).prop_map(|payload| 0xfff0_0000_0000_0000 | payload.max(1)),
                    ]
                    .prop_map(f64::from_bits),
                    (-1_000_000i64..1_000_000).prop_map(|m| m as f64 / 100.0),
                ],
                1..50,
            ),
            split in 0usize..50,
        ) {
            let split = split.min(values.len());
            let runs = [(0, split), (split, values.len())];
            let (_, scales) = round_trip(&values, &runs);
            for (value, scale) in values.iter().zip(&scales) {
                if !value.is_finite() {
                    proptest::prop_assert_eq!(*scale, RAW);
                }
            }
        }
    }
}
