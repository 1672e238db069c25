/// Writes the cells of one batch's columns as JSON, following a `JSONWritePlan`.
///
/// Built once per batch: each plan node gets a `Cells` view holding raw pointers into its
/// column's typed storage (values, offsets, validity), so writing a cell is a switch on a
/// one-byte form and a pointer read: no closure call, no retain/release, no bounds check.
/// The pointers borrow the arrays of `columns`, which this writer keeps alive and never
/// mutates. Output goes through a pointer into space reserved from `bound`.
final class JSONBatchWriter {
    /// One node's column, as pointers (nil where the form has no such part).
    struct Cells {
        var node: JSONWritePlan.Node
        var validity: UnsafePointer<Bool>?
        /// Int64 / UInt64 / Double / Bool values, by form.
        var values: UnsafeRawPointer?
        /// String/binary byte offsets, or list offsets.
        var offsets: UnsafePointer<Int>?
        var bytes: UnsafePointer<UInt8>?
        var keyBytes: UnsafePointer<UInt8>?
        var keyStarts: UnsafePointer<Int>?
    }

    private let columns: [Column]
    private let plan: JSONWritePlan
    private let cells: UnsafeMutableBufferPointer<Cells>

    /// `columns` are the top-level fields of `plan`, in order.
    init(plan: JSONWritePlan, columns: [Column]) {
        precondition(plan.nodes[0].fieldCount == columns.count, "\(columns.count) columns for \(plan.nodes[0].fieldCount) fields")
        self.plan = plan
        self.columns = columns
        cells = .allocate(capacity: plan.nodes.count)
        cells.initialize(repeating: Cells(node: plan.nodes[0]))
        bindKeys(0)
        for (j, column) in columns.enumerated() { bind(JSONWritePlan.fieldNode(j), column) }
    }

    deinit { cells.deallocate() }

    private func bindKeys(_ i: Int) {
        let keys = plan.keys[cells[i].node.keySet]
        cells[i].keyBytes = Self.pointer(keys.bytes)
        cells[i].keyStarts = Self.pointer(keys.starts)
    }

    private func bind(_ i: Int, _ column: Column) {
        let node = plan.nodes[i]
        var c = Cells(node: node)
        c.validity = column.validity.flatMap(Self.pointer)
        switch column.storage {
        case .null: break
        case let .bool(v): c.values = Self.pointer(v).map(UnsafeRawPointer.init)
        case let .int(v): c.values = Self.pointer(v).map(UnsafeRawPointer.init)
        case let .uint(v): c.values = Self.pointer(v).map(UnsafeRawPointer.init)
        case let .float(v): c.values = Self.pointer(v).map(UnsafeRawPointer.init)
        case let .bytes(b):
            c.offsets = Self.pointer(b.offsets)
            c.bytes = Self.pointer(b.bytes)
        case let .list(offsets, child):
            c.offsets = Self.pointer(offsets)
            bind(node.child, child)
        case let .structure(children):
            for (j, child) in children.enumerated() { bind(node.child + j, child) }
        }
        cells[i] = c
        if node.form == .object { bindKeys(i) }
    }

    /// The array's storage; valid while the array lives unmodified (`columns` and `plan`
    /// hold every array bound here).
    private static func pointer<T>(_ array: [T]) -> UnsafePointer<T>? {
        array.withUnsafeBufferPointer { $0.baseAddress }
    }

    // MARK: Bounds

    /// An upper bound of the bytes of the top-level rows `rows` (objects, no line breaks).
    func rowsBound(_ rows: Range<Int>) -> Int { bound(0, rows) }

    /// An upper bound of the bytes of field `j`'s cells in `rows`.
    func fieldBound(_ j: Int, _ rows: Range<Int>) -> Int { bound(JSONWritePlan.fieldNode(j), rows) }

    private func bound(_ i: Int, _ rows: Range<Int>) -> Int {
        let c = cells[i]
        let n = rows.count
        let nulls = c.validity == nil ? 0 : 4 * n
        switch c.node.form {
        case .null: return 4 * n
        case .bool: return 5 * n + nulls
        case .int, .uint: return DecimalText.maxLength * n + nulls
        case .float64, .float32: return FloatText.maxLength * n + nulls
        case .string:
            return JSONStringEscaper.bound(byteCount: c.offsets![rows.upperBound] - c.offsets![rows.lowerBound]) + 2 * n + nulls
        case .binary: return 2 * (c.offsets![rows.upperBound] - c.offsets![rows.lowerBound]) + 6 * n + nulls
        case .date: return (ISO8601.maxDateLength + 2) * n + nulls
        case .timestamp: return (ISO8601.maxTimestampLength + 2) * n + nulls
        case .list:
            let children = c.offsets![rows.lowerBound]..<c.offsets![rows.upperBound]
            return 2 * n + children.count + bound(c.node.child, children) + nulls
        case .object:
            var total = (c.keyStarts![c.node.fieldCount] + 2) * n + nulls
            for j in 0..<c.node.fieldCount { total += bound(c.node.child + j, rows) }
            return total
        }
    }

