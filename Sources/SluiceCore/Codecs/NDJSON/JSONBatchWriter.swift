/// Writes the cells of one batch's columns as JSON, following a `JSONWritePlan`.
///
/// Writing a cell is a switch on a one-byte form and a pointer read (no closure call, no
/// retain/release, no bounds check): each plan node gets a `Cells` view of raw pointers into
/// its column's typed storage (values, offsets, validity). No pointer outlives what it
/// points into:
/// - the first `maxPinned` arrays are pinned with nested `withUnsafeBufferPointer` calls
///   that last only as long as `withColumnPointers`; their pointers are cleared when it
///   returns (the arrays themselves are kept by `pins`, references, never mutated);
/// - arrays past those (a wide schema: each pin is a stack frame) are copied once into
///   buffers this writer allocates and frees in `deinit`.
/// Every bound, row and field write happens inside `withColumnPointers`. Output goes through
/// a pointer into space reserved from a bound.
final class JSONBatchWriter {
    /// One node's column, as pointers (nil where the form has no such part, and outside
    /// `withColumnPointers`).
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

    /// An array whose storage a node reads, and how to set (or, with nil, clear) the node's
    /// pointer to it. One generic initializer covers every element type.
    private struct Pin {
        /// Calls `body` with the array's storage, valid only during the call.
        let withStorage: (_ body: (UnsafeRawPointer?) -> Void) -> Void
        /// Copies the array into memory the caller then owns (and deallocates).
        let copy: () -> UnsafeMutableRawPointer
        let bind: (UnsafeRawPointer?) -> Void

        init<T: BitwiseCopyable>(_ array: [T], bind: @escaping (UnsafePointer<T>?) -> Void) {
            withStorage = { body in array.withUnsafeBufferPointer { body(UnsafeRawPointer($0.baseAddress)) } }
            copy = {
                let copy = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
                _ = UnsafeMutableBufferPointer(start: copy, count: array.count).initialize(from: array)
                return UnsafeMutableRawPointer(copy)
            }
            self.bind = { raw in bind(raw?.assumingMemoryBound(to: T.self)) }
        }
    }

    /// Arrays pinned per scope; the rest are copied (bounds the nesting, and so the stack).
    static let maxPinned = 48

    private let plan: JSONWritePlan
    private var pins: [Pin] = []
    /// Copies of the arrays past `maxPinned`, owned for this writer's lifetime.
    private var ownedCopies: [UnsafeMutableRawPointer] = []
    private let cells: UnsafeMutableBufferPointer<Cells>
    /// Nesting of `withColumnPointers` (the pointers are valid while > 0).
    private var pinDepth = 0

    /// `columns` are the top-level fields of `plan`, in order.
    init(plan: JSONWritePlan, columns: [Column]) {
        precondition(plan.nodes[0].fieldCount == columns.count, "\(columns.count) columns for \(plan.nodes[0].fieldCount) fields")
        self.plan = plan
        cells = .allocate(capacity: plan.nodes.count)
        cells.initialize(repeating: Cells(node: plan.nodes[0]))
        addKeyPins(0)
        for (j, column) in columns.enumerated() { addPins(JSONWritePlan.fieldNode(j), column) }
        if pins.count > Self.maxPinned {
            for pin in pins[Self.maxPinned...] {
                let copy = pin.copy()
                ownedCopies.append(copy)
                pin.bind(UnsafeRawPointer(copy))
            }
            pins.removeSubrange(Self.maxPinned...)
        }
    }

    deinit {
        cells.deallocate()
        for copy in ownedCopies { copy.deallocate() }
    }

    private func addKeyPins(_ i: Int) {
        let keys = plan.keys[plan.nodes[i].keySet]
        pins.append(Pin(keys.bytes) { [cells] in cells[i].keyBytes = $0 })
        pins.append(Pin(keys.starts) { [cells] in cells[i].keyStarts = $0 })
    }

    private func addPins(_ i: Int, _ column: Column) {
        let node = plan.nodes[i]
        cells[i] = Cells(node: node)
        if let validity = column.validity { pins.append(Pin(validity) { [cells] in cells[i].validity = $0 }) }
        switch column.storage {
        case .null: break
        case let .bool(v): pins.append(Pin(v) { [cells] in cells[i].values = UnsafeRawPointer($0) })
        case let .int(v): pins.append(Pin(v) { [cells] in cells[i].values = UnsafeRawPointer($0) })
        case let .uint(v): pins.append(Pin(v) { [cells] in cells[i].values = UnsafeRawPointer($0) })
        case let .float(v): pins.append(Pin(v) { [cells] in cells[i].values = UnsafeRawPointer($0) })
        case let .bytes(b):
            pins.append(Pin(b.offsets) { [cells] in cells[i].offsets = $0 })
            pins.append(Pin(b.bytes) { [cells] in cells[i].bytes = $0 })
        case let .list(offsets, child):
            pins.append(Pin(offsets) { [cells] in cells[i].offsets = $0 })
            addPins(node.child, child)
        case let .structure(children):
            for (j, child) in children.enumerated() { addPins(node.child + j, child) }
        }
        if node.form == .object { addKeyPins(i) }
    }

    /// Runs `body` with every node's pointers bound to its arrays' storage; the bounds and
    /// writes below may be called only inside it.
    func withColumnPointers<R>(_ body: () -> R) -> R {
        pinDepth += 1
        defer {
            pinDepth -= 1
            // Cleared once no scope runs: a use past it traps on a nil pointer instead of
            // reading memory it no longer may.
            if pinDepth == 0 { for pin in pins { pin.bind(nil) } }
        }
        var result: R?
        pinned(from: 0) { result = body() }
        return result!
    }

    /// Binds pin `k` inside its array's `withUnsafeBufferPointer`, then the rest, then `body`.
    private func pinned(from k: Int, _ body: () -> Void) {
        guard k < pins.count else { return body() }
        pins[k].withStorage { storage in
            pins[k].bind(storage)
            pinned(from: k + 1, body)
        }
    }

    // MARK: Bounds

    /// An upper bound of the bytes of the top-level rows `rows` (objects, no line breaks).
    func rowsBound(_ rows: Range<Int>) -> Int {
        assert(pinDepth > 0, "JSONBatchWriter used outside withColumnPointers")
        return bound(0, rows)
    }

    /// An upper bound of the bytes of field `j`'s cells in `rows`.
    func fieldBound(_ j: Int, _ rows: Range<Int>) -> Int {
        assert(pinDepth > 0, "JSONBatchWriter used outside withColumnPointers")
        return bound(JSONWritePlan.fieldNode(j), rows)
    }

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
        assert(pinDepth > 0, "JSONBatchWriter used outside withColumnPointers")
        return writeCell(JSONWritePlan.fieldNode(j), r, p)
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
