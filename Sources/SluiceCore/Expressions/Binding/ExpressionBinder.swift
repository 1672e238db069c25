/// Type-checks an expression against a schema and resolves it into a `BoundPredicate`.
///
/// Rules: numbers of any integer or float type compare with each other; strings with
/// strings (and binary); Bool with Bool; a `Date` or `Timestamp` with its own type or with an
/// ISO string literal, converted here once; NULL with anything (the result is unknown).
/// Lists and structs only take `IS [NOT] NULL`. A filter must be a condition: a comparison,
/// a logical combination, or a Bool column or literal. Errors name the column or the types
/// and point at the operator, keyword or literal concerned when positions are known.
struct ExpressionBinder {
    let schema: Schema

    /// What an operand is, for deciding comparability.
    enum Kind: Equatable {
        case null, bool, number, string, binary, date
        /// `nil` unit: a `Value.timestamp` literal, whose ticks take the other side's unit.
        case timestamp(DataType.TimeUnit?)
        /// Lists and structs.
        case uncomparable
    }

    /// An operand with what the checks need to know about it.
    struct Typed {
        var operand: BoundOperand
        var kind: Kind
        /// The type as a message names it (`Int64`, `String`).
        var typeName: String
        /// The literal text, when the operand is a string literal that a date or timestamp
        /// comparison may convert.
        var stringLiteral: String?
        var expression: Expression
        var position: Int?
    }

    func bindCondition(_ e: Expression, _ positions: ExpressionPositions?) throws -> BoundPredicate {
        let child = { (i: Int) in positions.flatMap { i < $0.children.count ? $0.children[i] : nil } }
        switch e {
        case let .and(lhs, rhs):
            return .and(try bindCondition(lhs, child(0)), try bindCondition(rhs, child(1)))
        case let .or(lhs, rhs):
            return .or(try bindCondition(lhs, child(0)), try bindCondition(rhs, child(1)))
        case let .not(inner):
            return .not(try bindCondition(inner, child(0)))
        case let .compare(op, lhs, rhs):
            var l = try bindOperand(lhs, child(0))
            var r = try bindOperand(rhs, child(1))
            try unify(&l, &r, at: positions?.position)
            return .compare(op, l.operand, r.operand)
        case let .isNull(subject, negated):
            return .isNull(try bindOperand(subject, child(0)).operand, negated: negated)
        case let .inList(subject, items, negated):
            let s = try bindOperand(subject, child(0))
            var equalities: [BoundPredicate] = []
            for (i, item) in items.enumerated() {
                var l = s
                var r = try bindOperand(item, child(i + 1))
                try unify(&l, &r, at: r.position)
                equalities.append(.compare(.equal, l.operand, r.operand))
            }
            let list = ValueSet.lookup(for: equalities) ?? BoundPredicate.anyOf(equalities)
            return negated ? .not(list) : list
        case .column, .literal:
            let typed = try bindOperand(e, positions)
            guard typed.kind == .bool || typed.kind == .null else {
                throw ExpressionError(
                    "\(ExpressionPrinter.operandText(e)) is \(typed.typeName), not a condition; compare it with a value",
                    position: typed.position, column: columnName(e))
            }
            return .value(typed.operand)
        }
    }

    func bindOperand(_ e: Expression, _ positions: ExpressionPositions?) throws -> Typed {
        let position = positions?.position
        switch e {
        case let .column(name):
            guard let field = schema.field(named: name) else {
                throw ExpressionError(
                    "unknown column '\(name)' (columns: \(schema.names.joined(separator: ", ")))",
                    position: position, column: name)
            }
            return Typed(operand: .column(name: name, type: field.type), kind: Self.kind(of: field.type),
                         typeName: field.type.description, expression: e, position: position)
        case let .literal(value):
            return try bindLiteral(value, e, position)
        default:
            let condition = try bindCondition(e, positions)
            return Typed(operand: .condition(condition), kind: .bool, typeName: "Bool", expression: e, position: position)
        }
    }

