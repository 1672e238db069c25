#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One HTTP/1.1 response as the test client received it: status, headers, the de-chunked
/// body, trailers, and whether the framing was complete (all Content-Length bytes, or the
/// terminating chunk and the end of the trailer section). A body that ends early is kept
/// with `isComplete == false`, so a test can see exactly what an aborted stream delivered.
struct HTTPTestResponse: Sendable {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]
    let trailers: [(String, String)]
    let isComplete: Bool
    /// Whether the body came chunked.
    let isChunked: Bool

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    init(parsing raw: [UInt8], requestMethod: String = "GET") throws {
        guard let headEnd = Self.find([13, 10, 13, 10], in: raw, from: 0) else {
            throw ParseError(description: "no complete response head in \(raw.count) bytes: \(String(decoding: raw.prefix(200), as: UTF8.self))")
        }
        let lines = String(decoding: raw[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let code = Int(statusParts[1]) else {
            throw ParseError(description: "bad status line '\(lines[0])'")
        }
        status = code
        headers = lines.dropFirst().compactMap(Self.field)
        let start = headEnd + 4
        let transferEncoding = headers.first { $0.0.lowercased() == "transfer-encoding" }?.1.lowercased()
        isChunked = transferEncoding?.contains("chunked") ?? false
        if requestMethod == "HEAD" || code == 204 || code == 304 {
            (body, trailers, isComplete) = ([], [], true)
        } else if isChunked {
            (body, trailers, isComplete) = Self.dechunk(raw, from: start)
        } else if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
            let available = min(length, raw.count - start)
            (body, trailers, isComplete) = (Array(raw[start..<(start + available)]), [], available == length)
        } else {
            (body, trailers, isComplete) = (Array(raw[start...]), [], true)
        }
    }

    /// The first header named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    func trailer(_ name: String) -> String? {
        trailers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body's lines, without the final empty one.
    var lines: [String] {
        var all = text.components(separatedBy: "\n")
        if all.last == "" { all.removeLast() }
        return all
    }

    /// The body parsed as JSON.
    var json: JSON {
        get throws { try JSON(parsing: body) }
    }

    /// Newlines in the body, counted without splitting it into lines.
    var newlineCount: Int {
        body.withUnsafeBytes { bytes -> Int in
            guard var at = bytes.baseAddress else { return 0 }
            let end = at + bytes.count
            var count = 0
            while at < end, let hit = memchr(at, 0x0A, end - at) {
                count += 1
                at = UnsafeRawPointer(hit) + 1
            }
            return count
        }
    }

    // MARK: Parsing

    private static func field(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// De-chunks from `start`; stops (incomplete) at the first chunk that is cut short.
    private static func dechunk(_ raw: [UInt8], from start: Int) -> ([UInt8], [(String, String)], Bool) {
        var body: [UInt8] = []
        var at = start
        while let lineEnd = find([13, 10], in: raw, from: at) {
            let sizeText = String(decoding: raw[at..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { break }
            at = lineEnd + 2
            if size == 0 {
                var trailers: [(String, String)] = []
                while let end = find([13, 10], in: raw, from: at) {
                    if end == at { return (body, trailers, true) }
                    if let f = field(String(decoding: raw[at..<end], as: UTF8.self)) { trailers.append(f) }
                    at = end + 2
                }
                return (body, trailers, false)
            }
            guard at + size + 2 <= raw.count, raw[at + size] == 13, raw[at + size + 1] == 10 else {
                body.append(contentsOf: raw[at..<min(raw.count, at + size)])
                return (body, [], false)
            }
            body.append(contentsOf: raw[at..<(at + size)])
            at += size + 2
        }
        return (body, [], false)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count - start else { return nil }
        return haystack.withUnsafeBytes { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var at = start
            let last = bytes.count - needle.count
            while at <= last, let hit = memchr(base + at, Int32(needle[0]), last - at + 1) {
                let index = base.distance(to: UnsafeRawPointer(hit))
                if needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) { return index }
                at = index + 1
            }
            return nil
        }
    }
}
