//! The seasonal profile of a series: what it usually is at this time of day, and at this hour of
//! this day of the week, learnt online from timestamped points.
//!
//! Each time slot (48 half hours of the day, 168 hours of the week, UTC) keeps an exponentially
//! weighted mean and mean absolute deviation, weighted by period (the values of one day share a
//! day's weight), so that both span several days and the deviation holds how much days differ,
//! not only the noise within one. Updates far from a slot's mean are clipped (a
//! Huber-style update), so an incident moves the profile only a little. A slot is trusted once
//! it has seen values on two different days (weeks): the weekly slot is preferred
//! once trusted — it knows that Sunday differs from Monday — and the daily one until then.
//!
//! Because of the clipping, a departure that comes back at the same time every day (a nightly
//! backup's spike, one value of its half hour) never enters a slot's mean or spread; so each
//! half hour of the day also remembers the largest distance from the expected value it showed
//! on its previous day, and the statistical model counts only what goes well beyond it.

use crate::config::MEAN_ABSOLUTE_TO_SD;

/// Half-hour slots of the day.
const DAY_SLOTS: usize = 48;
/// Hour slots of the week.
const WEEK_SLOTS: usize = 168;
const NS_PER_DAY: i64 = 86_400_000_000_000;
const NS_PER_WEEK: i64 = 7 * NS_PER_DAY;
/// The smallest weight of a new period (day or week) in its slot, shared by the values the slot
/// sees in it: the profile follows slow changes over a few periods. Weighting each value alone
/// made a slot of a minute series (30 values a half hour) the last period it saw: its mean
/// chased each day's level and its deviation held only that day's noise, so that a nightly job
/// a little larger than the night before was far out. Over several periods, the deviation holds
/// how much the days differ. Chosen among 0.1–0.3 by the mean of NAB's cross-validated score and
/// the `daily` and `varied` corpora's (docs/benchmarks.md): NAB's figure is the same at every
/// value measured, so the two corpora's in-sample scores decided it.
const PERIOD_WEIGHT: f64 = 0.25;
/// Weight of the last complete period in the slot's running count of values per period, which
/// shares a period's weight among its values. A running count, not the slot's lifetime
/// average: a series scraped every minute for two months, then every five minutes, would
/// otherwise weigh a new day 0.05, a fifth of `PERIOD_WEIGHT`, and take weeks to learn a change.
/// A half follows a new cadence within a few periods (an eighth of the old one left after
/// three) and smooths a period with a gap.
const CADENCE_WEIGHT: f32 = 0.5;
/// Residuals are clipped to this many mean absolute deviations before they update a slot...
const CLIP: f64 = 3.0;
/// ...once the slot has seen this many values (its deviation means something).
const CLIP_AFTER: u32 = 8;

/// One time slot. Stored as a tuple (a CBOR map spelt its field names out in every one of the
/// 216 slots: 14 KB of a series' state, 6 KB as tuples); maps, as model versions up to 5 stored
/// it, and the five-field tuples of versions 6 to 11 still load.
/// Packed to 28 bytes with the period as `i32` (a day number fits: an `i64` of nanoseconds
/// spans 106,752 days) and the running count of values per period as a bfloat16 (a count's
/// average needs no more than its first three digits): the slots' share of the state stays as
/// it was before the running count.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
#[serde(into = "SlotTuple", from = "SlotState")]
#[repr(C, packed(4))]
struct Slot {
    /// Values seen in this slot.
    count: u32,
    /// Values seen in the current period (the period of the last value); saturates.
    in_period: u16,
    /// Running count of values per complete period (see `CADENCE_WEIGHT`); 0 before the first
    /// period completes.
    per_period: half::bf16,
    /// The period (day or week number) of the last value.
    last_period: i32,
    mean: f64,
    /// Mean absolute deviation from `mean`.
    deviation: f64,
}

/// The largest running count of values per period kept: the largest bfloat16 that is also an
/// `f16` (65,280; ciborium writes a float in the shortest width that holds it exactly, so a
/// stored count, 0 or from 1 to this, is 3 bytes of CBOR). The count of one period stops at
/// 65,535 (`u16`) anyway.
const MAX_PER_PERIOD: f32 = 65_280.0;

