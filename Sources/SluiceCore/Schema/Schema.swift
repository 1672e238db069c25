/// An ordered list of fields. Field names are unique.
///
/// JSON form: an array of fields, `[{"name": "id", "type": "Int64", "nullable": false}]`.
public struct Schema: Hashable, Sendable, Codable, RandomAccessCollection {
    public let fields: [Field]

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    /// A schema, checking that names are unique and non-empty.
    public init(validating fields: [Field]) throws {
        var seen = Set<String>()
        for field in fields {
            guard !field.name.isEmpty else { throw SchemaError("a field name is empty") }
            guard seen.insert(field.name).inserted else { throw SchemaError("duplicate field '\(field.name)'") }
        }
        self.fields = fields
    }

    public init(from decoder: any Decoder) throws {
        try self.init(validating: try decoder.singleValueContainer().decode([Field].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(fields)
    }

    public static let empty = Schema([])

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> Field { fields[position] }

    public var names: [String] { fields.map(\.name) }

    /// The position of the field called `name`.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    public func field(named name: String) -> Field? {
        index(of: name).map { fields[$0] }
    }

    /// The schema of the named fields, in the order given; unknown names are an error.
    public func project(_ names: [String]) throws -> Schema {
        Schema(try names.map { name in
            guard let field = field(named: name) else { throw SchemaError.unknownColumn(name, in: self) }
            return field
        })
    }
}

extension Schema: CustomStringConvertible {
    public var description: String {
        "{" + fields.map { "\($0.name): \($0.type)\($0.nullable ? "" : " not null")" }.joined(separator: ", ") + "}"
    }
}
