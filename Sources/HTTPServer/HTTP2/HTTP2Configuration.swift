/// HTTP/2 (h2c) settings of an `HTTPServer`. The output water marks of
/// `HTTPServerConfiguration` apply per stream; `maxBufferedResponseBytes` bounds what all
/// streams of one connection may hold unsent.
public struct HTTP2Configuration: Sendable {
    /// Accept the h2c preface (prior knowledge) and `Upgrade: h2c`.
    public var enabled = true
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    public var maxConcurrentStreams: UInt32 = 100
    /// SETTINGS_MAX_HEADER_LIST_SIZE; a larger request head is answered 431.
    public var maxHeaderListSize: UInt32 = 64 * 1024
    /// Receive window per stream: the request body bytes a stream may have in flight
    /// before the handler pulls them (window updates follow the handler's pulls only).
    public var streamWindowSize: Int32 = 256 * 1024
    /// Receive window of the connection, over all streams.
    public var connectionWindowSize: Int32 = 1024 * 1024
    /// Response bytes all streams of a connection may hold unsent before writers suspend.
    public var maxBufferedResponseBytes = 256 * 1024
    /// Rapid-reset protection: more RST_STREAM frames than this per `resetInterval`
    /// end the connection with GOAWAY(ENHANCE_YOUR_CALM).
    public var maxResetsPerInterval = 200
    public var resetInterval: Duration = .seconds(1)

    public init() {}
}
