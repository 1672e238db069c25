import Foundation
import Testing

/// Checks that `response` is an RFC 9457 problem of the API: the status, the
/// `application/problem+json` type, and a body whose `type` is `urn:sluice:problem:<slug>`
/// with the same status, a title and a detail.
func expectProblem(_ response: HTTPTestResponse, status: Int, slug: String,
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(response.status == status, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.header("Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
    let problem = try response.json
    #expect(problem["type"].string == "urn:sluice:problem:\(slug)", "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(problem["status"].int == status, sourceLocation: sourceLocation)
    #expect(problem["title"].string?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(problem["detail"].string?.isEmpty == false, sourceLocation: sourceLocation)
}

/// Percent-encodes a query value (spaces, quotes, operators).
func queryEncoded(_ value: String) -> String {
    let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~,")
    return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
}
