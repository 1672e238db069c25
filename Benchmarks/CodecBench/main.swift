// sluice-bench: codec throughput on one core, on the rows of the `range` connector.
//
//   python3 Benchmarks/bench_data.py .build/release/sluice   # writes /tmp/sluice-bench/rows.ndjson (1,000,000 rows)
//   swift build -c release --product sluice-bench && .build/release/sluice-bench [path]
//
// Decodes the NDJSON with validation against the range schema and with inferred types, re-encodes the batches and
// checks the bytes are identical, then does the same through CSV. Prints MB/s (of the
// NDJSON or CSV text) for each step, best of three runs.
import Foundation
import SluiceCore

let path = CommandLine.arguments.dropFirst().first ?? "/tmp/sluice-bench/rows.ndjson"
guard let data = FileManager.default.contents(atPath: path) else {
    print("cannot read \(path); generate it with: python3 Benchmarks/bench_data.py .build/release/sluice")
    exit(1)
}
let input = [UInt8](data)
let schema = Schema([
    Field("id", .int64, nullable: false),
    Field("name", .string, nullable: false),
    Field("score", .float64, nullable: false),
    Field("active", .bool, nullable: false),
    Field("tags", .list(.string), nullable: false),
])
let chunkSize = 1 << 16

/// For profiling one step: SLUICE_BENCH_FOCUS=<word> runs the steps whose name holds the
/// word 20 times and every other step once.
let focus = ProcessInfo.processInfo.environment["SLUICE_BENCH_FOCUS"]

/// Seconds of the fastest of `runs` calls (see `focus`).
func best<T>(_ step: String, _ runs: Int = 3, _ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
    let runs = focus.map { step.contains($0) ? 20 : 1 } ?? runs
    var fastest = Double.infinity
    var last: T?
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        last = try body()
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (fastest, last!)
}

/// Feeds `bytes` in 64 KiB chunks, as a network body would arrive.
func decodeChunked<D>(_ bytes: [UInt8], _ make: () -> D, feed: (inout D, UnsafeRawBufferPointer) throws -> [RecordBatch],
                      finish: (inout D) throws -> [RecordBatch]) throws -> [RecordBatch] {
    var decoder = make()
    var batches: [RecordBatch] = []
    try bytes.withUnsafeBytes { all in
        var offset = 0
        while offset < all.count {
            let end = min(offset + chunkSize, all.count)
            batches += try feed(&decoder, UnsafeRawBufferPointer(rebasing: all[offset..<end]))
            offset = end
        }
    }
    batches += try finish(&decoder)
    return batches
}

func mbps(_ bytes: Int, _ seconds: Double) -> String { String(format: "%8.1f MB/s", Double(bytes) / seconds / 1e6) }

var table: [(String, String, String)] = []

// NDJSON
let (decodeSeconds, batches) = try best("NDJSON decode (validated)") {
    try decodeChunked(input, { NDJSONDecoder(schema: schema) }, feed: { try $0.feed($1) }, finish: { try $0.finish() })
}
let rows = batches.reduce(0) { $0 + $1.rowCount }
table.append(("NDJSON decode (validated)", mbps(input.count, decodeSeconds), String(format: "%.0f ms", decodeSeconds * 1000)))
// Without a schema, as an ingest into a sink with no input schema: types inferred per batch.
let (inferSeconds, inferred) = try best("NDJSON decode (inferred)") {
    try decodeChunked(input, { NDJSONDecoder(schema: nil) }, feed: { try $0.feed($1) }, finish: { try $0.finish() })
}
let inferredSchema = inferred.first?.schema
table.append(("NDJSON decode (inferred)", mbps(input.count, inferSeconds), String(format: "%.0f ms", inferSeconds * 1000)))
// Encoding writes each batch into a new buffer, as a streaming response does (the buffer
// is handed to the socket writer); the output of each batch is compared with the input
// bytes it came from.
let encoder = NDJSONEncoder(schema: schema)
var encodeBuffer: [UInt8] = []
let (encodeSeconds, encodedCount) = best("NDJSON encode", 5) { () -> Int in
    var total = 0
    for batch in batches {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.rowCount * 64)
        encoder.encode(batch, into: &bytes)
        total += bytes.count
    }
    return total
}
table.append(("NDJSON encode", mbps(encodedCount, encodeSeconds), String(format: "%.0f ms", encodeSeconds * 1000)))
var roundTrip = encodedCount == input.count
var inputOffset = 0
for batch in batches where roundTrip {
    encodeBuffer.removeAll(keepingCapacity: true)
    encoder.encode(batch, into: &encodeBuffer)
    roundTrip = input[inputOffset..<min(inputOffset + encodeBuffer.count, input.count)].elementsEqual(encodeBuffer)
    inputOffset += encodeBuffer.count
}

// CSV
let (csvEncodeSeconds, csv) = best("CSV encode") { () -> [UInt8] in
    var csvEncoder = CSVEncoder(schema: schema)
    var out: [UInt8] = []
    for batch in batches { csvEncoder.encode(batch, into: &out) }
    return out
}
table.append(("CSV encode", mbps(csv.count, csvEncodeSeconds), String(format: "%.0f ms", csvEncodeSeconds * 1000)))
let (csvDecodeSeconds, csvBatches) = try best("CSV decode (validated)") {
    try decodeChunked(csv, { CSVDecoder(schema: schema) }, feed: { try $0.feed($1) }, finish: { try $0.finish() })
}
table.append(("CSV decode (validated)", mbps(csv.count, csvDecodeSeconds), String(format: "%.0f ms", csvDecodeSeconds * 1000)))

print("codec benchmark: \(rows) rows, NDJSON \(input.count) bytes, CSV \(csv.count) bytes, one core, best of 3")
for (name, rate, time) in table {
    print(name.padding(toLength: 28, withPad: " ", startingAt: 0) + rate + "  " + time)
}
let csvRoundTrip = csvBatches.reduce(0) { $0 + $1.rowCount } == rows
    && (try? RecordBatch.concatenate(csvBatches)) == (try? RecordBatch.concatenate(batches))
let inferredMatches = inferredSchema.map { $0.map(\.type) == schema.map(\.type) } ?? false
    && inferred.reduce(0) { $0 + $1.rowCount } == rows
print("NDJSON re-encoded bytes identical to input: \(roundTrip ? "yes" : "NO")")
print("NDJSON inferred types match the schema: \(inferredMatches ? "yes" : "NO")")
print("CSV round trip gives the same rows: \(csvRoundTrip ? "yes" : "NO")")
exit(roundTrip && csvRoundTrip && inferredMatches ? 0 : 1)
