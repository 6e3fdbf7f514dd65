//! Tests of `standardise`: every mapping feature, every field error, and every configuration
//! error.

use serde_json::json;

use super::*;
use crate::config::MappingConfig;
use crate::value::Value;

const INGEST: i64 = 1_800_000_000_000_000_000;

fn mapping(toml_text: &str) -> Mapping {
    let config: MappingConfig = toml::from_str(toml_text).expect("the mapping parses");
    Mapping::new("test", &config).expect("the mapping compiles")
}

fn raw(index: u64, value: serde_json::Value) -> RawRecord {
    RawRecord::from_json(index, value, 1000).expect("an object")
}

fn ok(mapping: &Mapping, value: serde_json::Value) -> StandardRecord {
    mapping
        .standardise(&raw(0, value), INGEST)
        .unwrap_or_else(|e| panic!("expected a good record: {e}"))
}

fn bad(mapping: &Mapping, value: serde_json::Value) -> RecordError {
    match mapping.standardise(&raw(7, value), INGEST) {
        Ok(record) => panic!("expected a bad record, got {record:?}"),
        Err(e) => e,
    }
}

/// The (field, reason) pairs of an error, for compact assertions.
fn reasons(error: &RecordError) -> Vec<(Option<&str>, &str)> {
    error
        .errors
        .iter()
        .map(|e| (e.field.as_deref(), e.reason.as_str()))
        .collect()
}

#[test]
fn renames_and_types_every_kind_of_field() {
    let m = mapping(
        r#"
        [fields]
        name = { from = "Nom" }
        code = { from = "Code" }
        count = { from = "N", type = "integer" }
        ratio = { from = "R", type = "float" }
        flag = { from = "F", type = "bool" }
        at = { from = "T", type = "timestamp", formats = ["%d/%m/%Y %H:%M", "unix_ms"] }
        at2 = { from = "T2", type = "timestamp", formats = ["%d/%m/%Y %H:%M", "unix_ms"] }
        "#,
    );
    let r = ok(
        &m,
        json!({"Nom": "x", "Code": 42, "N": "1200", "R": "0.09", "F": "yes",
               "T": "05/09/2025 16:45", "T2": 1757090700000_i64}),
    );
    assert_eq!(r.fields["name"], Value::String("x".into()));
    assert_eq!(
        r.fields["code"],
        Value::String("42".into()),
        "numbers become text"
    );
    assert_eq!(r.fields["count"], Value::Integer(1200));
    assert_eq!(r.fields["ratio"], Value::Float(0.09));
    assert_eq!(r.fields["flag"], Value::Bool(true));
    assert_eq!(r.fields["at"], Value::Timestamp(1_757_090_700_000_000_000));
    assert_eq!(r.fields["at2"], r.fields["at"]);
    // JSON numbers and booleans are read as they are.
    let r = ok(&m, json!({"N": 5517312, "R": 2, "F": 0, "Code": true}));
    assert_eq!(r.fields["count"], Value::Integer(5_517_312));
    assert_eq!(r.fields["ratio"], Value::Float(2.0));
    assert_eq!(r.fields["flag"], Value::Bool(false));
    assert_eq!(r.fields["code"], Value::String("true".into()));
    let r = ok(&m, json!({"N": 12.0}));
    assert_eq!(r.fields["count"], Value::Integer(12));
}

