#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPServer

/// A tiny hand-built HTTP/2 client over a blocking socket, for what curl cannot do: open
/// and reset streams rapidly, or read a stream slowly at the frame level. Headers are
/// HPACK-encoded with static-table names and literal values only.
///
/// `@unchecked Sendable` guard: one test owns a client and calls it from one blocking block
/// at a time, so its buffers are never touched by two threads at once.
final class HTTP2FrameClient: @unchecked Sendable {
    struct Frame {
        var type: UInt8
        var flags: UInt8
        var stream: UInt32
        var payload: [UInt8]
    }

    static let data: UInt8 = 0, headers: UInt8 = 1, rstStream: UInt8 = 3, settings: UInt8 = 4, goaway: UInt8 = 7, windowUpdate: UInt8 = 8
    static let endStream: UInt8 = 1, endHeaders: UInt8 = 4

    let socket: RawClient
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        socket = try RawClient(port: port)
    }

    /// The preface and a SETTINGS frame; `openWindows` raises every receive window to the
    /// maximum, so only the socket (never flow control) limits the server.
    func start(openWindows: Bool = false) throws {
        var out = HTTP2Preface.bytes
        var settings: [UInt8] = []
        if openWindows { settings += [0, 4] + Self.be32(0x7fff_ffff) }
        out += Self.frame(Self.settings, 0, 0, settings)
        if openWindows { out += Self.frame(Self.windowUpdate, 0, 0, Self.be32(0x7fff_ffff - 65535)) }
        try socket.send(out)
    }

    /// A HEADERS frame for `method path` (authority `x`, scheme http).
    static func request(stream: UInt32, method: String = "GET", path: String, endStream: Bool = true) -> [UInt8] {
        var block: [UInt8] = [0x02] + literal(method)    // :method, literal value
        block += [0x86]                                   // :scheme http
        block += [0x04] + literal(path)                   // :path, literal value
        block += [0x01] + literal("x")                    // :authority
        return frame(headers, Self.endHeaders | (endStream ? Self.endStream : 0), stream, block)
    }

    static func reset(stream: UInt32, code: UInt32 = 8) -> [UInt8] { frame(rstStream, 0, stream, be32(code)) }

    static func frame(_ type: UInt8, _ flags: UInt8, _ stream: UInt32, _ payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        return [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff), type, flags] + be32(stream) + payload
    }

    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
    }

    private static func literal(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        precondition(bytes.count < 127)
        return [UInt8(bytes.count)] + bytes
    }

    /// The next frame; nil once the server closed the connection.
    func readFrame(receiveSize: Int = 65536) throws -> Frame? {
        while true {
            if buffer.count >= 9 {
                let length = Int(buffer[0]) << 16 | Int(buffer[1]) << 8 | Int(buffer[2])
                if buffer.count >= 9 + length {
                    let stream = UInt32(buffer[5] & 0x7f) << 24 | UInt32(buffer[6]) << 16 | UInt32(buffer[7]) << 8 | UInt32(buffer[8])
                    let frame = Frame(type: buffer[3], flags: buffer[4], stream: stream, payload: Array(buffer[9..<(9 + length)]))
                    buffer.removeFirst(9 + length)
                    return frame
                }
            }
            var chunk = [UInt8](repeating: 0, count: receiveSize)
            let n = chunk.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
        }
    }
}