    // MARK: Writing

    /// Writes top-level row `r` as an object at `p`; returns the end.
    @inline(__always)
    func writeRow(_ r: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        writeObject(0, r, p)
    }

    /// Writes field `j`'s cell of row `r` at `p`; returns the end.
    func writeField(_ j: Int, row r: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        writeCell(JSONWritePlan.fieldNode(j), r, p)
    }

    @inline(__always)
    private func writeCell(_ i: Int, _ r: Int, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        // Fields are read through the pointer, not copied out as a whole struct per cell.
        let c = cells.baseAddress! + i
        if let validity = c.pointee.validity, !validity[r] { return copy("null", to: p) }
        let form = c.pointee.node.form
        switch form {
        case .null: return copy("null", to: p)
        case .bool:
            return c.pointee.values!.load(fromByteOffset: r, as: Bool.self) ? copy("true", to: p) : copy("false", to: p)
        case .int: return DecimalText.write(c.pointee.values!.load(fromByteOffset: r &* 8, as: Int64.self), to: p)
        case .uint: return DecimalText.write(c.pointee.values!.load(fromByteOffset: r &* 8, as: UInt64.self), to: p)
        case .float64, .float32:
            let x = c.pointee.values!.load(fromByteOffset: r &* 8, as: Double.self)
            return x.isFinite ? FloatText.write(x, float32: form == .float32, to: p) : copy("null", to: p)
        case .string:
            let offsets = c.pointee.offsets!, start = offsets[r]
            return JSONStringEscaper.write(UnsafeRawBufferPointer(start: c.pointee.bytes! + start, count: offsets[r &+ 1] &- start), to: p)
        case .binary:
            let offsets = c.pointee.offsets!, start = offsets[r]
            p[0] = UInt8(ascii: "\"")
            let q = Base64.write(UnsafeRawBufferPointer(start: c.pointee.bytes! + start, count: offsets[r &+ 1] &- start), to: p + 1)
            q[0] = UInt8(ascii: "\"")
            return q + 1
        case .date, .timestamp:
            let ticks = c.pointee.values!.load(fromByteOffset: r &* 8, as: Int64.self)
            p[0] = UInt8(ascii: "\"")
            let q = form == .date
                ? ISO8601.writeDate(ticks, to: p + 1)
                : ISO8601.writeTimestamp(ticks, unit: c.pointee.node.unit, zone: c.pointee.node.zone, to: p + 1)
            q[0] = UInt8(ascii: "\"")
            return q + 1
        case .list: return writeList(c, r, p)
        case .object: return writeObject(i, r, p)
        }
    }

    @inline(never)
    private func writeList(_ c: UnsafeMutablePointer<Cells>, _ r: Int, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        p[0] = UInt8(ascii: "[")
        var q = p + 1
        let offsets = c.pointee.offsets!, element = c.pointee.node.child
        let end = offsets[r &+ 1]
        var e = offsets[r]
        if e < end {
            q = writeCell(element, e, q)
            e &+= 1
            while e < end {
                q[0] = UInt8(ascii: ",")
                q = writeCell(element, e, q + 1)
                e &+= 1
            }
        }
        q[0] = UInt8(ascii: "]")
        return q + 1
    }

    @inline(never)
    private func writeObject(_ i: Int, _ r: Int, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let c = cells.baseAddress! + i
        let fieldCount = c.pointee.node.fieldCount, first = c.pointee.node.child
        if fieldCount == 0 { return copy("{}", to: p) }
        let keyBytes = c.pointee.keyBytes!, keyStarts = c.pointee.keyStarts!
        var q = p
        for j in 0..<fieldCount {
            let start = keyStarts[j]
            q = JSONStringEscaper.copyBytes(keyBytes + start, count: keyStarts[j &+ 1] &- start, to: q)
            q = writeCell(first &+ j, r, q)
        }
        q[0] = UInt8(ascii: "}")
        return q + 1
    }
}

@inline(__always)
func copy(_ text: StaticString, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
    return p + text.utf8CodeUnitCount
}
