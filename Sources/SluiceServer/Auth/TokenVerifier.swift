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
        guard let authorization else { return .missing }
        guard let token = Self.bearerToken(authorization) else { return .malformed }
        let digest = AccessToken.digest(of: token)
        var found: AccessToken?
        for candidate in tokens where Self.constantTimeEqual(candidate.digest, digest) { found = candidate }
        return found.map(Outcome.valid) ?? .unknown
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, RFC 6750 token68 characters).
    static func bearerToken(_ header: String) -> Substring? {
        let trimmed = header.drop { $0 == " " }
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).drop { $0 == " " }
        let allowed = token.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E || c == 0x2B || c == 0x2F || c == 0x3D
        }
        return token.isEmpty || token.utf8.count > 512 || !allowed ? nil : token
    }

    /// Equal length and bytes, looking at every byte whatever it finds (digests all have
    /// 32 bytes, so the length check tells nothing).
    static func constantTimeEqual<A: RandomAccessCollection<UInt8>, B: RandomAccessCollection<UInt8>>(_ a: A, _ b: B) -> Bool
        where A.Index == Int, B.Index == Int {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[a.startIndex + i] ^ b[b.startIndex + i] }
        return difference == 0
    }
}