#[test]
fn lists_every_bad_field_with_the_input_name_index_and_raw_record() {
    let m = mapping(
        r#"
        [fields]
        count = { from = "N", type = "integer" }
        ratio = { from = "R", type = "float" }
        flag = { from = "F", type = "bool" }
        at = { from = "T", type = "timestamp", formats = ["%d-%m-%Y %H:%M:%S%.f"] }
        name = { from = "S" }
        id = { from = "Id", type = "integer", required = true }
        "#,
    );
    let input = json!({"N": "12x", "R": "NaN", "F": "maybe", "T": "2025-09-05", "S": {"a": 1}});
    let e = bad(&m, input.clone());
    assert_eq!(e.index, 7);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&e.raw).unwrap(),
        input
    );
    let got = reasons(&e);
    let fields: Vec<_> = got.iter().map(|(f, _)| f.unwrap()).collect();
    // In the order of the standardised names: at, count, flag, id, name, ratio.
    assert_eq!(fields, ["T", "N", "F", "Id", "S", "R"]);
    for (field, want) in [
        ("N", "expected a number, found \"12x\""),
        ("R", "expected a number, found \"NaN\""),
        ("F", "expected a boolean"),
        ("T", "does not match"),
        ("S", "expected a string, found an object"),
        ("Id", "required but missing"),
    ] {
        assert!(
            got.iter()
                .any(|(f, r)| *f == Some(field) && r.contains(want)),
            "{field}: {want:?} not in {got:?}"
        );
    }
    assert_eq!(got.len(), 6);
    // Other wrong types.
    let e = bad(&m, json!({"Id": 1, "N": 1.5, "F": 2, "T": 17, "R": [1]}));
    let got = reasons(&e);
    assert!(
        got.contains(&(Some("N"), "expected an integer, found 1.5")),
        "{got:?}"
    );
    assert!(
        got.contains(&(Some("F"), "expected a boolean, found the number 2")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(f, r)| *f == Some("T") && r.contains("read text")),
        "{got:?}"
    );
    assert!(
        got.contains(&(Some("R"), "expected a number, found an array")),
        "{got:?}"
    );
    let e = bad(&m, json!({"Id": 18446744073709551615_u64}));
    assert!(reasons(&e)[0].1.contains("out of range"), "{e}");
}

#[test]
fn missing_null_and_blank_values_take_defaults_or_are_required() {
    let m = mapping(
        r#"
        [fields]
        zone = { from = "Zone", default = "1-Raw" }
        memory = { from = "M", type = "integer", default = "0" }
        name = { from = "Name" }
        id = { from = "Id", type = "integer", required = true }
        "#,
    );
    let r = ok(&m, json!({"Id": 1, "M": null, "Name": ""}));
    assert_eq!(r.fields["zone"], Value::String("1-Raw".into()));
    assert_eq!(r.fields["memory"], Value::Integer(0));
    assert_eq!(
        r.fields["name"],
        Value::String(String::new()),
        "an empty string is a string"
    );
    let r = ok(&m, json!({"Id": 1, "M": "  "}));
    assert_eq!(
        r.fields["memory"],
        Value::Integer(0),
        "blank text is no number"
    );
    for absent in [json!({}), json!({"Id": null}), json!({"Id": " "})] {
        let e = bad(&m, absent.clone());
        assert_eq!(
            reasons(&e),
            [(Some("Id"), "the field is required but missing")],
            "{absent}"
        );
    }
    // A required field with a default is never missing.
    let m = mapping("[fields]\nid = { type = \"integer\", required = true, default = 5 }");
    assert_eq!(ok(&m, json!({})).fields["id"], Value::Integer(5));
}

#[test]
fn derives_durations_ratios_and_copies() {
    let m = mapping(
        r#"
        [fields]
        start = { from = "Debut", type = "timestamp", formats = ["%d-%m-%Y %H:%M:%S%.f"] }
        end = { from = "Fin", type = "timestamp", formats = ["%d-%m-%Y %H:%M:%S%.f"] }
        duration = { from = "Duree", type = "float" }
        cpu = { type = "float" }
        memory = { type = "integer" }

        [[derived]]
        name = "duration"
        op = "difference"
        args = ["end", "start"]
        if_missing = true

        [[derived]]
        name = "cpu_share"
        op = "ratio"
        args = ["cpu", "duration"]

        [[derived]]
        name = "slack"
        op = "difference"
        args = ["duration", "cpu"]

        [[derived]]
        name = "memory_copy"
        op = "copy"
        args = ["memory"]
        "#,
    );
    let r = ok(
        &m,
        json!({"Debut": "05-09-2025 16:45:26.191702", "Fin": "05-09-2025 16:45:27.089917",
               "cpu": 0.09, "memory": 5517312}),
    );
    let Value::Float(duration) = r.fields["duration"] else {
        panic!()
    };
    assert!((duration - 0.898215).abs() < 1e-9, "{duration}");
    let Value::Float(share) = r.fields["cpu_share"] else {
        panic!()
    };
    assert!((share - 0.09 / 0.898215).abs() < 1e-9);
    let Value::Float(slack) = r.fields["slack"] else {
        panic!()
    };
    assert!((slack - (0.898215 - 0.09)).abs() < 1e-9);
    assert_eq!(r.fields["memory_copy"], Value::Integer(5_517_312));
    // The input's duration wins over the derived one (if_missing).
    let r = ok(
        &m,
        json!({"Debut": "05-09-2025 16:45:26", "Fin": "05-09-2025 16:45:30", "Duree": 1.5}),
    );
    assert_eq!(r.fields["duration"], Value::Float(1.5));
    // A ratio over zero, and derivations without their arguments, are left out.
    let r = ok(&m, json!({"Duree": 0, "cpu": 1}));
    assert!(!r.fields.contains_key("cpu_share"));
    let r = ok(&m, json!({}));
    assert!(r.fields.is_empty(), "{:?}", r.fields);
}

