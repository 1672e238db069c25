/// Appends a Swift string as a quoted, escaped JSON string, for documents built outside
/// the row codecs (API listings, problem details). Same escaping as the NDJSON encoder.
public enum JSONString {
    public static func write(_ string: String, into out: inout [UInt8]) {
        var s = string
        s.withUTF8 { utf8 in
            let start = out.count
            let bound = JSONStringEscaper.bound(byteCount: utf8.count)
            out.append(contentsOf: repeatElement(0, count: bound))
            let written = out.withUnsafeMutableBufferPointer { buf -> Int in
                let base = buf.baseAddress! + start
                let end = JSONStringEscaper.write(UnsafeRawBufferPointer(utf8), to: base)
                return end - base
            }
            out.removeLast(bound - written)
        }
    }
}
