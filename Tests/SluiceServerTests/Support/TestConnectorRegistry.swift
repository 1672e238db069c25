import SluiceServer

extension ConnectorRegistry {
    /// The built-in types plus the test connectors.
    static var testing: ConnectorRegistry {
        var registry = ConnectorRegistry.builtin
        registry.register(FailingSource.connectorType)
        registry.register(RefusingSink.connectorType)
        return registry
    }
}
