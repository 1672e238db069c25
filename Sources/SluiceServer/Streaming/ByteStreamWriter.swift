/// Where a streamed body goes: the HTTP response writer, adapted. `write` suspends while the
/// client is behind (backpressure) and throws when it has gone away.
public protocol ByteStreamWriter: Sendable {
    func write(_ bytes: [UInt8]) async throws
}
