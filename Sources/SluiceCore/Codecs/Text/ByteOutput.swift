extension Array where Element == UInt8 {
    /// Appends up to `maxBytes` bytes written through a raw pointer: `body` writes at the
    /// pointer it gets and returns where it stopped. Growth is geometric, so encoders can
    /// call this per block of rows without quadratic copying.
    @inline(__always)
    mutating func appendWriting(maxBytes: Int, _ body: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) {
        let start = count
        if capacity < start + maxBytes { reserveCapacity(Swift.max(start + maxBytes, capacity * 2)) }
        append(contentsOf: repeatElement(0, count: maxBytes))
        let written = withUnsafeMutableBufferPointer { buffer -> Int in
            let p = buffer.baseAddress! + start
            return p.distance(to: body(p))
        }
        precondition(written <= maxBytes, "wrote \(written) bytes, more than the \(maxBytes) reserved")
        removeLast(maxBytes - written)
    }
}
