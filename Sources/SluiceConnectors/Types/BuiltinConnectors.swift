import SluiceCore

/// The connector types Sluice ships with. Register `all` in the server's registry; each type
/// is also available by name (`BuiltinConnectors.textFile`, ...).
public enum BuiltinConnectors {
    public static let all: [ConnectorType] = [textFile, localFiles, range, discard, ndjsonFiles, csvFiles, sqlite, postgres]
}
