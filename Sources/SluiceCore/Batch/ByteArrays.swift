/// Variable-length byte values (UTF-8 strings or binary) stored back to back in one buffer,
/// as Arrow does: value `i` is `bytes[offsets[i]..<offsets[i+1]]`. No per-value allocation.
public struct ByteArrays: Hashable, Sendable {
    public private(set) var bytes: [UInt8]
    /// `count + 1` offsets, the first 0.
    public private(set) var offsets: [Int]

    public init() {
        bytes = []
        offsets = [0]
    }

    public init(reservingValues values: Int, bytes byteCount: Int) {
        self.init()
        offsets.reserveCapacity(values + 1)
        bytes.reserveCapacity(byteCount)
    }

    /// Values already laid out back to back, for producers that fill the buffers themselves
    /// (no call per value). `offsets` runs from 0 to `bytes.count`, non-decreasing.
    public init(bytes: [UInt8], offsets: [Int]) {
        precondition(offsets.first == 0 && offsets.last == bytes.count, "offsets must run from 0 to bytes.count")
        self.bytes = bytes
        self.offsets = offsets
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append<C: Collection>(_ value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    public mutating func append(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    public mutating func append(string: String) {
        var s = string
        s.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(bytes.count)
    }

    /// Appends the empty value (the placeholder under a null).
    public mutating func appendEmpty() {
        offsets.append(bytes.count)
    }

    public func range(at index: Int) -> Range<Int> { offsets[index]..<offsets[index + 1] }

    public subscript(index: Int) -> ArraySlice<UInt8> { bytes[range(at: index)] }

    public func string(at index: Int) -> String {
        bytes.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[range(at: index)]), as: UTF8.self)
        }
    }

    /// Values `range` as a new, compact ByteArrays.
    public func slice(_ range: Range<Int>) -> ByteArrays {
        var out = ByteArrays()
        let start = offsets[range.lowerBound], end = offsets[range.upperBound]
        out.bytes = Array(bytes[start..<end])
        out.offsets = offsets[range.lowerBound...range.upperBound].map { $0 - start }
        return out
    }

    /// Values at `indices`, in that order.
    public func gather(_ indices: [Int]) -> ByteArrays {
        var out = ByteArrays(reservingValues: indices.count, bytes: 0)
        for i in indices { out.bytes.append(contentsOf: self[i]); out.offsets.append(out.bytes.count) }
        return out
    }

    public mutating func append(contentsOf other: ByteArrays) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.append(contentsOf: other.offsets.dropFirst().lazy.map { $0 + base })
    }
}
