/// The comparison loops: one pass over two operand vectors producing, per row, whether the
/// comparison holds (validity is applied afterwards by `Truth`). Each loop reads typed
/// arrays directly; a broadcast literal has stride 0, so column-vs-literal and
/// column-vs-column share one loop.
///
/// Orderings: integers of either signedness and floats compare by exact value (no rounding
/// of large integers through Double); strings and binary compare bytewise, which for UTF-8
/// is code point order; false < true. A NaN is unordered: `=` and every ordering are false
/// for it, `!=` true (IEEE 754, so `NOT (a = b)` and `a != b` agree).
enum ComparisonKernels {
    /// Row results of `lhs op rhs` over `count` rows. The binder has already made sure the
    /// two sides compare; a pair of layouts it would refuse is a programming error.
    static func compare(_ lhs: OperandVector, _ op: Expression.ComparisonOperator, _ rhs: OperandVector, count: Int) -> [Bool] {
        let (sl, sr) = (lhs.stride, rhs.stride)
        switch (lhs.values, rhs.values) {
        case let (.int(a), .int(b)): return lanes(a, sl, b, sr, count, op, order: sameType)
        case let (.uint(a), .uint(b)): return lanes(a, sl, b, sr, count, op, order: sameType)
        case let (.float(a), .float(b)): return lanes(a, sl, b, sr, count, op, order: sameType)
        case let (.bool(a), .bool(b)): return lanes(a, sl, b, sr, count, op) { x, y in x == y ? 0 : (x ? 1 : -1) }
        case let (.int(a), .uint(b)): return lanes(a, sl, b, sr, count, op, order: order)
        case let (.int(a), .float(b)): return lanes(a, sl, b, sr, count, op, order: order)
        case let (.uint(a), .float(b)): return lanes(a, sl, b, sr, count, op, order: order)
        case (.uint, .int), (.float, .int), (.float, .uint):
            return compare(rhs, op.mirrored, lhs, count: count)
        case let (.bytes(a), .bytes(b)): return bytes(a, sl, b, sr, count, op)
        default:
            preconditionFailure("the binder lets no \(lhs.values) vs \(rhs.values) comparison through")
        }
    }

    /// -1, 0, 1 for less, equal, greater; 2 for unordered (NaN).
    typealias Ordering = Int8

    @inline(__always)
    static func sameType<T: Comparable>(_ a: T, _ b: T) -> Ordering {
        a < b ? -1 : (a > b ? 1 : (a == b ? 0 : 2))
    }

    @inline(__always)
    static func order(_ a: Int64, _ b: UInt64) -> Ordering {
        a < 0 ? -1 : sameType(UInt64(a), b)
    }

    /// Exact: compares against the float's integral part, then its fraction.
    @inline(__always)
    static func order(_ a: Int64, _ b: Double) -> Ordering {
        if b.isNaN { return 2 }
        if b >= 9_223_372_036_854_775_808.0 { return -1 }
        if b < -9_223_372_036_854_775_808.0 { return 1 }
        let floor = b.rounded(.down)
        let whole = Int64(floor)
        if a != whole { return a < whole ? -1 : 1 }
        return b > floor ? -1 : 0
    }

    @inline(__always)
    static func order(_ a: UInt64, _ b: Double) -> Ordering {
        if b.isNaN { return 2 }
        if b < 0 { return 1 }
        if b >= 18_446_744_073_709_551_616.0 { return -1 }
        let floor = b.rounded(.down)
        let whole = UInt64(floor)
        if a != whole { return a < whole ? -1 : 1 }
        return b > floor ? -1 : 0
    }

    /// Orders row `i` of `a` against row `i` of `b` for every row and applies `op`.
    @inline(__always)
    static func lanes<A, B>(
        _ a: [A], _ sa: Int, _ b: [B], _ sb: Int, _ count: Int, _ op: Expression.ComparisonOperator,
        order: (A, B) -> Ordering
    ) -> [Bool] {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                rows(count, op) { i in order(pa[i &* sa], pb[i &* sb]) }
            }
        }
    }

    /// Bytewise comparison of variable-length values, straight from the shared buffers.
    static func bytes(_ a: ByteArrays, _ sa: Int, _ b: ByteArrays, _ sb: Int, _ count: Int,
                      _ op: Expression.ComparisonOperator) -> [Bool] {
        let (offsetsA, offsetsB) = (a.offsets, b.offsets)
        return a.bytes.withUnsafeBufferPointer { ba in
            b.bytes.withUnsafeBufferPointer { bb in
                offsetsA.withUnsafeBufferPointer { oa in
                    offsetsB.withUnsafeBufferPointer { ob in
                        rows(count, op) { i in
                            let ia = i &* sa, ib = i &* sb
                            return order(ba, oa[ia], oa[ia + 1], bb, ob[ib], ob[ib + 1])
                        }
                    }
                }
            }
        }
    }

    /// Applies `op` to the ordering of every row; the switch sits outside the loop.
    @inline(__always)
    static func rows(_ count: Int, _ op: Expression.ComparisonOperator, _ order: (Int) -> Ordering) -> [Bool] {
        switch op {
        case .equal: return fill(count) { order($0) == 0 }
        case .notEqual: return fill(count) { order($0) != 0 }
        case .less: return fill(count) { order($0) == -1 }
        case .lessOrEqual: return fill(count) { let o = order($0); return o == -1 || o == 0 }
        case .greater: return fill(count) { order($0) == 1 }
        case .greaterOrEqual: return fill(count) { let o = order($0); return o == 1 || o == 0 }
        }
    }

    @inline(__always)
    static func fill(_ count: Int, _ test: (Int) -> Bool) -> [Bool] {
        [Bool](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count { out[i] = test(i) }
            initialized = count
        }
    }

    @inline(__always)
    static func order(_ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aEnd: Int,
                      _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, _ bEnd: Int) -> Ordering {
        let la = aEnd - aStart, lb = bEnd - bStart
        var k = 0
        let n = min(la, lb)
        while k < n {
            let x = a[aStart + k], y = b[bStart + k]
            if x != y { return x < y ? -1 : 1 }
            k += 1
        }
        return la == lb ? 0 : (la < lb ? -1 : 1)
    }
}
