/// Percent-decoding of path segments and query components (RFC 3986 §2.1).
enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space in query components). Nil when an escape is
    /// malformed or the result is not UTF-8, so callers can refuse the input.
    static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(UInt8(ascii: "%")) && !(plusAsSpace && utf8.contains(UInt8(ascii: "+"))) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                guard h < utf8.endIndex, utf8.index(after: h) < utf8.endIndex,
                      let high = ByteClass.hexValue(utf8[h]), let low = ByteClass.hexValue(utf8[utf8.index(after: h)]) else { return nil }
                bytes.append(UInt8(high << 4 | low))
                i = utf8.index(h, offsetBy: 2)
                continue
            }
            bytes.append(plusAsSpace && b == UInt8(ascii: "+") ? ByteClass.space : b)
            i = utf8.index(after: i)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
