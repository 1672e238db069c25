import CoreMetrics
import Foundation
import HTTPServer
import Prometheus
import SluiceLocks

/// The server's metrics, recorded through swift-metrics into a Prometheus registry of this
/// server's own (not the process-wide bootstrap, so several servers can live in one process,
/// as in tests) and exposed as text on `GET /metrics`.
///
/// Counters are made once per label set and cached, so recording costs a dictionary lookup
/// under a lock and an atomic add.
final class SluiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let counters = Locked<[String: CoreMetrics.Counter]>([:])
    private let openConnections: CoreMetrics.Gauge
    private let refusedConnections: CoreMetrics.Gauge
    private let uploadsInFlight: CoreMetrics.Gauge
    private let refusedUploads: CoreMetrics.Gauge
    private let activeSessions: CoreMetrics.Gauge

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
        openConnections = Gauge(label: "sluice_open_connections", factory: factory)
        refusedConnections = Gauge(label: "sluice_connections_refused", factory: factory)
        uploadsInFlight = Gauge(label: "sluice_uploads_in_flight", factory: factory)
        refusedUploads = Gauge(label: "sluice_uploads_refused", factory: factory)
        activeSessions = Gauge(label: "sluice_write_sessions_active", factory: factory)
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
    }

    /// One answered request, by route pattern and status.
    func request(route: String, status: Int) {
        counter("sluice_http_requests_total", [("route", route), ("status", String(status))]).increment()
    }

    /// The request counter of one route, with its 200 counter made ahead: the hot path
    /// is then a single atomic add.
    func requests(route: String) -> RouteRequestCounter {
        RouteRequestCounter(route: route, ok: counter("sluice_http_requests_total", [("route", route), ("status", "200")]), metrics: self)
    }

    func rowsStreamed(source: String, rows: Int, bytes: Int) {
        counter("sluice_rows_streamed_total", [("source", source)]).increment(by: Int64(rows))
        counter("sluice_bytes_streamed_total", [("source", source)]).increment(by: Int64(bytes))
    }

    func rowsWritten(sink: String, rows: Int64, bytes: Int64) {
        counter("sluice_rows_written_total", [("sink", sink)]).increment(by: rows)
        counter("sluice_bytes_written_total", [("sink", sink)]).increment(by: bytes)
    }

    /// The Prometheus text exposition, with the gauges read now. The refusal gauges count
    /// since start: connections answered 503 at `--max-connections`, request bodies answered
    /// 503 at `--max-concurrent-uploads`.
    func exposition(server statistics: HTTPServerStatistics, activeSessions sessions: Int) -> [UInt8] {
        openConnections.record(statistics.openConnections)
        refusedConnections.record(statistics.refusedConnections)
        uploadsInFlight.record(statistics.bodiesInFlight)
        refusedUploads.record(statistics.refusedBodies)
        activeSessions.record(sessions)
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }
}

/// Counts the answered requests of one route by status.
struct RouteRequestCounter: Sendable {
    let route: String
    let ok: CoreMetrics.Counter
    let metrics: SluiceMetrics

    func record(_ status: Int) {
        if status == 200 { ok.increment() } else { metrics.request(route: route, status: status) }
    }
}
