import AsyncHTTPClient
import NIOCore
import NIOPosix

/// One line for a failure, as a terminal user reads it (not a type name).
public enum FailureText {
    public static func describe(_ error: any Error, server: String) -> String {
        switch error {
        case let problem as ServerProblem where problem.status == 401:
            return problem.description + " (give an access token with --token or SLUICE_TOKEN)"
        case let problem as ServerProblem: return problem.description
        case let failure as ClientFailure: return failure.description
        case let error as HTTPClientError:
            switch error {
            case .remoteConnectionClosed: return "the server closed the connection before the end of the answer"
            case .readTimeout: return "the server sent nothing for 120 s"
            case .connectTimeout: return "cannot connect to \(server) (timed out)"
            case .cancelled: return "cancelled"
            default: return "\(error)"
            }
        case let error as NIOConnectionError:
            let reasons = error.connectionErrors.map { "\($0.error)" }
            return "cannot connect to \(server)" + (reasons.isEmpty ? "" : " (\(describeSocketError(reasons[0])))")
        case let error as IOError: return describeSocketError("\(error)")
        case is CancellationError: return "cancelled"
        default:
            let text = "\(error)"
            return text.contains("connection refused") || text.contains("Connection refused")
                ? "cannot connect to \(server) (connection refused)" : text
        }
    }

    private static func describeSocketError(_ text: String) -> String {
        if text.contains("refused") { return "connection refused" }
        if text.contains("reset") { return "connection reset by the server" }
        return text
    }
}
