import SluiceCore

extension BuiltinConnectors {
    /// `discard` sink, no options. Summary: `DiscardSink.summarySchema`.
    public static let discard = ConnectorType(
        name: "discard",
        summary: "Accepts rows and drops them, counting rows, bytes and batches",
        kinds: [.sink]
    ) { options, kind in
        try options.expect(kind, is: .sink, type: "discard")
        try options.finish()
        return .sink(try SinkFactory { DiscardSink() })
    }
}
