import Testing
@testable import SluiceCore

/// The float fast path must give exactly Swift's `description` (shortest round-trip), which
/// the NDJSON and CSV encoders promise.
@Suite struct FloatTextTests {
    func written(_ x: Double) -> String {
        var out: [UInt8] = []
        out.appendWriting(maxBytes: FloatText.maxLength) { FloatText.write(x, float32: false, to: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A fixed-seed generator, so a failure reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func fewDecimalsMatchDescription() {
        var random = SplitMix(state: 42)
        for decimals in 0...10 {
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            for _ in 0..<2_000 {
                // Magnitudes on both sides of the one-multiplication range (2^20).
                let limit: UInt64 = random.next() % 2 == 0 ? 10_000 : 100_000_000
                let x = Double(random.next() % (limit * UInt64(scale) + 1)) / scale * (random.next() % 2 == 0 ? 1 : -1)
                #expect(written(x) == x.description, "\(x.bitPattern)")
            }
        }
    }

    @Test func arbitraryBitPatternsMatchDescription() {
        var random = SplitMix(state: 7)
        for _ in 0..<20_000 {
            let x = Double(bitPattern: random.next())
            guard x.isFinite else { continue }
            #expect(written(x) == x.description, "\(x.bitPattern)")
        }
        // Neighbours of short decimals, the edges of the fast path, ties and near-integers.
        let edges: [Double] = [0.001, 0.000999, 1_048_575.999999999, 1_048_576, 1e15, 999_999_999_999_999.9,
                               0.5, 2.5, 1e-9, 123_456.789_012_345, 0.1 + 0.2, 1.0, -0.0, 4_503_599_627_370_496.5]
        for base in edges {
            for x in [base, base.nextUp, base.nextDown] {
                #expect(written(x) == x.description, "\(x.bitPattern)")
            }
        }
    }

    @Test func exactPowersOfTen() {
        var p = 1.0
        for k in 0...22 {
            #expect(FloatText.exactPowerOfTen(k) == p)
            p *= 10
        }
    }
}
