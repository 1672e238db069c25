/// Writes an expression in the `where=` language, so that `ExpressionParser.parse` reads it
/// back to the same expression. Used to carry a filter in task URLs.
///
/// Parentheses appear only where precedence needs them (`AND` and `OR` are left-associative,
/// so a right-nested chain keeps its parentheses). Column names are double-quoted when they
/// are not bare identifiers or spell a keyword. Literals the language cannot write are
/// printed as their nearest readable form: a `Date` or `Timestamp` value as an ISO string
/// (which compares the same against a date or timestamp column), `Binary` as a string of its
/// bytes read as UTF-8, a list or struct as a string of its Swift description; non-finite floats as the strings 'NaN', 'Infinity', '-Infinity'.
extension Expression: CustomStringConvertible {
    public var description: String {
        var out = ""
        ExpressionPrinter.write(self, into: &out)
        return out
    }
}

enum ExpressionPrinter {
    /// Binding strength, loosest first; a child weaker than its slot is parenthesised.
    enum Precedence: Int, Comparable {
        case or = 1, and, not, predicate, operand
        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    static func precedence(of expression: Expression) -> Precedence {
        switch expression {
        case .or: return .or
        case .and: return .and
        case .not: return .not
        case .compare, .isNull, .inList: return .predicate
        case .column, .literal: return .operand
        }
    }

    static func write(_ expression: Expression, into out: inout String) {
        switch expression {
        case let .column(name):
            out += quotedName(name)
        case let .literal(value):
            out += literal(value)
        case let .compare(op, lhs, rhs):
            write(lhs, atLeast: .operand, into: &out)
            out += " \(op.rawValue) "
            write(rhs, atLeast: .operand, into: &out)
        case let .and(lhs, rhs):
            write(lhs, atLeast: .and, into: &out)
            out += " AND "
            write(rhs, atLeast: .not, into: &out)
        case let .or(lhs, rhs):
            write(lhs, atLeast: .or, into: &out)
            out += " OR "
            write(rhs, atLeast: .and, into: &out)
        case let .not(inner):
            out += "NOT "
            write(inner, atLeast: .not, into: &out)
        case let .isNull(subject, negated):
            write(subject, atLeast: .operand, into: &out)
            out += negated ? " IS NOT NULL" : " IS NULL"
        case let .inList(subject, items, negated):
            write(subject, atLeast: .operand, into: &out)
            out += negated ? " NOT IN (" : " IN ("
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                write(item, atLeast: .operand, into: &out)
            }
            out += ")"
        }
    }

    static func write(_ expression: Expression, atLeast slot: Precedence, into out: inout String) {
        if precedence(of: expression) < slot {
            out += "("
            write(expression, into: &out)
            out += ")"
        } else {
            write(expression, into: &out)
        }
    }

    /// The expression as an operand is written, parenthesised unless it is a column or
    /// literal (for messages: `cannot compare (a = 1) (Bool) with 2 (Int64)`).
    static func operandText(_ expression: Expression) -> String {
        var out = ""
        write(expression, atLeast: .operand, into: &out)
        return out
    }

    /// `name` as written: bare when the lexer would read it back as that identifier.
    static func quotedName(_ name: String) -> String {
        let scalars = name.unicodeScalars
        let bare = scalars.first.map(ExpressionLexer.isIdentifierStart) == true
            && scalars.allSatisfy(ExpressionLexer.isIdentifierPart)
            && ExpressionToken.Keyword(word: name) == nil
        return bare ? name : quoted(name, by: "\"")
    }

    static func quoted(_ text: String, by quote: Character) -> String {
        var out = String(quote)
        for c in text {
            if c == quote { out.append(quote) }
            out.append(c)
        }
        out.append(quote)
        return out
    }

    static func literal(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case let .bool(b): return b ? "TRUE" : "FALSE"
        case let .int(i): return String(i)
        case let .uint(u): return String(u)
        case let .float(f):
            if f.isNaN { return "'NaN'" }
            if f.isInfinite { return f < 0 ? "'-Infinity'" : "'Infinity'" }
            return f.description
        case let .string(s): return quoted(s, by: "'")
        case let .binary(bytes): return quoted(String(decoding: bytes, as: UTF8.self), by: "'")
        case let .date(days): return quoted(TemporalLiteral.formatDate(days), by: "'")
        case let .timestamp(micros): return quoted(TemporalLiteral.formatTimestamp(micros, unit: .microseconds), by: "'")
        case .list, .structure:
            // Not comparable in the language; written as text so the binder's error names it.
            return quoted(String(describing: value), by: "'")
        }
    }
}