/// A running count as kept: 0 (none yet), or from 1 (a period brings one value at least) to
/// [`MAX_PER_PERIOD`]; not NaN.
fn running_count(count: f32) -> half::bf16 {
    half::bf16::from_f32(match count {
        count if count > 0.0 => count.clamp(1.0, MAX_PER_PERIOD),
        _ => 0.0,
    })
}

/// A slot as stored: count, values in the current period, last period, mean, deviation, running
/// values per period.
type SlotTuple = (u32, u32, i64, f64, f64, f32);

/// A slot as stored by model versions 6 to 11: count, periods, last period, mean, deviation.
type SlotTupleV11 = (u32, u32, i64, f64, f64);

/// A slot as stored by any version.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum SlotState {
    Tuple(SlotTuple),
    TupleV11(SlotTupleV11),
    Map {
        count: u32,
        periods: u32,
        last_period: i64,
        mean: f64,
        deviation: f64,
    },
}

impl From<Slot> for SlotTuple {
    fn from(slot: Slot) -> SlotTuple {
        (
            slot.count,
            u32::from(slot.in_period),
            i64::from(slot.last_period),
            slot.mean,
            slot.deviation,
            slot.per_period.to_f32(),
        )
    }
}

impl From<SlotState> for Slot {
    fn from(state: SlotState) -> Slot {
        let (count, in_period, last_period, mean, deviation, per_period) = match state {
            SlotState::Tuple(tuple) => tuple,
            // Versions that kept the periods seen, not the values of the current one: the
            // lifetime average stands for the running count, and a slot seen in one period has
            // all its values in it and no complete period (it is not trusted yet). Of a slot seen
            // in several, the values of the period in progress are not known: those that follow
            // stand for them, and the running count takes them for a whole period once (it lasts
            // one period).
            SlotState::TupleV11((count, periods, last_period, mean, deviation))
            | SlotState::Map {
                count,
                periods,
                last_period,
                mean,
                deviation,
            } => {
                let (in_period, average) = match periods <= 1 {
                    true => (count, 0.0),
                    false => (0, count as f32 / periods as f32),
                };
                (count, in_period, last_period, mean, deviation, average)
            }
        };
        Slot {
            count,
            // Never more values in a period than in all, as a slot that learnt them has (a
            // state is input).
            in_period: u16::try_from(in_period.min(count)).unwrap_or(u16::MAX),
            per_period: running_count(per_period),
            last_period: i32::try_from(last_period).unwrap_or(i32::MAX),
            mean,
            deviation,
        }
    }
}

impl Slot {
    fn update(&mut self, period: i64, value: f64) {
        let period = i32::try_from(period).unwrap_or(i32::MAX);
        // A value of an earlier period (a point out of order) counts in the current one: taken
        // for a new period, each late point would fold two parts of periods into the running
        // count, as if the cadence had slowed.
        if self.count == 0 || period > self.last_period {
            if self.count > 0 && self.in_period > 0 {
                let last = f32::from(self.in_period);
                let running = self.per_period.to_f32();
                let running = if running > 0.0 {
                    running + CADENCE_WEIGHT * (last - running)
                } else {
                    last
                };
                self.per_period = running_count(running);
            }
            self.in_period = 0;
            self.last_period = period;
        }
        self.in_period = self.in_period.saturating_add(1);
        if self.count == 0 {
            self.mean = value;
            self.count = 1;
            return;
        }
        self.count = self.count.saturating_add(1);
        // A period's share spread over the values a period brings: as many as lately, or as
        // this period has brought so far if more (a faster cadence must not weigh one period
        // several times over). Every value weighs at least as in a plain average.
        let per_period = f64::from(self.per_period.to_f32().max(f32::from(self.in_period)));
        let weight = (1.0 / f64::from(self.count)).max(PERIOD_WEIGHT / per_period);
        let residual = value - self.mean;
        let residual = if self.count > CLIP_AFTER && self.deviation > 0.0 {
            residual.clamp(-CLIP * self.deviation, CLIP * self.deviation)
        } else {
            residual
        };
        self.mean += weight * residual;
        self.deviation += weight * (residual.abs() - self.deviation);
    }

