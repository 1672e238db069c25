/// Writes UTF-8 bytes as a quoted JSON string: `"` and `\` escaped, control characters as
/// `\n \t \r \b \f` or `\u00XX`, everything else (non-ASCII UTF-8 included) passed through.
enum JSONStringEscaper {
    /// The most bytes `write` produces for `byteCount` input bytes (each byte may become
    /// six, plus the two quotes).
    @inline(__always)
    static func bound(byteCount: Int) -> Int { byteCount &* 6 &+ 2 }

    /// For each byte: 0 = copy as is, otherwise the letter after the backslash (`u` for
    /// `\u00XX`).
    private static let escapeTable: [UInt8] = (0..<256).map { b -> UInt8 in
        switch b {
        case 0x22: return UInt8(ascii: "\"")
        case 0x5C: return UInt8(ascii: "\\")
        case 0x0A: return UInt8(ascii: "n")
        case 0x09: return UInt8(ascii: "t")
        case 0x0D: return UInt8(ascii: "r")
        case 0x08: return UInt8(ascii: "b")
        case 0x0C: return UInt8(ascii: "f")
        case 0..<0x20: return UInt8(ascii: "u")
        default: return 0
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `"<escaped bytes>"` at `p`; returns the end.
    @inline(__always)
    static func write(_ bytes: UnsafeRawBufferPointer, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        p[0] = UInt8(ascii: "\"")
        var q = p + 1
        escapeTable.withUnsafeBufferPointer { table in
            var runStart = 0
            var i = 0
            let n = bytes.count
            while i < n {
                let escape = table[Int(bytes[i])]
                if escape == 0 { i &+= 1; continue }
                if i > runStart {
                    q.update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + runStart, count: i - runStart)
                    q += i - runStart
                }
                q[0] = UInt8(ascii: "\\")
                q[1] = escape
                if escape == UInt8(ascii: "u") {
                    let b = bytes[i]
                    q[2] = UInt8(ascii: "0"); q[3] = UInt8(ascii: "0")
                    q[4] = hexDigits[Int(b >> 4)]; q[5] = hexDigits[Int(b & 0xF)]
                    q += 6
                } else {
                    q += 2
                }
                i &+= 1
                runStart = i
            }
            if n > runStart {
                q.update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + runStart, count: n - runStart)
                q += n - runStart
            }
        }
        q[0] = UInt8(ascii: "\"")
        return q + 1
    }
}
