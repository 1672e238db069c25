import HTTPServer
import SluiceCore

/// Decodes an NDJSON upload on every core: the body is cut at line ends into pieces of about
/// `pieceBytes` (or of `batchRows` lines, whichever comes first, so that a batch reaches the
/// sink as soon as it is complete), each piece is decoded by its own task (told the line number it starts at,
/// so issues keep their place in the whole body), and the batches are handed on in body
/// order. At most `window` pieces are in flight, so memory stays bounded whatever the
/// upload's size, and the body is still read only as fast as the sink takes batches.
///
/// Bad input: the issues of the failing piece and of the pieces already in flight are
/// merged in line order (the first 100) and thrown as one `DecodeError`; the sink then
/// removes what it wrote of this upload (the DataSink contract). Types are inferred per
/// piece when there is no schema.
final class ParallelNDJSONBatchStream: @unchecked Sendable {
    // `@unchecked Sendable` guard: `reader` is set once by the consumer before the first pull; one consumer pulls at a time.
    private let options: DecodeOptions
    /// Decoding pieces, oldest first, filled by the reader task.
    private let pieces: BoundedQueue<Task<[RecordBatch], any Error>>
    private var reader: Task<Void, Never>?
    private let body: UploadBody
    private let schema: Schema?
    private let pieceBytes: Int
    private var ready: [RecordBatch] = []
    private var readyIndex = 0

    init(body: UploadBody, schema: Schema?, options: DecodeOptions, pieceBytes: Int = 1 << 20, window: Int = 3) {
        self.body = body
        self.schema = schema
        self.options = options
        self.pieceBytes = pieceBytes
        pieces = BoundedQueue(capacity: window)
    }

    deinit {
        reader?.cancel()
        let pieces = pieces
        Task { for task in await pieces.close() { task.cancel() } }
    }

    /// The stream to hand to `DataSink.write`.
    var stream: RecordBatchStream {
        RecordBatchStream { [self] in { try await self.next() } }
    }

    func next() async throws -> RecordBatch? {
        if reader == nil { reader = startReader() }
        while true {
            if readyIndex < ready.count {
                defer { readyIndex += 1 }
                return ready[readyIndex]
            }
            guard let piece = try await pieces.take() else { return nil }
            do {
                ready = try await piece.value
                readyIndex = 0
            } catch let error as DecodeError {
                throw await mergedWithQueued(error)
            }
        }
    }

    /// Reads the body into pieces of whole lines and starts decoding each, while the
    /// consumer takes earlier pieces' batches.
    private func startReader() -> Task<Void, Never> {
        let (body, schema, options, pieceBytes, pieces) = (body, schema, options, pieceBytes, pieces)
        return Task {
            var splitter = LineAlignedSplitter(pieceBytes: pieceBytes, batchRows: options.batchRows,
                                               maxLineLength: options.maxLineLength)
            do {
                while true {
                    let chunk = try await body.next()
                    if let piece = splitter.add(chunk) {
                        var pieceOptions = options
                        pieceOptions.firstLine = piece.firstLine
                        let decoding = Task {
                            var decoder = NDJSONDecoder(schema: schema, options: pieceOptions)
                            var batches: [RecordBatch] = []
                            for part in piece.chunks { batches += try part.withUnsafeBytes { try decoder.feed($0) } }
                            batches += try decoder.finish()
                            return batches
                        }
                        guard await pieces.put(decoding) else { decoding.cancel(); return }
                    }
                    if chunk == nil { break }
                }
                await pieces.finish()
            } catch {
                await pieces.finish(throwing: error)
            }
        }
    }

    /// The first failure's issues plus those of the pieces already queued, in line order,
    /// capped as a single decoder caps them.
    private func mergedWithQueued(_ first: DecodeError) async -> DecodeError {
        reader?.cancel()
        var issues = first.issues
        var truncated = first.truncated
        for task in await pieces.close() {
            if case let .failure(error as DecodeError) = await task.result {
                issues += error.issues
                truncated = truncated || error.truncated
            }
        }
        if issues.count > options.maxIssues {
            issues.removeLast(issues.count - options.maxIssues)
            truncated = true
        }
        return DecodeError(issues, truncated: truncated)
    }
}
