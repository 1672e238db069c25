import Foundation

/// A fresh folder under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = "sluice-server-tests") throws {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// The regular, non-hidden files in `folder` (relative to this directory), sorted.
    func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: file(folder))) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every entry in `folder`, hidden ones included (staging files must not be left behind),
    /// plus every file in a file sink's staging folder there (as `.sluice-staging/<session>/<file>`;
    /// the empty staging folder itself is not listed).
    func allEntries(in folder: String) -> [String] {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: file(folder))) ?? []).filter { $0 != ".sluice-staging" }
        return (entries + staged(in: folder)).sorted()
    }

    /// The files that file sinks staged in `folder` and did not finalize, as `.sluice-staging/<session>/<file>`.
    func staged(in folder: String) -> [String] {
        let root = file(folder) + "/.sluice-staging"
        return ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).flatMap { session in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + session)) ?? []).map { ".sluice-staging/\(session)/\($0)" }
        }.sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
