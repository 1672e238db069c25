/// A named, typed column of a schema. Its JSON form is `{"name", "type", "nullable"}` with the
/// type as its display name.
public struct Field: Hashable, Sendable, Codable {
    public var name: String
    public var type: DataType
    public var nullable: Bool

    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    enum CodingKeys: String, CodingKey { case name, type, nullable }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(DataType.self, forKey: .type)
        nullable = try c.decodeIfPresent(Bool.self, forKey: .nullable) ?? true
    }
}
