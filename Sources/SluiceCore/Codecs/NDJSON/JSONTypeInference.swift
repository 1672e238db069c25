/// Infers a schema from JSON objects (the first pass over a batch when no schema is given).
///
/// Rules: integers give `Int64`; floats, or integers mixed with floats, `Float64`; `true` and
/// `false` `Bool`; strings `String`; arrays `List[T]` of their elements' merged type; objects
/// `Struct[...]`; a field only ever null (or an empty list's elements) `Null`. Fields keep
/// their first-seen order, nested ones too; every field is nullable, so a key missing from a
/// row is a null. Any other mix (a string where earlier rows had numbers, ...) is an issue
/// located at the offending value.
final class InferredJSONType {
    enum Kind: Equatable { case null, bool, int, float, string, list, object }

    private(set) var kind = Kind.null
    private var element: InferredJSONType?
    private var names = FieldNameTable()
    private var fields: [InferredJSONType] = []

    /// Merges the value at the cursor into this type.
    func merge(_ c: inout JSONCursor, _ scratch: ByteScratch, depth: Int) throws {
        c.skipWhitespace()
        let start = c.pos
        switch c.peek {
        case UInt8(ascii: "n"):
            _ = try c.readLiteral()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try c.readLiteral()
            try unify(.bool, at: start)
        case UInt8(ascii: "\""):
            _ = try c.readString(scratch)
            try unify(.string, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let n = try c.readNumber()
            try unify(n.isInteger ? .int : .float, at: start)
        case UInt8(ascii: "["):
            try unify(.list, at: start)
            try mergeArray(&c, scratch, depth: depth + 1)
        case UInt8(ascii: "{"):
            try unify(.object, at: start)
            try mergeObject(&c, scratch, depth: depth + 1)
        default:
            throw c.failure("expected a value")
        }
    }

    /// Merges the object at the cursor (at its `{`) into this object type.
    func mergeObject(_ c: inout JSONCursor, _ scratch: ByteScratch, depth: Int) throws {
        guard depth <= JSONCursor.maxDepth else { throw DecodeFailure(at: c.pos, "nested deeper than \(JSONCursor.maxDepth) levels") }
        kind = .object
        c.pos += 1
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "}") { c.pos += 1; return }
        var hint = 0
        while true {
            c.skipWhitespace()
            guard c.peek == UInt8(ascii: "\"") else { throw c.failure("expected a field name") }
            let key = try c.readString(scratch)
            let i = names.index(of: key, hint: hint) ?? { fields.append(InferredJSONType()); return names.append(key) }()
            hint = i + 1
            try c.expect(UInt8(ascii: ":"), "':' after a field name")
            do {
                try fields[i].merge(&c, scratch, depth: depth)
            } catch let failure as DecodeFailure {
                throw failure.inField(names.name(i))
            }
            if try !c.continues(until: UInt8(ascii: "}")) { return }
        }
    }

    private func mergeArray(_ c: inout JSONCursor, _ scratch: ByteScratch, depth: Int) throws {
        guard depth <= JSONCursor.maxDepth else { throw DecodeFailure(at: c.pos, "nested deeper than \(JSONCursor.maxDepth) levels") }
        let item = element ?? InferredJSONType()
        element = item
        c.pos += 1
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "]") { c.pos += 1; return }
        while true {
            try item.merge(&c, scratch, depth: depth)
            if try !c.continues(until: UInt8(ascii: "]")) { return }
        }
    }

    private func unify(_ found: Kind, at offset: Int) throws {
        switch (kind, found) {
        case (.null, _): kind = found
        case (.int, .float): kind = .float
        case (.float, .int): break
        case _ where kind == found: break
        default:
            throw DecodeFailure(at: offset, "found \(Self.name(found)) where earlier rows have \(dataType)")
        }
    }

    private static func name(_ kind: Kind) -> String {
        switch kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a float"
        case .string: return "a string"
        case .list: return "an array"
        case .object: return "an object"
        }
    }

    /// The fields of this object type, all nullable.
    var schemaFields: [Field] {
        fields.indices.map { Field(names.name($0), fields[$0].dataType, nullable: true) }
    }

    var dataType: DataType {
        switch kind {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int64
        case .float: return .float64
        case .string: return .string
        case .list: return .list(element?.dataType ?? .null)
        case .object: return .structure(schemaFields)
        }
    }
}
