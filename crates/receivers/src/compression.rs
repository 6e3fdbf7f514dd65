//! Request body decompression with a hard cap on the decompressed size.

use std::io::Read;

use crate::ReceiveError;

/// A `Content-Encoding` TelemetryHub can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncoding {
    /// No compression.
    Identity,
    /// gzip (RFC 1952).
    Gzip,
    /// Zstandard (RFC 8878).
    Zstd,
    /// Snappy block format, as Prometheus remote_write sends it.
    Snappy,
}

impl ContentEncoding {
    /// Parses a `Content-Encoding` header value; an absent header means identity.
    pub fn from_header(value: Option<&str>) -> Result<Self, ReceiveError> {
        match value.map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(ContentEncoding::Identity),
            Some(v) if v.is_empty() || v == "identity" => Ok(ContentEncoding::Identity),
            Some(v) if v == "gzip" || v == "x-gzip" => Ok(ContentEncoding::Gzip),
            Some(v) if v == "zstd" => Ok(ContentEncoding::Zstd),
            Some(v) if v == "snappy" => Ok(ContentEncoding::Snappy),
            Some(v) => Err(ReceiveError::UnsupportedEncoding(v)),
        }
    }
}

/// Decompresses `body`, refusing to produce more than `max_bytes` bytes.
///
/// The cap is enforced while decoding, so a small "zip bomb" cannot make the server allocate
/// gigabytes before the size check runs.
pub fn decompress(
    body: &[u8],
    encoding: ContentEncoding,
    max_bytes: usize,
) -> Result<Vec<u8>, ReceiveError> {
    let too_large = || ReceiveError::BodyTooLarge { limit: max_bytes };
    let reader: Box<dyn Read + '_> = match encoding {
        ContentEncoding::Identity => {
            if body.len() > max_bytes {
                return Err(too_large());
            }
            return Ok(body.to_vec());
        }
        ContentEncoding::Snappy => {
            // The block format states its decompressed length up front: check it before
            // allocating.
            let length = snap::raw::decompress_len(body)
                .map_err(|e| ReceiveError::Malformed(format!("invalid snappy body: {e}")))?;
            if length > max_bytes {
                return Err(too_large());
            }
            return snap::raw::Decoder::new()
                .decompress_vec(body)
                .map_err(|e| ReceiveError::Malformed(format!("invalid snappy body: {e}")));
        }
        ContentEncoding::Gzip => Box::new(flate2::read::MultiGzDecoder::new(body)),
        ContentEncoding::Zstd => Box::new(
            zstd::stream::read::Decoder::new(body)
                .map_err(|e| ReceiveError::Malformed(format!("invalid zstd body: {e}")))?,
        ),
    };
    let mut out = Vec::with_capacity(body.len().saturating_mul(4).min(max_bytes));
    let read = reader
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| ReceiveError::Malformed(format!("cannot decompress body: {e}")))?;
    if read > max_bytes {
        return Err(too_large());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn round_trips_gzip_and_zstd() {
        let data = b"{\"a\":1}".repeat(100);
        assert_eq!(
            decompress(&gzip(&data), ContentEncoding::Gzip, 1 << 20).unwrap(),
            data
        );
        let compressed = zstd::encode_all(&data[..], 1).unwrap();
        assert_eq!(
            decompress(&compressed, ContentEncoding::Zstd, 1 << 20).unwrap(),
            data
        );
    }

    #[test]
    fn caps_decompressed_size() {
        let bomb = gzip(&vec![b' '; 10_000_000]);
        assert!(bomb.len() < 100_000);
        assert_eq!(
            decompress(&bomb, ContentEncoding::Gzip, 1_000_000),
            Err(ReceiveError::BodyTooLarge { limit: 1_000_000 })
        );
    }

    #[test]
    fn rejects_garbage_and_unknown_encodings() {
        assert!(matches!(
            decompress(b"not gzip", ContentEncoding::Gzip, 100),
            Err(ReceiveError::Malformed(_))
        ));
        assert!(matches!(
            ContentEncoding::from_header(Some("br")),
            Err(ReceiveError::UnsupportedEncoding(_))
        ));
        assert_eq!(
            ContentEncoding::from_header(Some("GZIP")),
            Ok(ContentEncoding::Gzip)
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = decompress(&bytes, ContentEncoding::Gzip, 4096);
            let _ = decompress(&bytes, ContentEncoding::Zstd, 4096);
        }
    }
}