    /// Whether the slot has seen values in an earlier period than the current one: two
    /// different days (weeks). A period completes, and gives the running count its first value
    /// (one at least), when values of a later one arrive.
    fn trusted(&self) -> bool {
        self.per_period.to_f32() > 0.0
    }
}

/// What the profile expects at one time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expectation {
    /// The usual value.
    pub mean: f64,
    /// The usual distance from it, as a standard deviation of normal data would be.
    pub spread: f64,
    /// Whether the hour-of-week slot gave it.
    pub weekly: bool,
    /// How far from the usual value this half hour of the day went on its previous day with
    /// values: the largest distance it showed then, decayed by [`RECURRING_DECAY`] for each day
    /// without values since (0 where nothing is known).
    pub recurring: f64,
}

/// The hour-of-day and day-of-week profile of one series (about 7 KB).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SeasonalProfile {
    daily: Vec<Slot>,
    weekly: Vec<Slot>,
    /// Per half hour of the day, the largest distance of a value from what the profile expected
    /// of it on the half hour's current day (the day of its daily slot's last value)...
    #[serde(default, with = "bfloat16_bits")]
    today: Vec<half::bf16>,
    /// ...and on the day with values before it (decayed by [`RECURRING_DECAY`] for each day
    /// without values in between). Both empty before the first value, and in states saved before
    /// model version 14. The slots' means and spreads are clipped against incidents, so that a
    /// departure that comes back every day (a backup's spike, one value of the half hour's six)
    /// is never learnt by them: these remember it. The previous day's, not a longer memory: a
    /// single glitch then excuses its half hour for one day, not for weeks.
    #[serde(default, with = "bfloat16_bits")]
    yesterday: Vec<half::bf16>,
}

/// The share of a half hour's distance kept for each day without values between the day it was
/// seen and the day it is compared with (a gap in the series): a departure seen two days ago,
/// with none the day between, counts at 0.8 of its size. A day with values, however ordinary,
/// replaces the day before: a job that runs on weekdays only, or every other day, is compared
/// with its day off and not excused. 0.8 was chosen for the first version of the rule (a decayed
/// maximum, docs/benchmarks.md) and kept, not chosen again.
const RECURRING_DECAY: f64 = 0.8;

/// Bfloat16s stored as their bits: three bytes each as CBOR at most, where an `f32` takes five
/// (a distance needs no more than its first three digits).
mod bfloat16_bits {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the values as a sequence of their bits.
    pub fn serialize<S: Serializer>(
        values: &[half::bf16],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let bits: Vec<u16> = values.iter().map(|v| v.to_bits()).collect();
        bits.serialize(serializer)
    }

    /// Reads a sequence of bits back as values (any bits are a value: NaN and infinities are
    /// dealt with where the values are read).
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<half::bf16>, D::Error> {
        let bits = Vec::<u16>::deserialize(deserializer)?;
        Ok(bits.into_iter().map(half::bf16::from_bits).collect())
    }
}

/// A distance as kept: a bfloat16, saturating at the largest finite one (an infinite distance
/// would excuse any value of its half hour the next day, and an infinite residual over it is
/// NaN), and 0 for a NaN or negative one.
fn kept_distance(distance: f64) -> half::bf16 {
    match distance.is_nan() {
        true => half::bf16::ZERO,
        false => half::bf16::from_f64(distance.clamp(0.0, f64::from(half::bf16::MAX.to_f32()))),
    }
}

/// Days without values between day `last` and the later day `day` (0 for consecutive days), as
/// a power for the decay; a gap of years decays as one of 1,000 days (to nothing).
fn days_between(last: i64, day: i64) -> i32 {
    (day - last - 1).clamp(0, 1_000) as i32
}

/// Day and week slot of a time, and the day and week numbers.
fn slots(ts_ns: i64) -> (usize, i64, usize, i64) {
    let day = ts_ns.div_euclid(NS_PER_DAY);
    let in_day = ts_ns.rem_euclid(NS_PER_DAY);
    let day_slot = (in_day / (NS_PER_DAY / DAY_SLOTS as i64)) as usize;
    let week = ts_ns.div_euclid(NS_PER_WEEK);
    let in_week = ts_ns.rem_euclid(NS_PER_WEEK);
    let week_slot = (in_week / (NS_PER_WEEK / WEEK_SLOTS as i64)) as usize;
    (
        day_slot.min(DAY_SLOTS - 1),
        day,
        week_slot.min(WEEK_SLOTS - 1),
        week,
    )
}

