import Glibc

/// Response bytes a stream's handler has written and nghttp2 has not yet framed: a queue
/// of arrays copied out into DATA frames by the data provider.
struct PendingBytes {
    private var segments: [[UInt8]] = []
    private var first = 0
    private var offset = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        segments.append(bytes)
        count += bytes.count
    }

    /// Copies up to `max` bytes into `destination`; returns how many.
    mutating func take(into destination: UnsafeMutablePointer<UInt8>, max: Int) -> Int {
        var copied = 0
        while copied < max, first < segments.count {
            let n = segments[first].withUnsafeBytes { raw in
                let n = min(raw.count - offset, max - copied)
                memcpy(destination + copied, raw.baseAddress! + offset, n)
                return n
            }
            copied += n
            offset += n
            if offset == segments[first].count {
                first += 1
                offset = 0
            }
        }
        count -= copied
        if first == segments.count {
            segments.removeAll(keepingCapacity: true)
            first = 0
        } else if first > 32 {
            segments.removeFirst(first)
            first = 0
        }
        return copied
    }

    mutating func removeAll() {
        segments.removeAll()
        first = 0
        offset = 0
        count = 0
    }
}
