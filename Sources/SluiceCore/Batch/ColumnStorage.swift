/// The physical layout of a column's values (see `Column`).
public indirect enum ColumnStorage: Hashable, Sendable {
    case null(count: Int)
    case bool([Bool])
    case int([Int64])
    case uint([UInt64])
    case float([Double])
    case bytes(ByteArrays)
    /// Row `i` is `child[offsets[i]..<offsets[i+1]]`; `offsets` has `count + 1` entries.
    case list(offsets: [Int], child: Column)
    /// One child column per field, each `count` long.
    case structure([Column])

    public var physical: DataType.PhysicalType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .float: return .float
        case .bytes: return .bytes
        case .list: return .list
        case .structure: return .structure
        }
    }

    public var count: Int {
        switch self {
        case let .null(n): return n
        case let .bool(v): return v.count
        case let .int(v): return v.count
        case let .uint(v): return v.count
        case let .float(v): return v.count
        case let .bytes(b): return b.count
        case let .list(offsets, _): return offsets.count - 1
        case let .structure(children): return children.first?.count ?? 0
        }
    }

    func slice(_ r: Range<Int>) -> ColumnStorage {
        switch self {
        case .null: return .null(count: r.count)
        case let .bool(v): return .bool(Array(v[r]))
        case let .int(v): return .int(Array(v[r]))
        case let .uint(v): return .uint(Array(v[r]))
        case let .float(v): return .float(Array(v[r]))
        case let .bytes(b): return .bytes(b.slice(r))
        case let .list(offsets, child):
            let start = offsets[r.lowerBound], end = offsets[r.upperBound]
            return .list(offsets: offsets[r.lowerBound...r.upperBound].map { $0 - start }, child: child.slice(start..<end))
        case let .structure(children): return .structure(children.map { $0.slice(r) })
        }
    }

    func gather(_ idx: [Int]) -> ColumnStorage {
        switch self {
        case .null: return .null(count: idx.count)
        case let .bool(v): return .bool(idx.map { v[$0] })
        case let .int(v): return .int(idx.map { v[$0] })
        case let .uint(v): return .uint(idx.map { v[$0] })
        case let .float(v): return .float(idx.map { v[$0] })
        case let .bytes(b): return .bytes(b.gather(idx))
        case let .list(offsets, child):
            var newOffsets = [0]
            newOffsets.reserveCapacity(idx.count + 1)
            var childIdx: [Int] = []
            for i in idx {
                childIdx.append(contentsOf: offsets[i]..<offsets[i + 1])
                newOffsets.append(childIdx.count)
            }
            return .list(offsets: newOffsets, child: child.gather(childIdx))
        case let .structure(children): return .structure(children.map { $0.gather(idx) })
        }
    }

    static func concatenate(_ parts: [ColumnStorage]) -> ColumnStorage {
        switch parts[0] {
        case .null: return .null(count: parts.reduce(0) { $0 + $1.count })
        case .bool: return .bool(parts.flatMap { if case let .bool(v) = $0 { return v } else { return [] } })
        case .int: return .int(parts.flatMap { if case let .int(v) = $0 { return v } else { return [] } })
        case .uint: return .uint(parts.flatMap { if case let .uint(v) = $0 { return v } else { return [] } })
        case .float: return .float(parts.flatMap { if case let .float(v) = $0 { return v } else { return [] } })
        case .bytes:
            var out = ByteArrays()
            for case let .bytes(b) in parts { out.append(contentsOf: b) }
            return .bytes(out)
        case .list:
            var offsets = [0]
            var children: [Column] = []
            for case let .list(o, child) in parts {
                let base = offsets.last!
                offsets.append(contentsOf: o.dropFirst().map { $0 + base })
                children.append(child)
            }
            return .list(offsets: offsets, child: Column.concatenate(children))
        case let .structure(first):
            return .structure(first.indices.map { f in
                Column.concatenate(parts.map { if case let .structure(c) = $0 { return c[f] } else { preconditionFailure() } })
            })
        }
    }

    var byteSize: Int {
        switch self {
        case .null: return 0
        case let .bool(v): return v.count
        case let .int(v): return v.count * 8
        case let .uint(v): return v.count * 8
        case let .float(v): return v.count * 8
        case let .bytes(b): return b.bytes.count + b.offsets.count * 8
        case let .list(offsets, child): return offsets.count * 8 + child.byteSize
        case let .structure(children): return children.reduce(0) { $0 + $1.byteSize }
        }
    }
}
