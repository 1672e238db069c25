import SluiceCore

/// Builds the batches of one `RangeTask`, only for the planned columns, without boxing:
/// ids, scores and flags fill typed arrays; names are `User_` plus digits written into a
/// scratch buffer; tags are single letters appended to the list's child builder.
final class RangeBatchGenerator: BatchProducer {
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

    private func names(_ ids: Range<Int64>) -> Column {
        let builder = ColumnBuilder(.string, capacity: ids.count)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
            let prefix = Array("User_".utf8)
            for (i, byte) in prefix.enumerated() { scratch[i] = byte }
            for id in ids {
                // Digits right-aligned at the end of the scratch buffer, then moved after the prefix.
                var value = UInt64(id), digitStart = 32
                repeat {
                    digitStart -= 1
                    scratch[digitStart] = UInt8(ascii: "0") &+ UInt8(value % 10)
                    value /= 10
                } while value > 0
                let digits = 32 - digitStart
                for k in 0..<digits { scratch[prefix.count + k] = scratch[digitStart + k] }
                builder.append(utf8: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: scratch[..<(prefix.count + digits)])))
            }
        }
        return builder.build()
    }

    private func tags(_ ids: Range<Int64>) -> Column {
        let builder = ColumnBuilder(.list(.string), capacity: ids.count)
        let child = builder.listChild!
        Self.tagLetters.withUnsafeBytes { letters in
            for id in ids {
                let first = Int(id % 8)
                for t in 0...Int(id % 3) {
                    child.append(utf8: UnsafeRawBufferPointer(rebasing: letters[((first + t) % 8)...((first + t) % 8)]))
                }
                builder.endList()
            }
        }
        return builder.build()
    }
}
