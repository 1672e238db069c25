#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything an `HTTPServer` can be told: where to listen, every limit and every timeout.
/// The defaults are those of the Sluice issue; tests shorten the timeouts.
public struct HTTPServerConfiguration: Sendable {
    /// Numeric hosts to bind (`127.0.0.1`, `0.0.0.0`, `::1`, `::`; `localhost` = 127.0.0.1).
    /// All share one port.
    public var hosts: [String] = ["127.0.0.1"]
    /// 0 asks for an ephemeral port; `HTTPServer.port` tells which one was bound.
    public var port: Int = 8080
    public var listenBacklog: Int32 = 1024
    /// Serial I/O queues that connections are spread over round-robin (one per core).
    public var ioQueueCount: Int = HTTPServerConfiguration.activeProcessorCount

    /// When set, the engine's own problem+json answers (404, 405, 413, 415, ...) get the type
    /// `<prefix><status slug>` instead of `about:blank`.
    public var problemTypePrefix: String?

    /// Request line, without CRLF → 414 past it.
    public var maxRequestLineLength = 8 * 1024
    /// One header line → 431.
    public var maxHeaderLineLength = 64 * 1024
    /// All header lines together → 431.
    public var maxHeaderBytes = 64 * 1024
    /// Number of header fields → 431.
    public var maxHeaderCount = 100
    /// Request body limit of routes that do not set their own → 413.
    public var defaultBodyLimit = 16 * 1024 * 1024
    /// Largest inflated/compressed ratio accepted once past 1 MiB inflated → 413.
    public var maxDecompressionRatio = 200
    /// Connections served at once; past it a new connection is answered 503 (`Retry-After`)
    /// and closed, so the process never runs out of descriptors. 0: derived from the
    /// descriptor limit (`RLIMIT_NOFILE`) at start, with room left for files and databases.
    public var maxConnections = 0
    /// Request bodies being read at once (uploads in flight); past it a request with a body
    /// is answered 503 (`Retry-After`) without reading it. 0: no limit. The default, 32 per
    /// core, keeps every core busy decoding while bounding the memory uploads hold.
    public var maxConcurrentBodies = 32 * HTTPServerConfiguration.activeProcessorCount
    /// Requests served on one connection before it is closed (0 = unlimited).
    public var maxRequestsPerConnection = 0
    /// Unread request body the server reads and discards to keep a connection; beyond
    /// this it closes the connection instead.
    public var drainLimit = 1024 * 1024

    /// From the first byte of a request head to its end → 408 and close.
    public var headerTimeout: Duration = .seconds(10)
    /// A handler waiting for request body bytes that do not come → 408 and close.
    public var bodyIdleTimeout: Duration = .seconds(30)
    /// Response bytes waiting for a client that does not read → close.
    public var sendIdleTimeout: Duration = .seconds(60)
    /// An idle keep-alive connection → close.
    public var keepAliveTimeout: Duration = .seconds(15)

    /// A streaming writer suspends above this many buffered bytes per connection...
    public var outputHighWaterMark = 64 * 1024
    /// ...and resumes once the buffer is at or below this.
    public var outputLowWaterMark = 32 * 1024
    /// Largest piece handed out by a request body stream.
    public var requestBodyChunkSize = 256 * 1024
    /// zlib level for response compression (1 fastest … 9 smallest).
    public var compressionLevel: Int32 = 5
    /// Sync responses smaller than this are not worth compressing.
    public var minimumCompressedSize = 512
    /// HTTP/2 cleartext (prior knowledge and `Upgrade: h2c`) on the same port.
    public var http2 = HTTP2Configuration()
    /// Sent as `Server:` when set.
    public var serverName: String? = nil
    /// Names the client of an exchange in the access log (`client=`), from the request's
    /// headers: the application decides what (an access token's name, never the token).
    public var accessLogClient: (@Sendable (HTTPHeaders) -> String?)? = nil
    /// Fields added to every response head (the engine's own answers too), from the
    /// request's headers: for cross-cutting headers such as CORS. A `Vary` field is merged
    /// with the response's own.
    public var extraResponseHeaders: (@Sendable (_ request: HTTPHeaders) -> [(String, String)])? = nil

    public init() {}

    var headLimits: HeadLimits {
        HeadLimits(maxRequestLine: maxRequestLineLength, maxHeaderLine: maxHeaderLineLength,
                   maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount)
    }

    /// The shortest timeout, which sets how often idle connections are swept.
    var shortestTimeout: Duration {
        [headerTimeout, bodyIdleTimeout, sendIdleTimeout, keepAliveTimeout].min()!
    }

    /// `maxConnections`, or when 0 the default for the current descriptor limit: the soft
    /// limit less an eighth of it (at least 64) for files, databases and refusals.
    var effectiveMaxConnections: Int {
        if maxConnections > 0 { return maxConnections }
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 65_536 }
        let soft = Int(min(limit.rlim_cur, 1 << 22))
        return max(16, soft - max(64, soft / 8))
    }

    public static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
        #endif
    }
}

extension Duration {
    /// Whole nanoseconds (negative durations count as zero).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