#[test]
fn a_required_derived_field_without_its_arguments_is_an_error_once() {
    let m = mapping(
        r#"
        [fields]
        start = { type = "timestamp" }
        end = { type = "timestamp" }
        [[derived]]
        name = "duration"
        op = "difference"
        args = ["end", "start"]
        required = true
        "#,
    );
    let e = bad(&m, json!({"start": "2025-09-05T16:45:26Z"}));
    assert_eq!(reasons(&e).len(), 1);
    assert_eq!(reasons(&e)[0].0, Some("duration"));
    assert!(reasons(&e)[0].1.contains("\"end\""), "{e}");
    // When the argument itself is bad, only the argument is reported.
    let e = bad(&m, json!({"start": "2025-09-05T16:45:26Z", "end": "later"}));
    assert_eq!(reasons(&e).len(), 1);
    assert_eq!(reasons(&e)[0].0, Some("end"));
}

#[test]
fn maps_a_status_to_a_level() {
    let m = mapping(
        r#"
        [fields]
        status = { from = "Etat" }
        [level]
        field = "status"
        map = { SUCCESS = "INFO", FAILED = "ERROR", "PARTIAL" = "warning" }
        default = "DEBUG"
        "#,
    );
    let level = |v: serde_json::Value| ok(&m, v).level;
    assert_eq!(level(json!({"Etat": "SUCCESS"})), Level::Info);
    assert_eq!(
        level(json!({"Etat": "failed"})),
        Level::Error,
        "matched ignoring case"
    );
    assert_eq!(level(json!({"Etat": "PARTIAL"})), Level::Warn);
    assert_eq!(
        level(json!({"Etat": "critical"})),
        Level::Fatal,
        "a level name is its level"
    );
    assert_eq!(
        level(json!({"Etat": "SKIPPED"})),
        Level::Debug,
        "unknown: the default"
    );
    assert_eq!(level(json!({})), Level::Debug, "absent: the default");
    let plain = mapping("[fields]\na = {}");
    assert_eq!(ok(&plain, json!({})).level, Level::Info);
}

#[test]
fn extracts_error_messages() {
    let m = mapping(
        r#"
        [fields]
        status = { from = "Etat" }
        description = { from = "Description" }
        [level]
        field = "status"
        map = { FAILED = "ERROR" }
        [error]
        field = "description"
        min_level = "ERROR"
        ignore = ["Tout roule, pas de stress!"]
        fallback = "Unknown error"
        "#,
    );
    let error = |v: serde_json::Value| ok(&m, v).error;
    assert_eq!(
        error(json!({"Etat": "FAILED", "Description": "HTTP 500 from Zoho"})),
        Some("HTTP 500 from Zoho".into())
    );
    assert_eq!(
        error(json!({"Etat": "FAILED", "Description": "Tout roule, pas de stress!"})),
        Some("Unknown error".into())
    );
    assert_eq!(
        error(json!({"Etat": "FAILED"})),
        Some("Unknown error".into())
    );
    assert_eq!(
        error(json!({"Etat": "SUCCESS", "Description": "HTTP 500"})),
        None,
        "below min_level"
    );
    // Without a message template, the message is the error.
    assert_eq!(
        ok(&m, json!({"Etat": "FAILED", "Description": "boom"})).message,
        "boom"
    );
    assert_eq!(ok(&m, json!({"Etat": "SUCCESS"})).message, "");

    let m = mapping(
        r#"
        [fields]
        log = {}
        [error]
        field = "log"
        regex = 'error: (?P<message>[^;]+)'
        "#,
    );
    assert_eq!(
        ok(&m, json!({"log": "step 3; error: disk full; retrying"})).error,
        Some("disk full".into())
    );
    assert_eq!(ok(&m, json!({"log": "all good"})).error, None);
    let first_group =
        mapping("[fields]\nlog = {}\n[error]\nfield = \"log\"\nregex = 'code=(\\d+)'");
    assert_eq!(
        ok(&first_group, json!({"log": "x code=503"})).error,
        Some("503".into())
    );
    let whole = mapping("[fields]\nlog = {}\n[error]\nfield = \"log\"\nregex = 'E\\d+'");
    assert_eq!(
        ok(&whole, json!({"log": "got E42 here"})).error,
        Some("E42".into())
    );
}

