@testable import SluiceCore

/// Helpers shared by the codec tests.
enum CodecTestSupport {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The decode error's issues, or nil when decoding succeeded.
    static func issues(_ body: () throws -> Any) -> [DataIssue]? {
        do {
            _ = try body()
            return nil
        } catch let error as DecodeError {
            return error.issues
        } catch {
            return nil
        }
    }

    /// A schema with every type, nullable.
    static let everyType = Schema([
        Field("n", .null), Field("b", .bool),
        Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
        Field("u8", .uint8), Field("u64", .uint64),
        Field("f32", .float32), Field("f64", .float64),
        Field("s", .string), Field("bin", .binary), Field("d", .date),
        Field("ts", .timestampUTC), Field("naive", .timestamp(unit: .milliseconds, timezone: nil)),
        Field("l", .list(.list(.int64))),
        Field("st", .structure([Field("x", .int64), Field("y", .list(.string))])),
    ])

    static let everyTypeRows: [[Value]] = [
        [nil, true, -128, -32768, -2_147_483_648, .int(Int64.min), 0, .uint(0), 1.5, 0.1,
         "", .binary([]), .date(0), .timestamp(0), .timestamp(-1), [], .structure([nil, []])],
        [nil, false, 127, 32767, 2_147_483_647, .int(Int64.max), 255, .uint(UInt64.max), -0.25, -1e-300,
         "héllo \"q\" \\ / \n\t\r\u{8}\u{c}\u{1}\u{1f} 日本 🎉", .binary([0, 1, 2, 255, 254]), .date(19_724),
         .timestamp(1_704_164_645_123_456), .timestamp(1_704_164_645_123), [[1, 2], [], nil, [nil]],
         .structure([7, ["a", ""]])],
        Array(repeating: nil, count: 17),
    ]

    static func everyTypeBatch() throws -> RecordBatch {
        try RecordBatch(schema: everyType, rows: everyTypeRows)
    }

    /// Decodes `bytes` fed in pieces split at `splits`.
    static func decodeNDJSON(_ bytes: [UInt8], schema: Schema?, splits: [Int], options: DecodeOptions = .init()) throws -> [RecordBatch] {
        var decoder = NDJSONDecoder(schema: schema, options: options)
        var batches: [RecordBatch] = []
        var start = 0
        for end in splits + [bytes.count] {
            batches += try bytes[start..<end].withUnsafeBytes { try decoder.feed($0) }
            start = end
        }
        return batches + (try decoder.finish())
    }
}
