import SluiceCore

/// Text files read line by line (the seed's `TextFileDataSource`): one `line` row per line.
///
/// One task per file; a file larger than `splitBytes` becomes several tasks over
/// line-aligned byte ranges, so one file can be read in parallel. Honours `columns` (the only
/// column is `line`) and `limit` when there is no filter.
public struct TextFileSource: DataSource {
    public static let fileSchema = Schema([Field("line", .string, nullable: false)])

    /// The files, expanded again each time tasks are planned.
    public let files: FileSet
    public let splitBytes: Int

    public var name: String { "Text files, line by line" }
    public var schema: Schema { Self.fileSchema }

    public init(files: FileSet, splitBytes: Int = 64 << 20) {
        self.files = files
        self.splitBytes = splitBytes
    }

    /// Reads these files (plain paths).
    public init(files: [String], splitBytes: Int = 64 << 20) {
        self.init(files: FileSet(files: files, connector: TextLineBatcher.connector), splitBytes: splitBytes)
    }

    public func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask] {
        let plan = ReadPlan(source: schema, pushdowns: pushdowns)
        var tasks: [any DataSourceTask] = []
        for path in try files.expand() {
            let size = try ReadableFile.size(of: path, connector: TextLineBatcher.connector)
            for range in ByteRangeSplitter.ranges(fileSize: size, splitBytes: splitBytes) {
                tasks.append(TextFileTask(path: path, range: range, plan: plan))
            }
        }
        return tasks
    }
}

/// The lines that start in one byte range of one file.
public struct TextFileTask: DataSourceTask {
    public let path: String
    public let range: Range<Int>
    let plan: ReadPlan

    public var schema: Schema { plan.schema }

    public func read() -> RecordBatchStream {
        let (path, range, plan) = (self.path, self.range, self.plan)
        return .producing { ProjectingProducer(try TextLineBatcher(path: path, range: range, limit: plan.limit), plan: plan) }
    }
}
