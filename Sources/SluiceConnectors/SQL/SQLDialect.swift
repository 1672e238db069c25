import SluiceCore
import Foundation

/// What differs between the SQL that Sluice sends to SQLite and to PostgreSQL: how
/// parameters are written (`?` or `$n`), and how ordered text comparisons are made byte-wise
/// (Sluice compares strings by their UTF-8 bytes; PostgreSQL's default collation may not).
struct SQLDialect: Sendable {
    /// `?` for SQLite, `$1`, `$2`, ... for PostgreSQL, given the 1-based parameter number.
    let placeholder: @Sendable (Int) -> String
    /// Appended after a text column in `<`, `<=`, `>`, `>=` comparisons.
    let byteOrderCollation: String

    static let sqlite = SQLDialect(placeholder: { _ in "?" }, byteOrderCollation: "")
    static let postgres = SQLDialect(placeholder: { "$\($0)" }, byteOrderCollation: " COLLATE \"C\"")

    /// `name` as a quoted identifier: wrapped in double quotes, inner quotes doubled, so any
    /// column or table name (even `x"; DROP TABLE t; --`) is only ever a name.
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A possibly schema-qualified table name (`public.events`), each part quoted. A name
    /// that itself contains a dot is given with quotes in the config (`'"a.b"'`).
    static func quoteQualified(_ name: String) -> String {
        if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
            return quote(String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\""))
        }
        return name.split(separator: ".", omittingEmptySubsequences: false).map { quote(String($0)) }.joined(separator: ".")
    }
}

/// SQL text under construction with its parameters: values are only ever bound, never
/// spliced, so a `where` value such as `'; DROP TABLE t; --` is just a string.
struct SQLText: Sendable {
    let dialect: SQLDialect
    private(set) var text = ""
    private(set) var parameters: [Value] = []

    init(_ dialect: SQLDialect) { self.dialect = dialect }

    mutating func append(_ sql: String) { text += sql }

    /// Appends a placeholder for `value`, with `cast` (`::date`) after it when given.
    mutating func bind(_ value: Value, cast: String = "") {
        parameters.append(value)
        text += dialect.placeholder(parameters.count) + cast
    }
}
