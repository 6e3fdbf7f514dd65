//! Tests of `input`: CSV, NDJSON and JSON framing, bad rows kept with their index and raw text,
//! limits, stopping early.

use super::*;

/// Reads everything, returning the rows and the reader's result.
fn read_all(
    format: InputFormat,
    text: &str,
    options: &ReadOptions,
) -> (Vec<Row>, Result<u64, ReadError>) {
    let mut rows = Vec::new();
    let result = read_records(format, text.as_bytes(), options, |row| {
        rows.push(row);
        ControlFlow::Continue(())
    });
    (rows, result)
}

fn ok_fields(row: &Row) -> &serde_json::Map<String, serde_json::Value> {
    &row.as_ref().expect("a good row").fields
}

#[test]
fn csv_rows_become_records_of_strings_and_empty_cells_are_absent() {
    let text = "Entreprise,Etat,memory_used (bytes),Description\n\
                akonovia,SUCCESS,5517312,\"Tout roule, pas de stress!\"\n\
                akonovia,FAILED,,\n";
    let (rows, result) = read_all(InputFormat::Csv, text, &ReadOptions::default());
    assert_eq!(result.unwrap(), 2);
    assert_eq!(rows[0].as_ref().unwrap().index, 0);
    assert_eq!(ok_fields(&rows[0])["memory_used (bytes)"], "5517312");
    assert_eq!(
        ok_fields(&rows[0])["Description"],
        "Tout roule, pas de stress!"
    );
    assert_eq!(rows[1].as_ref().unwrap().index, 1);
    assert!(!ok_fields(&rows[1]).contains_key("memory_used (bytes)"));
    assert_eq!(ok_fields(&rows[1]).len(), 2);
}

#[test]
fn a_csv_row_of_the_wrong_width_is_a_bad_record_and_reading_goes_on() {
    let text = "a,b\n1,2\n1,2,3\n4,5\n";
    let (rows, result) = read_all(InputFormat::Csv, text, &ReadOptions::default());
    assert_eq!(result.unwrap(), 3);
    let bad = rows[1].as_ref().unwrap_err();
    assert_eq!(bad.index, 1);
    assert_eq!(bad.raw, "1,2,3");
    assert!(
        bad.errors[0].reason.contains("3 fields, the header 2"),
        "{bad}"
    );
    assert_eq!(ok_fields(&rows[2])["a"], "4");
}

#[test]
fn csv_reads_another_delimiter_and_non_utf8_cells_are_bad_records() {
    let options = ReadOptions {
        csv_delimiter: b';',
        ..ReadOptions::default()
    };
    let (rows, result) = read_all(InputFormat::Csv, "a;b\n\"0,09\";x\n", &options);
    assert_eq!(result.unwrap(), 1);
    assert_eq!(ok_fields(&rows[0])["a"], "0,09");
    let mut rows = Vec::new();
    read_csv(&b"a,b\n\xff,1\n"[..], &ReadOptions::default(), |row| {
        rows.push(row);
        ControlFlow::Continue(())
    })
    .unwrap();
    let bad = rows[0].as_ref().unwrap_err();
    assert!(bad.errors[0].reason.contains("not valid UTF-8"), "{bad}");
}

#[test]
fn a_bad_csv_header_stops_reading() {
    for (text, want) in [
        ("", "no header"),
        ("a,a\n1,2\n", "appears twice"),
        ("a,,b\n1,2,3\n", "has no name"),
    ] {
        let (rows, result) = read_all(InputFormat::Csv, text, &ReadOptions::default());
        let err = result.unwrap_err();
        assert!(matches!(err, ReadError::Header(_)), "{text:?}: {err}");
        assert!(err.to_string().contains(want), "{text:?}: {err}");
        assert!(rows.is_empty());
    }
    let options = ReadOptions {
        max_fields: 2,
        ..ReadOptions::default()
    };
    let (_, result) = read_all(InputFormat::Csv, "a,b,c\n", &options);
    assert!(matches!(result, Err(ReadError::Header(_))));
}

#[test]
fn ndjson_lines_are_independent_records() {
    let text = "\u{feff}{\"a\":1}\r\n\n   \n{not json}\n[1]\n{\"b\":\"x\"}";
    let (rows, result) = read_all(InputFormat::Ndjson, text, &ReadOptions::default());
    assert_eq!(result.unwrap(), 4, "blank lines are not records");
    assert_eq!(ok_fields(&rows[0])["a"], 1);
    let bad = rows[1].as_ref().unwrap_err();
    assert_eq!(bad.index, 1);
    assert_eq!(bad.raw, "{not json}");
    assert!(bad.errors[0].reason.starts_with("invalid JSON"), "{bad}");
    assert_eq!(bad.errors[0].field, None);
    let not_object = rows[2].as_ref().unwrap_err();
    assert_eq!(not_object.index, 2);
    assert_eq!(not_object.raw, "[1]");
    assert!(
        not_object.errors[0].reason.contains("an array"),
        "{not_object}"
    );
    assert_eq!(rows[3].as_ref().unwrap().index, 3);
}

#[test]
fn an_over_long_ndjson_line_is_a_bad_record_cut_short_and_the_next_line_is_read() {
    let options = ReadOptions {
        max_record_bytes: 16,
        ..ReadOptions::default()
    };
    let long = format!("{{\"a\":\"{}\"}}", "x".repeat(10_000));
    let text = format!("{long}\n{{\"b\":1}}\n");
    let (rows, result) = read_all(InputFormat::Ndjson, &text, &options);
    assert_eq!(result.unwrap(), 2);
    let bad = rows[0].as_ref().unwrap_err();
    assert!(
        bad.errors[0]
            .reason
            .contains("longer than the limit of 16 bytes"),
        "{bad}"
    );
    assert!(bad.raw.len() <= RAW_PREFIX_BYTES);
    assert_eq!(ok_fields(&rows[1])["b"], 1);
}

