import SluiceCore

/// Builds the batches of one `RangeTask`, only for the planned columns, without boxing:
/// ids, scores and flags fill typed arrays; names are `User_` plus digits written into a
/// scratch buffer; tags are single letters appended to the list's child builder.
final class RangeBatchGenerator: RecordBatchProducer {
    private static let tagLetters = Array("abcdefgh".utf8)

    private let plan: ReadPlan
    private let batchRows: Int
    private var next: Int64
    private let end: Int64

    init(_ task: RangeTask) {
        plan = task.plan
        batchRows = task.batchRows
        next = task.ids.lowerBound
        let limited = plan.limit.map { task.ids.lowerBound + Int64($0) } ?? task.ids.upperBound
        end = min(task.ids.upperBound, limited)
    }

    func nextBatch() throws -> RecordBatch? {
        guard next < end else { return nil }
        let ids = next..<min(end, next + Int64(batchRows))
        next = ids.upperBound
        let columns = plan.columnIndices.map { column(at: $0, ids: ids) }
        return RecordBatch(unchecked: plan.schema, columns: columns, rowCount: ids.count)
    }

    private func column(at index: Int, ids: Range<Int64>) -> Column {
        switch index {
        case 0: return Column(type: .int64, storage: .int(Array(ids)))
        case 1: return names(ids)
        case 2: return Column(type: .float64, storage: .float(ids.map { Double(($0 % 10_000) * 7919 % 10_000) / 10_000 }))
        case 3: return Column(type: .bool, storage: .bool(ids.map { $0 % 3 != 0 }))
        default: return tags(ids)
        }
    }

    /// `User_<id>` for each id, digits written straight into one byte buffer.
    private func names(_ ids: Range<Int64>) -> Column {
        let prefix: [UInt8] = Array("User_".utf8)
        let maxLength = prefix.count + 20
        var offsets = [Int](repeating: 0, count: ids.count + 1)
        let bytes = [UInt8](unsafeUninitializedCapacity: ids.count * maxLength) { buffer, filled in
            var at = 0, row = 0
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes of scratch for up to 20 digits
            withUnsafeMutableBytes(of: &digits) { scratch in
                for id in ids {
                    for byte in prefix { buffer[at] = byte; at += 1 }
                    var value = UInt64(id), count = 0
                    repeat {
                        scratch[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                        value /= 10
                        count += 1
                    } while value > 0
                    while count > 0 { count -= 1; buffer[at] = scratch[count]; at += 1 }
                    row += 1
                    offsets[row] = at
                }
            }
            filled = at
        }
        return Column(type: .string, storage: .bytes(ByteArrays(bytes: bytes, offsets: offsets)))
    }

    /// `1 + id % 3` one-letter tags per row from `abcdefgh`, starting at `id % 8`.
    private func tags(_ ids: Range<Int64>) -> Column {
        var listOffsets = [Int](repeating: 0, count: ids.count + 1)
        var letters: [UInt8] = []
        letters.reserveCapacity(ids.count * 3)
        var row = 0
        for id in ids {
            let first = Int(id % 8)
            for t in 0...Int(id % 3) { letters.append(Self.tagLetters[(first + t) & 7]) }
            row += 1
            listOffsets[row] = letters.count
        }
        let child = ByteArrays(bytes: letters, offsets: Array(0...letters.count))
        return Column(type: .list(.string), storage: .list(offsets: listOffsets, child: Column(type: .string, storage: .bytes(child))))
    }
}
