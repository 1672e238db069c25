import Glibc

/// The wire formats of rows, both ways: what `--format` names.
public enum RowFormat: String, Sendable, CaseIterable {
    case ndjson, csv, json

    /// The media type of an upload in this format.
    public var contentType: String {
        switch self {
        case .ndjson: "application/x-ndjson"
        case .csv: "text/csv"
        case .json: "application/json"
        }
    }

    /// The format a file's name implies (`.ndjson`, `.jsonl`, `.csv`, `.json`), or nil.
    public static func implied(byName name: String) -> RowFormat? {
        let lower = name.lowercased()
        if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") { return .ndjson }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".json") { return .json }
        return nil
    }
}

/// Counts the records of an NDJSON or CSV row stream as its bytes go by, across chunk
/// boundaries, byte by byte (CSV: a line break inside double quotes is part of the field).
/// A record ends at `\n`; a CSV stream's first record is its header.
public struct RowCounter: Sendable {
    public let format: RowFormat
    private var inQuotes = false
    /// Complete records seen (a CSV header included).
    public private(set) var records = 0

    public init(format: RowFormat) { self.format = format }

    /// Data rows seen: records, less the CSV header.
    public var rows: Int { format == .csv ? max(records - 1, 0) : records }

    /// Counts the records ending in `bytes`. With `stopAfter`, stops at that many records in
    /// all and answers the offset just past its end; nil when the chunk did not get there.
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, stopAfter: Int? = nil) -> Int? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        if format != .csv {
            var offset = 0
            while offset < bytes.count {
                if let stop = stopAfter, records >= stop { return offset }
                guard let found = memchr(base + offset, 0x0A, bytes.count - offset) else { return nil }
                offset = base.distance(to: UnsafeRawPointer(found)) + 1
                records += 1
            }
            if let stop = stopAfter, records >= stop { return offset }
            return nil
        }
        for offset in 0..<bytes.count {
            if let stop = stopAfter, records >= stop { return offset }
            switch bytes[offset] {
            case 0x22: inQuotes.toggle()
            case 0x0A where !inQuotes: records += 1
            default: break
            }
        }
        if let stop = stopAfter, records >= stop { return bytes.count }
        return nil
    }
}
