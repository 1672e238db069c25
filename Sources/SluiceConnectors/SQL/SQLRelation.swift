import SluiceCore

/// What a database source reads: a table, or a read-only query given in the config.
enum SQLRelation: Sendable, Hashable {
    case table(String)
    case query(String)

    /// The relation as it follows `FROM`: the quoted table, or the query as a subquery.
    var fromClause: String {
        switch self {
        case let .table(name): return SQLDialect.quoteQualified(name)
        case let .query(sql): return "(\(Self.trimmingSemicolons(sql))) AS \"sluice_query\""
        }
    }

    /// A user query without trailing `;` or whitespace, so it nests as a subquery.
    static func trimmingSemicolons(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last == ";" || last.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    /// The option that names it.
    var optionName: String {
        if case .table = self { return "table" }
        return "query"
    }

    /// For people: `table events` or `a query`, never the query text (it may hold secrets).
    var label: String {
        switch self {
        case let .table(name): return "table \(name)"
        case .query: return "a query"
        }
    }
}

/// A `SELECT` of a source task with the pushdowns applied: the plan's columns, the
/// translatable filter terms plus the task's own range condition, and a limit when the whole
/// filter went to SQL.
struct SQLSelect: Sendable {
    let sql: String
    let parameters: [Value]

    /// `range` is the task's split condition with `?` where its values go, e.g.
    /// `rowid >= ? AND rowid < ?`. `cast` gives the cast a column is selected with (`::text`).
    init(dialect: SQLDialect, relation: SQLRelation, plan: ReadPlan, pushdowns: Pushdowns,
         translator: SQLFilterTranslator, range: (String, [Value])? = nil, cast: (String) -> String = { _ in "" }) {
        var text = SQLText(dialect)
        let list = plan.schema.isEmpty ? "1" : plan.schema.names.map { name in
            let c = cast(name)
            return c.isEmpty ? SQLDialect.quote(name) : "\(SQLDialect.quote(name))\(c) AS \(SQLDialect.quote(name))"
        }.joined(separator: ", ")
        text.append("SELECT \(list) FROM \(relation.fromClause)")
        var conditions = SQLText(dialect)
        if let (condition, values) = range {
            var parts = condition.split(separator: "?", omittingEmptySubsequences: false).makeIterator()
            conditions.append(String(parts.next()!))
            for value in values {
                conditions.bind(value)
                conditions.append(String(parts.next() ?? ""))
            }
        }
        var filter = conditions
        if !conditions.text.isEmpty { filter.append(" AND ") }
        let (pushed, complete) = translator.translate(pushdowns.filter, into: &filter)
        if pushed { conditions = filter }
        if !conditions.text.isEmpty { text.append(" WHERE " + conditions.text) }
        let limit = complete ? pushdowns.limit : nil
        if let limit { text.append(" LIMIT \(max(limit, 0))") }
        sql = text.text
        parameters = conditions.parameters
    }
}
