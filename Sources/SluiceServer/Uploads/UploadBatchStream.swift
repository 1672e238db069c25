import HTTPServer
import SluiceCore

/// Decodes a request body into record batches as the sink pulls them: body chunks go
/// through the NDJSON or CSV decoder and come out as batches, so an upload of any size is
/// held in memory one chunk and one batch at a time. Bad input makes the stream throw the
/// decoder's `DecodeError` (every issue located), and the sink's `write` then removes what it
/// wrote of this upload (the DataSink contract).
final class UploadBatchStream: @unchecked Sendable {
    // `@unchecked Sendable` guard: one consumer (the sink's write) pulls at a time.
    private enum Decoder {
        case ndjson(NDJSONDecoder)
        case csv(CSVDecoder)
    }

    private let body: UploadBody
    private var decoder: Decoder
    private var pending: [RecordBatch] = []
    private var pendingIndex = 0
    private var finished = false
    /// Rows handed to the sink so far.
    private(set) var rows = 0

    init(body: UploadBody, format: UploadFormat, schema: Schema?, options: DecodeOptions) {
        self.body = body
        decoder = format == .csv ? .csv(CSVDecoder(schema: schema, options: options))
                                 : .ndjson(NDJSONDecoder(schema: schema, options: options))
    }

    /// The stream to hand to `DataSink.write`.
    var stream: RecordBatchStream {
        RecordBatchStream { [self] in { try await self.next() } }
    }

    func next() async throws -> RecordBatch? {
        while true {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                rows += pending[pendingIndex].rowCount
                return pending[pendingIndex]
            }
            if finished { return nil }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            if let chunk = try await body.next() {
                pending = try chunk.withUnsafeBytes { try feed($0) }
            } else {
                finished = true
                pending = try finish()
            }
        }
    }

    private func feed(_ bytes: UnsafeRawBufferPointer) throws -> [RecordBatch] {
        switch decoder {
        case var .ndjson(d): defer { decoder = .ndjson(d) }; return try d.feed(bytes)
        case var .csv(d): defer { decoder = .csv(d) }; return try d.feed(bytes)
        }
    }

    private func finish() throws -> [RecordBatch] {
        switch decoder {
        case var .ndjson(d): defer { decoder = .ndjson(d) }; return try d.finish()
        case var .csv(d): defer { decoder = .csv(d) }; return try d.finish()
        }
    }
}

/// Builds the batch stream for an upload request.
enum UploadDecoding {
    /// The largest `application/json` body decoded whole.
    static let maxWholeJSONBytes = 256 << 20

    /// The batches of `body`, decoded as the request's `Content-Type` says.
    static func stream(for request: HTTPRequest, body: UploadBody, schema: Schema?,
                       options: DecodeOptions = .init()) async throws -> RecordBatchStream {
        let format = try UploadFormat(contentType: request.headers["Content-Type"])
        if format == .json {
            let bytes = try await body.collect(cap: maxWholeJSONBytes, tooLarge: APIError(
                413, "content-too-large", "Content Too Large",
                "an application/json body is decoded whole, up to \(maxWholeJSONBytes >> 20) MiB: send larger uploads as NDJSON "
                    + "(application/x-ndjson), which streams"))
            let first = bytes.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
            if first == UInt8(ascii: "[") {
                return RecordBatchStream([try NDJSONDecoder.decode(bytes, schema: schema, options: options)])
            }
            var decoder = NDJSONDecoder(schema: schema, options: options)
            let batches = try bytes.withUnsafeBytes { try decoder.feed($0) } + (try decoder.finish())
            return RecordBatchStream(batches)
        }
        if format == .ndjson {
            return ParallelNDJSONBatchStream(body: body, schema: schema, options: options).stream
        }
        return UploadBatchStream(body: body, format: format, schema: schema, options: options).stream
    }
}
