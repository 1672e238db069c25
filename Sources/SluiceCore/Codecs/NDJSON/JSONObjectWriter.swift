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

/// Writes rows of columns as JSON objects (`{"a":1,"b":"x"}`): NDJSON lines and Struct
/// values.
struct JSONObjectWriter {
    let keys: JSONObjectKeys
    let columns: [JSONColumnWriter]

    init(keys: JSONObjectKeys, columns: [Column]) {
        precondition(keys.count == columns.count, "\(columns.count) columns for \(keys.count) keys")
        self.keys = keys
        self.columns = columns.map(JSONColumnWriter.init)
    }

    func bound(_ rows: Range<Int>) -> Int {
        columns.reduce((keys.bytes.count + 2) * rows.count) { $0 + $1.bound(rows) }
    }

    @inline(__always)
    func write(_ r: Int, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if columns.isEmpty { return copy("{}", to: p) }
        var q = p
        keys.bytes.withUnsafeBufferPointer { prefixes in
            keys.starts.withUnsafeBufferPointer { starts in
                for i in 0..<columns.count {
                    let start = starts[i], length = starts[i &+ 1] &- start
                    q.update(from: prefixes.baseAddress! + start, count: length)
                    q = columns[i].write(r, q + length)
                }
            }
        }
        q[0] = UInt8(ascii: "}")
        return q + 1
    }
}
