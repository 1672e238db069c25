import SluiceCore

/// Turns the parts of a `where` filter that SQL evaluates exactly as Sluice does into a SQL
/// condition with bound parameters.
///
/// The filter is split into its top-level `AND` terms; each term is translated whole or left
/// out. Left-out terms cost nothing in correctness: pushdowns are hints and the server
/// re-applies the full filter to what the source returns. `isComplete` says whether every
/// term went to SQL, which is when a `LIMIT` may be pushed too.
///
/// A term is left out when it reads a column the dialect cannot compare faithfully
/// (`isComparable`), compares values of different kinds, or holds a literal SQL would treat
/// differently (an unsigned integer over Int64, NaN). Semantics otherwise match: SQL's
/// three-valued logic is Sluice's.
struct SQLFilterTranslator {
    let schema: Schema
    /// Whether a column's values compare in the database as they do in Sluice.
    let isComparable: (Field) -> Bool

    /// The SQL condition (appended to `sql`) for the translatable terms; returns whether
    /// every term was translated. Appends nothing when no term translates.
    func translate(_ filter: Expression?, into sql: inout SQLText) -> (pushed: Bool, complete: Bool) {
        guard let filter else { return (false, true) }
        guard (try? filter.check(against: schema)) != nil else { return (false, false) }
        var terms: [Expression] = []
        Self.splitConjunction(filter, into: &terms)
        var pushed = 0
        for term in terms {
            var candidate = sql
            candidate.append(pushed == 0 ? "(" : " AND (")
            guard condition(term, into: &candidate) else { continue }
            candidate.append(")")
            sql = candidate
            pushed += 1
        }
        return (pushed > 0, pushed == terms.count)
    }

    private static func splitConjunction(_ e: Expression, into terms: inout [Expression]) {
        if case let .and(lhs, rhs) = e {
            splitConjunction(lhs, into: &terms)
            splitConjunction(rhs, into: &terms)
        } else {
            terms.append(e)
        }
    }

    private func condition(_ e: Expression, into sql: inout SQLText) -> Bool {
        switch e {
        case let .and(lhs, rhs), let .or(lhs, rhs):
            let op: String
            if case .and = e { op = " AND " } else { op = " OR " }
            sql.append("(")
            guard condition(lhs, into: &sql) else { return false }
            sql.append(op)
            guard condition(rhs, into: &sql) else { return false }
            sql.append(")")
            return true
        case let .not(inner):
            sql.append("NOT (")
            guard condition(inner, into: &sql) else { return false }
            sql.append(")")
            return true
        case let .isNull(subject, negated):
            guard operand(subject, facing: nil, into: &sql) else { return false }
            sql.append(negated ? " IS NOT NULL" : " IS NULL")
            return true
        case let .compare(op, lhs, rhs):
            let ordered = op != .equal && op != .notEqual
            guard operand(lhs, facing: rhs, into: &sql, ordered: ordered) else { return false }
            sql.append(" \(op == .notEqual ? "<>" : op.rawValue) ")
            return operand(rhs, facing: lhs, into: &sql, ordered: ordered)
        case let .inList(subject, items, negated):
            guard !items.isEmpty, operand(subject, facing: items[0], into: &sql) else { return false }
            sql.append(negated ? " NOT IN (" : " IN (")
            for (i, item) in items.enumerated() {
                if i > 0 { sql.append(", ") }
                guard operand(item, facing: subject, into: &sql) else { return false }
            }
            sql.append(")")
            return true
        case let .column(name):
            guard let field = schema.field(named: name), field.type == .bool, isComparable(field) else { return false }
            sql.append(SQLDialect.quote(name))
            return true
        case let .literal(value):
            guard case let .bool(b) = value else { return value == .null ? append("NULL", to: &sql) : false }
            sql.bind(.bool(b))
            return true
        }
    }

    private func append(_ text: String, to sql: inout SQLText) -> Bool {
        sql.append(text)
        return true
    }

    /// A column or literal operand; `other` is what it is compared with (for literal types).
    private func operand(_ e: Expression, facing other: Expression?, into sql: inout SQLText, ordered: Bool = false) -> Bool {
        switch e {
        case let .column(name):
            guard let field = schema.field(named: name), isComparable(field) else { return false }
            switch field.type {
            case .list, .structure, .null: return false
            default: break
            }
            sql.append(SQLDialect.quote(name))
            if ordered, field.type == .string { sql.append(sql.dialect.byteOrderCollation) }
            return true
        case let .literal(value):
            return literal(value, facing: other, into: &sql)
        default:
            return false
        }
    }

    private func literal(_ value: Value, facing other: Expression?, into sql: inout SQLText) -> Bool {
        var otherType: DataType?
        if case let .column(name)? = other { otherType = schema.field(named: name)?.type }
        switch value {
        case .null: sql.append("NULL")
        case let .int(i): sql.bind(.int(i))
        case let .uint(u):
            guard u <= UInt64(Int64.max) else { return false }
            sql.bind(.int(Int64(u)))
        case let .float(f):
            guard !f.isNaN else { return false }
            sql.bind(.float(f))
        case let .bool(b): sql.bind(.bool(b))
        case let .string(s):
            switch otherType {
            case .date?:
                guard let days = s.utf8CString.withUnsafeBytes({ CellText.parseDate(UnsafeRawBufferPointer(rebasing: $0.dropLast())) })
                else { return false }
                sql.bind(.date(days), cast: "::date")
            case let .timestamp(_, zone)?:
                guard let micros = s.utf8CString.withUnsafeBytes({
                    CellText.parseTimestamp(UnsafeRawBufferPointer(rebasing: $0.dropLast()), unit: .microseconds)
                }) else { return false }
                sql.bind(.timestamp(micros), cast: zone == nil ? "::timestamp" : "::timestamptz")
            default: sql.bind(.string(s))
            }
        case let .binary(b): sql.bind(.binary(b))
        case let .date(days): sql.bind(.date(days), cast: "::date")
        case let .timestamp(ticks):
            guard case let .timestamp(unit, zone)? = otherType, unit == .microseconds else { return false }
            sql.bind(.timestamp(ticks), cast: zone == nil ? "::timestamp" : "::timestamptz")
        case .list, .structure: return false
        }
        return true
    }
}
