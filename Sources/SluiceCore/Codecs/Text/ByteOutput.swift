extension Array where Element == UInt8 {
    /// Appends up to `maxBytes` bytes written through a raw pointer: `body` writes at the
    /// pointer it gets and returns where it stopped. Growth is geometric, so callers can
    /// append piece by piece without quadratic copying.
    ///
    /// When the array is empty and too small, the bytes are written into a new array's
    /// uninitialised capacity: a generous bound (a whole batch's worst case) then costs
    /// neither zero-filling nor touching the pages that stay unused.
    @inline(__always)
    mutating func appendWriting(maxBytes: Int, _ body: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) {
        let start = count
        if start == 0, capacity < maxBytes {
            self = [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, initialized in
                let p = buffer.baseAddress!
                initialized = p.distance(to: body(p))
                precondition(initialized <= maxBytes, "wrote \(initialized) bytes, more than the \(maxBytes) reserved")
            }
            return
        }
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