#[test]
fn a_json_array_is_streamed_element_by_element() {
    let text = " [ {\"a\": 1}, 2, {\"b\": [1, 2]} ] ";
    let (rows, result) = read_all(InputFormat::Json, text, &ReadOptions::default());
    assert_eq!(result.unwrap(), 3);
    assert_eq!(ok_fields(&rows[0])["a"], 1);
    let bad = rows[1].as_ref().unwrap_err();
    assert_eq!((bad.index, bad.raw.as_str()), (1, "2"));
    assert_eq!(rows[2].as_ref().unwrap().index, 2);
    let (rows, result) = read_all(InputFormat::Json, "[]", &ReadOptions::default());
    assert_eq!((rows.len(), result.unwrap()), (0, 0));
    let (rows, result) = read_all(InputFormat::Json, "  ", &ReadOptions::default());
    assert_eq!((rows.len(), result.unwrap()), (0, 0));
}

#[test]
fn a_malformed_json_array_stops_after_handing_over_the_records_before() {
    let (rows, result) = read_all(
        InputFormat::Json,
        "[{\"a\":1}, {\"b\": ]",
        &ReadOptions::default(),
    );
    assert_eq!(rows.len(), 1);
    match result {
        Err(ReadError::Json { records, reason }) => {
            assert_eq!(records, 1);
            assert!(reason.contains("line 1"), "{reason}");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
    let (_, trailing) = read_all(InputFormat::Json, "[{\"a\":1}] x", &ReadOptions::default());
    assert!(
        matches!(trailing, Err(ReadError::Json { .. })),
        "{trailing:?}"
    );
}

#[test]
fn json_objects_may_follow_one_another_pretty_printed() {
    let text = "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n";
    let (rows, result) = read_all(InputFormat::Json, text, &ReadOptions::default());
    assert_eq!(result.unwrap(), 2);
    assert_eq!(ok_fields(&rows[1])["a"], 2);
}

#[test]
fn the_record_limit_and_the_field_limit_hold() {
    let options = ReadOptions {
        max_records: 2,
        max_fields: 1,
        ..ReadOptions::default()
    };
    for format in [InputFormat::Ndjson, InputFormat::Json] {
        let text = match format {
            InputFormat::Json => "[{\"a\":1},{\"a\":1,\"b\":2},{\"a\":3}]",
            _ => "{\"a\":1}\n{\"a\":1,\"b\":2}\n{\"a\":3}\n",
        };
        let (rows, result) = read_all(format, text, &options);
        assert_eq!(rows.len(), 2, "{format:?}");
        assert!(
            matches!(result, Err(ReadError::TooManyRecords { limit: 2 })),
            "{format:?}"
        );
        let bad = rows[1].as_ref().unwrap_err();
        assert!(
            bad.errors[0].reason.contains("more than the limit of 1"),
            "{bad}"
        );
    }
    let (rows, result) = read_all(InputFormat::Csv, "a\n1\n2\n3\n", &options);
    assert_eq!(rows.len(), 2);
    assert!(matches!(result, Err(ReadError::TooManyRecords { .. })));
}

#[test]
fn the_callback_can_stop_reading() {
    for (format, text) in [
        (InputFormat::Json, "[{\"a\":1},{\"a\":2},{\"a\":3}]"),
        (InputFormat::Json, "{\"a\":1}{\"a\":2}{\"a\":3}"),
        (InputFormat::Ndjson, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"),
        (InputFormat::Csv, "a\n1\n2\n3\n"),
    ] {
        let mut seen = 0;
        let result = read_records(format, text.as_bytes(), &ReadOptions::default(), |_| {
            seen += 1;
            if seen == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(result.unwrap(), 2, "{format:?} {text:?}");
        assert_eq!(seen, 2);
    }
}

#[test]
fn raw_records_round_trip_through_json() {
    let (rows, _) = read_all(InputFormat::Csv, "a,b\n1,x\n", &ReadOptions::default());
    let raw = rows[0].as_ref().unwrap();
    let (again, _) = read_all(InputFormat::Ndjson, &raw.to_json(), &ReadOptions::default());
    assert_eq!(ok_fields(&again[0]), &raw.fields);
}

#[test]
fn formats_are_named_by_media_type_file_name_and_first_bytes() {
    assert_eq!(
        InputFormat::from_media_type("application/json; charset=utf-8"),
        Some(InputFormat::Json)
    );
    assert_eq!(
        InputFormat::from_media_type("application/x-ndjson"),
        Some(InputFormat::Ndjson)
    );
    assert_eq!(
        InputFormat::from_media_type("text/csv"),
        Some(InputFormat::Csv)
    );
    assert_eq!(InputFormat::from_media_type("text/plain"), None);
    assert_eq!(
        InputFormat::from_file_name("logs.JSON"),
        Some(InputFormat::Json)
    );
    assert_eq!(
        InputFormat::from_file_name("logs.jsonl"),
        Some(InputFormat::Ndjson)
    );
    assert_eq!(
        InputFormat::from_file_name("runs.csv"),
        Some(InputFormat::Csv)
    );
    assert_eq!(InputFormat::from_file_name("runs"), None);
    assert_eq!(InputFormat::sniff(b"\xEF\xBB\xBF  [{"), InputFormat::Json);
    assert_eq!(InputFormat::sniff(b"\n{\"a\":1}"), InputFormat::Ndjson);
    assert_eq!(InputFormat::sniff(b"a,b\n"), InputFormat::Csv);
}
