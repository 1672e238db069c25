/// Infers one CSV column's type from its cells: `Int64` when every non-empty cell is a
/// decimal integer, else `Float64` when every one is a number, else `Bool` when every one
/// is `true`/`false`, else `String`. A column with only empty cells is `Null`.
struct CSVColumnInference {
    private enum Kind { case null, int, float, bool, string }
    private var kind = Kind.null

    mutating func add(_ text: UnsafeRawBufferPointer) {
        guard kind != .string else { return }
        let found: Kind
        if DecimalText.parseInt64(text) != nil {
            found = .int
        } else if text.contains(where: { $0 &- 48 < 10 }), FloatText.parse(text) != nil {
            found = .float
        } else if TextCellDecoder.parseBool(text) != nil {
            found = .bool
        } else {
            found = .string
        }
        switch (kind, found) {
        case (.null, _): kind = found
        case (.int, .float), (.float, .int): kind = .float
        case _ where kind == found: break
        default: kind = .string
        }
    }

    var type: DataType {
        switch kind {
        case .null: return .null
        case .int: return .int64
        case .float: return .float64
        case .bool: return .bool
        case .string: return .string
        }
    }
}
