import Foundation

/// Rows as an aligned text table (a header, a rule, the rows), for the terminal.
public struct TextTable: Sendable {
    public let columns: [String]
    public private(set) var rows: [[String]] = []

    public init(columns: [String]) { self.columns = columns }

    public mutating func append(_ row: [String]) { rows.append(row) }

    public func render() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, width) in widths.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                text += index == widths.count - 1 ? cell : cell.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            }
            return text
        }
        var out = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        out += rows.map(line)
        return out.joined(separator: "\n") + "\n"
    }

    /// A write's summary (`{"schema": [...], "rows": [...]}`) as a table, cells as JSON shows them.
    public static func summary(_ json: [UInt8]) throws -> TextTable {
        struct Summary: Decodable {
            struct Field: Decodable { let name: String }
            let schema: [Field]
            let rows: [[String: JSONValue]]
        }
        guard let summary = try? JSONDecoder().decode(Summary.self, from: Data(json)) else {
            throw ClientFailure("the server's summary is not {schema, rows}: \(String(decoding: json.prefix(200), as: UTF8.self))")
        }
        var table = TextTable(columns: summary.schema.map(\.name))
        for row in summary.rows { table.append(summary.schema.map { row[$0.name]?.text ?? "" }) }
        return table
    }
}

/// Any JSON value, for showing a cell.
enum JSONValue: Decodable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// As the table shows it: text bare, null empty, the rest as JSON.
    var text: String {
        switch self {
        case .null: ""
        case let .bool(value): value ? "true" : "false"
        case let .integer(value): String(value)
        case let .number(value): String(value)
        case let .string(value): value
        case let .array(values): "[" + values.map(\.json).joined(separator: ",") + "]"
        case let .object(members): "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.json)" }.joined(separator: ",") + "}"
        }
    }

    private var json: String {
        if case let .string(value) = self {
            let data = try? JSONEncoder().encode(value)
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\(value)\""
        }
        if case .null = self { return "null" }
        return text
    }
}
