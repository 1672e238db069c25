import SluiceCore

/// NDJSON or CSV files read as rows of one schema, declared or inferred.
///
/// An inferred schema comes from the first `inferenceSampleBytes` (1 MiB) of the first file,
/// cut at its last complete line, with every column nullable, and (unless `inferTimes` is
/// false) String columns whose every sampled value is ISO 8601 text read as Date or
/// Timestamp (`TemporalTextInference`); rows further on that do not fit
/// it are read errors. NDJSON files larger than `splitBytes` are read as several line-aligned
/// tasks (as `text-file` does); CSV files are one task each, since a quoted field may hold a
/// newline and a line start is then not a record start. Errors name the file and line.
/// Honours `columns` (decodes everything, yields the projection) and `limit` without a filter.
public struct FormatFileSource: DataSource {
    public static let inferenceSampleBytes = 1 << 20

    public let format: FileFormat
    /// The files, expanded again each time tasks are planned.
    public let files: FileSet
    public let schema: Schema
    public let splitBytes: Int

    public var name: String { "\(format.displayName) files" }

    /// Reads `schema`, or infers one from the first file when it is nil.
    public init(format: FileFormat, files: FileSet, schema: Schema? = nil, splitBytes: Int = 64 << 20, inferTimes: Bool = true) throws {
        precondition(splitBytes > 0, "a file source needs a positive split size")
        self.format = format
        self.files = files
        self.splitBytes = splitBytes
        if let schema {
            self.schema = schema
        } else {
            guard let first = try files.expand().first else {
                throw ConnectorError(connector: format.connectorType, "no file to infer a schema from")
            }
            self.schema = try Self.inferSchema(format: format, path: first, inferTimes: inferTimes)
        }
    }

    /// Reads these files (plain paths).
    public init(format: FileFormat, files: [String], schema: Schema? = nil, splitBytes: Int = 64 << 20, inferTimes: Bool = true) throws {
        precondition(!files.isEmpty, "a file source needs files")
        try self.init(format: format, files: FileSet(files: files, connector: format.connectorType), schema: schema, splitBytes: splitBytes,
                      inferTimes: inferTimes)
    }

    public func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask] {
        let plan = ReadPlan(source: schema, pushdowns: pushdowns)
        var tasks: [any DataSourceTask] = []
        for path in try files.expand() {
            let size = try ReadableFile.size(of: path, connector: format.connectorType)
            let ranges = format.splitsByLine ? ByteRangeSplitter.ranges(fileSize: size, splitBytes: splitBytes) : [0..<size]
            for range in ranges {
                tasks.append(FormatFileTask(format: format, path: path, range: range, fileSchema: schema, plan: plan))
            }
        }
        return tasks
    }

    /// The schema of the first sample of `path`, every column nullable.
    static func inferSchema(format: FileFormat, path: String, inferTimes: Bool) throws -> Schema {
        let file = try ReadableFile(path: path, connector: format.connectorType)
        var sample = [UInt8](repeating: 0, count: min(file.size, inferenceSampleBytes))
        let read = try sample.withUnsafeMutableBytes { try file.read(into: $0.baseAddress!, count: $0.count, at: 0) }
        sample.removeSubrange(read...)
        if read < file.size, let lastLine = sample.lastIndex(of: UInt8(ascii: "\n")) {
            sample.removeSubrange((lastLine + 1)...)
        }
        let batch: RecordBatch
        do { batch = try format.decode(sample, schema: nil) } catch let error as DecodeError {
            throw ConnectorError(decoding: error, connector: format.connectorType, path: path, lineOffset: 0)
        }
        guard !batch.schema.isEmpty else {
            throw ConnectorError(connector: format.connectorType, "no rows to infer a schema from", path: path)
        }
        return Schema(batch.schema.fields.indices.map { i in
            let field = batch.schema[i]
            let type = inferTimes ? TemporalTextInference.type(of: batch.columns[i]) ?? field.type : field.type
            return Field(field.name, type, nullable: true)
        })
    }
}

/// One file, or one line-aligned byte range of an NDJSON file.
public struct FormatFileTask: DataSourceTask {
    public let format: FileFormat
    public let path: String
    public let range: Range<Int>
    let fileSchema: Schema
    let plan: ReadPlan

    public var schema: Schema { plan.schema }

    public func read() -> RecordBatchStream {
        let task = self
        switch format {
        case .ndjson: return .producing { ProjectingProducer(try FormatFileBatchProducer<NDJSONDecoder>(task), plan: task.plan) }
        case .csv: return .producing { ProjectingProducer(try FormatFileBatchProducer<CSVDecoder>(task), plan: task.plan) }
        }
    }
}

extension FileFormat {
    /// The connector type reading and writing this format, named in errors.
    var connectorType: String { "\(rawValue)-files" }
}
