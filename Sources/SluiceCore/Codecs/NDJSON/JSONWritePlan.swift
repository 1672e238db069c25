/// A schema compiled once for writing JSON: a flat list of nodes, one per column and nested
/// column, each with a small `Form` tag, so writing a cell is a switch on that tag rather
/// than a call through a closure (see `JSONBatchWriter`).
///
/// Node 0 is the object of the top-level fields; field `j` is node `1 + j`. A list node's
/// element is node `child`; an object node's fields are the `fieldCount` consecutive nodes
/// from `child`, its key prefixes `keys[keySet]`.
struct JSONWritePlan {
    /// How a cell is written. Forms: null `null`; integers exact; floats shortest round-trip
    /// (Float32 as a Float), non-finite floats `null`; strings escaped; Binary base64; Date
    /// and Timestamp ISO 8601 strings (see `ISO8601`); List an array; Struct an object with
    /// keys in field order.
    enum Form: UInt8 {
        case null, bool, int, uint, float64, float32, string, binary, date, timestamp, list, object
    }

    struct Node {
        var form: Form
        var unit = DataType.TimeUnit.seconds
        var zone = ISO8601.ZoneStyle.naive
        var child = 0
        var fieldCount = 0
        var keySet = 0
    }

    private(set) var nodes: [Node] = []
    private(set) var keys: [JSONObjectKeys] = []

    init(fields: [Field]) {
        nodes.append(Node(form: .null))
        nodes[0] = makeObject(fields)
    }

    /// The node of field `j` of the top-level object.
    static func fieldNode(_ j: Int) -> Int { 1 + j }

    private mutating func makeObject(_ fields: [Field]) -> Node {
        var node = Node(form: .object)
        node.child = nodes.count
        node.fieldCount = fields.count
        node.keySet = keys.count
        keys.append(JSONObjectKeys(fields.map(\.name)))
        nodes.append(contentsOf: repeatElement(Node(form: .null), count: fields.count))
        for (j, field) in fields.enumerated() { nodes[node.child + j] = makeNode(field.type) }
        return node
    }

    private mutating func makeNode(_ type: DataType) -> Node {
        switch type {
        case .null: return Node(form: .null)
        case .bool: return Node(form: .bool)
        case .int8, .int16, .int32, .int64: return Node(form: .int)
        case .uint8, .uint16, .uint32, .uint64: return Node(form: .uint)
        case .float32: return Node(form: .float32)
        case .float64: return Node(form: .float64)
        case .string: return Node(form: .string)
        case .binary: return Node(form: .binary)
        case .date: return Node(form: .date)
        case let .timestamp(unit, zone):
            return Node(form: .timestamp, unit: unit, zone: ISO8601.ZoneStyle(timezone: zone))
        case let .list(element):
            var node = Node(form: .list)
            node.child = nodes.count
            nodes.append(Node(form: .null))
            nodes[node.child] = makeNode(element)
            return node
        case let .structure(fields):
            return makeObject(fields)
        }
    }
}
