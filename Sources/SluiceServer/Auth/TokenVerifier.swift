import Crypto
import Foundation

/// Finds the access token an `Authorization: Bearer <token>` header presents.
///
/// Constant time: the presented token is hashed (SHA-256) and the digest is compared with
/// every configured digest, every byte of each, without an early exit, so neither the answer
/// time nor its outcome says how much of a guess was right. Tokens themselves are never kept.
public struct TokenVerifier: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// No `Authorization` header.
        case missing
        /// Not `Bearer <token68>`.
        case malformed
        /// A well-formed token that matches none.
        case unknown
        case valid(AccessToken)
    }

    public let tokens: [AccessToken]

    public init(tokens: [AccessToken]) { self.tokens = tokens }

    public func verify(authorization: String?) -> Outcome {
        guard var header = authorization else { return .missing }
        // Byte-level on the header's UTF-8 (contiguous for native strings): this runs on
        // every request, on the I/O queues.
        return header.withUTF8 { bytes -> Outcome in
            guard let token = Self.bearerToken(bytes) else { return .malformed }
            let digest = SHA256.hash(data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token)))
            return digest.withUnsafeBytes { digestBytes in
                var match: AccessToken?
                for candidate in tokens where Self.constantTimeEqual(candidate.digest, digestBytes) { match = candidate }
                return match.map(Outcome.valid) ?? .unknown
            }
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, RFC 6750 token68 characters),
    /// as a slice of the header's bytes.
    static func bearerToken(_ header: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>>? {
        var start = header.startIndex
        while start < header.endIndex, header[start] == 0x20 { start += 1 }
        // "bearer " in any case: letters compared with their lower-case bit set.
        let scheme: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x62, 0x65, 0x61, 0x72, 0x65, 0x72)
        guard header.endIndex - start > 7,
              header[start] | 0x20 == scheme.0, header[start + 1] | 0x20 == scheme.1, header[start + 2] | 0x20 == scheme.2,
              header[start + 3] | 0x20 == scheme.3, header[start + 4] | 0x20 == scheme.4, header[start + 5] | 0x20 == scheme.5,
              header[start + 6] == 0x20 else { return nil }
        start += 7
        while start < header.endIndex, header[start] == 0x20 { start += 1 }
        let token = header[start...]
        let allowed = token.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E || c == 0x2B || c == 0x2F || c == 0x3D
        }
        return token.isEmpty || token.count > 512 || !allowed ? nil : token
    }

    /// Equal length and bytes, looking at every byte whatever it finds (digests all have
    /// 32 bytes, so the length check tells nothing).
    static func constantTimeEqual<A: RandomAccessCollection<UInt8>, B: RandomAccessCollection<UInt8>>(_ a: A, _ b: B) -> Bool
        where A.Index == Int, B.Index == Int {
        // Indexes from each start: `b` may be a slice.
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[a.startIndex + i] ^ b[b.startIndex + i] }
        return difference == 0
    }
}
