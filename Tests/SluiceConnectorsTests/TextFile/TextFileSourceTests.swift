import Foundation
import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite struct TextFileSourceTests {
    static let alice = [
        "Alice was beginning to get very tired of sitting by her sister on the bank.",
        "So she was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid),",
        "when suddenly a White Rabbit with pink eyes ran close by her.",
        "There was nothing so very remarkable in that;",
        "nor did Alice think it so very much out of the way to hear the Rabbit say to itself, 'Oh dear! Oh dear! I shall be late!'",
    ]

    @Test func theSeedsFiveAliceLinesGiveExactlyFiveRows() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("sample_text.txt", Self.alice.map { $0 + "\n" }.joined())
        let source = try source(of: makeConnector(BuiltinConnectors.textFile, [("paths", .string("sample_text.txt"))], base: dir.path))
        #expect(source.schema == Schema([Field("line", .string, nullable: false)]))
        let rows = try await readRows(source)
        #expect(rows == Self.alice.map { [.string($0)] })
    }

    @Test func crlfEmptyLinesAndNoTrailingNewline() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("a.txt", "one\r\n\r\ntwo\n\nthree\r")
        let rows = try await readRows(TextFileSource(files: [file]))
        #expect(rows == [["one"], [""], ["two"], [""], ["three\r"]])
    }

    @Test func emptyFileAndLoneNewline() async throws {
        let dir = try TemporaryDirectory()
        let empty = try dir.write("empty.txt", "")
        let newline = try dir.write("nl.txt", "\n")
        #expect(try await readRows(TextFileSource(files: [empty])).isEmpty)
        #expect(try await readRows(TextFileSource(files: [newline])) == [[""]])
    }

    @Test func unicodeIsKept() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("u.txt", "héllo wörld\n日本語 🎉\n")
        #expect(try await readRows(TextFileSource(files: [file])) == [["héllo wörld"], ["日本語 🎉"]])
    }

    @Test func invalidUTF8NamesTheFileAndByteOffset() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.txt", Array("good line\nbad ".utf8) + [0xC3, 0x28] + Array(" line\n".utf8))
        await #expect {
            _ = try await readRows(TextFileSource(files: [file]))
        } throws: { error in
            guard let e = error as? ConnectorError else { return false }
            return e.path == file && e.offset == 14 && e.description.contains("invalid UTF-8") && e.description.contains("byte 14")
        }
    }

    @Test func invalidUTF8InALaterSplitGivesTheFileOffset() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.txt", Array("aaaa\nbbbb\ncccc\n".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8))
        await #expect {
            _ = try await readRows(TextFileSource(files: [file], splitBytes: 4))
        } throws: { ($0 as? ConnectorError)?.offset == 15 }
    }

    @Test func globsExpandSortedAndPlainPathsMustExist() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("b.txt", "b\n")
        try dir.write("a.txt", "a\n")
        try dir.write("c.log", "c\n")
        try FileManager.default.createDirectory(atPath: dir.path + "/d.txt", withIntermediateDirectories: true)
        let source = try source(of: makeConnector(BuiltinConnectors.textFile,
                                                  [("paths", .list([.string("*.txt"), .string("c.log")]))], base: dir.path))
        #expect(try await readRows(source) == [["a"], ["b"], ["c"]])

        #expect(optionErrorText {
            _ = try makeConnector(BuiltinConnectors.textFile, [("paths", .string("*.csv"))], base: dir.path)
        } == "connectors[0].options.paths: no file matches '*.csv'")
        #expect(optionErrorText {
            _ = try makeConnector(BuiltinConnectors.textFile, [("paths", .list([.string("a.txt"), .string("missing.txt")]))], base: dir.path)
        } == "connectors[0].options.paths[1]: 'missing.txt': no such file")
        #expect(optionErrorText {
            _ = try makeConnector(BuiltinConnectors.textFile, [("paths", .string("d.txt"))], base: dir.path)
        }?.contains("'d.txt': is a folder, not a file (use a glob such as") == true)
        #expect(optionErrorText {
            _ = try makeConnector(BuiltinConnectors.textFile, [], base: dir.path)
        } == "connectors[0].options.paths: is required")
        #expect(optionErrorText {
            _ = try makeConnector(BuiltinConnectors.textFile, [("paths", .string("a.txt")), ("split_bytes", .int(0))], base: dir.path)
        } == "connectors[0].options.split_bytes: must be a positive integer")
        #expect(optionErrorText {
            _ = try makeConnector(BuiltinConnectors.textFile, [("paths", .string("a.txt")), ("colour", .string("red"))], base: dir.path)
        }?.hasPrefix("connectors[0].options.colour: unknown option") == true)
    }

    @Test func aGlobIsExpandedAgainWhenTasksArePlanned() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.txt", "a\n")
        let source = try source(of: makeConnector(BuiltinConnectors.textFile, [("paths", .string("*.txt"))], base: dir.path))
        #expect(try await readRows(source) == [["a"]])
        try dir.write("b.txt", "b\n")
        #expect(try await readRows(source) == [["a"], ["b"]])
        try FileManager.default.removeItem(atPath: dir.path + "/a.txt")
        try FileManager.default.removeItem(atPath: dir.path + "/b.txt")
        #expect(try await readRows(source).isEmpty)
    }

    @Test func largeFilesSplitIntoTasksThatCoverEveryLineOnce() async throws {
        let dir = try TemporaryDirectory()
        // Lines of varied lengths (0 to 40 bytes), so split boundaries fall everywhere:
        // inside lines, on newlines, right after them, and inside a line longer than a split.
        var lines: [String] = []
        for i in 0..<500 { lines.append(String(repeating: Character(UnicodeScalar(UInt8(97 + i % 26))), count: (i * 7) % 41) + "\(i)") }
        lines.insert(String(repeating: "x", count: 100), at: 250)
        let text = lines.joined(separator: "\n") + "\n"
        let file = try dir.write("big.txt", text)
        for splitBytes in [1, 2, 3, 7, 16, 37, 64, 100, 101, 4096] {
            let source = TextFileSource(files: [file], splitBytes: splitBytes)
            let tasks = try await source.tasks(.none)
            #expect(tasks.count == (text.utf8.count + splitBytes - 1) / splitBytes)
            let rows = try await readRows(source)
            #expect(rows == lines.map { [.string($0)] }, "split_bytes \(splitBytes)")
        }
    }

    @Test func splitsWithoutTrailingNewlineAndCRLF() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("w.txt", "ab\r\ncd\r\n\r\nefg")
        for splitBytes in 1...14 {
            let rows = try await readRows(TextFileSource(files: [file], splitBytes: splitBytes))
            #expect(rows == [["ab"], ["cd"], [""], ["efg"]], "split_bytes \(splitBytes)")
        }
    }

    @Test func batchesHoldAtMost64KRows() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("many.txt", String(repeating: "\n", count: 150_000))
        let task = try await TextFileSource(files: [file]).tasks(.none)[0]
        let counts = try await task.read().collect().map(\.rowCount)
        #expect(counts == [65_536, 65_536, 18_928])
    }

    @Test func limitAndColumnsPushdowns() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("l.txt", (1...10).map { "line \($0)\n" }.joined())
        let source = TextFileSource(files: [file])
        #expect(try await readRows(source, Pushdowns(limit: 3)) == [["line 1"], ["line 2"], ["line 3"]])
        // A filter stops the limit from being pushed down.
        let filtered = Pushdowns(filter: .compare(.equal, .column("line"), .literal("line 9")), limit: 3)
        #expect(try await readRows(source, filtered).count == 10)
        let noColumns = try await source.tasks(Pushdowns(columns: []))
        #expect(noColumns[0].schema == .empty)
        let batch = try await noColumns[0].read().collect()[0]
        #expect(batch.rowCount == 10 && batch.columns.isEmpty)
    }

    @Test func readingTwiceReadsAgain() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("r.txt", "x\ny\n")
        let task = try await TextFileSource(files: [file]).tasks(.none)[0]
        #expect(try await task.read().collect() == task.read().collect())
        #expect(try await task.read().collect()[0].rowCount == 2)
    }
}

@Suite struct TextFileReadErrorTests {
    @Test func aFileRemovedAfterConfigurationIsAConnectorError() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("gone.txt", "x\n")
        let source = try source(of: makeConnector(BuiltinConnectors.textFile, [("paths", .string(file))]))
        try FileManager.default.removeItem(atPath: file)
        await #expect {
            _ = try await source.tasks(.none)
        } throws: { ($0 as? ConnectorError)?.path == file }
    }
}
