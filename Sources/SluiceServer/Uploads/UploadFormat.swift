import HTTPServer
import SluiceCore
import Foundation

/// The body formats an upload may have, chosen from `Content-Type`.
enum UploadFormat: Sendable {
    /// NDJSON (`application/x-ndjson`, `application/jsonl`, ...): decoded as it streams.
    case ndjson
    /// `application/json`: a JSON array of objects (or NDJSON), decoded whole.
    case json
    /// `text/csv` with a header row: decoded as it streams.
    case csv

    static let accepted = "application/x-ndjson, application/jsonl, application/json, text/csv"

    init(contentType: String?) throws {
        let mediaType = (contentType ?? "application/x-ndjson")
            .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
             "application/jsonlines", "application/json-seq", "":
            self = .ndjson
        case "application/json":
            self = .json
        case "text/csv", "application/csv":
            self = .csv
        default:
            throw APIError.unsupportedMediaType(
                "Content-Type '\(mediaType)' is not an upload format; send one of \(Self.accepted)"
                    + (mediaType == "application/x-www-form-urlencoded"
                        ? " (curl sends form encoding by default: add -H 'Content-Type: application/x-ndjson')" : ""))
        }
    }
}