    private func bindLiteral(_ value: Value, _ e: Expression, _ position: Int?) throws -> Typed {
        func typed(_ values: OperandVector.Values, _ kind: Kind, _ name: String, text: String? = nil) -> Typed {
            Typed(operand: .constant(.constant(values)), kind: kind, typeName: name, stringLiteral: text,
                  expression: e, position: position)
        }
        switch value {
        case .null: return typed(.null, .null, "Null")
        case let .bool(b): return typed(.bool([b]), .bool, "Bool")
        case let .int(i): return typed(.int([i]), .number, "Int64")
        case let .uint(u): return typed(.uint([u]), .number, "UInt64")
        case let .float(f): return typed(.float([f]), .number, "Float64")
        case let .string(s):
            var bytes = ByteArrays()
            bytes.append(string: s)
            return typed(.bytes(bytes), .string, "String", text: s)
        case let .binary(b):
            var bytes = ByteArrays()
            bytes.append(b)
            return typed(.bytes(bytes), .binary, "Binary")
        case let .date(days): return typed(.int([days]), .date, "Date")
        case let .timestamp(ticks): return typed(.int([ticks]), .timestamp(nil), "Timestamp")
        case .list, .structure:
            throw ExpressionError("list and struct literals are not supported", position: position)
        }
    }

    /// Checks that two operands compare, converting an ISO string literal facing a date or
    /// timestamp into days or ticks.
    private func unify(_ l: inout Typed, _ r: inout Typed, at position: Int?) throws {
        switch (l.kind, r.kind) {
        case (.null, _), (_, .null), (.number, .number), (.bool, .bool), (.date, .date):
            return
        case (.string, .string), (.string, .binary), (.binary, .string), (.binary, .binary):
            return
        case let (.timestamp(a), .timestamp(b)) where a == nil || b == nil || a == b:
            return
        case (.date, .string) where r.stringLiteral != nil:
            try convert(&r, toMatch: l)
            return
        case (.string, .date) where l.stringLiteral != nil:
            try convert(&l, toMatch: r)
            return
        case (.timestamp, .string) where r.stringLiteral != nil:
            try convert(&r, toMatch: l)
            return
        case (.string, .timestamp) where l.stringLiteral != nil:
            try convert(&l, toMatch: r)
            return
        default:
            throw ExpressionError(
                "cannot compare \(ExpressionPrinter.operandText(l.expression)) (\(l.typeName)) with \(ExpressionPrinter.operandText(r.expression)) (\(r.typeName))",
                position: position, column: columnName(l.expression) ?? columnName(r.expression))
        }
    }

    private func convert(_ literal: inout Typed, toMatch other: Typed) throws {
        let text = literal.stringLiteral!
        switch other.kind {
        case .date:
            guard let days = TemporalLiteral.parseDate(text) else {
                throw ExpressionError("'\(text)' is not a date (YYYY-MM-DD)", position: literal.position)
            }
            literal.operand = .constant(.constant(.int([days])))
            literal.kind = .date
        case let .timestamp(unit):
            guard let ticks = TemporalLiteral.parseTimestamp(text, unit: unit ?? .microseconds) else {
                throw ExpressionError(
                    "'\(text)' is not a timestamp (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM])", position: literal.position)
            }
            literal.operand = .constant(.constant(.int([ticks])))
            literal.kind = other.kind
        default:
            preconditionFailure("only dates and timestamps convert literals")
        }
        literal.typeName = other.typeName
    }

    private func columnName(_ e: Expression) -> String? {
        if case let .column(name) = e { return name }
        return nil
    }

    static func kind(of type: DataType) -> Kind {
        switch type {
        case .null: return .null
        case .bool: return .bool
        case .string: return .string
        case .binary: return .binary
        case .date: return .date
        case let .timestamp(unit, _): return .timestamp(unit)
        case .list, .structure: return .uncomparable
        default: return .number
        }
    }
}
