/// A position in JSON text being decoded, with the token readers the decoders share.
/// Offsets are into the decoder's whole buffer, so failures can be located.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    var pos: Int
    let end: Int

    /// Objects and arrays nested deeper than this are rejected (bounded recursion).
    static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        pos = start
        self.end = end
    }

    /// The byte at the cursor, or 0 at the end.
    @inline(__always) var peek: UInt8 { pos < end ? base[pos] : 0 }

    @inline(__always) var atEnd: Bool { pos >= end }

    @inline(__always) mutating func skipWhitespace() {
        while pos < end {
            let b = base[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos &+= 1
        }
    }

    /// Consumes `byte` (after whitespace) or fails with "expected <what>".
    @inline(__always) mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard pos < end, base[pos] == byte else { throw failure("expected \(what)") }
        pos &+= 1
    }

    /// After a member or an element: consumes `,` (true: another one follows) or `close`
    /// (false: the object or array ended), else fails with "expected ',' or '<close>'".
    @inline(__always) mutating func continues(until close: UInt8) throws -> Bool {
        skipWhitespace()
        let b = peek
        if b == UInt8(ascii: ",") { pos &+= 1; return true }
        if b == close { pos &+= 1; return false }
        throw failure(close == UInt8(ascii: "]") ? "expected ',' or ']'" : "expected ',' or '}'")
    }

    /// A failure at the cursor naming what was found there.
    func failure(_ expected: String) -> DecodeFailure {
        DecodeFailure(at: pos, "\(expected), found \(foundDescription)")
    }

    /// What the token at the cursor is, for messages: "string", "number", "end of line", ...
    var foundDescription: String {
        guard pos < end else { return "end of input" }
        switch base[pos] {
        case UInt8(ascii: "\""): return "string"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "number"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "["): return "array"
        case UInt8(ascii: "{"): return "object"
        case let b where b >= 0x21 && b < 0x7F: return "'\(Character(Unicode.Scalar(b)))'"
        case let b: return "byte 0x" + String(b, radix: 16)
        }
    }

    /// Consumes `true`, `false` or `null` (whichever starts at the cursor).
    mutating func readLiteral() throws -> Bool? {
        func match(_ text: StaticString) -> Bool {
            let n = text.utf8CodeUnitCount
            guard end - pos >= n, memcmpBytes(base + pos, text.utf8Start, n) else { return false }
            pos += n
            return true
        }
        switch peek {
        case UInt8(ascii: "t") where match("true"): return true
        case UInt8(ascii: "f") where match("false"): return false
        case UInt8(ascii: "n") where match("null"): return nil
        default: throw DecodeFailure(at: pos, "invalid token")
        }
    }

    /// Reads the string at the cursor (which is at its opening quote). Plain ASCII without
    /// escapes is returned in place; otherwise the unescaped, UTF-8-validated bytes are
    /// returned from `scratch`, valid until its next reset.
    @inline(__always)
    mutating func readString(_ scratch: ByteScratch) throws -> UnsafeRawBufferPointer {
        let start = pos &+ 1
        var i = start
        while i < end {
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                pos = i &+ 1
                return UnsafeRawBufferPointer(start: base + start, count: i &- start)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
            i &+= 1
        }
        return try readStringSlowly(contentStart: start, special: i, scratch)
    }

    private mutating func readStringSlowly(contentStart: Int, special: Int, _ scratch: ByteScratch) throws -> UnsafeRawBufferPointer {
        scratch.reset()
        scratch.append(base + contentStart, count: special - contentStart)
        var i = special
        while i < end {
            let b = base[i]
            switch b {
            case UInt8(ascii: "\""):
                pos = i + 1
                return scratch.bytes
            case UInt8(ascii: "\\"):
                i = try readEscape(at: i, into: scratch)
            case 0..<0x20:
                throw DecodeFailure(at: i, "control character 0x\(String(b, radix: 16)) in a string (it must be escaped)")
            case 0x80...:
                let n = UTF8Validation.sequenceLength(base + i, available: end - i)
                guard n > 0 else { throw DecodeFailure(at: i, "invalid UTF-8 in a string") }
                scratch.append(base + i, count: n)
                i += n
            default:
                scratch.append(b)
                i += 1
            }
        }
        throw DecodeFailure(at: contentStart - 1, "unterminated string")
    }

    /// Decodes the escape at `i` (a backslash) into `scratch`; returns the offset after it.
    private func readEscape(at i: Int, into scratch: ByteScratch) throws -> Int {
        guard i + 1 < end else { throw DecodeFailure(at: i, "unterminated string") }
        switch base[i + 1] {
        case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let high = try hex4(at: i + 2)
            if (0xDC00...0xDFFF).contains(high) { throw DecodeFailure(at: i, "lone low surrogate in a \\u escape") }
            guard (0xD800...0xDBFF).contains(high) else {
                scratch.append(scalar: high)
                return i + 6
            }
            guard i + 7 < end, base[i + 6] == UInt8(ascii: "\\"), base[i + 7] == UInt8(ascii: "u") else {
                throw DecodeFailure(at: i, "lone high surrogate in a \\u escape")
            }
            let low = try hex4(at: i + 8)
            guard (0xDC00...0xDFFF).contains(low) else { throw DecodeFailure(at: i, "lone high surrogate in a \\u escape") }
            scratch.append(scalar: 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            return i + 12
        default:
            throw DecodeFailure(at: i, "invalid escape in a string")
        }
        return i + 2
    }

    private func hex4(at i: Int) throws -> UInt32 {
        guard i + 4 <= end else { throw DecodeFailure(at: i, "truncated \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let b = base[i + k]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - 55
            default: throw DecodeFailure(at: i + k, "invalid hex digit in a \\u escape")
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}

/// Whether `n` bytes at `a` and `b` are equal; compares 8 or 4 bytes at a time (the last
/// chunk overlapping), so short keys cost a couple of loads rather than a loop or a call.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
    if n >= 8 {
        var i = 0
        while i &+ 8 < n {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        return x.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    }
    if n >= 4 {
        return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
            && x.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
    }
    var i = 0
    while i < n {
        if a[i] != b[i] { return false }
        i &+= 1
    }
    return true
}
