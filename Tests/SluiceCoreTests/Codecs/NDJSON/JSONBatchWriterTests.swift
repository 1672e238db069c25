import Testing
@testable import SluiceCore

/// The pointer-based writer against plain reference forms, over the length classes its
/// copying and escaping code distinguishes.
@Suite struct JSONBatchWriterTests {
    func encode(_ batch: RecordBatch, after prefix: [UInt8] = []) -> [UInt8] {
        var out = prefix
        NDJSONEncoder(schema: batch.schema).encode(batch, into: &out)
        return out
    }

    /// JSON escaping, written the slow obvious way.
    func reference(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            case _ where u.value < 0x20: out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    @Test func keysAndStringsOfEveryLength() throws {
        for length in 0...40 {
            let name = String(repeating: "k", count: max(length, 1))
            let plain = String((0..<length).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
            var rows: [[Value]] = [[.string(plain)]]
            for at in stride(from: 0, to: length, by: 7) {
                var chars = Array(plain)
                chars[at] = at % 2 == 0 ? "\"" : "\u{1}"
                rows.append([.string(String(chars))])
            }
            let batch = try RecordBatch(schema: Schema([Field(name, .string)]), rows: rows)
            let expected = rows.map { row -> String in
                guard case let .string(s) = row[0] else { return "" }
                return "{\"\(name)\":\(reference(s))}\n"
            }.joined()
            #expect(String(decoding: encode(batch), as: UTF8.self) == expected, "length \(length)")
        }
    }

    @Test func appendsAfterExistingBytes() throws {
        let batch = try CodecTestSupport.everyTypeBatch()
        let alone = encode(batch)
        #expect(encode(batch, after: Array("head\n".utf8)) == Array("head\n".utf8) + alone)
        var reserved: [UInt8] = []
        reserved.reserveCapacity(1 << 16)
        NDJSONEncoder(schema: batch.schema).encode(batch, into: &reserved)
        #expect(reserved == alone)
    }

    @Test func manyRowsWithNullsInNestedColumns() throws {
        let schema = Schema([
            Field("id", .int64), Field("tags", .list(.string)),
            Field("s", .structure([Field("x", .float64), Field("l", .list(.int64))])),
        ])
        var rows: [[Value]] = []
        var expected = ""
        for i in 0..<3_000 {
            let tags: Value = i % 5 == 0 ? nil : .list((0..<(i % 4)).map { $0 == 1 ? nil : .string("t\($0)") })
            let x: Value = i % 3 == 0 ? nil : .float(Double(i) / 8)
            let s: Value = i % 7 == 0 ? nil : .structure([x, i % 2 == 0 ? [] : [.int(Int64(i)), nil]])
            rows.append([.int(Int64(i) - 1_500), tags, s])
            let tagsText = i % 5 == 0 ? "null" : "[" + (0..<(i % 4)).map { $0 == 1 ? "null" : "\"t\($0)\"" }.joined(separator: ",") + "]"
            let xText = i % 3 == 0 ? "null" : (Double(i) / 8).description
            let sText = i % 7 == 0 ? "null" : "{\"x\":\(xText),\"l\":\(i % 2 == 0 ? "[]" : "[\(i),null]")}"
            expected += "{\"id\":\(i - 1_500),\"tags\":\(tagsText),\"s\":\(sText)}\n"
        }
        let batch = try RecordBatch(schema: schema, rows: rows)
        #expect(String(decoding: encode(batch), as: UTF8.self) == expected)
    }

    /// Pointers are taken inside nested `withUnsafeBufferPointer` calls, one per array, up to
    /// `maxPinned`; a wide batch (2,000 nullable string columns: 6,000 arrays) must still fit
    /// the stack of a cooperative-pool thread, where the row streamer encodes (nesting them
    /// all overflowed it), and the copied columns must write the same text.
    @Test func aWideBatchEncodesOnATaskThread() async throws {
        let fields = (0..<2_000).map { Field("c\($0)", .string, nullable: true) }
        let row: [Value] = (0..<2_000).map { $0 % 3 == 0 ? nil : .string("v\($0)") }
        let batch = try RecordBatch(schema: Schema(fields), rows: [row, row])
        let text = await Task.detached { String(decoding: self.encode(batch), as: UTF8.self) }.value
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("{\"c0\":null,\"c1\":\"v1\",\"c2\":\"v2\",\"c3\":null"))
        #expect(lines[0].hasSuffix("\"c1999\":\"v1999\"}"))
    }

    /// Nested scopes keep the pointers bound until the outermost one ends.
    @Test func nestedPointerScopesStayBound() throws {
        let batch = try RecordBatch(schema: Schema([Field("n", .int64), Field("s", .string)]), rows: [[7, "x"]])
        let writer = JSONBatchWriter(plan: JSONWritePlan(fields: batch.schema.fields), columns: batch.columns)
        var out: [UInt8] = []
        writer.withColumnPointers {
            writer.withColumnPointers {
                out.appendWriting(maxBytes: writer.fieldBound(0, 0..<1)) { writer.writeField(0, row: 0, to: $0) }
            }
            out.appendWriting(maxBytes: writer.fieldBound(1, 0..<1)) { writer.writeField(1, row: 0, to: $0) }
        }
        #expect(String(decoding: out, as: UTF8.self) == "7\"x\"")
    }
}
