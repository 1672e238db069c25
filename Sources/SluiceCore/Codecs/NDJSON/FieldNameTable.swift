/// Field names as UTF-8 bytes, matched against keys read from input without making Strings.
/// Keys usually arrive in field order, so the expected position is tried first.
struct FieldNameTable {
    private(set) var names: [[UInt8]] = []

    init(_ names: [String] = []) {
        self.names = names.map { Array($0.utf8) }
    }

    var count: Int { names.count }

    /// The position of `key`, trying `hint` first.
    @inline(__always)
    func index(of key: UnsafeRawBufferPointer, hint: Int) -> Int? {
        if hint < names.count, matches(hint, key) { return hint }
        for i in names.indices where i != hint && matches(i, key) { return i }
        return nil
    }

    @inline(__always)
    private func matches(_ i: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        names[i].withUnsafeBufferPointer { name in
            name.count == key.count
                && (key.count == 0 || memcmpBytes(name.baseAddress!, key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count))
        }
    }

    mutating func append(_ key: UnsafeRawBufferPointer) -> Int {
        names.append(Array(key))
        return names.count - 1
    }

    func name(_ i: Int) -> String { String(decoding: names[i], as: UTF8.self) }
}
