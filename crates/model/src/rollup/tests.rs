//! Tests of `rollup`: exact figures, the quantile guarantee after merges (property test), the
//! stored form and its damage.

use proptest::prelude::*;

use super::*;

/// The value of rank `floor(q * (n - 1))`, the quantile the guarantee is stated against.
fn exact_quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[(q * (sorted.len() as f64 - 1.0)) as usize]
}

fn within_guarantee(estimate: f64, exact: f64) -> bool {
    // A hair of slack for the float rounding of the bucket bounds.
    (estimate - exact).abs() <= RELATIVE_ACCURACY * exact.abs() * (1.0 + 1e-12)
}

#[test]
fn keeps_count_sum_min_max_exactly() {
    let mut rollup = HourlyRollup::new();
    assert_eq!(
        (rollup.count(), rollup.min(), rollup.max(), rollup.mean()),
        (0, None, None, None)
    );
    assert_eq!(rollup.quantile(0.5), None);
    for v in [3.0, -1.5, 10.0, 0.0] {
        assert!(rollup.add(v));
    }
    assert!(!rollup.add(f64::NAN), "NaN is left out");
    assert!(!rollup.add(f64::INFINITY));
    assert_eq!(rollup.count(), 4);
    assert_eq!(rollup.sum(), 11.5);
    assert_eq!((rollup.min(), rollup.max()), (Some(-1.5), Some(10.0)));
    assert_eq!(rollup.mean(), Some(11.5 / 4.0));
    assert_eq!(rollup.quantile(0.0), Some(-1.5));
    assert_eq!(rollup.quantile(1.0), Some(10.0));
    assert_eq!(rollup.quantile(1.5), None);
    assert_eq!(rollup.quantile(-0.1), None);
    // Ranks 0..3 of [-1.5, 0, 3, 10]: q = 0.5 is rank 1, which is 0 exactly.
    assert_eq!(rollup.quantile(0.5), Some(0.0));
    let p75 = rollup.quantile(0.75).unwrap();
    assert!(within_guarantee(p75, 3.0), "{p75}");
}

#[test]
fn merging_adds_everything_and_empty_rollups_change_nothing() {
    let mut a = HourlyRollup::new();
    let mut b = HourlyRollup::new();
    for v in 1..=50 {
        a.add(v as f64);
    }
    for v in 51..=100 {
        b.add(v as f64);
    }
    let mut merged = a.clone();
    merged.merge(&b);
    merged.merge(&HourlyRollup::new());
    assert_eq!(merged.count(), 100);
    assert_eq!(merged.sum(), 5050.0);
    assert_eq!((merged.min(), merged.max()), (Some(1.0), Some(100.0)));
    let mut from_empty = HourlyRollup::new();
    from_empty.merge(&merged);
    assert_eq!(from_empty.quantile(0.99), merged.quantile(0.99));
    assert_eq!(from_empty.min(), Some(1.0));
    // p99 of 1..=100 is rank floor(0.99 * 99) = 98, the value 99.
    assert!(within_guarantee(merged.quantile(0.99).unwrap(), 99.0));
}

#[test]
fn the_stored_form_round_trips() {
    let mut rollup = HourlyRollup::new();
    for v in [0.5, 2.0, 2.0, 1e6, -3.0, 0.0] {
        rollup.add(v);
    }
    let bytes = rollup.to_bytes();
    let back = HourlyRollup::from_bytes(&bytes).unwrap();
    assert_eq!(
        (back.count(), back.sum(), back.min(), back.max()),
        (6, rollup.sum(), Some(-3.0), Some(1e6))
    );
    for q in [0.0, 0.1, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
        assert_eq!(back.quantile(q), rollup.quantile(q), "q = {q}");
    }
    // What was read back merges like what was written.
    let mut merged = back.clone();
    merged.merge(&rollup);
    assert_eq!(merged.count(), 12);
    let empty = HourlyRollup::from_bytes(&HourlyRollup::new().to_bytes()).unwrap();
    assert_eq!(
        (empty.count(), empty.min(), empty.quantile(0.5)),
        (0, None, None)
    );
}

#[test]
fn damaged_bytes_are_refused() {
    let mut rollup = HourlyRollup::new();
    for v in 1..100 {
        rollup.add(v as f64);
    }
    let bytes = rollup.to_bytes();
    for at in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x10;
        assert!(
            HourlyRollup::from_bytes(&damaged).is_err(),
            "a flip at byte {at}"
        );
    }
    assert!(HourlyRollup::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    assert!(HourlyRollup::from_bytes(&[]).is_err());
    assert_eq!(
        RollupError::Corrupt(String::new()).code(),
        ErrorCode::Internal
    );
}

#[test]
fn hours_start_on_the_hour() {
    assert_eq!(hour_start_ns(0), 0);
    assert_eq!(hour_start_ns(HOUR_NS - 1), 0);
    assert_eq!(hour_start_ns(HOUR_NS), HOUR_NS);
    assert_eq!(
        hour_start_ns(1_757_090_726_191_702_000),
        1_757_088_000_000_000_000
    );
    assert_eq!(hour_start_ns(-1), -HOUR_NS);
}

/// Values of magnitude 10^-6 to 10^9 (15 decades, within the sketch's 2048 buckets), either
/// sign, and some zeros.
fn wide_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => (-6.0f64..9.0).prop_map(|e| 10f64.powf(e)),
        3 => (-6.0f64..9.0).prop_map(|e| -10f64.powf(e)),
        1 => Just(0.0),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The guarantee on the module: p50, p95 and p99 (and any q) of rollups merged from any
    /// split of the values are within 1 % of the exact quantile, through the stored form too.
    #[test]
    fn merged_rollups_keep_the_relative_error_guarantee(
        values in prop::collection::vec(wide_value(), 1..600),
        parts in 1usize..8,
        q in 0.0f64..=1.0,
    ) {
        let mut merged = HourlyRollup::new();
        let chunk = values.len().div_ceil(parts);
        for part in values.chunks(chunk) {
            let mut rollup = HourlyRollup::new();
            for v in part {
                rollup.add(*v);
            }
            let stored = HourlyRollup::from_bytes(&rollup.to_bytes()).unwrap();
            merged.merge(&stored);
        }
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        prop_assert_eq!(merged.count(), values.len() as u64);
        for q in [0.5, 0.95, 0.99, q] {
            let estimate = merged.quantile(q).unwrap();
            let exact = exact_quantile(&sorted, q);
            prop_assert!(
                within_guarantee(estimate, exact),
                "q = {}: estimate {} exact {} over {} values", q, estimate, exact, values.len()
            );
        }
    }

    /// Bytes from anywhere are refused or read, never a panic.
    #[test]
    fn arbitrary_rollup_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = HourlyRollup::from_bytes(&bytes);
    }
}
