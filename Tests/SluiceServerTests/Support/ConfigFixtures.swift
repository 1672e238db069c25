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
              n: 5
              colour: blue
        """

    static let badOptionsMessages = [
        "connectors[1].options.max_rows_per_file: must be a positive integer (line 9)",
        "connectors[2].type: unknown connector type 'teleporter'",
        "connectors[3].options.colour: unknown option (line 16)",
    ]

    /// Badly shaped entries (checked while parsing).
    static let badShape = """
        connectors:
          - name: alice
            type: range
            options: {n: 1}
          - name: alice
            type: range
          - type: range
          - name: bad name!
            type: range
          - name: typo
            typ: range
            colour: red
        settings: {}
        """

    static let badShapeMessages = [
        "settings: unknown setting (expected 'connectors', 'auth' or 'cors') (line 13)",
        "connectors[1].name: 'alice' is used by another connector (line 5)",
        "connectors[2].name: is required",
        "connectors[3].name: is required",
        "connectors[4].typ: unknown setting (name, type, kind, description, options) (line 11)",
        "connectors[4].colour: unknown setting (name, type, kind, description, options) (line 12)",
        "connectors[4].type: is required",
    ]
}
