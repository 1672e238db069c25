import Foundation
import SluiceCore

/// The guide's `TextFileDataSource`, in Swift: each line of each file is a row with one
/// `line: String` column, and each file is one task (so files are read in parallel).
struct TextFileDataSource: DataSource {
    let filePaths: [String]

    var name: String { "Text File Data Source" }

    var schema: Schema { Schema([Field("line", .string, nullable: false)]) }

    func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask] {
        // Pushdowns are hints: this simple source ignores them and the server applies them.
        filePaths.map { TextFileDataSourceTask(filePath: $0, schema: schema) }
    }
}

/// Reads one file and yields its lines as a single batch, as the guide's task does.
struct TextFileDataSourceTask: DataSourceTask {
    let filePath: String
    let schema: Schema

    func read() -> RecordBatchStream {
        let path = filePath
        let schema = schema
        return .single {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines = text.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            let column = ColumnBuilder(.string, capacity: lines.count)
            for line in lines { column.append(string: line) }
            return try RecordBatch(schema: schema, columns: [column.build()])
        }
    }
}
