import SluiceCore

/// Wraps a producer of a source's full schema, reducing its batches to a plan's columns.
final class ProjectingProducer<Base: RecordBatchProducer>: RecordBatchProducer {
    private let base: Base
    private let plan: ReadPlan

    init(_ base: Base, plan: ReadPlan) {
        self.base = base
        self.plan = plan
    }

    func nextBatch() throws -> RecordBatch? { try base.nextBatch().map(plan.project) }
}
