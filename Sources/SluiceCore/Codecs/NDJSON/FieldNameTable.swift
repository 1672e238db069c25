/// Field names as UTF-8 bytes, matched against keys read from input without making Strings.
/// Keys usually arrive in field order, so the expected position is tried first.
///
/// The names sit back to back in one buffer (name `i` is `bytes[starts[i]..<starts[i+1]]`),
/// so a lookup touches two flat arrays and no per-name array is retained.
struct FieldNameTable {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Per name: true when it holds no byte that JSON must escape, so its raw bytes are
    /// exactly how it appears between quotes.
    private var plain: [Bool] = []

    init(_ names: [String] = []) {
        for name in names {
            bytes.append(contentsOf: name.utf8)
            starts.append(bytes.count)
            plain.append(!name.utf8.contains(where: JSONStringEscaper.needsEscape))
        }
    }

    var count: Int { starts.count - 1 }

    /// The position of `key`, trying `hint` first.
    @inline(__always)
    func index(of key: UnsafeRawBufferPointer, hint: Int) -> Int? {
        bytes.withUnsafeBufferPointer { names in
            starts.withUnsafeBufferPointer { starts in
                let count = starts.count &- 1
                let keyBase = key.baseAddress?.assumingMemoryBound(to: UInt8.self)
                func matches(_ i: Int) -> Bool {
                    let start = starts[i]
                    guard starts[i &+ 1] &- start == key.count else { return false }
                    return key.count == 0 || memcmpBytes(names.baseAddress! + start, keyBase!, key.count)
                }
                if hint < count, matches(hint) { return hint }
                for i in 0..<count where i != hint && matches(i) { return i }
                return nil
            }
        }
    }

    /// The input length of key `i` written as is and closed (`name"`) when the `available`
    /// bytes at `p` (just after a key's opening quote) begin with exactly that; else 0. Lets
    /// the expected key be matched without scanning it as a string first.
    @inline(__always)
    func quotedLength(_ i: Int, at p: UnsafePointer<UInt8>, available: Int) -> Int {
        bytes.withUnsafeBufferPointer { names in
            starts.withUnsafeBufferPointer { starts in
                plain.withUnsafeBufferPointer { plain in
                    guard i < plain.count, plain[i] else { return 0 }
                    let start = starts[i], n = starts[i &+ 1] &- start
                    guard available > n, p[n] == UInt8(ascii: "\""), memcmpBytes(names.baseAddress! + start, p, n) else { return 0 }
                    return n &+ 1
                }
            }
        }
    }

    mutating func append(_ key: UnsafeRawBufferPointer) -> Int {
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        plain.append(!key.contains(where: JSONStringEscaper.needsEscape))
        return count - 1
    }

    func name(_ i: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[starts[i]..<starts[i + 1]]), as: UTF8.self) }
    }
}
