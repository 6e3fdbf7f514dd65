//! The template subset: fields, pipelines, conditionals, trimming, and the functions Loki's
//! documentation shows.

use std::collections::BTreeMap;

use super::Template;

fn render(template: &str, labels: &[(&str, &str)]) -> Result<String, String> {
    let labels: BTreeMap<String, String> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let parsed = Template::parse(template).map_err(|e| e.to_string())?;
    // 2023-03-23T13:13:35Z
    parsed.render(&labels, "the line", 1_679_577_215_000_000_000)
}

fn check(template: &str, labels: &[(&str, &str)], expected: &str) {
    assert_eq!(
        render(template, labels).as_deref(),
        Ok(expected),
        "{template}"
    );
}

#[test]
fn fields_pipelines_and_conditionals() {
    let labels = [
        ("status", "404"),
        ("level", "error"),
        ("msg", "Hello World"),
        ("a-b", "x"),
    ];
    check("{{.status}} {{ .level | ToUpper }}", &labels, "404 ERROR");
    check("{{.missing}}|", &labels, "|");
    check(
        "{{ if eq .level \"error\" }}E{{ else if eq .level \"warn\" }}W{{ else }}-{{ end }}",
        &labels,
        "E",
    );
    check(
        "{{ if eq .level \"info\" }}I{{ else }}{{ .level }}{{ end }}",
        &labels,
        "error",
    );
    check("{{ with .missing }}x{{ end }}y", &labels, "y");
    check("a  {{- .status -}}  b", &labels, "a404b");
    check("{{/* a comment */}}x", &labels, "x");
    check("{{ index . \"a-b\" }}", &labels, "x");
    check(
        "{{ __line__ | upper }} {{ __timestamp__ | unixEpoch }}",
        &labels,
        "THE LINE 1679577215",
    );
    check(
        "{{ printf \"%s=%d %.2f %5s|%-3s|\" .level 42 1.5 \"ab\" \"c\" }}",
        &labels,
        "error=42 1.50    ab|c  |",
    );
    check(
        "{{ .msg | lower | replace \"world\" \"there\" }}",
        &labels,
        "hello there",
    );
    check(
        "{{ and true .level }} {{ or \"\" .status }} {{ not .missing }}",
        &labels,
        "error 404 true",
    );
}

#[test]
fn loki_and_sprig_functions() {
    let labels = [
        ("path", "/api/v1/users"),
        ("size", "2KB"),
        ("took", "1.5s"),
        ("n", "7"),
        ("text", " pad "),
    ];
    check(
        r#"{{ regexReplaceAll "/api/(v[0-9])/.*" .path "${1}" }}"#,
        &labels,
        "v1",
    );
    check(
        r#"{{ regexReplaceAllLiteral "v1" .path "$1" }}"#,
        &labels,
        "/api/$1/users",
    );
    check(
        r#"{{ Replace .path "/" "_" -1 }}"#,
        &labels,
        "_api_v1_users",
    );
    check(
        r#"{{ TrimPrefix .path "/api" }} {{ TrimSpace .text }}|{{ trim .text }}"#,
        &labels,
        "/v1/users pad|pad",
    );
    check(
        r#"{{ Trim "xxhixx" "x" }} {{ TrimLeft "xxhi" "x" }} {{ TrimRight "hixx" "x" }}"#,
        &labels,
        "hi hi hi",
    );
    check(
        r#"{{ count "/" .path }} {{ contains "v1" .path }} {{ hasPrefix "/api" .path }} {{ hasSuffix "x" .path }}"#,
        &labels,
        "3 true true false",
    );
    check(
        r#"{{ .size | bytes }} {{ .took | duration }}"#,
        &labels,
        "2000 1.5",
    );
    check(
        r#"{{ add .n 3 }} {{ sub .n 10 }} {{ mul .n 2 }} {{ div .n 2 }} {{ mod .n 4 }}"#,
        &labels,
        "10 -3 14 3 3",
    );
    check(
        r#"{{ addf .n 0.5 }} {{ divf .n 2 }} {{ maxf 1 2.5 }} {{ max 3 9 }} {{ min 3 9 }}"#,
        &labels,
        "7.5 3.5 2.5 9 3",
    );
    check(
        r#"{{ ceil 1.2 }} {{ floor 1.8 }} {{ round 1.2345 2 }} {{ int "12" }} {{ float64 "1.5" }}"#,
        &labels,
        "2 1 1.23 12 1.5",
    );
    check(
        r#"{{ trunc 4 .path }} {{ substr 1 4 .path }} {{ repeat 3 "ab" }}"#,
        &labels,
        "/api api ababab",
    );
    check(
        r#"{{ .missing | default "-" }} {{ .n | default "-" }}"#,
        &labels,
        "- 7",
    );
    check(
        r#"{{ alignLeft 5 "ab" }}|{{ alignRight 5 "ab" }}|{{ alignLeft 2 "abcd" }}"#,
        &labels,
        "ab   |   ab|ab",
    );
    check(r#"{{ indent 2 "a\nb" }}"#, &labels, "  a\n  b");
    check(
        r#"{{ urlencode "a b&c" }} {{ urldecode "a+b%26c" }}"#,
        &labels,
        "a+b%26c a b&c",
    );
    check(
        r#"{{ b64enc "hi" }} {{ b64dec "aGk=" }}"#,
        &labels,
        "aGk= hi",
    );
    check(r#"{{ title "hello world" }}"#, &labels, "Hello World");
    check(
        r#"{{ __timestamp__ | date "2006-01-02T15:04:05Z07:00" }}"#,
        &labels,
        "2023-03-23T13:13:35+00:00",
    );
    check(
        r#"{{ toDate "2006-01-02" "2021-11-02" | unixEpoch }}"#,
        &labels,
        "1635811200",
    );
    check(
        r#"{{ unixToTime "1679577215" | unixEpochMillis }}"#,
        &labels,
        "1679577215000",
    );
    check(
        r#"{{ unixEpochNanos (unixToTime "1679577215123") }}"#,
        &labels,
        "1679577215123000000",
    );
}

#[test]
fn errors_are_reported_not_panicked() {
    assert!(render("{{ .a", &[]).is_err());
    assert!(render("{{ if .a }}x", &[]).is_err());
    assert!(render("{{ end }}", &[]).is_err());
    assert!(render("{{ range .a }}{{ end }}", &[]).is_err());
    assert_eq!(
        render("{{ nosuch .a }}", &[]),
        Err("function \"nosuch\" not defined".to_string())
    );
    assert!(render("{{ div 1 0 }}", &[]).is_err());
    assert!(render("{{ regexReplaceAll \"(\" \"a\" \"b\" }}", &[]).is_err());
    assert!(render("{{ repeat 100000000 \"abc\" }}", &[]).is_err());
}
