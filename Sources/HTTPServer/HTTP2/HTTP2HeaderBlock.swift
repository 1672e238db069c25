import CNghttp2

/// Response (or trailer) fields as nghttp2 name/value pairs over one byte buffer: `:status`
/// first, names lowercased (HTTP/2 requires it), and the fields HTTP/2 forbids or the
/// engine owns (Connection, Keep-Alive, Transfer-Encoding, Upgrade, Date, Content-Length)
/// replaced by the engine's own.
struct HTTP2HeaderBlock {
    private var storage: [UInt8] = []
    private var fields: [(name: Range<Int>, value: Range<Int>)] = []

    init() {
        storage.reserveCapacity(256)
    }

    init(status: Int, headers: HTTPHeaders, contentLength: Int?, date: [UInt8], serverName: String?) {
        self.init()
        add(name: ":status", value: String(status).utf8)
        for field in headers where !Self.isEngineOwned(field.name) {
            add(name: field.name, value: field.value.utf8)
        }
        if let contentLength { add(name: "content-length", value: String(contentLength).utf8) }
        // The cached line is `Date: <value>\r\n`.
        if date.count > 8 { add(name: "date", value: date[6..<(date.count - 2)]) }
        if let serverName { add(name: "server", value: serverName.utf8) }
    }

    /// Trailer fields (no pseudo-header).
    init(trailers: HTTPHeaders) {
        self.init()
        for field in trailers where !Self.isEngineOwned(field.name) { add(name: field.name, value: field.value.utf8) }
    }

    mutating func add<Value: Sequence>(name: String, value: Value) where Value.Element == UInt8 {
        let nameStart = storage.count
        for byte in name.utf8 {
            storage.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
        }
        let valueStart = storage.count
        storage.append(contentsOf: value)
        fields.append((nameStart..<valueStart, valueStart..<storage.count))
    }

    /// Calls `body` with the pairs; they point into this block and are valid only inside.
    func withPairs<T>(_ body: (UnsafeMutablePointer<nghttp2_nv>, Int) -> T) -> T {
        storage.withUnsafeBufferPointer { bytes in
            withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(1, fields.count)) { pairs in
                let base = UnsafeMutablePointer(mutating: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                for (i, field) in fields.enumerated() {
                    pairs[i] = nghttp2_nv(name: base + field.name.lowerBound, value: base + field.value.lowerBound,
                                          namelen: field.name.count, valuelen: field.value.count,
                                          flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
                }
                return body(pairs.baseAddress!, fields.count)
            }
        }
    }

    private static func isEngineOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return HTTPHeaders.namesEqual(name, "Date")
        case 7: return HTTPHeaders.namesEqual(name, "Upgrade")
        case 10: return HTTPHeaders.namesEqual(name, "Connection") || HTTPHeaders.namesEqual(name, "Keep-Alive")
        case 14: return HTTPHeaders.namesEqual(name, "Content-Length")
        case 16: return HTTPHeaders.namesEqual(name, "Proxy-Connection")
        case 17: return HTTPHeaders.namesEqual(name, "Transfer-Encoding")
        default: return false
        }
    }
}
