/// UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), for the
/// codecs and for connectors that read text (the text-file source).
public enum UTF8Validation {
    /// The length of the well-formed sequence starting at `p[0]` (a byte ≥ 0x80) within
    /// `available` bytes, or 0 when it is malformed.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        let b0 = p[0]
        @inline(__always) func cont(_ i: Int) -> Bool { i < available && p[i] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(1), cont(2) else { return 0 }
            if b0 == 0xE0, p[1] < 0xA0 { return 0 }
            if b0 == 0xED, p[1] > 0x9F { return 0 }
            return 3
        case 0xF0...0xF4:
            guard cont(1), cont(2), cont(3) else { return 0 }
            if b0 == 0xF0, p[1] < 0x90 { return 0 }
            if b0 == 0xF4, p[1] > 0x8F { return 0 }
            return 4
        default:
            return 0
        }
    }

    /// The offset of the first malformed byte, or nil when all of `bytes` is UTF-8. ASCII
    /// runs are skipped eight bytes at a time.
    public static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var i = 0
        let n = bytes.count
        while i < n {
            if i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            if base[i] < 0x80 { i += 1; continue }
            let len = sequenceLength(base + i, available: n - i)
            if len == 0 { return i }
            i += len
        }
        return nil
    }
}