#[test]
fn labels_are_the_chosen_fields_as_text_and_the_rest_are_attributes() {
    let m = mapping(
        r#"
        static_labels = { pipeline = "kafka" }
        [fields]
        company = { from = "Entreprise", label = true }
        object_id = { from = "Objet_Id", type = "integer", label = true }
        zone = { label = true }
        memory = { type = "integer" }
        "#,
    );
    let r = ok(
        &m,
        json!({"Entreprise": "akonovia", "Objet_Id": 1995, "zone": "", "memory": 5}),
    );
    assert_eq!(
        r.labels,
        BTreeMap::from([
            ("company".to_string(), "akonovia".to_string()),
            ("object_id".to_string(), "1995".to_string()),
            ("pipeline".to_string(), "kafka".to_string()),
        ]),
        "an empty label is no label"
    );
    assert_eq!(
        r.fields["object_id"],
        Value::Integer(1995),
        "labels keep their typed form"
    );
    let attributes: Vec<&String> = r.attributes().map(|(name, _)| name).collect();
    assert_eq!(attributes, ["memory", "zone"]);
    let e = bad(
        &m,
        json!({"Entreprise": "x".repeat(MAX_LABEL_VALUE_BYTES + 1)}),
    );
    assert_eq!(reasons(&e)[0].0, Some("Entreprise"));
    assert!(reasons(&e)[0].1.contains("at most 2048 bytes"));
}

#[test]
fn keys_timestamps_and_their_absence() {
    let m = mapping(
        r#"
        timestamp = "at"
        key = ["company", "seq", "id"]
        [fields]
        company = {}
        seq = {}
        id = { type = "integer" }
        at = { type = "timestamp", formats = ["unix_s"] }
        "#,
    );
    let r = ok(
        &m,
        json!({"company": "akonovia", "seq": "2025-09-05-16-45", "id": 1995, "at": 1757090726}),
    );
    assert_eq!(r.key.as_deref(), Some("akonovia:2025-09-05-16-45:1995"));
    assert_eq!(r.timestamp_ns, 1_757_090_726_000_000_000);
    assert_eq!(r.identity().key, r.key);
    let e = bad(&m, json!({"company": "a", "seq": "s"}));
    assert_eq!(
        reasons(&e),
        [
            (Some("at"), "the record has no timestamp"),
            (
                Some("id"),
                "the field is part of the record's key but missing"
            ),
        ]
    );
    let e = bad(&m, json!({"company": "a", "seq": "s", "id": 1, "at": -5}));
    assert!(reasons(&e)[0].1.contains("before 1970"), "{e}");
    let m = mapping(
        r#"
        timestamp = "at"
        on_missing_timestamp = "ingest_time"
        [fields]
        at = { type = "timestamp" }
        "#,
    );
    assert_eq!(ok(&m, json!({})).timestamp_ns, INGEST);
    assert_eq!(
        ok(&mapping("[fields]\na = {}"), json!({})).timestamp_ns,
        INGEST
    );
    assert_eq!(ok(&mapping("[fields]\na = {}"), json!({})).key, None);
}

