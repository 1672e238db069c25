import SluiceServer
/// Config files for the configuration tests, with the errors they hold. Line numbers in the
/// expectations are the 1-based lines of these texts.
enum ConfigFixtures {
    /// DESIGN.md's example, with a range source instead of a data file.
    static let valid = """
        connectors:
          - name: numbers
            type: range
            description: Generated rows
            options: {n: 1000, partitions: 4}
          - name: users
            type: local-files
            options:
              output_dir: sluice-output
              filename_prefix: users
              max_rows_per_file: 10
        """

    /// Well formed, but three connectors have bad types or options (checked by the registry).
    static let badOptions = """
        connectors:
          - name: numbers
            type: range
            options: {n: 10, partitions: 2}
          - name: users
            type: local-files
            options:
              output_dir: out
              max_rows_per_file: 0
          - name: mystery
            type: teleporter
          - name: counted
            type: range
            options:
              n: five
              partitons: 2
              colour: blue
          - name: lines
            type: text-files
            options: {paths: "*.txt"}
        """

    /// Every mistake, several per connector, in one run.
    static let badOptionsMessages = [
        "connectors[1].options.max_rows_per_file: must be a positive integer (line 9)",
        "connectors[2].type: unknown connector type 'teleporter' (types: ",
        "connectors[3].options.partitons: unknown option, did you mean 'partitions'? (range options: ",
        "connectors[3].options.colour: unknown option (range options: ",
        "connectors[3].options.n: must be an integer (line 15)",
        "connectors[4].type: unknown connector type 'text-files', did you mean 'text-file'? (types: ",
    ]

    /// Badly shaped entries (checked while parsing).
    static let badShape = """
        connectors:
          - name: alice
            type: range
            options: {n: 1}
          - name: alice
            type: range
            options: {n: 1, colour: red}
          - type: range
          - name: bad name!
            type: range
          - name: typo
            typ: range
            colour: red
        settings: {}
        """

    /// A duplicate or bad name does not stop the checks of its options.
    static let badShapeMessages = [
        "settings: unknown setting (expected 'connectors', 'auth' or 'cors') (line 14)",
        "connectors[1].name: 'alice' is used by another connector (line 5)",
        "connectors[2].name: is required",
        "connectors[3].name: is required",
        "connectors[4].typ: unknown setting, did you mean 'type'? (settings: name, type, kind, description, options) (line 12)",
        "connectors[4].colour: unknown setting (settings: name, type, kind, description, options) (line 13)",
        "connectors[4].type: is required",
        "connectors[1].options.colour: unknown option (range options: ",
        "connectors[2].options.n: is required",
        "connectors[3].options.n: is required",
    ]

    /// The errors of a config's shape and options together, as `validate-config` reports them.
    static func errors(_ yaml: String, base: String = ".") throws -> ConfigErrors {
        let config = try SluiceConfig.parse(yaml: yaml, baseDirectory: base)
        do { _ = try ConnectorRegistry.builtin.catalog(for: config) } catch let errors as ConfigErrors { return errors }
        throw Unexpected()
    }

    struct Unexpected: Error {}
}
