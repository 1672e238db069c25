/// Writes UTF-8 bytes as a quoted JSON string: `"` and `\` escaped, control characters as
/// `\n \t \r \b \f` or `\u00XX`, everything else (non-ASCII UTF-8 included) passed through.
enum JSONStringEscaper {
    /// The most bytes `write` produces for `byteCount` input bytes (each byte may become
    /// six, plus the two quotes).
    @inline(__always)
    static func bound(byteCount: Int) -> Int { byteCount &* 6 &+ 2 }

    /// Whether `b` must be escaped. A comparison rather than a table: a `static let` table
    /// costs a lazy-initialisation call per string on the encoder's hot path.
    @inline(__always)
    static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C }

    /// Writes `"<escaped bytes>"` at `p`; returns the end.
    @inline(__always)
    static func write(_ bytes: UnsafeRawBufferPointer, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        p[0] = UInt8(ascii: "\"")
        let n = bytes.count
        guard n > 0 else {
            p[1] = UInt8(ascii: "\"")
            return p + 2
        }
        let source = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i < n, !needsEscape(source[i]) { i &+= 1 }
        let q = copyBytes(source, count: i, to: p + 1)
        let end = i == n ? q : writeEscaping(source + i, count: n &- i, to: q)
        end[0] = UInt8(ascii: "\"")
        return end + 1
    }

    /// Copies `count` bytes. Short runs (most JSON keys and values) take two overlapping
    /// unaligned loads and stores, cheaper than a call to `memmove`; nothing is written past
    /// `p + count`.
    @inline(__always)
    static func copyBytes(_ source: UnsafePointer<UInt8>, count: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(p)
        if count >= 8 {
            if count > 16 {
                p.update(from: source, count: count)
            } else {
                let head = from.loadUnaligned(as: UInt64.self)
                let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                to.storeBytes(of: head, as: UInt64.self)
                to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
            }
        } else if count >= 4 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            var i = 0
            while i < count { p[i] = source[i]; i &+= 1 }
        }
        return p + count
    }

    /// The rest of a string from its first byte that needs escaping (the uncommon case).
    private static func writeEscaping(_ source: UnsafePointer<UInt8>, count n: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let hexDigits: StaticString = "0123456789abcdef"
        var q = p
        var runStart = 0
        var i = 0
        while i < n {
            let b = source[i]
            guard needsEscape(b) else { i &+= 1; continue }
            q = copyBytes(source + runStart, count: i &- runStart, to: q)
            q[0] = UInt8(ascii: "\\")
            switch b {
            case 0x22: q[1] = UInt8(ascii: "\""); q += 2
            case 0x5C: q[1] = UInt8(ascii: "\\"); q += 2
            case 0x0A: q[1] = UInt8(ascii: "n"); q += 2
            case 0x09: q[1] = UInt8(ascii: "t"); q += 2
            case 0x0D: q[1] = UInt8(ascii: "r"); q += 2
            case 0x08: q[1] = UInt8(ascii: "b"); q += 2
            case 0x0C: q[1] = UInt8(ascii: "f"); q += 2
            default:
                q[1] = UInt8(ascii: "u"); q[2] = UInt8(ascii: "0"); q[3] = UInt8(ascii: "0")
                q[4] = hexDigits.utf8Start[Int(b >> 4)]; q[5] = hexDigits.utf8Start[Int(b & 0xF)]
                q += 6
            }
            i &+= 1
            runStart = i
        }
        return copyBytes(source + runStart, count: n &- runStart, to: q)
    }
}