impl SeasonalProfile {
    /// What the profile expects at `ts_ns`, if a trusted slot covers that time.
    pub fn expect(&self, ts_ns: i64) -> Option<Expectation> {
        let (day_slot, day, week_slot, _) = slots(ts_ns);
        let weekly = self.weekly.get(week_slot).filter(|slot| slot.trusted());
        let slot = weekly.or_else(|| self.daily.get(day_slot).filter(|slot| slot.trusted()))?;
        Some(Expectation {
            mean: slot.mean,
            spread: MEAN_ABSOLUTE_TO_SD * slot.deviation,
            weekly: weekly.is_some(),
            recurring: self.recurring_at(day_slot, day),
        })
    }

    /// The largest distance half hour `day_slot` showed on its last day with values before day
    /// `day`, decayed for each day without values in between; 0 where none is known.
    fn recurring_at(&self, day_slot: usize, day: i64) -> f64 {
        // Nothing known: a new profile, or a state saved before model version 14.
        let known = day_slot < self.today.len() && day_slot < self.daily.len();
        let Some(yesterday) = self.yesterday.get(day_slot).filter(|_| known) else {
            return 0.0;
        };
        // A new day: the half hour's current day is the one before it. The same day, or a point
        // out of order (an earlier day, which counts in the current one): the day before that.
        let distance = self
            .finished_day(day_slot, day)
            .unwrap_or_else(|| f64::from(yesterday.to_f32()));
        // A state is input: a distance kept by another writer counts as this one would keep it.
        f64::from(kept_distance(distance).to_f32())
    }

    /// If day `day` is a new day for half hour `day_slot` (later than the day of its daily
    /// slot's last value), the largest distance its current day showed, decayed for each day
    /// without values between the two; `None` on the same day, for a point out of order, or
    /// where nothing is known.
    fn finished_day(&self, day_slot: usize, day: i64) -> Option<f64> {
        let (today, slot) = (self.today.get(day_slot)?, self.daily.get(day_slot)?);
        let last = i64::from(slot.last_period);
        (day > last && slot.count > 0)
            .then(|| f64::from(today.to_f32()) * RECURRING_DECAY.powi(days_between(last, day)))
    }

    /// Learns `value` at `ts_ns`.
    pub fn learn(&mut self, ts_ns: i64, value: f64) {
        self.learn_expected(ts_ns, value, self.expect(ts_ns));
    }

    /// [`SeasonalProfile::learn`] for a caller that has read what the profile expects at
    /// `ts_ns` already (`expected`, from [`SeasonalProfile::expect`] on this state): a point is
    /// scored and learnt against the same expectation, read once.
    pub fn learn_expected(&mut self, ts_ns: i64, value: f64, expected: Option<Expectation>) {
        if !value.is_finite() {
            return;
        }
        if self.daily.is_empty() {
            self.daily = vec![Slot::default(); DAY_SLOTS];
            self.weekly = vec![Slot::default(); WEEK_SLOTS];
        }
        // The distance from what the profile expected of this value, before it learns it.
        let distance = expected.map_or(0.0, |e| (value - e.mean).abs());
        let (day_slot, day, week_slot, week) = slots(ts_ns);
        if self.today.len() != DAY_SLOTS || self.yesterday.len() != DAY_SLOTS {
            self.today = vec![half::bf16::ZERO; DAY_SLOTS];
            self.yesterday = vec![half::bf16::ZERO; DAY_SLOTS];
        }
        if let Some(finished) = self.finished_day(day_slot, day) {
            self.yesterday[day_slot] = kept_distance(finished);
            self.today[day_slot] = half::bf16::ZERO;
        }
        let today = f64::from(self.today[day_slot].to_f32());
        self.today[day_slot] = kept_distance(today.max(distance));
        self.daily[day_slot].update(day, value);
        self.weekly[week_slot].update(week, value);
    }

