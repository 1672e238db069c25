import Foundation
import SluiceCore

/// The JSON documents of the API (shapes in openapi.yaml): connectors, task lists, write
/// sessions, write results and finalize summaries.
enum Documents {
    static func schema(_ schema: Schema) -> JSONValue {
        .array(schema.map { .object([("name", .string($0.name)), ("type", .string($0.type.description)),
                                     ("nullable", .bool($0.nullable))]) })
    }

    static func connector(_ entry: Catalog.Entry) -> JSONValue {
        let base = "/v1/connectors/\(entry.name)"
        var members: [(String, JSONValue)] = [
            ("name", .string(entry.name)), ("kind", .string(entry.kind.rawValue)),
            ("type", .string(entry.type)), ("description", .string(entry.description)),
        ]
        switch entry.connector {
        case let .source(source):
            members.append(("schema", schema(source.schema)))
            members.append(("links", .object([("self", .string(base)),
                                              ("rows", .string("/v1/sources/\(entry.name)/rows")),
                                              ("tasks", .string("/v1/sources/\(entry.name)/tasks"))])))
        case let .sink(factory):
            members.append(("summary_schema", schema(factory.prototype.schema)))
            members.append(("input_schema", factory.prototype.inputSchema.map(schema) ?? .null))
            members.append(("links", .object([("self", .string(base)),
                                              ("writes", .string("/v1/sinks/\(entry.name)/writes")),
                                              ("one_shot", .string("/v1/sinks/\(entry.name)"))])))
        }
        return .object(members)
    }

    static func connectors(_ catalog: Catalog) -> JSONValue {
        .object([("connectors", .array(catalog.entries.map(connector)))])
    }

    static func session(_ record: WriteSessionRecord) -> JSONValue {
        let base = "/v1/sinks/\(record.sink)/writes/\(record.id)"
        let batches = record.batches.map { batch -> JSONValue in
            .object([("sequence", .int(Int64(batch.sequence))), ("idempotency_key", .optional(batch.idempotencyKey)),
                     ("rows_written", .int(batch.rowsWritten)), ("bytes_written", .int(batch.bytesWritten)),
                     ("at", .string(timestamp(batch.at)))])
        }
        return .object([
            ("id", .string(record.id)), ("sink", .string(record.sink)), ("state", .string(record.state.rawValue)),
            ("created_at", .string(timestamp(record.createdAt))), ("updated_at", .string(timestamp(record.updatedAt))),
            ("batch_count", .int(Int64(record.batches.count))), ("rows_written", .int(record.rowsWritten)),
            ("bytes_written", .int(record.bytesWritten)), ("reason", .optional(record.reason)),
            ("batches", .array(batches)),
            ("links", .object([("self", .string(base)), ("batches", .string(base + "/batches")),
                               ("finalize", .string(base + "/finalize"))])),
        ])
    }

    static func writeResults(session: String?, _ results: [ErasedWriteResult]) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let session { members.append(("session", .string(session))) }
        members += [
            ("rows_written", .int(results.reduce(0) { $0 + $1.rowsWritten })),
            ("bytes_written", .int(results.reduce(0) { $0 + $1.bytesWritten })),
            ("results", .array(results.map {
                .object([("result", .raw(Array($0.resultJSON.utf8))), ("rows_written", .int($0.rowsWritten)),
                         ("bytes_written", .int($0.bytesWritten))])
            })),
        ]
        return .object(members)
    }

    /// `{"schema": [...], "rows": [{...}]}`; rows through the NDJSON encoder.
    static func summary(_ batch: RecordBatch) -> JSONValue {
        var lines: [UInt8] = []
        NDJSONEncoder(schema: batch.schema).encode(batch, into: &lines)
        var rows: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        for line in lines.split(separator: UInt8(ascii: "\n")) {
            if !first { rows.append(UInt8(ascii: ",")) }
            rows.append(contentsOf: line)
            first = false
        }
        rows.append(UInt8(ascii: "]"))
        return .object([("schema", schema(batch.schema)), ("rows", .raw(rows))])
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
