//! A borrowed reader of `prometheus.WriteRequest`: walks the protobuf wire format of the body in
//! place, yielding label names and values as slices of it, without building the message.
//!
//! Why not prost alone: decoding every series into owned messages (a `Vec` of labels and one of
//! samples per series, then dropping them) was about a sixth of the server's CPU under
//! remote_write load; VictoriaMetrics likewise reads remote_write with a hand-written unmarshaler.
//! prost still decodes the rare parts (exemplars, metadata) and encodes in tests, and a property
//! test checks that this reader and prost agree on every message prost can write.
//!
//! Field numbers and types follow `prompb/remote.proto` and `prompb/types.proto`.

use std::ops::Range;

/// A malformed body; the text says what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WireError(pub(super) &'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

const VARINT: u8 = 0;
const FIXED64: u8 = 1;
const LENGTH_DELIMITED: u8 = 2;
const FIXED32: u8 = 5;

/// One field of a message: its number and its value.
enum Field<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32,
}

/// Reads the fields of one message, in order.
struct Fields<'a> {
    rest: &'a [u8],
}

/// A varint; most (keys, lengths of labels and samples) fit in one byte.
#[inline]
fn varint(rest: &mut &[u8]) -> Result<u64, WireError> {
    if let Some((&byte, tail)) = rest.split_first()
        && byte < 0x80
    {
        *rest = tail;
        return Ok(u64::from(byte));
    }
    long_varint(rest)
}

fn long_varint(rest: &mut &[u8]) -> Result<u64, WireError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let Some((&byte, tail)) = rest.split_first() else {
            return Err(WireError("truncated varint"));
        };
        *rest = tail;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(value);
        }
    }
    Err(WireError("varint longer than ten bytes"))
}

#[inline]
fn take<'a>(rest: &mut &'a [u8], len: usize) -> Result<&'a [u8], WireError> {
    if rest.len() < len {
        return Err(WireError("field runs past the end of the message"));
    }
    let (head, tail) = rest.split_at(len);
    *rest = tail;
    Ok(head)
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Field<'a>), WireError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let field = read_field(&mut self.rest);
        if field.is_err() {
            // Stop after the first error.
            self.rest = &[];
        }
        Some(field)
    }
}

/// The next field's number and value.
#[inline]
fn read_field<'a>(rest: &mut &'a [u8]) -> Result<(u32, Field<'a>), WireError> {
    let key = varint(rest)?;
    let number = u32::try_from(key >> 3).map_err(|_| WireError("field number too large"))?;
    if number == 0 {
        return Err(WireError("field number 0"));
    }
    let value = match (key & 7) as u8 {
        VARINT => Field::Varint(varint(rest)?),
        FIXED64 => {
            let bytes = take(rest, 8)?;
            Field::Fixed64(u64::from_le_bytes(bytes.try_into().unwrap_or_default()))
        }
        LENGTH_DELIMITED => {
            let len = usize::try_from(varint(rest)?).map_err(|_| WireError("length too large"))?;
            Field::Bytes(take(rest, len)?)
        }
        FIXED32 => {
            take(rest, 4)?;
            Field::Fixed32
        }
        _ => return Err(WireError("unsupported wire type (groups are not used)")),
    };
    Ok((number, value))
}

fn fields(message: &[u8]) -> Fields<'_> {
    Fields { rest: message }
}

fn wrong_type() -> WireError {
    WireError("a known field has the wrong wire type")
}

/// A `Sample`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct SampleView {
    pub value: f64,
    /// Unix milliseconds.
    pub timestamp: i64,
}

/// Where one `TimeSeries`' parts are in [`WriteView`]'s flat lists.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SeriesView {
    pub labels: Range<usize>,
    pub samples: Range<usize>,
    pub exemplars: Range<usize>,
}

/// A `WriteRequest` read in one pass: the series' labels (name, value) and samples in flat
/// lists, exemplar and metadata messages left encoded (they are rare; prost decodes them).
#[derive(Debug, Default)]
pub(super) struct WriteView<'a> {
    pub series: Vec<SeriesView>,
    pub labels: Vec<(&'a [u8], &'a [u8])>,
    pub samples: Vec<SampleView>,
    pub exemplars: Vec<&'a [u8]>,
    pub metadata: Vec<&'a [u8]>,
}

/// Reads a `WriteRequest`: series are field 1, metadata field 3.
pub(super) fn write_request(body: &[u8]) -> Result<WriteView<'_>, WireError> {
    let mut view = WriteView::default();
    for field in fields(body) {
        match field? {
            (1, Field::Bytes(message)) => view.read_series(message)?,
            (3, Field::Bytes(message)) => view.metadata.push(message),
            (1 | 3, _) => return Err(wrong_type()),
            _ => {}
        }
    }
    Ok(view)
}

impl<'a> WriteView<'a> {
    /// A `TimeSeries`: labels are field 1, samples 2, exemplars 3.
    fn read_series(&mut self, message: &'a [u8]) -> Result<(), WireError> {
        let (labels, samples, exemplars) =
            (self.labels.len(), self.samples.len(), self.exemplars.len());
        for field in fields(message) {
            match field? {
                (1, Field::Bytes(label)) => self.labels.push(read_label(label)?),
                (2, Field::Bytes(sample)) => self.samples.push(read_sample(sample)?),
                (3, Field::Bytes(exemplar)) => self.exemplars.push(exemplar),
                (1..=3, _) => return Err(wrong_type()),
                _ => {}
            }
        }
        self.series.push(SeriesView {
            labels: labels..self.labels.len(),
            samples: samples..self.samples.len(),
            exemplars: exemplars..self.exemplars.len(),
        });
        Ok(())
    }
}

/// A `Label`: name is field 1, value 2 (a repeated field keeps its last value, as in prost).
fn read_label(message: &[u8]) -> Result<(&[u8], &[u8]), WireError> {
    let (mut name, mut value): (&[u8], &[u8]) = (&[], &[]);
    for field in fields(message) {
        match field? {
            (1, Field::Bytes(bytes)) => name = bytes,
            (2, Field::Bytes(bytes)) => value = bytes,
            (1 | 2, _) => return Err(wrong_type()),
            _ => {}
        }
    }
    Ok((name, value))
}

/// A `Sample`: value is field 1 (double), timestamp 2 (int64).
fn read_sample(message: &[u8]) -> Result<SampleView, WireError> {
    let mut sample = SampleView {
        value: 0.0,
        timestamp: 0,
    };
    for field in fields(message) {
        match field? {
            (1, Field::Fixed64(bits)) => sample.value = f64::from_bits(bits),
            // int64: two's complement in a varint.
            (2, Field::Varint(raw)) => sample.timestamp = raw as i64,
            (1 | 2, _) => return Err(wrong_type()),
            _ => {}
        }
    }
    Ok(sample)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_truncation() {
        let mut bytes: &[u8] = &[0xac, 0x02, 0x01];
        assert_eq!(varint(&mut bytes), Ok(300));
        assert_eq!(bytes, &[0x01]);
        assert!(varint(&mut &[0x80u8][..]).is_err());
        assert!(varint(&mut &[0xffu8; 11][..]).is_err());
        // A length past the end.
        assert!(write_request(&[0x0a, 0x05, 0x00]).is_err());
        // Field 1 as a varint.
        assert!(write_request(&[0x08, 0x01]).is_err());
    }
}
