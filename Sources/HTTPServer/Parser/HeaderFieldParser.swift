/// Parses one `name: value` field line (without its CRLF), shared by request heads and
/// chunked trailers. Strict per RFC 9112 §5: no whitespace before the colon, no obs-fold,
/// no control characters (bare CR, NUL) in the value.
enum HeaderFieldParser {
    static func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws -> HTTPHeaders.Field {
        let count = line.count
        guard count > 0 else { throw HTTPError.badRequest("empty header line \(lineNumber)") }
        if line[0] == ByteClass.space || line[0] == ByteClass.tab {
            throw HTTPError.badRequest("header line \(lineNumber) starts with whitespace (obsolete line folding)")
        }
        var colon = 0
        while colon < count, line[colon] != ByteClass.colon {
            let b = line[colon]
            if b == ByteClass.space || b == ByteClass.tab {
                throw HTTPError.badRequest("whitespace before the colon in header line \(lineNumber), column \(colon + 1)")
            }
            guard ByteClass.isTokenChar(b) else {
                throw HTTPError.badRequest("invalid character 0x\(String(b, radix: 16)) in header name on line \(lineNumber), column \(colon + 1)")
            }
            colon += 1
        }
        guard colon < count else { throw HTTPError.badRequest("header line \(lineNumber) has no colon") }
        guard colon > 0 else { throw HTTPError.badRequest("empty header name on line \(lineNumber)") }
        var start = colon + 1
        var end = count
        while start < end, line[start] == ByteClass.space || line[start] == ByteClass.tab { start += 1 }
        while end > start, line[end - 1] == ByteClass.space || line[end - 1] == ByteClass.tab { end -= 1 }
        for i in start..<end where !ByteClass.isFieldValueChar(line[i]) {
            let what = line[i] == ByteClass.cr ? "bare CR" : "control character 0x\(String(line[i], radix: 16))"
            throw HTTPError.badRequest("\(what) in the value of header line \(lineNumber), column \(i + 1)")
        }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        return (name: name, value: value)
    }
}
