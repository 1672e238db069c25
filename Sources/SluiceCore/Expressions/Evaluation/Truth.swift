/// SQL three-valued truth over a batch, as two masks: a row is true, false, or neither
/// (unknown). With this layout the logical operators are plain element-wise Boolean
/// operations: AND is true where both are true and false where either is false, OR the
/// mirror, NOT swaps the masks, so unknown propagates exactly as SQL says.
struct Truth {
    var isTrue: [Bool]
    var isFalse: [Bool]

    var count: Int { isTrue.count }

    static func unknown(count: Int) -> Truth {
        let none = [Bool](repeating: false, count: count)
        return Truth(isTrue: none, isFalse: none)
    }

    /// `holds` where both sides are known, unknown elsewhere (`validity` nil: all known).
    init(holds: [Bool], validity: [Bool]?) {
        guard let validity else {
            isTrue = holds
            isFalse = Truth.map(holds) { !$0 }
            return
        }
        isTrue = Truth.zip(holds, validity) { $0 && $1 }
        isFalse = Truth.zip(holds, validity) { !$0 && $1 }
    }

    init(isTrue: [Bool], isFalse: [Bool]) {
        self.isTrue = isTrue
        self.isFalse = isFalse
    }

    func and(_ other: Truth) -> Truth {
        Truth(isTrue: Truth.zip(isTrue, other.isTrue) { $0 && $1 }, isFalse: Truth.zip(isFalse, other.isFalse) { $0 || $1 })
    }

    func or(_ other: Truth) -> Truth {
        Truth(isTrue: Truth.zip(isTrue, other.isTrue) { $0 || $1 }, isFalse: Truth.zip(isFalse, other.isFalse) { $0 && $1 })
    }

    func not() -> Truth { Truth(isTrue: isFalse, isFalse: isTrue) }

    /// Where the value is known (true or false): the validity of a condition used as a value.
    var known: [Bool]? {
        let known = Truth.zip(isTrue, isFalse) { $0 || $1 }
        return known.contains(false) ? known : nil
    }

    /// Combines two validities: a row is valid when it is valid in both.
    static func bothValid(_ a: [Bool]?, _ b: [Bool]?) -> [Bool]? {
        switch (a, b) {
        case (nil, nil): return nil
        case let (a?, nil): return a
        case let (nil, b?): return b
        case let (a?, b?): return zip(a, b) { $0 && $1 }
        }
    }

    @inline(__always)
    static func map(_ a: [Bool], _ f: (Bool) -> Bool) -> [Bool] {
        [Bool](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                for i in 0..<pa.count { out[i] = f(pa[i]) }
            }
            initialized = a.count
        }
    }

    @inline(__always)
    static func zip(_ a: [Bool], _ b: [Bool], _ f: (Bool, Bool) -> Bool) -> [Bool] {
        precondition(a.count == b.count, "masks of different lengths")
        return [Bool](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    for i in 0..<pa.count { out[i] = f(pa[i], pb[i]) }
                }
            }
            initialized = a.count
        }
    }
}
