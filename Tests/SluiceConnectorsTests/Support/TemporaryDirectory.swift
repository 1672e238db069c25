import Foundation
@testable import SluiceConnectors
import Testing
import SluiceCore

/// A fresh directory under the system temp folder, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sluice-conn-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    /// The names of the directory's entries, sorted (hidden ones included).
    /// The entries of the folder (or of `sub`), hidden ones too, but not file sinks' staging folder.
    func entries(_ sub: String? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sub.map { path + "/" + $0 } ?? path)
            .filter { $0 != FileSink.stagingFolderName }.sorted()
    }

    /// Every file staged in the file-sink staging folder of the folder (or of `sub`), as `<session>/<file>`.
    func staged(_ sub: String? = nil) -> [String] {
        let root = (sub.map { path + "/" + $0 } ?? path) + "/" + FileSink.stagingFolderName
        let sessions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return sessions.flatMap { session in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + session)) ?? []).map { session + "/" + $0 }
        }.sorted()
    }
}

/// Every row of every task of `source`, in task order.
func readRows(_ source: any DataSource, _ pushdowns: Pushdowns = .none) async throws -> [[Value]] {
    var rows: [[Value]] = []
    for task in try await source.tasks(pushdowns) {
        for try await batch in task.read() {
            #expect(batch.schema == task.schema)
            rows += batch.rows
        }
    }
    return rows
}

/// Builds a connector of `type` from options in code, at config path `connectors[0].options`.
func makeConnector(_ type: ConnectorType, _ options: [(String, OptionValue)], kind: Connector.Kind? = nil,
                   base: String = ".") throws -> Connector {
    let opts = try ConnectorOptions(.map(options), path: "connectors[0].options", baseDirectory: base)
    return try type.make(opts, kind)
}

/// The source of a connector (fails the test when it is a sink).
func source(of connector: Connector) throws -> any DataSource {
    guard case let .source(s) = connector else { throw SchemaError("expected a source") }
    return s
}

func sinkFactory(of connector: Connector) throws -> SinkFactory {
    guard case let .sink(f) = connector else { throw SchemaError("expected a sink") }
    return f
}

/// The thrown error as an `OptionError`'s text, or nil.
func optionErrorText(_ body: () throws -> Void) -> String? {
    do { try body() } catch let e as OptionError { return e.description } catch { return "not an OptionError: \(error)" }
    return nil
}