#[test]
fn unmapped_fields_are_kept_typed_or_dropped() {
    let keep = mapping("[fields]\ncompany = { from = \"Entreprise\" }");
    let r = ok(
        &keep,
        json!({"Entreprise": "a", "n": 3, "x": 1.5, "b": true, "s": "t", "z": null, "o": {"k": [1]},
               "company": "shadow"}),
    );
    assert_eq!(
        r.fields["company"],
        Value::String("a".into()),
        "a standardised name is never taken"
    );
    assert_eq!(r.fields["n"], Value::Integer(3));
    assert_eq!(r.fields["x"], Value::Float(1.5));
    assert_eq!(r.fields["b"], Value::Bool(true));
    assert_eq!(r.fields["s"], Value::String("t".into()));
    assert_eq!(r.fields["o"], Value::String(r#"{"k":[1]}"#.into()));
    assert!(!r.fields.contains_key("z") && !r.fields.contains_key("Entreprise"));
    let drop = mapping("unmapped = \"drop\"\n[fields]\ncompany = { from = \"Entreprise\" }");
    let r = ok(&drop, json!({"Entreprise": "a", "n": 3}));
    assert_eq!(r.fields.keys().collect::<Vec<_>>(), ["company"]);
}

#[test]
fn messages_come_from_templates() {
    let m = mapping(
        r#"
        message = "{source}/{object} {{{status}}} took {duration}s"
        [fields]
        source = {}
        object = {}
        status = {}
        duration = { type = "float" }
        "#,
    );
    let r = ok(
        &m,
        json!({"source": "zohoprojects", "object": "projects", "status": "SUCCESS", "duration": 0.5}),
    );
    assert_eq!(r.message, "zohoprojects/projects {SUCCESS} took 0.5s");
    assert_eq!(
        ok(&m, json!({})).message,
        "/ {} took s",
        "absent fields are empty"
    );
}

#[test]
fn reads_numbers_with_the_mappings_decimal_comma_and_thousands_separator() {
    let m = mapping(
        r#"
        numbers = { decimal = ",", thousands = "." }
        [fields]
        cpu = { type = "float" }
        memory = { type = "integer" }
        "#,
    );
    let r = ok(&m, json!({"cpu": "0,09", "memory": "5.517.312"}));
    assert_eq!(r.fields["cpu"], Value::Float(0.09));
    assert_eq!(r.fields["memory"], Value::Integer(5_517_312));
    let e = bad(&m, json!({"cpu": "0.09"}));
    assert_eq!(reasons(&e)[0].0, Some("cpu"));
}

#[test]
fn utc_offsets_apply_to_times_written_without_one() {
    let m = mapping(
        r#"
        utc_offset = "+02:00"
        [fields]
        local = { type = "timestamp", formats = ["%Y-%m-%d %H:%M:%S"] }
        utc = { type = "timestamp", formats = ["%Y-%m-%d %H:%M:%S"], utc_offset = "Z" }
        "#,
    );
    let r = ok(
        &m,
        json!({"local": "2025-09-05 18:45:26", "utc": "2025-09-05 16:45:26"}),
    );
    assert_eq!(
        r.fields["local"],
        Value::Timestamp(1_757_090_726_000_000_000)
    );
    assert_eq!(r.fields["local"], r.fields["utc"]);
}

#[test]
fn a_batch_keeps_good_and_bad_records_in_order() {
    let m = mapping("[fields]\nid = { type = \"integer\", required = true }");
    let rows: Vec<Row> = vec![
        Ok(raw(0, json!({"id": 1}))),
        Ok(raw(1, json!({"id": "x"}))),
        Err(RecordError {
            index: 2,
            errors: vec![FieldError::record("invalid JSON")],
            raw: "{".into(),
        }),
        Ok(raw(3, json!({"id": 4}))),
    ];
    let batch = m.standardise_rows(rows, INGEST);
    assert_eq!(batch.records.len(), 2);
    assert_eq!(batch.records[1].fields["id"], Value::Integer(4));
    let indexes: Vec<u64> = batch.rejected.iter().map(|e| e.index).collect();
    assert_eq!(indexes, [1, 2]);
    assert_eq!(batch.rejected[0].raw, r#"{"id":"x"}"#);
    assert_eq!(batch.records[0].source, "test");
}

#[test]
fn refuses_mappings_that_cannot_work_and_says_where() {
    let cases = [
        (
            "[fields]\na = { type = \"float\", label = true }",
            "fields.a.label",
        ),
        (
            "[fields]\na = { type = \"timestamp\", label = true }",
            "fields.a.label",
        ),
        ("[fields]\n\"a b\" = {}", "fields.a b"),
        ("[fields]\n__a = { label = true }", "fields.__a.label"),
        ("[fields]\na = { formats = [\"%Y\"] }", "fields.a"),
        (
            "[fields]\na = { type = \"timestamp\", formats = [\"%Q\"] }",
            "fields.a.formats[0]",
        ),
        (
            "[fields]\na = { type = \"integer\", default = \"x\" }",
            "fields.a.default",
        ),
        (
            "[fields]\na = { type = \"timestamp\", utc_offset = \"Paris\" }",
            "fields.a.utc_offset",
        ),
        ("timestamp = \"a\"\n[fields]\na = {}", "timestamp"),
        ("timestamp = \"b\"\n[fields]\na = {}", "timestamp"),
        ("key = [\"b\"]\n[fields]\na = {}", "key"),
        ("message = \"{b}\"\n[fields]\na = {}", "message"),
        ("message = \"{a\"\n[fields]\na = {}", "message"),
        ("message = \"a}\"\n[fields]\na = {}", "message"),
        ("[fields]\na = {}\n[level]\nfield = \"b\"", "level.field"),
        (
            "[fields]\na = {}\n[level]\nfield = \"a\"\nmap = { X = \"LOUD\" }",
            "level.map.X",
        ),
        (
            "[fields]\na = {}\n[level]\nfield = \"a\"\ndefault = \"LOUD\"",
            "level.default",
        ),
        (
            "[fields]\na = {}\n[error]\nfield = \"a\"\nregex = \"(\"",
            "error.regex",
        ),
        (
            "[fields]\na = {}\n[error]\nfield = \"a\"\nmin_level = \"x\"",
            "error.min_level",
        ),
        ("[fields]\na = {}\n[error]\nfield = \"b\"", "error.field"),
        (
            "numbers = { decimal = \";\" }\n[fields]\na = {}",
            "numbers.decimal",
        ),
        (
            "numbers = { decimal = \",\", thousands = \",\" }\n[fields]\na = {}",
            "numbers.thousands",
        ),
        (
            "numbers = { thousands = \"x\" }\n[fields]\na = {}",
            "numbers.thousands",
        ),
        ("utc_offset = \"2h\"\n[fields]\na = {}", "utc_offset"),
        ("csv_delimiter = \"ab\"\n[fields]\na = {}", "csv_delimiter"),
        ("csv_delimiter = \"é\"\n[fields]\na = {}", "csv_delimiter"),
        ("static_labels = { \"a-b\" = \"x\" }", "static_labels"),
        (
            "static_labels = { a = \"x\" }\n[fields]\na = { label = true }",
            "static_labels",
        ),
        (
            "[fields]\na = {}\n[[derived]]\nname = \"b\"\nop = \"copy\"\nargs = [\"c\"]",
            "derived[0]",
        ),
        (
            "[fields]\na = {}\n[[derived]]\nname = \"b\"\nop = \"ratio\"\nargs = [\"a\"]",
            "derived[0]",
        ),
        (
            "[fields]\na = {}\nb = {}\n[[derived]]\nname = \"c\"\nop = \"ratio\"\nargs = [\"a\", \"b\"]",
            "derived[0]",
        ),
        (
            "[fields]\na = { type = \"timestamp\" }\nb = { type = \"integer\" }\n[[derived]]\nname = \"c\"\nop = \"difference\"\nargs = [\"a\", \"b\"]",
            "derived[0]",
        ),
        (
            "[fields]\na = {}\n[[derived]]\nname = \"a\"\nop = \"copy\"\nargs = [\"a\"]",
            "derived[0]",
        ),
        (
            "[fields]\na = {}\nb = { type = \"integer\" }\n[[derived]]\nname = \"a\"\nop = \"copy\"\nargs = [\"b\"]\nif_missing = true",
            "derived[0]",
        ),
        (
            "[fields]\na = { label = true }\nb = {}\n[[derived]]\nname = \"a\"\nop = \"copy\"\nargs = [\"b\"]\nif_missing = true",
            "derived[0]",
        ),
        (
            "[fields]\na = {}\n[[derived]]\nname = \"1x\"\nop = \"copy\"\nargs = [\"a\"]",
            "derived[0]",
        ),
    ];
    for (text, at) in cases {
        let config: MappingConfig = toml::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        match Mapping::new("s", &config) {
            Err(ConfigError::Invalid { at: found, reason }) => {
                assert_eq!(found, format!("sources.s.{at}"), "{text}: {reason}");
            }
            other => panic!("{text}: expected an error at {at}, got {other:?}"),
        }
    }
    // Unknown keys are refused when the file is read.
    let err = RecordsConfig::from_toml("[sources.s]\nfeilds = {}").unwrap_err();
    assert!(err.to_string().contains("feilds"), "{err}");
    let err =
        RecordsConfig::from_toml("[sources.s.fields]\na = { typ = \"integer\" }").unwrap_err();
    assert!(err.to_string().contains("typ"), "{err}");
    assert!(RecordsConfig::from_toml("[sources.s.fields]\na = { type = \"date\" }").is_err());
}