    /// Heap bytes of the profile.
    pub fn heap_bytes(&self) -> usize {
        (self.daily.capacity() + self.weekly.capacity()) * std::mem::size_of::<Slot>()
            + (self.today.capacity() + self.yesterday.capacity())
                * std::mem::size_of::<half::bf16>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000_000_000;

    /// Busy (100) in working hours on weekdays, quiet (10) otherwise, with a little noise.
    fn office(ts: i64) -> f64 {
        let hour = ts.rem_euclid(NS_PER_DAY) / HOUR;
        // 1970-01-01 was a Thursday: day 0 of week 0.
        let weekday = ts.div_euclid(NS_PER_DAY).rem_euclid(7);
        let weekend = weekday == 2 || weekday == 3;
        let noise = ((ts / HOUR) % 3) as f64;
        if !weekend && (9..17).contains(&hour) {
            100.0 + noise
        } else {
            10.0 + noise
        }
    }

    #[test]
    fn learns_the_hour_of_day_first_and_the_day_of_week_later() {
        let mut profile = SeasonalProfile::default();
        let start = 1_700_006_400_000_000_000 - 1_700_006_400_000_000_000 % NS_PER_WEEK;
        let step = HOUR / 4;
        let mut ts = start;
        assert!(profile.expect(ts).is_none());
        // Two days: the daily slots are trusted, the weekly ones are not.
        while ts < start + 2 * NS_PER_DAY {
            profile.learn(ts, office(ts));
            ts += step;
        }
        let noon_thursday_next_week = start + NS_PER_WEEK + 12 * HOUR;
        let expected = profile.expect(noon_thursday_next_week).expect("daily slot");
        assert!((expected.mean - 101.0).abs() < 2.0, "{expected:?}");
        // Three weeks: Saturday noon is quiet although the daily slot says busy.
        while ts < start + 3 * NS_PER_WEEK {
            profile.learn(ts, office(ts));
            ts += step;
        }
        let saturday_noon = ts - ts.rem_euclid(NS_PER_WEEK) + 2 * NS_PER_DAY + 12 * HOUR;
        let expected = profile.expect(saturday_noon).expect("weekly slot");
        assert!((expected.mean - 11.0).abs() < 2.0, "{expected:?}");
        assert!(expected.spread < 3.0, "{expected:?}");
        let thursday_noon = ts - ts.rem_euclid(NS_PER_WEEK) + 12 * HOUR;
        let expected = profile.expect(thursday_noon).expect("weekly slot");
        assert!((expected.mean - 101.0).abs() < 2.0, "{expected:?}");
    }

    #[test]
    fn a_half_hour_remembers_the_distance_of_its_previous_day_only() {
        // 5-minute values of 10 ± 0.5 for 13 days, but 1,000 at 05:00 on day 10. What each
        // point is compared with is read before the point is learnt.
        let mut profile = SeasonalProfile::default();
        let step = HOUR / 12;
        let mut seen = Vec::new();
        for day in 0..13 {
            for k in 0..288 {
                let ts = day * NS_PER_DAY + k * step;
                if k == 61 || k == 60 {
                    let recurring = profile.expect(ts).map_or(0.0, |e| e.recurring);
                    seen.push(((day, k), recurring));
                }
                let value = match (day, k) {
                    (10, 60) => 1_000.0,
                    _ => 10.0 + if k % 2 == 0 { 0.5 } else { -0.5 },
                };
                profile.learn(ts, value);
            }
        }
        let at = |day, k| seen.iter().find(|(when, _)| *when == (day, k)).map(|s| s.1);
        // The rest of the glitch's own half hour is compared with the day before, as usual.
        let same_day = at(10, 61).expect("day 10");
        assert!(same_day < 5.0, "05:05 on the glitch's day: {same_day}");
        // The next day, the half hour is compared with the glitch...
        let next_day = at(11, 60).expect("day 11");
        assert!(next_day > 900.0, "05:00 the day after: {next_day}");
        // ...and the day after, with an ordinary day again.
        let after = at(12, 60).expect("day 12");
        assert!(after < 5.0, "05:00 two days after: {after}");
    }

    #[test]
    fn an_incident_moves_a_trusted_slot_only_a_little() {
        let mut profile = SeasonalProfile::default();
        let step = HOUR / 12;
        let mut ts = 0;
        while ts < 10 * NS_PER_DAY {
            profile.learn(ts, 50.0 + ((ts / step) % 2) as f64);
            ts += step;
        }
        let before = profile.expect(ts).expect("trusted");
        for _ in 0..6 {
            profile.learn(ts, 5_000.0);
            ts += step;
        }
        let after = profile.expect(ts - step).expect("trusted");
        assert!(
            (after.mean - before.mean).abs() < 5.0,
            "{before:?} → {after:?}"
        );
    }

    #[test]
    fn a_slot_of_a_minute_series_spans_several_days_and_its_spread_how_much_they_differ() {
        // A nightly job at a minute's cadence, its level 100 or 120 night by night, its noise
        // within a night ±0.5: 30 values in one half-hour slot each night. Weighted value by
        // value, the slot became the last night it saw (after a night at 120: 119.1 ± 3.8), and
        // a night at 100 was five spreads out.
        let mut slot = Slot::default();
        for night in 0..20 {
            let level = if night % 2 == 0 { 100.0 } else { 120.0 };
            for minute in 0..30 {
                let noise = if minute % 2 == 0 { 0.5 } else { -0.5 };
                slot.update(night, level + noise);
            }
        }
        let (mean, spread) = (slot.mean, MEAN_ABSOLUTE_TO_SD * slot.deviation);
        assert!(
            (mean - 110.0).abs() < 5.0,
            "the mean is the nights', not the last night's: {mean}"
        );
        assert!(
            (100.0 - mean).abs() < 3.0 * spread && (120.0 - mean).abs() < 3.0 * spread,
            "either level is usual: {mean} ± {spread}"
        );
    }

    /// Feeds the slot `per_day` values around `level` (±0.5) on each day of `days`.
    fn learn_days(slot: &mut Slot, days: std::ops::Range<i64>, per_day: usize, level: f64) {
        for day in days {
            for k in 0..per_day {
                slot.update(day, level + if k % 2 == 0 { 0.5 } else { -0.5 });
            }
        }
    }

    #[test]
    fn a_slot_whose_series_slows_down_follows_a_shift_as_a_slow_one_does() {
        // Every minute for 60 days (30 values a day in a half-hour slot), then every 5 minutes,
        // 50 higher. Weighted by the slot's lifetime values per day, a new day weighed 0.25 × 6 /
        // 27 (0.06) and the slot took some 50 days to learn the new level; now it lags a slot
        // of the slower series from the start by a few days (147.9 against 148.9 after 20).
        let (mut slowed, mut steady) = (Slot::default(), Slot::default());
        learn_days(&mut slowed, 0..60, 30, 100.0);
        learn_days(&mut steady, 0..60, 6, 100.0);
        learn_days(&mut slowed, 60..80, 6, 150.0);
        learn_days(&mut steady, 60..80, 6, 150.0);
        let (slowed_mean, steady_mean) = (slowed.mean, steady.mean);
        assert!(steady_mean > 145.0, "steady: {steady_mean}");
        assert!(
            slowed_mean > 145.0,
            "the slowed-down slot after 20 days at the new level: {slowed_mean}"
        );
    }

    #[test]
    fn a_slot_whose_series_speeds_up_weighs_its_first_fast_day_about_as_a_day() {
        // Every 5 minutes for 20 days, then a day every minute, 1 higher (within the clip).
        // Each of its 30 values weighing a sixth of a day's share would move the slot 0.72 of
        // the way; sharing a day among as many values as it has brought so far, 0.47 (a day at
        // the old cadence: 0.21).
        let mut slot = Slot::default();
        learn_days(&mut slot, 0..20, 6, 100.0);
        learn_days(&mut slot, 20..21, 30, 101.0);
        let moved = slot.mean - 100.0;
        assert!(
            (0.2..0.6).contains(&moved),
            "one faster day moves the slot part of the way: {moved}"
        );
    }

    #[test]
    fn a_slot_round_trips_and_the_five_field_layout_still_loads() {
        let mut slot = Slot::default();
        learn_days(&mut slot, 0..5, 7, 40.0);
        slot.update(5, 41.0);
        let json = serde_json::to_string(&slot).unwrap();
        let loaded: Slot = serde_json::from_str(&json).unwrap();
        assert_eq!(format!("{loaded:?}"), format!("{slot:?}"));
        assert!(loaded.trusted());
        // Version 11's five fields: 36 values over 5 days stand for 7.2 a day (7.1875 in a
        // bfloat16), and the slot is trusted; 7 values in one day are all that day's.
        let old: Slot = serde_json::from_str("[36, 5, 4, 40.0, 0.5]").unwrap();
        assert_eq!(
            ({ old.per_period }.to_f32(), { old.in_period }),
            (7.1875, 0)
        );
        assert!(old.trusted());
        let young: Slot = serde_json::from_str("[7, 1, 4, 40.0, 0.5]").unwrap();
        assert_eq!({ young.in_period }, 7);
        assert!(!young.trusted());
    }

    #[test]
    fn a_late_point_counts_in_the_current_period() {
        // 30 values a day, and each day one point of the day before arriving late: taken for a
        // period of its own, each late point folded two parts of days into the running count
        // (30 fell to 7 within four days, and a day weighed more than twice its share).
        let mut slot = Slot::default();
        learn_days(&mut slot, 0..5, 30, 100.0);
        for day in 5..10 {
            learn_days(&mut slot, day..day + 1, 15, 100.0);
            slot.update(day - 1, 100.0);
            learn_days(&mut slot, day..day + 1, 14, 100.0);
        }
        let running = { slot.per_period }.to_f32();
        assert!((29.0..=31.0).contains(&running), "{running}");
    }

    #[test]
    fn a_stored_count_is_at_most_three_bytes_of_cbor_whatever_the_slot_saw() {
        let cbor_len = |slot: &Slot| {
            let mut bytes = Vec::new();
            ciborium::into_writer(&slot.per_period.to_f32(), &mut bytes).unwrap();
            bytes.len()
        };
        // A period of more values than a `u16` holds, a loaded count below one value or above
        // any period's, and the counts of every cadence in between.
        let mut busy = Slot::default();
        learn_days(&mut busy, 0..1, 70_000, 1.0);
        busy.update(1, 1.0);
        let loaded: Vec<Slot> = ["[1, 4000000000, 3, 5.0, 0.0]", "[9, 0, 3, 5.0, 0.0, 1e-20]"]
            .iter()
            .chain(&["[9, 0, 3, 5.0, 0.0, 1e9]", "[9, 0, 3, 5.0, 0.0, 65535.0]"])
            .map(|json| serde_json::from_str(json).unwrap())
            .collect();
        for slot in loaded.iter().chain([&busy]) {
            let running = { slot.per_period }.to_f32();
            assert!(running == 0.0 || (1.0..=MAX_PER_PERIOD).contains(&running));
            assert_eq!(cbor_len(slot), 3, "{slot:?}");
        }
        for count in (1..=65_535u32).step_by(7) {
            assert_eq!(
                cbor_len(&Slot {
                    per_period: running_count(count as f32),
                    ..busy
                }),
                3
            );
        }
    }

    #[test]
    fn a_slot_is_trusted_from_its_second_period_however_many_values_its_first_had() {
        // More values in one period than its count of them holds (`u16`): still one period.
        let mut busy = Slot::default();
        learn_days(&mut busy, 0..1, 70_000, 1.0);
        assert!(!busy.trusted());
        busy.update(1, 1.0);
        assert!(busy.trusted());
        let loaded: Slot = serde_json::from_str("[70000, 1, 4, 40.0, 0.5]").unwrap();
        assert!(!loaded.trusted());
    }

    #[test]
    fn a_stored_slot_with_more_periods_than_values_updates_sanely() {
        // No slot that learnt its values says so, but a state is input: ten periods of one
        // value (a lifetime average of a tenth of a value), or a stored running count below one,
        // must not weigh the next value above 1 and make the deviation negative.
        let mut slot: Slot = serde_json::from_str("[1, 10, 3, 5.0, 0.0]").unwrap();
        slot.update(4, 7.0);
        assert!(slot.deviation >= 0.0 && slot.mean <= 7.0, "{slot:?}");
        let mut slot: Slot = serde_json::from_str("[1, 0, 3, 5.0, 0.0, 0.1]").unwrap();
        slot.update(3, 7.0);
        assert!(slot.deviation >= 0.0 && slot.mean <= 7.0, "{slot:?}");
    }
}
