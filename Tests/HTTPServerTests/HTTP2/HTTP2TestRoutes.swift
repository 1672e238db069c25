@testable import HTTPServer

/// Routes the HTTP/2 tests share with their HTTP/1.1 comparisons.
enum HTTP2TestRoutes {
    /// Byte `i` of the `/large` body.
    static func largeByte(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: i &* 31 &+ i >> 12) }

    static func largeBody(_ size: Int) -> [UInt8] { (0..<size).map(largeByte) }

    /// Pseudo-random bytes (an LCG): an upload that gzip cannot shrink past the ratio limit.
    static func noise(_ size: Int) -> [UInt8] {
        var x: UInt32 = 12345
        return (0..<size).map { _ in
            x = x &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: x >> 24)
        }
    }

    /// FNV-1a, to compare uploads without sending them back.
    static func fnv1a(_ bytes: [UInt8], _ hash: inout UInt64) {
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }

    static let fnvSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    static func router() -> Router {
        let router = Router()
        router.get("/small") { _ in .json(Array("{\"ok\":true,\"items\":[1,2,3]}".utf8)) }
        // ?kb=N: N KiB in 64 KiB writes.
        router.get("/large") { request, writer in
            let size = (Int(request.query("kb") ?? "") ?? 4096) * 1024
            try await writer.start(headers: ["Content-Type": "application/octet-stream"])
            var offset = 0
            while offset < size {
                let end = min(size, offset + 65536)
                try await writer.write((offset..<end).map(largeByte))
                offset = end
            }
            try await writer.finish()
        }
        router.get("/rows") { _, writer in
            try await writer.start(headers: ["Content-Type": "application/x-ndjson", "Trailer": "Sluice-Row-Count"])
            for i in 0..<3 { try await writer.write("{\"row\":\(i)}\n") }
            try await writer.finish(trailers: ["Sluice-Row-Count": "3"])
        }
        router.post("/upload") { request, writer in
            var count = 0
            var hash = fnvSeed
            for try await chunk in request.body {
                count += chunk.count
                fnv1a(chunk, &hash)
            }
            try await writer.send(.text("\(count) \(hash)"))
        }
        router.post("/limited", bodyLimit: 1000) { request, writer in
            let body = try await request.collectBody(limit: 1000)
            try await writer.send(.text("\(body.count)"))
        }
        return router
    }
}
