//! A trace as people read it: its spans arranged into trees (each span under the span that
//! started it), figures of the whole trace, and the log lines written inside it.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::{LogRecord, Span, SpanStatus};

/// One span of a trace with the spans it started.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanNode {
    /// The span.
    pub span: Span,
    /// The spans it started, earliest first.
    pub children: Vec<SpanNode>,
}

/// Arranges spans (earliest first) into trees, keeping that order among siblings.
///
/// Every span given is in the result exactly once. A span whose parent is not among them is a
/// root, so a trace whose parent spans were lost still shows every span; spans in a parent cycle
/// (malformed input) are reachable from no root, so they follow the trees as leaves, earliest
/// first.
pub fn span_tree(spans: Vec<Span>) -> Vec<SpanNode> {
    let ids: HashSet<String> = spans.iter().map(|s| s.span_id.clone()).collect();
    let mut children: HashMap<String, Vec<Span>> = HashMap::new();
    let mut roots = Vec::new();
    for span in spans {
        match span
            .parent_span_id
            .clone()
            .filter(|p| ids.contains(p) && *p != span.span_id)
        {
            Some(parent) => children.entry(parent).or_default().push(span),
            None => roots.push(span),
        }
    }
    fn build(span: Span, children: &mut HashMap<String, Vec<Span>>) -> SpanNode {
        let kids = children.remove(&span.span_id).unwrap_or_default();
        SpanNode {
            children: kids.into_iter().map(|kid| build(kid, children)).collect(),
            span,
        }
    }
    let mut nodes: Vec<SpanNode> = roots.into_iter().map(|r| build(r, &mut children)).collect();
    let mut unreachable: Vec<Span> = children.into_values().flatten().collect();
    unreachable.sort_by_key(|s| s.start_ns);
    nodes.extend(unreachable.into_iter().map(|span| SpanNode {
        span,
        children: Vec::new(),
    }));
    nodes
}

/// A whole trace: its spans as trees, figures of the whole, and its log lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The trace id, 32 lower-case hex digits.
    pub trace_id: String,
    /// Spans in the trees.
    pub span_count: usize,
    /// Services that recorded spans of the trace, sorted, each once.
    pub services: Vec<String>,
    /// Start of the earliest span, ns.
    pub start_ns: i64,
    /// The latest end (start + duration) of any span, ns.
    pub end_ns: i64,
    /// Spans with `status = error`.
    pub error_count: usize,
    /// Whether the trace had more spans than were read.
    pub truncated: bool,
    /// Spans without a parent in the trace (normally one: the root), each with its subtree.
    pub roots: Vec<SpanNode>,
    /// Log lines written inside the trace, oldest first.
    pub logs: Vec<LogRecord>,
}

impl Trace {
    /// A trace of its spans (earliest first) and its log lines (oldest first). `truncated` says
    /// whether there were more spans than `spans`.
    pub fn assemble(
        trace_id: String,
        spans: Vec<Span>,
        truncated: bool,
        logs: Vec<LogRecord>,
    ) -> Trace {
        let start_ns = spans.iter().map(|s| s.start_ns).min().unwrap_or(0);
        let end_ns = spans
            .iter()
            .map(|s| s.start_ns.saturating_add(s.duration_ns))
            .max()
            .unwrap_or(start_ns);
        let services: BTreeSet<&str> = spans.iter().map(|s| s.service.as_str()).collect();
        Trace {
            trace_id,
            span_count: spans.len(),
            services: services.into_iter().map(str::to_string).collect(),
            start_ns,
            end_ns,
            error_count: spans
                .iter()
                .filter(|s| s.status == SpanStatus::Error)
                .count(),
            truncated,
            roots: span_tree(spans),
            logs,
        }
    }

    /// From the earliest start to the latest end, ns.
    pub fn duration_ns(&self) -> i64 {
        self.end_ns.saturating_sub(self.start_ns)
    }
}

#[cfg(test)]
mod tests {
    use crate::SpanKind;

    use super::*;

    fn span(id: &str, parent: Option<&str>, start_ns: i64) -> Span {
        Span {
            tenant: "t".into(),
            trace_id: "ab".repeat(16),
            span_id: id.into(),
            parent_span_id: parent.map(str::to_string),
            service: "s".into(),
            name: "op".into(),
            kind: SpanKind::Internal,
            start_ns,
            duration_ns: 1,
            status: SpanStatus::Unset,
            status_message: None,
            attributes: None,
            events: None,
            links: None,
        }
    }

    fn shape(nodes: &[SpanNode]) -> Vec<(String, Vec<String>)> {
        nodes
            .iter()
            .map(|n| {
                (
                    n.span.span_id.clone(),
                    n.children.iter().map(|c| c.span.span_id.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn builds_the_tree_and_keeps_orphans_and_cycles() {
        let tree = span_tree(vec![
            span("a", None, 0),
            span("b", Some("a"), 1),
            span("c", Some("a"), 2),
            span("d", Some("lost"), 3),
            span("x", Some("y"), 4),
            span("y", Some("x"), 5),
        ]);
        let roots = shape(&tree);
        assert_eq!(roots[0], ("a".to_string(), vec!["b".into(), "c".into()]));
        assert_eq!(roots[1], ("d".to_string(), vec![]));
        let cyclic: Vec<&str> = roots[2..].iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(cyclic, vec!["x", "y"]);
    }

    #[test]
    fn a_span_that_names_itself_as_parent_is_a_root() {
        let tree = span_tree(vec![span("a", Some("a"), 0)]);
        assert_eq!(shape(&tree), vec![("a".to_string(), vec![])]);
    }

    #[test]
    fn a_trace_has_figures_of_all_its_spans() {
        let mut failed = span("b", Some("a"), 40);
        failed.service = "payments".into();
        failed.status = SpanStatus::Error;
        failed.duration_ns = 80;
        let mut root = span("a", None, 10);
        root.service = "frontend".into();
        root.duration_ns = 100;
        let trace = Trace::assemble("ab".repeat(16), vec![root, failed], false, Vec::new());
        assert_eq!(trace.span_count, 2);
        assert_eq!(trace.services, vec!["frontend", "payments"]);
        assert_eq!((trace.start_ns, trace.end_ns), (10, 120));
        assert_eq!(trace.duration_ns(), 110);
        assert_eq!(trace.error_count, 1);
        assert_eq!(
            shape(&trace.roots),
            vec![("a".to_string(), vec!["b".to_string()])]
        );
    }
}
