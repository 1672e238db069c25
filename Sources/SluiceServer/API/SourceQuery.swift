import Foundation
import SluiceCore

/// The query of a rows or tasks request: `columns=a,b`, `where=...`, `limit=n`,
/// `format=ndjson|csv`. Parsing checks everything against the source's schema, so a bad
/// request fails before any task runs.
struct SourceQuery: Sendable {
    static let parameters: Set<String> = ["columns", "where", "limit", "format"]

    var pushdowns: Pushdowns
    var format: RowFormat?

    /// Parses and checks the query; errors say which parameter and where.
    init(query: [(String, String)], schema: Schema) throws {
        var pushdowns = Pushdowns()
        var seen = Set<String>()
        for (name, value) in query {
            guard Self.parameters.contains(name) else {
                throw APIError.badParameter(name, "unknown query parameter '\(name)' (columns, where, limit, format)")
            }
            guard seen.insert(name).inserted else {
                throw APIError.badParameter(name, "'\(name)' is given more than once")
            }
            switch name {
            case "columns":
                let names = value.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard !names.contains(where: \.isEmpty) else {
                    throw APIError.badParameter(name, "columns must be a comma-separated list of column names")
                }
                pushdowns.columns = names
            case "where":
                guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                do {
                    let parsed = try ParsedExpression(parsing: value)
                    try parsed.check(against: schema)
                    pushdowns.filter = parsed.expression
                } catch let e as ExpressionError {
                    throw Self.expressionProblem(e)
                }
            case "limit":
                guard let n = Int(value), n >= 0 else {
                    throw APIError.badParameter(name, "limit must be a non-negative integer, not '\(value)'")
                }
                pushdowns.limit = n
            default:
                guard let f = RowFormat(rawValue: value.lowercased()) else {
                    throw APIError.badParameter(name, "format must be ndjson or csv, not '\(value)'")
                }
                format = f
            }
        }
        do { try PushdownApplier.validate(pushdowns, against: schema) } catch let e as ExpressionError {
            throw Self.expressionProblem(e)
        } catch let e as PushdownError {
            throw APIError.badParameter(e.parameter.rawValue, e.description)
        } catch let e as SchemaError {
            throw APIError(400, "unknown-column", "Unknown Column", e.message,
                           extra: e.column.map { [("column", .string($0))] } ?? [])
        }
        self.pushdowns = pushdowns
    }

    /// A bad `where=`: 400 pointing at the position (and the column, for an unknown one).
    static func expressionProblem(_ e: ExpressionError) -> APIError {
        var extra: [(String, JSONValue)] = [("parameter", .string("where"))]
        if let position = e.position { extra.append(("position", .int(Int64(position)))) }
        if let column = e.column { extra.append(("column", .string(column))) }
        let unknownColumn = e.column != nil && e.message.contains("unknown column")
        return unknownColumn
            ? APIError(400, "unknown-column", "Unknown Column", "where: \(e)", extra: extra)
            : APIError(400, "invalid-expression", "Invalid Expression", "where: \(e)", extra: extra)
    }

    /// The query string that reproduces these pushdowns (for task URLs), without `?`.
    var queryString: String {
        var parts: [String] = []
        if let columns = pushdowns.columns { parts.append("columns=" + percentEncode(columns.joined(separator: ","))) }
        if let filter = pushdowns.filter { parts.append("where=" + percentEncode(filter.description)) }
        if let limit = pushdowns.limit { parts.append("limit=\(limit)") }
        if let format { parts.append("format=\(format.rawValue)") }
        return parts.joined(separator: "&")
    }

    private func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: ","):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
