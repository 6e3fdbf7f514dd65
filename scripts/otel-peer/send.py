"""Sends traces, metrics and logs to TelemetryHub with the real OpenTelemetry Python SDK.

Usage: send.py http|grpc ENDPOINT SERVICE

`http` uses the OTLP/HTTP protobuf exporters (ENDPOINT like http://127.0.0.1:4318), `grpc` the
OTLP/gRPC exporters (ENDPOINT like http://127.0.0.1:4317). Emits one trace of two spans (the
child failed), a counter and a histogram, and two log lines written inside the child span, then
flushes everything and prints the trace id. Exits non-zero if any export failed.
"""

import logging
import sys

from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode


def exporters(transport, endpoint):
    if transport == "http":
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces"),
            OTLPMetricExporter(endpoint=f"{endpoint}/v1/metrics"),
            OTLPLogExporter(endpoint=f"{endpoint}/v1/logs"),
        )
    if transport == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=endpoint, insecure=True),
            OTLPMetricExporter(endpoint=endpoint, insecure=True),
            OTLPLogExporter(endpoint=endpoint, insecure=True),
        )
    raise SystemExit(f"unknown transport {transport!r}: expected http or grpc")


class FailureCounter(logging.Handler):
    """Counts the SDK's own error reports (a failed export is logged, not raised)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.failures = []

    def emit(self, record):
        self.failures.append(record.getMessage())


def main():
    transport, endpoint, service = sys.argv[1:4]
    failures = FailureCounter()
    logging.getLogger("opentelemetry").addHandler(failures)
    resource = Resource.create({"service.name": service, "deployment.environment": "test"})
    span_exporter, metric_exporter, log_exporter = exporters(transport, endpoint)

    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    reader = PeriodicExportingMetricReader(metric_exporter, export_interval_millis=60_000)
    meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))

    app_log = logging.getLogger("peer.app")
    app_log.propagate = False
    app_log.setLevel(logging.INFO)
    app_log.addHandler(LoggingHandler(level=logging.INFO, logger_provider=logger_provider))

    meter = meter_provider.get_meter("peer")
    requests = meter.create_counter("peer.requests", unit="1")
    latency = meter.create_histogram("peer.latency", unit="ms")
    tracer = tracer_provider.get_tracer("peer")
    with tracer.start_as_current_span("GET /orders", kind=SpanKind.SERVER) as root:
        root.set_attribute("http.route", "/orders")
        with tracer.start_as_current_span("SELECT orders") as child:
            child.add_event("retry", {"attempt": 2})
            app_log.warning("slow query on table orders took 812 ms")
            app_log.error("query failed: deadlock detected")
            child.set_status(Status(StatusCode.ERROR, "deadlock"))
        trace_id = format(root.get_span_context().trace_id, "032x")
    requests.add(3, {"route": "/orders"})
    latency.record(12.5, {"route": "/orders"})
    latency.record(80.0, {"route": "/orders"})

    reader.force_flush()
    meter_provider.shutdown()
    tracer_provider.shutdown()
    logger_provider.shutdown()
    if failures.failures:
        raise SystemExit(f"export failed: {failures.failures}")
    print(trace_id)


if __name__ == "__main__":
    main()
