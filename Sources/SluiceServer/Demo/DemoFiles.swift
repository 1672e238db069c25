/// The files of the embedded demo, written to a folder at start-up so that the demo runs
/// through the same connector types and config loading as any user's setup.
enum DemoFiles {
    /// The sample text of Daft's custom-connector guide: five lines from Alice's Adventures in Wonderland.
    static let alice = """
        Alice was beginning to get very tired of sitting by her sister on the bank.
        So she was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid),
        when suddenly a White Rabbit with pink eyes ran close by her.
        There was nothing so very remarkable in that;
        nor did Alice think it so very much out of the way to hear the Rabbit say to itself, 'Oh dear! Oh dear! I shall be late!'

        """

    static let events = """
        {"id":1,"at":"2026-11-02T09:15:00Z","kind":"signup","user":"ada","amount":null,"tags":["web"]}
        {"id":2,"at":"2026-11-02T09:17:30Z","kind":"purchase","user":"ada","amount":19.99,"tags":["web","promo"]}
        {"id":3,"at":"2026-11-03T14:02:11Z","kind":"signup","user":"grace","amount":null,"tags":["mobile"]}
        {"id":4,"at":"2026-11-04T08:45:00Z","kind":"purchase","user":"grace","amount":5.5,"tags":["mobile"]}
        {"id":5,"at":"2026-11-04T21:10:42Z","kind":"refund","user":"ada","amount":-19.99,"tags":[]}
        {"id":6,"at":"2026-11-05T11:00:00Z","kind":"purchase","user":"linus","amount":120.0,"tags":["web"]}
        {"id":7,"at":"2026-11-06T16:30:05Z","kind":"signup","user":"margaret","amount":null,"tags":["web","referral"]}
        {"id":8,"at":"2026-11-07T07:07:07Z","kind":"purchase","user":"margaret","amount":42.0,"tags":["mobile","promo"]}

        """

    static let cities = """
        name,country,population,latitude,longitude
        Tokyo,Japan,37468000,35.6895,139.6917
        Delhi,India,28514000,28.7041,77.1025
        Shanghai,China,25582000,31.2304,121.4737
        São Paulo,Brazil,21650000,-23.5505,-46.6333
        "Mexico City",Mexico,21581000,19.4326,-99.1332
        Cairo,Egypt,20076000,30.0444,31.2357
        Mumbai,India,19980000,19.076,72.8777
        Lagos,Nigeria,13463000,6.5244,3.3792

        """

    /// The demo's config; `output_dir` is relative to the working directory the server was
    /// started in, data paths to the demo folder.
    static func config(outputDirectory: String) -> String {
        """
        connectors:
          - name: alice
            type: text-file
            description: Five lines of Alice in Wonderland (the sample text of Daft's custom-connector guide), one row per line
            options: {paths: [alice.txt]}
          - name: numbers
            type: range
            description: 1,000,000 generated rows (id, name, score, active, tags) in 4 parallel tasks
            options: {n: 1000000, partitions: 4}
          - name: events
            type: ndjson-files
            description: A small NDJSON file with UTC timestamps, nulls and lists (schema inferred)
            options: {paths: [events.ndjson]}
          - name: cities
            type: csv-files
            description: A small CSV file of cities (schema inferred)
            options: {paths: [cities.csv]}
          - name: users
            type: local-files
            description: NDJSON files of at most 10 rows, as the LocalFileDataSink of Daft's custom-connector guide
            options: {output_dir: "\(outputDirectory)", filename_prefix: users, max_rows_per_file: 10}
          - name: discard
            type: discard
            description: Parses, validates and counts rows, then drops them
        """
    }
}
