/// The constant bytes of a JSON object with fixed keys, precomputed: `{"id":` before the
/// first value, `,"name":` before each next one (keys escaped), so writing a row copies one
/// prefix per field.
struct JSONObjectKeys {
    /// All prefixes back to back; prefix `i` is `bytes[starts[i]..<starts[i+1]]`.
    let bytes: [UInt8]
    let starts: [Int]

    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var starts = [0]
        for (i, name) in names.enumerated() {
            bytes.append(i == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            Array(name.utf8).withUnsafeBytes { utf8 in
                bytes.appendWriting(maxBytes: JSONStringEscaper.bound(byteCount: utf8.count)) { JSONStringEscaper.write(utf8, to: $0) }
            }
            bytes.append(UInt8(ascii: ":"))
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
    }

    var count: Int { starts.count - 1 }
}
