/// Lower-case hexadecimal text of bytes (SHA-256 digests: token hashes, body digests,
/// configuration fingerprints), and back.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    /// Exactly `count` bytes written as `2 * count` hex digits (either case); nil otherwise.
    public static func bytes(_ text: String, count: Int) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count == 2 * count else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for i in stride(from: 0, to: characters.count, by: 2) {
            guard let high = nibble(characters[i]), let low = nibble(characters[i + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
