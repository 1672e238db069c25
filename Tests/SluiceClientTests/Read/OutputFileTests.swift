import Foundation
import Glibc
import NIOCore
import Testing
@testable import SluiceClient

/// The read side's files: spools, the output that appears only when complete, and the copy
/// of spools into it (one CSV header, no row past the limit).
struct OutputFileTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("output-\(UUID().uuidString)").path

    init() throws { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }

    func spool(_ text: String) throws -> TaskSpool {
        // A memory part of four bytes: the rest goes to the temporary file.
        let spool = TaskSpool(memoryLimit: 4)
        try spool.append(ByteBuffer(string: String(text.prefix(4))))
        try spool.append(ByteBuffer(string: String(text.dropFirst(4))))
        return spool
    }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func theFileAppearsOnlyWhenCommitted() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/rows.ndjson"
        let output = try OutputFile(path: path)
        try Array("a\n".utf8).withUnsafeBytes { try output.write($0) }
        #expect(contents(path) == nil)
        try output.commit()
        #expect(contents(path) == "a\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["rows.ndjson"])

        let failed = try OutputFile(path: folder + "/cut.ndjson")
        try Array("partial".utf8).withUnsafeBytes { try failed.write($0) }
        failed.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["rows.ndjson"])
    }

    @Test func aDeviceIsWrittenInPlace() throws {
        let output = try OutputFile(path: "/dev/null")
        try Array("x".utf8).withUnsafeBytes { try output.write($0) }
        try output.commit()
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func spoolsAreCopiedWithOneHeaderAndUpToTheLimit() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/rows.csv"
        var writer = SpoolWriter(format: .csv, limit: 3, output: try OutputFile(path: path))
        try writer.write(try spool("id\n1\n2\n"))
        try writer.write(try spool("id\n"))
        try writer.write(try spool("id\n3\n4\n"))
        #expect(writer.limitReached)
        try writer.write(try spool("id\n5\n"))
        try writer.output.commit()
        #expect(contents(path) == "id\n1\n2\n3\n")
        #expect(writer.rows == 3)
    }

    @Test func aSpoolStartsOverWhenItsTaskIsTriedAgain() throws {
        let spool = try spool("half a stream")
        try spool.reset()
        try spool.append(ByteBuffer(string: "whole\n"))
        var seen = ""
        try spool.forEachChunk { seen += String(decoding: $0, as: UTF8.self); return true }
        #expect(seen == "whole\n")
    }
}
